"""The managers' dashboard page (/staff/dashboard) and its CSV downloads: who sees which
figures, the hand-computed figures of tests/integration/dashboard_world.py on the page
and in every CSV alike, refused filters named, and names kept as text."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from flask import url_for
from sqlalchemy import text

from feedbackgis.domain.permissions import Role
from feedbackgis.models import StaffUser
from feedbackgis.services.analytics.refresh import refresh_all_figures
from feedbackgis.web.figures.dashboard import OTHER_PAGES
from feedbackgis.web.figures.dashboard_tables import TABLE_NAMES
from tests.integration.dashboard_world import PERIOD, build_dashboard_world
from tests.integration.staff.signing_in import english_client
from tests.integration.staff.staff_world import sign_in_as

TZ = "Europe/Helsinki"
NONE = None  # a cell with no value: a dash on the page, empty in the CSV
LINE_HEADINGS = ["Reports", "Working days to first response, median",
                 "Working days to first response, 90th percentile",
                 "Working days to fixed, median", "Working days to fixed, 90th percentile",
                 "Fixed within due time", "Reopened", "Duplicates", "From phones",
                 "Sent offline", "With a contact"]


@pytest.fixture
def client(app, connection):
    return english_client(app)


@pytest.fixture
def world(session):
    world = build_dashboard_world(session)
    refresh_all_figures(session, TZ, now=datetime(2026, 3, 2, 8, 5, tzinfo=UTC))
    return world


def _user(session, role: Role, party=None, suffix: str = "") -> StaffUser:
    user = StaffUser(email=f"{role.value}{suffix}@city.example.fi", name=f"{role.value} Testi",
                     role=role, party_id=party.id if party else None,
                     password_hash="not-used", active=True, failed_logins=0)
    session.add(user)
    session.commit()
    return user


def _get(client, session, user, path="/staff/dashboard?" + PERIOD, status=200):
    sign_in_as(client, session.get(StaffUser, user.id))
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response


def _cell_text(html: str) -> str | None:
    text = unescape(re.sub(r"<[^>]+>", "", html)).strip()
    return None if text == "–no value" else text


def page_table(body: str, name: str) -> list[list[str | None]]:
    """The rows (with their headings) of the page's table `name`, cells as text."""
    found = re.search(rf'<table [^>]*id="table-{name}">(.*?)</table>', body, re.S)
    assert found, f"no table {name}"
    tbody = found.group(1).split("<tbody>")[1]
    return [[_cell_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]


def key_figures(body: str) -> dict[str, str | None]:
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", body, re.S)
    return {unescape(term): _cell_text(value) for term, value in pairs}


def csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_an_admin_and_a_manager_see_every_partys_figures(client, session, world):
    for role in (Role.ADMIN, Role.MANAGER):
        body = _get(client, session, _user(session, role)).get_data(as_text=True)
        assert key_figures(body)["Reports"] == "6"
        assert [row[:2] for row in page_table(body, "parties")] == [
            ["Katuyksikkö", "3"], ["Valo Oy", "2"], ["No party", "1"]]
        assert 'id="figure-filter-party"' in body and "Valo Oy</option>" in body
        assert "own party only" not in body
        # The row of no party says what it holds: the reports waiting or ended in triage.
        assert body.count("No party: reports no unit or contractor was given, waiting in "
                          "triage or ended there") == 2  # by the filter and by the table
        assert 'aria-describedby="figure-party-hint"' in body
    # Without filters: the last twelve months, this one included.
    body = _get(client, session, _user(session, Role.ADMIN, None, "again"),
                "/staff/dashboard").get_data(as_text=True)
    assert len(page_table(body, "months")) == 12


def test_a_handler_sees_their_own_partys_figures_even_when_another_is_asked(
        client, session, world):
    handler = _user(session, Role.HANDLER, world.p1)
    body = _get(client, session, handler,
                f"/staff/dashboard?{PERIOD}&party={world.p2.id}").get_data(as_text=True)
    assert key_figures(body)["Reports"] == "3"
    assert [row[:2] for row in page_table(body, "parties")] == [["Katuyksikkö", "3"]]
    assert "not those of the party asked for" in body
    assert "Party: Katuyksikkö (your role sees its own party&#39;s figures only)" in body
    # The other party is neither counted nor offered; nor is its zone.
    assert "Valo Oy" not in body and "Itä" not in body and "<select id=\"figure-filter-party\"" not in body
    rows = csv_rows(_get(client, session, handler,
                         f"/staff/dashboard/parties.csv?{PERIOD}&party={world.p2.id}"))
    assert [row[:2] for row in rows[1:]] == [["Katuyksikkö", "3"]]
    plain = _get(client, session, handler).get_data(as_text=True)
    assert "Your role sees the figures of its own party only." in plain
    assert "No party" not in plain  # neither a row nor a choice nor its note


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.CONTRACTOR])
def test_a_moderator_and_a_contractor_get_the_403_page(client, session, world, role):
    user = _user(session, role, world.p2 if role is Role.CONTRACTOR else None)
    body = _get(client, session, user, status=403).get_data(as_text=True)
    assert "Your role does not allow this" in body and "Katuyksikkö" not in body
    _get(client, session, user, "/staff/dashboard/parties.csv?" + PERIOD, status=403)


