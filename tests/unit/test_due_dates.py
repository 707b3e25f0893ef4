"""Due dates in working days of the Finnish municipal calendar (domain/due_dates.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedbackgis.domain.due_dates import (
    END_OF_WORKING_DAY,
    due_at,
    is_overdue,
    is_working_day,
    late_since,
    next_working_day,
    working_days_late,
)

TZ = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZ)


def local(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=HELSINKI)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d), END_OF_WORKING_DAY, tzinfo=HELSINKI)


@pytest.mark.parametrize(("assigned", "days", "due", "why"), [
    (local(2026, 4, 2), 1, end_of(2026, 4, 7), "Easter: Good Friday and Easter Monday off"),
    (local(2026, 4, 2), 2, end_of(2026, 4, 8), "Easter, two days"),
    (local(2026, 6, 18), 1, end_of(2026, 6, 22), "Midsummer Eve (Fri) is a day off"),
    (local(2026, 12, 23), 1, end_of(2026, 12, 28), "Christmas Eve, Christmas Day off"),
    (local(2026, 12, 23, 17), 0, end_of(2026, 12, 28), "after hours before Christmas"),
    (local(2027, 12, 3), 1, end_of(2027, 12, 7), "Independence Day on a Monday"),
    (local(2025, 12, 31), 1, end_of(2026, 1, 2), "New Year's Day"),
    (local(2026, 1, 5), 1, end_of(2026, 1, 7), "Epiphany"),
    (local(2026, 4, 30), 1, end_of(2026, 5, 4), "May Day on a Friday"),
    (local(2026, 5, 13), 1, end_of(2026, 5, 15), "Ascension Day"),
    (local(2026, 11, 2), 10, end_of(2026, 11, 16), "the default ten days, two weeks"),
    (local(2026, 3, 2, 10), 0, end_of(2026, 3, 2), "0 days: by the end of the same day"),
    (local(2026, 3, 2, 15, 59), 0, end_of(2026, 3, 2), "just before the end of the day"),
    (local(2026, 3, 2, 16), 0, end_of(2026, 3, 3), "at 16:00 the day is over"),
    (local(2026, 3, 2, 23, 30), 1, end_of(2026, 3, 4), "the evening counts from tomorrow"),
    (local(2026, 3, 6), 1, end_of(2026, 3, 9), "Friday to Monday"),
    (local(2026, 3, 7, 12), 0, end_of(2026, 3, 9), "Saturday, 0 days: Monday"),
    (local(2026, 3, 7, 12), 1, end_of(2026, 3, 10), "Saturday, 1 day: Tuesday"),
    (local(2026, 3, 8, 3), 1, end_of(2026, 3, 10), "Sunday night: as if Monday"),
    (local(2026, 3, 9, 3), 1, end_of(2026, 3, 10), "Monday before work: Monday"),
])
def test_due_date_is_the_end_of_the_nth_working_day_after_assignment(assigned, days, due,
                                                                       why):
    result = due_at(assigned, days, TZ)
    assert result == due, why
    assert result.tzinfo is UTC


@pytest.mark.parametrize(("assigned", "due_utc"), [
    # Summer time ends on 25.10.2026: assigned at UTC+3, due at UTC+2.
    (local(2026, 10, 23), datetime(2026, 10, 26, 14, 0, tzinfo=UTC)),
    # Summer time starts on 29.3.2026: assigned at UTC+2, due at UTC+3.
    (local(2026, 3, 27), datetime(2026, 3, 30, 13, 0, tzinfo=UTC)),
])
def test_due_date_is_at_local_end_of_day_across_a_dst_change(assigned, due_utc):
    assert due_at(assigned, 1, TZ) == due_utc


def test_the_assignment_day_is_the_municipalitys_not_utcs():
    # 22:30 UTC on Monday is already 00:30 on Tuesday in Helsinki.
    assigned = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    assert due_at(assigned, 0, TZ) == end_of(2026, 3, 3)
    assert due_at(assigned, 0, "UTC") == datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("day", [
    date(2026, 12, 24), date(2027, 12, 24),  # Christmas Eve (de facto off)
    date(2026, 6, 19), date(2027, 6, 25), date(2030, 6, 21),  # Midsummer Eve (de facto off)
    date(2027, 12, 6), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 14),
])
def test_eves_and_public_holidays_on_weekdays_are_days_off(day):
    assert day.weekday() < 5  # a weekday, so only the holiday makes it a day off
    assert not is_working_day(day)


def test_an_ordinary_weekday_is_a_working_day_and_weekends_are_not():
    assert is_working_day(date(2026, 3, 4))
    assert not is_working_day(date(2026, 3, 7)) and not is_working_day(date(2026, 3, 8))
    assert next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)


ASSIGNMENT_TIMES = [time(0, 0), time(8, 0), time(15, 59), time(16, 0), time(23, 30)]


def _every_assignment(years: range):
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        for moment in ASSIGNMENT_TIMES:
            yield datetime.combine(day, moment, tzinfo=HELSINKI)
        day += timedelta(days=1)


def _working_days_after(start: datetime, end: datetime) -> int:
    """Working days after the assignment's own working day, up to and including `end`'s."""
    first = start.date()
    if not is_working_day(first) or start.timetz().replace(tzinfo=None) >= END_OF_WORKING_DAY:
        first = next_working_day(first)
    count, day = 0, first
    while day < end.date():
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@pytest.mark.parametrize("days", [0, 1, 2, 5, 10, 20])
def test_every_due_date_is_a_working_day_at_its_end_and_n_working_days_on(days):
    """Every day of four years, at five times of day: the due date falls on a working day
    (never a weekend or holiday) at 16:00 local, after the assignment, with exactly `days`
    working days between the assignment's working day and it."""
    for assigned in _every_assignment(range(2025, 2029)):
        due = due_at(assigned, days, TZ).astimezone(HELSINKI)
        assert is_working_day(due.date()), assigned
        assert due.timetz().replace(tzinfo=None) == END_OF_WORKING_DAY, assigned
        assert due > assigned
        assert _working_days_after(assigned, due) == days, assigned


