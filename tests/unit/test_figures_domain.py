"""The figures' pure rules: percentiles from histograms, shares, the device of a User-Agent,
the working-day calendar, months, who sees which figures, and the filters of a page."""
from __future__ import annotations

import statistics
from datetime import UTC, date, datetime

import numpy
import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.figures import (
    CalendarRow,
    Device,
    calendar_rows,
    device_of,
    percentile,
    share,
)
from feedbackgis.domain.months import (
    add_months,
    current_month,
    month_bounds,
    month_start,
    months_between,
    next_month,
)
from feedbackgis.domain.permissions import (
    Actor,
    Role,
    StatisticsScope,
    may_export_contacts,
    statistics_scope,
)
from feedbackgis.schemas.figures import figure_filters_query, load_figure_filters

# --- percentile ---------------------------------------------------------------------------

HISTOGRAMS = [
    {3: 1},  # a single value
    {0: 1, 5: 1},  # an even count
    {0: 4, 1: 3, 2: 1},  # eight values
    {1: 2, 3: 1, 4: 2, 7: 1},
    {0: 10, 30: 1},  # a long tail
    {2: 3, 9: 2, 4: 0},  # a value seen by no report
]


def _values(histogram):
    return [value for value, count in sorted(histogram.items()) for _ in range(count)]


@pytest.mark.parametrize("histogram", HISTOGRAMS)
@pytest.mark.parametrize("fraction", [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1])
def test_percentile_of_a_histogram_equals_numpys_linear_interpolation(histogram, fraction):
    expected = float(numpy.percentile(_values(histogram), fraction * 100))
    assert percentile(histogram, fraction) == pytest.approx(expected)


@pytest.mark.parametrize("histogram", HISTOGRAMS)
def test_median_and_p90_equal_the_statistics_modules(histogram):
    values = _values(histogram)
    assert percentile(histogram, 0.5) == pytest.approx(statistics.median(values))
    if len(values) > 1:
        p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert percentile(histogram, 0.9) == pytest.approx(p90)


def test_percentile_values_worked_by_hand():
    assert percentile({0: 4, 1: 3, 2: 1}, 0.5) == 0.5
    assert percentile({0: 4, 1: 3, 2: 1}, 0.9) == pytest.approx(1.3)
    assert percentile({1: 1, 3: 2, 4: 2, 7: 1}, 0.5) == 3.5
    assert percentile({3: 1}, 0.9) == 3


def test_percentile_of_nothing_is_none_and_a_bad_fraction_is_refused():
    assert percentile({}, 0.5) is None
    assert percentile({4: 0}, 0.5) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile({1: 1}, 1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile({1: 1}, -0.1)


def test_share_is_part_of_whole_and_none_without_a_whole():
    assert share(3, 5) == 0.6
    assert share(0, 4) == 0.0
    assert share(0, 0) is None


# --- device_of --------------------------------------------------------------------------

USER_AGENTS = {
    "iphone safari": ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
                      "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 "
                      "Safari/604.1", Device.PHONE),
    "android chrome phone": ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                             "(KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
                             Device.PHONE),
    "android firefox phone": ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 "
                              "Firefox/125.0", Device.PHONE),
    "android tablet": ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/124.0.6367.82 Safari/537.36",
                       Device.COMPUTER),
    "ipad": ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.4 Safari/604.1", Device.COMPUTER),
    "desktop firefox": ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 "
                        "Firefox/125.0", Device.COMPUTER),
    "desktop chrome": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", Device.COMPUTER),
    "curl": ("curl/8.5.0", Device.SYSTEM),
    "python-requests": ("python-requests/2.31.0", Device.SYSTEM),
    "empty": ("", Device.SYSTEM),
    "none": (None, Device.SYSTEM),
}


@pytest.mark.parametrize("name", USER_AGENTS)
def test_device_of_a_real_user_agent(name):
    user_agent, device = USER_AGENTS[name]
    assert device_of(user_agent) is device


# --- calendar_rows ------------------------------------------------------------------------

def test_calendar_numbers_working_days_and_gives_days_off_the_number_before():
    # Fri 2026-01-02 .. Thu 2026-01-08: a weekend, then Tuesday 01-06 is Epiphany.
    rows = list(calendar_rows(date(2026, 1, 2), date(2026, 1, 8)))
    assert rows == [
        CalendarRow(date(2026, 1, 2), 1, True),
        CalendarRow(date(2026, 1, 3), 1, False),
        CalendarRow(date(2026, 1, 4), 1, False),
        CalendarRow(date(2026, 1, 5), 2, True),
        CalendarRow(date(2026, 1, 6), 2, False),
        CalendarRow(date(2026, 1, 7), 3, True),
        CalendarRow(date(2026, 1, 8), 4, True),
    ]


def test_calendar_over_may_day_and_a_weekend():
    # Thu 2026-04-30, Fri 05-01 May Day, weekend, Mon 05-04.
    rows = list(calendar_rows(date(2026, 4, 30), date(2026, 5, 4)))
    assert [(row.working_day_number, row.is_working_day) for row in rows] == [
        (1, True), (1, False), (1, False), (1, False), (2, True)]


def test_calendar_starting_on_a_day_off_numbers_it_zero_and_covers_the_whole_span():
    rows = list(calendar_rows(date(2026, 1, 1), date(2026, 1, 2)))
    assert [(row.working_day_number, row.is_working_day) for row in rows] == [
        (0, False), (1, True)]
    assert sum(1 for _ in calendar_rows(date(2024, 1, 1), date(2024, 12, 31))) == 366


# --- months -------------------------------------------------------------------------------