def test_nobody_signed_in_is_sent_to_the_sign_in_page(client, world):
    for path in ("/staff/dashboard?" + PERIOD, "/staff/dashboard/months.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/login?next=")


def test_the_page_shows_the_hand_computed_figures(client, session, world):
    body = _get(client, session, _user(session, Role.MANAGER)).get_data(as_text=True)
    assert key_figures(body) == {
        "Reports": "6",
        "Working days to first response, median": "1",
        "Working days to first response, 90th percentile": "1.7",
        "Working days to fixed, median": "5", "Working days to fixed, 90th percentile": "5",
        "Fixed within due time": "66.7%", "Reopened": "33.3%", "Duplicates": "16.7%",
        "From phones": "50%", "Sent offline": "16.7%", "With a contact": "33.3%",
        "In Finnish": "66.7%", "In Swedish": "16.7%", "In English": "16.7%"}
    assert page_table(body, "parties") == [
        ["Katuyksikkö", "3", "0.5", "0.9", "4", "4.8", "50%", "0%", "33.3%", "33.3%", "0%",
         "33.3%"],
        ["Valo Oy", "2", "1.5", "1.9", "5", "5", "100%", "100%", "0%", "100%", "50%", "50%"],
        ["No party", "1", NONE, NONE, NONE, NONE, NONE, NONE, "0%", "0%", "0%",
         "0%"]]
    assert [row[:2] for row in page_table(body, "months")] == [["January 2026", "3"],
                                                              ["February 2026", "3"]]
    assert [row[:2] for row in page_table(body, "zones")] == [
        ["Länsi", "3"], ["Itä", "2"], ["No zone", "1"]]
    assert [row[:2] for row in page_table(body, "categories")] == [
        ["dash-light en", "4"], ["dash-pothole en", "2"]]
    assert page_table(body, "statuses") == [  # the most first, then by name
        ["Fixed", "3", "50%"], ["Already reported", "1", "16.7%"],
        ["In progress", "1", "16.7%"], ["Waiting to be assigned", "1", "16.7%"]]
    # 08:05 UTC is 10:05 in Helsinki.
    assert re.search(r"Figures updated at Mar 2, 2026, 10:05\W*AM\.", body)
    assert "They are counted again every few minutes." in body
    charts = json.loads(re.search(r'id="dashboard-chart-data">(.*?)</script>', body, re.S)
                        .group(1))
    assert charts["months"]["datasets"][0]["data"] == [3, 3]
    assert charts["parties"]["labels"] == ["Katuyksikkö", "Valo Oy", "No party"]
    assert charts["parties"]["datasets"][0]["data"] == [4, 5, None]
    assert charts["parties"]["datasets"][1]["data"] == [4.8, 5, None]


def test_the_filters_narrow_the_figures_and_stay_in_the_form(client, session, world):
    body = _get(client, session, _user(session, Role.ADMIN),
                f"/staff/dashboard?from=2026-02&to=2026-02&category={world.c1.id}"
                ).get_data(as_text=True)
    assert key_figures(body)["Reports"] == "2"  # reports 5 and 6
    assert 'name="from" min="2000-01" max="2099-12"' in body and 'value="2026-02"' in body
    assert f'<option value="{world.c1.id}" selected>' in body
    body = _get(client, session, _user(session, Role.MANAGER),
                "/staff/dashboard?" + PERIOD + "&party=0").get_data(as_text=True)
    assert key_figures(body)["Reports"] == "1"
    assert '<option value="0" selected>' in body


def _page_as_csv_cell(text: str | None) -> str:
    return "" if text is None else text.replace("%", "").replace(",", "")