def test_a_longer_handling_time_is_never_due_earlier():
    for assigned in _every_assignment(range(2026, 2027)):
        dues = [due_at(assigned, days, TZ) for days in range(4)]
        assert dues == sorted(set(dues)), assigned


@pytest.mark.parametrize(("due", "now", "late"), [
    (end_of(2026, 3, 2), local(2026, 3, 2, 15), 0),  # not yet due
    (end_of(2026, 3, 2), local(2026, 3, 2, 17), 0),  # due, not a whole day late
    (end_of(2026, 3, 2), local(2026, 3, 3, 15, 59), 0),
    (end_of(2026, 3, 2), local(2026, 3, 3, 16), 1),
    (end_of(2026, 3, 2), local(2026, 3, 4, 16, 30), 2),
    (end_of(2026, 3, 6), local(2026, 3, 9, 16, 1), 1),  # the weekend does not count
    (end_of(2026, 4, 2), local(2026, 4, 7, 16, 15), 1),  # nor does Easter
])
def test_working_days_late_counts_working_days_ended_since_the_due_date(due, now, late):
    assert working_days_late(due, now, TZ) == late


def test_late_since_is_the_threshold_of_working_days_late():
    """due < late_since(now, n) exactly when the report is late by n working days or more:
    the hourly check asks the first in SQL, the email says the second."""
    dues = [due_at(local(2026, 3, 20), days, TZ) for days in range(0, 15)]
    nows = [local(2026, 3, 20) + timedelta(hours=5 * step) for step in range(0, 150)]
    for n in range(0, 5):
        for now in nows:
            threshold = late_since(now, n, TZ)
            for due in dues:
                if now > due:
                    assert (due < threshold) == (working_days_late(due, now, TZ) >= n), \
                        (due, now, n)


def test_late_since_zero_days_is_now():
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert late_since(now, 0, TZ) == now


@pytest.mark.parametrize(("due", "now", "is_open", "expected"), [
    (end_of(2026, 3, 2), local(2026, 3, 2, 17), True, True),
    (end_of(2026, 3, 2), local(2026, 3, 2, 17), False, False),  # fixed or closed
    (end_of(2026, 3, 2), end_of(2026, 3, 2), True, False),  # due this very moment
    (end_of(2026, 3, 2), local(2026, 3, 2, 9), True, False),
    (None, local(2026, 3, 2, 17), True, False),  # no due date (in triage)
])
def test_overdue_means_open_and_past_its_due_date(due, now, is_open, expected):
    assert is_overdue(due, now, is_open) is expected


def test_naive_times_and_impossible_handling_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        due_at(datetime(2026, 3, 2, 10), 1, TZ)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="working_days"):
        due_at(local(2026, 3, 2), -1, TZ)
    with pytest.raises(ValueError, match="working_days"):
        due_at(local(2026, 3, 2), 366, TZ)