def test_month_arithmetic_across_years():
    assert month_start(date(2026, 3, 17)) == date(2026, 3, 1)
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 1, 1), -11) == date(2025, 2, 1)
    assert add_months(date(2026, 11, 1), 14) == date(2028, 1, 1)
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert months_between(date(2026, 3, 1), date(2026, 2, 1)) == []


def test_month_bounds_are_local_midnights_in_utc_across_a_dst_change():
    # March 2026: EET (+2) at its start, EEST (+3) from the 29th.
    begins, ends = month_bounds(date(2026, 3, 1), "Europe/Helsinki")
    assert begins == datetime(2026, 2, 28, 22, 0, tzinfo=UTC)
    assert ends == datetime(2026, 3, 31, 21, 0, tzinfo=UTC)


def test_current_month_is_the_municipalitys_not_utcs():
    # 22:30 UTC on 31 January is already 1 February in Helsinki.
    now = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)
    assert current_month(now, "Europe/Helsinki") == date(2026, 2, 1)
    assert current_month(now, "UTC") == date(2026, 1, 1)


# --- who sees which figures ---------------------------------------------------------------

PARTY = 7
ROLES = [
    # actor, statistics scope, may export contacts
    (Actor(Role.ADMIN), StatisticsScope(party_id=None), True),
    (Actor(Role.MANAGER), StatisticsScope(party_id=None), False),
    (Actor(Role.HANDLER, party_id=PARTY), StatisticsScope(party_id=PARTY), True),
    (Actor(Role.HANDLER), None, False),  # a handler of no party sees nothing
    (Actor(Role.MODERATOR), None, False),
    (Actor(Role.CONTRACTOR, party_id=PARTY), None, False),
]


@pytest.mark.parametrize(("actor", "scope", "contacts"), ROLES,
                         ids=[f"{a.role}-{a.party_id}" for a, _, _ in ROLES])
def test_statistics_scope_and_contact_export_of_an_active_user(actor, scope, contacts):
    assert statistics_scope(actor) == scope
    assert may_export_contacts(actor) is contacts


@pytest.mark.parametrize("actor", [a for a, _, _ in ROLES],
                         ids=[f"{a.role}-{a.party_id}" for a, _, _ in ROLES])
def test_a_disabled_user_has_no_figures_and_exports_no_contacts(actor):
    disabled = Actor(actor.role, actor.party_id, active=False)
    assert statistics_scope(disabled) is None
    assert may_export_contacts(disabled) is False


def test_a_party_scope_covers_only_its_own_party():
    assert StatisticsScope(PARTY).covers(PARTY)
    assert not StatisticsScope(PARTY).covers(PARTY + 1)
    assert not StatisticsScope(PARTY).covers(None)
    assert StatisticsScope(None).covers(None) and StatisticsScope(None).covers(3)


# --- the filters of a page ----------------------------------------------------------------

THIS_MONTH = date(2026, 12, 1)


def _load(**args):
    return load_figure_filters(MultiDict(args), THIS_MONTH)


def _error(**args):
    with pytest.raises(ValidationError) as caught:
        _load(**args)
    return caught.value.messages


def test_filters_default_to_the_last_twelve_months():
    filters = _load()
    assert (filters.first_month, filters.last_month) == (date(2026, 1, 1), THIS_MONTH)
    assert (filters.category_id, filters.party_id, filters.zone_id) == (None, None, None)


def test_a_missing_start_is_twelve_months_before_the_end_and_empty_values_are_left_out():
    filters = _load(to="2025-06", category="", party="")
    assert (filters.first_month, filters.last_month) == (date(2024, 7, 1), date(2025, 6, 1))
    assert filters.party_id is None
    filters = _load(**{"from": "2026-03"})
    assert (filters.first_month, filters.last_month) == (date(2026, 3, 1), THIS_MONTH)


def test_filters_read_every_parameter_and_ignore_unknown_ones():
    filters = _load(**{"from": "2025-01", "to": "2025-03", "category": "4", "party": "0",
                       "zone": "9", "lang": "sv", "chart": "months"})
    assert (filters.first_month, filters.last_month) == (date(2025, 1, 1), date(2025, 3, 1))
    assert (filters.category_id, filters.party_id, filters.zone_id) == (4, 0, 9)
    assert figure_filters_query(filters) == {"from": "2025-01", "to": "2025-03",
                                             "category": "4", "party": "0", "zone": "9"}


@pytest.mark.parametrize("text", ["2026-13", "2026/03", "march", "2026-3", "1999-12",
                                  "2026-03-01"])
def test_a_month_that_cannot_be_read_is_refused_by_its_name(text):
    assert set(_error(**{"from": text})) == {"from"}
    assert set(_error(to=text)) == {"to"}


def test_a_period_ending_before_it_begins_is_refused_on_to():
    messages = _error(**{"from": "2026-05", "to": "2026-04"})
    assert set(messages) == {"to"}
    assert "ends before it begins" in messages["to"][0]


def test_a_period_over_120_months_is_refused_and_120_are_taken():
    messages = _error(**{"from": "2010-01", "to": "2020-01"})  # 121 months
    assert set(messages) == {"from"} and "120" in messages["from"][0]
    filters = _load(**{"from": "2010-02", "to": "2020-01"})
    assert filters.first_month == date(2010, 2, 1)


@pytest.mark.parametrize(("name", "value"), [("category", "0"), ("zone", "0"), ("party", "-1"),
                                             ("category", "abc"), ("party", "1.5")])
def test_a_bad_id_is_refused_by_its_name(name, value):
    assert set(_error(**{name: value})) == {name}