def test_each_csv_download_holds_the_numbers_of_its_table_on_the_page(client, session, world):
    manager = _user(session, Role.MANAGER)
    body = _get(client, session, manager).get_data(as_text=True)
    for name in TABLE_NAMES:
        response = _get(client, session, manager, f"/staff/dashboard/{name}.csv?{PERIOD}")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["Content-Disposition"]
        assert f"figures-{name}-2026-01_2026-02.csv" in response.headers["Content-Disposition"]
        rows = csv_rows(response)
        if name == "summary":
            shown = [[term, value] for term, value in key_figures(body).items()]
        else:
            shown = page_table(body, name)
        assert rows[1:] == [[row[0], *(_page_as_csv_cell(cell) for cell in row[1:])]
                            for row in shown]
        assert f'href="/staff/dashboard/{name}.csv?from=2026-01&amp;to=2026-02&amp;lang=en"' in body
    header = csv_rows(_get(client, session, manager, f"/staff/dashboard/parties.csv?{PERIOD}"))[0]
    assert header == ["Party", *[f"{h} (%)" if i >= 5 else h for i, h in enumerate(LINE_HEADINGS)]]


def test_a_csv_in_finnish_has_finnish_headings_decimal_commas_and_semicolons(
        client, session, world):
    client.set_cookie("lang", "fi")
    response = _get(client, session, _user(session, Role.MANAGER),
                    f"/staff/dashboard/parties.csv?{PERIOD}")
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][:6] == ["Katuyksikkö", "3", "0,5", "0,9", "4", "4,8"]
    assert rows[1][6] == "50" and rows[2][7] == "100"
    assert rows[0][:2] == ["Taho", "Ilmoituksia"] and len(rows[0]) == 12


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-13", "from"), ("from=2026-03&to=2026-01", "to"), ("party=abc", "party"),
    ("category=0", "category"), ("zone=x", "zone"), ("from=2016-01&to=2026-02", "from")])
def test_a_filter_that_cannot_be_read_gives_422_naming_it(client, session, world, query,
                                                          field):
    manager = _user(session, Role.MANAGER)
    body = _get(client, session, manager, f"/staff/dashboard?{query}",
                status=422).get_data(as_text=True)
    assert f'href="#figure-filter-{field}"' in body
    assert f'id="figure-error-{field}"' in body
    control = re.search(rf'<(?:input|select) [^>]*name="{field}"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in control
    assert re.search(rf'aria-describedby="figure-error-{field}[ "]', control)
    assert control.count("aria-describedby") == 1
    assert 'id="table-' not in body  # no figures for filters that were not understood
    assert 'id="figure-filters-heading"' in body  # the form, to fix them
    csv_response = _get(client, session, manager, f"/staff/dashboard/summary.csv?{query}",
                        status=422)
    assert csv_response.get_data(as_text=True).startswith(f"{field}: ")


def test_an_unknown_table_is_not_found(client, session, world):
    _get(client, session, _user(session, Role.MANAGER), "/staff/dashboard/users.csv",
         status=404)


def test_a_category_name_with_markup_stays_text_and_a_formula_is_defused(client, session):
    world = build_dashboard_world(session, category_name='<script>alert("x")</script>')
    refresh_all_figures(session, TZ)
    manager = _user(session, Role.MANAGER)
    body = _get(client, session, manager).get_data(as_text=True)
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    session.execute(text("UPDATE category SET name_en = '=HYPERLINK(1)' WHERE id = :id"),
                    {"id": world.c1.id})
    session.commit()
    rows = csv_rows(_get(client, session, manager, f"/staff/dashboard/categories.csv?{PERIOD}"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_other_figures_pages_are_linked_with_the_same_filters(app, client, session, world):
    body = _get(client, session, _user(session, Role.MANAGER)).get_data(as_text=True)
    for endpoint, _label in OTHER_PAGES:
        if endpoint in app.view_functions:
            with app.test_request_context():
                path = url_for(endpoint)
            assert f'href="{path}?from=2026-01&amp;to=2026-02&amp;lang=en"' in body
        else:
            assert endpoint.split(".")[1].replace("_", "-") not in body


def test_figures_not_counted_yet_are_zeros_and_dashes_and_the_page_says_so(client, session):
    build_dashboard_world(session)  # no refresh: the rollups are empty
    body = _get(client, session, _user(session, Role.MANAGER)).get_data(as_text=True)
    figures = key_figures(body)
    assert figures["Reports"] == "0" and figures["Fixed within due time"] is None
    assert "The figures have not been counted yet." in body
    assert page_table(body, "parties") == [["No reports with these filters."]]
    assert [row[:2] for row in page_table(body, "months")] == [["January 2026", "0"],
                                                              ["February 2026", "0"]]
