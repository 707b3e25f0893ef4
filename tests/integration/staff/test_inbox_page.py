"""The inbox page: each role sees its reports only (rows, counts, map and choices alike),
late reports say so in words, the map's points are the page's, and user text stays text."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import text

from feedbackgis.models import Category, Party
from tests.integration.staff.inbox_world import build_inbox_world, report, sign_in

ROW_LINK = re.compile(r'<th scope="row">\s*<a href="/staff/reports/(\d+)\?lang=en">')
MAP_JSON = re.compile(r'<script type="application/json" id="inbox-map-points">(.*?)</script>',
                      re.S)
EVERY_STATUS = ("status=received&status=triage&status=assigned&status=in_progress"
                "&status=waiting&status=fixed&status=closed&status=not_ours&status=duplicate"
                "&status=rejected&status=withdrawn")


@pytest.fixture
def world(session):
    return build_inbox_world(session)


def _get(client, session, world, user, query=""):
    sign_in(client, session, world.users[user])
    response = client.get(f"/staff/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _rows(body):
    return {int(found) for found in ROW_LINK.findall(body)}


def _map(body):
    return json.loads(MAP_JSON.search(body).group(1))


def _party_ids(session, party_id):
    return set(session.scalars(text("SELECT id FROM report WHERE assigned_party_id = :p"),
                               {"p": party_id}))


def test_a_handler_sees_their_units_reports_only_in_rows_counts_and_map(
        client, session, world):
    body = _get(client, session, world, "handler_a", EVERY_STATUS)
    mine, theirs = _party_ids(session, world.unit_a), _party_ids(session, world.unit_b)
    assert _rows(body) == mine
    assert f"{len(mine)} reports with these filters" in body
    assert {f["properties"]["id"] for f in _map(body)["features"]} <= mine
    for other in theirs | {world.reports["triage"], world.reports["contracted"]}:
        assert f"/staff/reports/{other}?" not in body
    assert "Puiston lamppu B" not in body and "Kuoppa B" not in body
    # Nor are B's zone, people or party offered as filters.
    assert "Puisto B" not in body and "Handler B" not in body
    assert "Puistoyksikkö B" not in body and 'id="filter-party"' not in body


def test_a_contractor_sees_its_work_orders_only(client, session, world):
    body = _get(client, session, world, "contractor", EVERY_STATUS)
    assert _rows(body) == {world.reports["contracted"]}
    assert "1 report with these filters" in body


@pytest.mark.parametrize("user", ["admin", "manager", "moderator"])
def test_roles_without_a_party_see_every_report_and_can_filter_by_party(
        client, session, world, user):
    body = _get(client, session, world, user, EVERY_STATUS)
    assert _rows(body) == set(session.scalars(text("SELECT id FROM report")))
    assert 'id="filter-party"' in body and "Puistoyksikkö B" in body


@pytest.mark.parametrize(("user", "assign", "status"), [
    ("admin", True, True), ("handler_a", True, True), ("contractor", False, True),
    ("manager", False, False), ("moderator", False, False),
])
def test_the_bulk_form_offers_what_the_role_may_do(client, session, world, user, assign, status):
    body = _get(client, session, world, user, EVERY_STATUS)
    assert ('value="assign"' in body) is assign
    assert ('value="status"' in body) is status
    assert ('class="choose-report"' in body) is (assign or status)


def test_a_late_report_says_how_late_in_words(client, session, world):
    body = _get(client, session, world, "handler_a")
    late_row = re.search(
        rf'<tr class="inbox-table__late">(?:(?!</tr>).)*?/staff/reports/{world.reports["a_late"]}\?'
        r'(?:(?!</tr>).)*</tr>', body, re.S)
    assert late_row and "Late by 3 days" in late_row.group(0)
    assert "Late by less than a day" in body and "Late by 30 days" in body
    assert "Late: 3" in body


def test_the_map_has_the_points_of_the_page_with_their_links(client, session, world):
    body = _get(client, session, world, "handler_a")
    features = {f["properties"]["id"]: f for f in _map(body)["features"]}
    pinned = _rows(body) - {world.reports["a_unpinned"]}
    assert set(features) == pinned  # the report without a point is in the table only
    late = features[world.reports["a_late"]]
    assert late["geometry"] == {"type": "Point", "coordinates": [24.94, 60.17]}
    assert late["properties"]["url"] == f"/staff/reports/{world.reports['a_late']}?lang=en"
    assert late["properties"]["late"] == "Late by 3 days"
    assert late["properties"]["status"] == "Status: Assigned"


def test_user_text_is_escaped_in_the_table_and_the_map(client, session, world):
    nasty = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
    lights = session.get(Category, world.lights)
    lights.name_en = nasty
    report(session, lights, session.get(Party, world.unit_a), description=nasty, address=nasty)
    session.commit()
    body = _get(client, session, world, "handler_a")
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;/script&gt;&lt;script&gt;alert" in body  # the description, as text
    raw_map = MAP_JSON.search(body).group(1)
    assert "<" not in raw_map and "\\u003c/script\\u003e" in raw_map
    assert nasty in {f["properties"]["category"] for f in json.loads(raw_map)["features"]}


def test_the_table_has_a_caption_column_scopes_labels_and_a_sort_state(client, session, world):
    body = _get(client, session, world, "handler_a")
    table = body[body.index("<table"):body.index("</table>")]
    assert re.search(r"<caption>\s*Reports 1–6 of 6, sorted by Received, descending", table)
    headings = re.findall(r'<th scope="col"[^>]*>', table)
    assert len(headings) == 9  # choose, report, received, category, status, place, ...
    assert table.count('aria-sort="descending"') == 1 and "aria-sort=\"ascending\"" not in table
    for report_id in _rows(body):
        assert re.search(rf'<input type="checkbox" name="report" value="{report_id}" '
                         rf'id="choose-{report_id}"', table)
        assert f'<label for="choose-{report_id}"><span class="visually-hidden">Choose report '\
               f'#{report_id}</span></label>' in table
    for name in ("category", "zone", "person", "min_age", "max_age", "overdue"):
        assert f'<label for="filter-{name}">' in body and f'id="filter-{name}"' in body
    assert '<fieldset class="filter filter--statuses" id="filter-status"' in body


def test_the_inbox_needs_a_signed_in_user(client, session, world):
    response = client.get("/staff/?category=1")
    assert response.status_code == 302
    assert unescape(response.headers["Location"]).startswith("/staff/login?next=/staff/")
