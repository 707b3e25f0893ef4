"""The staff inbox without a database: reading its query, lateness, the pages linked to,
and the email to a person given a report, in every language."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.inbox import (
    InboxSort,
    PersonFilter,
    SortOrder,
    days_late,
    is_overdue,
)
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.assignment_mail import compose_person_assignment
from feedbackgis.mail.compose import ReportFacts
from feedbackgis.schemas.staff_inbox import load_bulk_action, load_inbox_filter
from feedbackgis.web.staff.inbox_links import page_numbers

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|%\([a-z_]+\)")


def _load(pairs):
    return load_inbox_filter(MultiDict(pairs))


def test_an_empty_query_is_the_open_reports_newest_first_on_the_first_page():
    loaded = _load([("lang", "fi")])
    assert loaded.statuses == OPEN_STATUSES and loaded.page == 1
    assert (loaded.sort, loaded.order) == (InboxSort.RECEIVED, SortOrder.DESC)
    assert loaded.person is None and loaded.overdue_only is False


def test_a_query_reads_every_filter_and_leaves_out_empty_ones():
    loaded = _load([("status", "fixed"), ("status", "closed"), ("category", "3"), ("zone", ""),
                    ("party", "7"), ("min_age", "2"), ("max_age", "30"), ("overdue", "1"),
                    ("person", "me"), ("sort", "due"), ("page", "4")])
    assert loaded.statuses == {ReportStatus.FIXED, ReportStatus.CLOSED}
    assert (loaded.category_id, loaded.zone_id, loaded.party_id) == (3, None, 7)
    assert (loaded.min_age_days, loaded.max_age_days, loaded.overdue_only) == (2, 30, True)
    assert loaded.person is PersonFilter.ME and loaded.page == 4
    assert (loaded.sort, loaded.order) == (InboxSort.DUE, SortOrder.ASC)  # due: soonest first
    assert _load([("person", "12")]).person == 12
    assert _load([("person", "nobody")]).person is PersonFilter.NOBODY


@pytest.mark.parametrize(("pairs", "field"), [
    ([("status", "open")], "status"),
    ([("category", " 3")], "category"),
    ([("category", "0")], "category"),
    ([("zone", "99999999999")], "zone"),
    ([("min_age", "1.5")], "min_age"),
    ([("min_age", "9"), ("max_age", "3")], "min_age"),
    ([("max_age", "36501")], "max_age"),
    ([("overdue", "2")], "overdue"),
    ([("person", "-1")], "person"),
    ([("person", "١٢")], "person"),  # digits, but not ASCII ones
    ([("sort", "id")], "sort"),
    ([("order", "ASC")], "order"),
    ([("page", "10001")], "page"),
])
def test_a_value_that_cannot_be_read_is_refused_naming_its_parameter(pairs, field):
    with pytest.raises(ValidationError) as refused:
        _load(pairs)
    assert {name.split(".")[0] for name in refused.value.messages} == {field}


def test_the_bulk_form_wants_reports_and_what_to_do_with_them():
    loaded = load_bulk_action(MultiDict([("report", "3"), ("report", "5"), ("action", "assign"),
                                         ("person", "nobody"), ("csrf_token", "x")]))
    assert loaded["report"] == [3, 5] and loaded["person"] is PersonFilter.NOBODY
    with pytest.raises(ValidationError) as refused:
        load_bulk_action(MultiDict([("action", "status"), ("report", "3")]))
    assert set(refused.value.messages) == {"status"}
    with pytest.raises(ValidationError) as too_many:
        load_bulk_action(MultiDict([("action", "assign"), ("person", "me")]
                                   + [("report", str(k)) for k in range(1, 202)]))
    assert set(too_many.value.messages) == {"report"}


def test_a_report_is_late_only_while_open_and_past_its_due_date():
    past = NOW - timedelta(days=3, hours=5)
    assert is_overdue(ReportStatus.IN_PROGRESS, past, NOW)
    assert not is_overdue(ReportStatus.FIXED, past, NOW)
    assert not is_overdue(ReportStatus.ASSIGNED, NOW + timedelta(hours=1), NOW)
    assert not is_overdue(ReportStatus.ASSIGNED, None, NOW)
    assert days_late(past, NOW) == 3
    assert days_late(NOW - timedelta(hours=23), NOW) == 0


@pytest.mark.parametrize(("current", "pages", "expected"), [
    (1, 1, [1]),
    (1, 4, [1, 2, 3, 4]),
    (1, 200, [1, 2, 3, None, 200]),
    (50, 200, [1, None, 48, 49, 50, 51, 52, None, 200]),
    (199, 200, [1, None, 197, 198, 199, 200]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
])
def test_pagination_links_the_ends_and_the_pages_around_the_current_one(current, pages,
                                                                        expected):
    assert page_numbers(current, pages) == expected


def _facts(language: str) -> ReportFacts:
    return ReportFacts(language=language, id=77, category="Katuvalo", status="status",
                       place="Kauppa & <Katu> 1", place_in_full="Kauppa & <Katu> 1",
                       map_url=None, description="Valo <script>alert(1)</script> ei pala")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_person_email_has_the_link_and_the_giver_in_every_language(language):
    email = compose_person_assignment(_facts(language), to="kaisa@city.example.fi",
                                      report_url="https://palaute.example/staff/reports/77",
                                      assigned_by="Matti <Meikäläinen>")
    assert email.subject.endswith("(#77)") and email.language == language
    assert "https://palaute.example/staff/reports/77" in email.text
    assert 'href="https://palaute.example/staff/reports/77"' in email.html
    assert "Matti <Meikäläinen>" in email.text and "Matti &lt;Meikäläinen&gt;" in email.html
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    for part in (email.subject, email.text, email.html):
        assert not LEFTOVER_SYNTAX.search(part)
