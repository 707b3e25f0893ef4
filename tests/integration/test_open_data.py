"""The open data (/stats, /stats.json, /stats/*.csv, /stats/schema.json) against the
dashboard's numbers and against hand-computed ones, the served JSON Schema, and the
promise of no personal data.

Five reports of March 2025 (Europe/Helsinki), and one of December 2024 outside the year.
Working days of March 2025: Tue 4, Wed 5, Thu 6, Fri 7, Mon 10 ... Fri 14, Mon 17, Tue 18,
Wed 19 (no holidays). A report counts from the day it came (a working day before 16:00)
or else from the next working day.

 #  created           category     party        status       first response   fixed      due
 1  Tue 03-04 09:00   streetlight  contractor   fixed        Thu 03-06: 2     Mon 03-10: 4  03-14 ok
 2  Fri 03-07 17:00   streetlight  contractor   in_progress  Mon 03-10: 0     -
 3  Sat 03-08 10:00   pothole      unit         fixed        Wed 03-12: 2     Wed 03-19: 7  03-18 late
 4  Wed 03-12 10:00   pothole      (none)       duplicate    - (a merge)      -
 5  Thu 03-13 10:00   pothole      unit         in_progress  Fri 03-14: 1     reopened      -

Totals: 5 reports, 4 responded [0, 1, 2, 2]: median 1.5, p90 2; 2 fixed [4, 7]: median 5.5,
p90 4 + 0.9 * 3 = 6.7; 1 duplicate, 1 reopened, 1 of 2 fixed with a due date on time.
Contractor: responded [2, 0]: median 1, p90 1.8; fixed [4]. Unit: responded [2, 1]: median
1.5, p90 1.9; fixed [7], on time 0 of 1.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import PartyKind, ReportEvent
from feedbackgis.models.report import EventKind
from feedbackgis.services.analytics.dashboard import FigureFilters, dashboard_figures
from feedbackgis.services.analytics.refresh import refresh_all_figures
from tests.integration.factories import make_category, make_party, make_report

TZ = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZ)
S = ReportStatus
STAFF = "Kaisa Qzxkäsittelijä"
# Distinctive strings of the reports and their reporters: none may leave the service here.
PERSONAL = {
    "email": "maija.qzxvirtanen@example.fi", "phone": "+358 40 987 6543",
    "name": "Maija Qzxvirtanen", "description": "Lyhty vilkkuu Qzxkujan mutkassa",
    "address": "Qzxkuja 99 B", "staff": STAFF,
}
CONTRACTOR = "=Valaistus Oy"  # a name a spreadsheet would take for a formula
SUM_FORMULA = "=SUMMA(1+1)"


def local(month: int, day: int, hour: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=HELSINKI)


def _event(session, report, kind, at, actor=STAFF, *, before=None, after=None):
    session.add(ReportEvent(report_id=report.id, kind=kind, actor=actor, from_status=before,
                            to_status=after, is_public=True, created_at=at,
                            note=f"Vastaus: {PERSONAL['description']}"))
    session.flush()  # one at a time: the trigger reads the latest status change by id


def _report(session, category, party, created, status, *, due=None, reopened=False,
            number=0):
    report = make_report(
        session, category, party=party, address=f"{PERSONAL['address']} {number}",
        description=f"{PERSONAL['description']} {number}",
        contact={"name": PERSONAL["name"], "email": PERSONAL["email"],
                 "phone": PERSONAL["phone"]})
    report.created_at, report.status, report.due_at = created, status, due
    report.with_contact = True
    report.reopen_count = 1 if reopened else 0
    session.flush()
    _event(session, report, EventKind.SUBMITTED, created, "resident", after=S.RECEIVED)
    return report


@pytest.fixture
def world(session):
    unit = make_party(session, "Katujen kunnossapito", emails=["kadut.qzx@kunta.example"])
    contractor = make_party(session, CONTRACTOR, kind=PartyKind.CONTRACTOR,
                            emails=["valo.qzx@urakoitsija.example"])
    light = make_category(session, "streetlight")
    pothole = make_category(session, "pothole")
    pothole.name_fi = SUM_FORMULA
    r1 = _report(session, light, contractor, local(3, 4, 9), S.FIXED, due=local(3, 14, 16),
                 number=1)
    _event(session, r1, EventKind.REPLY, local(3, 6, 10))
    _event(session, r1, EventKind.STATUS_CHANGED, local(3, 10, 12), before=S.ASSIGNED,
           after=S.FIXED)
    r2 = _report(session, light, contractor, local(3, 7, 17), S.IN_PROGRESS, number=2)
    _event(session, r2, EventKind.STATUS_CHANGED, local(3, 10, 9), before=S.ASSIGNED,
           after=S.IN_PROGRESS)
    r3 = _report(session, pothole, unit, local(3, 8, 10), S.FIXED, due=local(3, 18, 16),
                 number=3)
    _event(session, r3, EventKind.REPLY, local(3, 12, 10))
    _event(session, r3, EventKind.STATUS_CHANGED, local(3, 19, 11), before=S.ASSIGNED,
           after=S.FIXED)
    r4 = _report(session, pothole, None, local(3, 12, 10), S.DUPLICATE, number=4)
    _event(session, r4, EventKind.MERGED, local(3, 12, 11), before=S.TRIAGE,
           after=S.DUPLICATE)
    r5 = _report(session, pothole, unit, local(3, 13, 10), S.IN_PROGRESS, reopened=True,
                 number=5)
    _event(session, r5, EventKind.STATUS_CHANGED, local(3, 14, 9), before=S.ASSIGNED,
           after=S.FIXED)
    _event(session, r5, EventKind.STATUS_CHANGED, local(3, 14, 15), "reporter",
           before=S.FIXED, after=S.IN_PROGRESS)
    # December 2024: outside the year 2025.
    _report(session, light, contractor, local(12, 2, 10, year=2024), S.ASSIGNED, number=6)
    refresh_all_figures(session, TZ)
    return {"unit": unit, "contractor": contractor, "light": light, "pothole": pothole}


def _json(client, query="year=2025"):
    response = client.get(f"/stats.json?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _csv_rows(client, table, query="year=2025"):
    response = client.get(f"/stats/{table}.csv?{query}")
    assert response.status_code == 200
    return response, list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_json_has_the_hand_computed_figures_by_party_contractors_included(client, world):
    body = _json(client).get_json()
    assert body["period"] == {"from": "2025-01", "to": "2025-12", "first_day": "2025-01-01",
                              "last_day": "2025-12-31", "includes_current_month": False}
    assert body["time_zone"] == TZ and body["schema_version"] == "1"
    assert body["license"]["name"] == "CC BY 4.0"
    assert body["refreshed_at"] is not None
    assert set(body["rules"]) >= {"working_days", "first_response", "fixed"}
    assert body["totals"] == {
        "reports": 5, "responded": 4, "fixed": 2, "duplicates": 1, "reopened": 1,
        "fixed_with_due_date": 2, "fixed_on_time": 1, "fixed_on_time_share": 0.5,
        "response_median_working_days": 1.5, "response_p90_working_days": 2.0,
        "fixed_median_working_days": 5.5, "fixed_p90_working_days": 6.7}
    contractor, unit, unassigned = body["parties"]
    assert (contractor["party_id"], contractor["party_name"], contractor["party_kind"]) == (
        world["contractor"].id, CONTRACTOR, "contractor")
    assert (contractor["reports"], contractor["responded"], contractor["fixed"]) == (2, 2, 1)
    assert (contractor["response_median_working_days"],
            contractor["response_p90_working_days"]) == (1.0, 1.8)
    assert contractor["fixed_on_time_share"] == 1.0
    assert (unit["party_name"], unit["party_kind"], unit["reopened"]) == (
        "Katujen kunnossapito", "unit", 1)
    assert (unit["response_median_working_days"], unit["response_p90_working_days"]) == (
        1.5, 1.9)
    assert (unit["fixed_median_working_days"], unit["fixed_on_time_share"]) == (7.0, 0.0)
    assert unassigned == {
        "party_id": None, "party_name": None, "party_kind": "unassigned", "reports": 1,
        "responded": 0, "fixed": 0, "duplicates": 1, "reopened": 0, "fixed_with_due_date": 0,
        "fixed_on_time": 0, "fixed_on_time_share": None,
        "response_median_working_days": None, "response_p90_working_days": None,
        "fixed_median_working_days": None, "fixed_p90_working_days": None}
    pothole, light = body["categories"]
    assert (pothole["category_code"], pothole["category_name_fi"], pothole["reports"],
            pothole["duplicates"]) == ("pothole", SUM_FORMULA, 3, 1)
    assert (light["category_name_en"], light["reports"], light["fixed"]) == (
        "streetlight en", 2, 1)


def _dashboard_row(line) -> dict[str, object]:
    def rounded(value, decimals):
        return None if value is None else round(value, decimals)
    return {"reports": line.counts["reports"], "responded": line.response.reports,
            "fixed": line.fixed.reports, "duplicates": line.duplicates,
            "reopened": line.counts["reopened"],
            "fixed_on_time_share": rounded(line.on_time_share, 4),
            "response_median_working_days": rounded(line.response.median, 2),
            "response_p90_working_days": rounded(line.response.p90, 2),
            "fixed_median_working_days": rounded(line.fixed.median, 2),
            "fixed_p90_working_days": rounded(line.fixed.p90, 2)}


def test_the_json_and_the_csv_equal_the_dashboard_figures(client, session, world):
    dashboard = dashboard_figures(session, FigureFilters(date(2025, 1, 1), date(2025, 12, 1)),
                                  StatisticsScope(party_id=None), "en")
    body = _json(client).get_json()
    _, category_rows = _csv_rows(client, "categories")
    _, party_rows = _csv_rows(client, "parties")
    assert {k: body["totals"][k] for k in _dashboard_row(dashboard.total)} == _dashboard_row(
        dashboard.total)
    expected_parties = {line.key or None: _dashboard_row(line) for line in dashboard.by_party}
    assert len(body["parties"]) == len(party_rows) == len(expected_parties) == 3
    for row, csv_row in zip(body["parties"], party_rows, strict=True):
        expected = expected_parties[row["party_id"]]
        assert {k: row[k] for k in expected} == expected
        assert {k: _csv_value(csv_row[k]) for k in expected} == expected
    expected_categories = {line.key: _dashboard_row(line) for line in dashboard.by_category}
    assert len(body["categories"]) == len(category_rows) == 2
    for row, csv_row in zip(body["categories"], category_rows, strict=True):
        expected = expected_categories[row["category_id"]]
        assert {k: row[k] for k in expected} == expected
        assert {k: _csv_value(csv_row[k]) for k in expected} == expected


def _csv_value(cell: str) -> object:
    if cell == "":
        return None
    return float(cell) if "." in cell else int(cell)


def test_the_csv_is_plain_utf8_with_english_headers_and_formula_safe_names(client, world):
    response, rows = _csv_rows(client, "parties", "year=2025&lang=sv")
    raw = response.get_data()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte order mark
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert raw.split(b"\r\n")[0] == (
        b"period_from,period_to,party_id,party_name,party_kind,reports,responded,fixed,"
        b"duplicates,reopened,fixed_with_due_date,fixed_on_time,fixed_on_time_share,"
        b"response_median_working_days,response_p90_working_days,fixed_median_working_days,"
        b"fixed_p90_working_days")
    assert 'filename="stats-parties-2025-01-2025-12.csv"' in response.headers[
        "Content-Disposition"]
    assert [(r["party_name"], r["party_kind"], r["period_from"]) for r in rows] == [
        ("'" + CONTRACTOR, "contractor", "2025-01"), ("Katujen kunnossapito", "unit", "2025-01"),
        ("", "unassigned", "2025-01")]
    _, categories = _csv_rows(client, "categories")
    assert categories[0]["category_name_fi"] == "'" + SUM_FORMULA
    assert categories[0]["category_name_sv"] == "pothole sv"


def test_every_answer_is_public_cached_and_the_data_open_to_every_origin(client, world):
    for path in ("/stats.json", "/stats/categories.csv", "/stats/parties.csv",
                 "/stats/schema.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=300", path
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    page = client.get("/stats")
    assert page.headers["Cache-Control"] == "public, max-age=300"
    assert "Access-Control-Allow-Origin" not in page.headers


def test_the_json_validates_against_the_served_schema(client, world):
    schema_response = client.get("/stats/schema.json")
    schema = schema_response.get_json(force=True)
    assert schema_response.mimetype == "application/schema+json"
    assert schema["$id"].endswith("/stats/schema.json") and schema["$id"].startswith("http")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for query in ("year=2025", "year=2001", ""):
        body = _json(client, query).get_json()
        assert body["schema_url"] == schema["$id"]
        errors = [error.message for error in validator.iter_errors(body)]
        assert errors == [], query
    # The schema would notice a field that is not published (additionalProperties).
    body = _json(client).get_json()
    body["parties"][0]["manager_email"] = "x@example.fi"
    assert not validator.is_valid(body)


def test_no_personal_data_appears_in_the_page_the_json_or_the_csv(client, world):
    answers = {
        "page": client.get("/stats?year=2025&lang=fi"),
        "json": client.get("/stats.json?year=2025"),
        "categories": client.get("/stats/categories.csv?year=2025"),
        "parties": client.get("/stats/parties.csv?year=2025"),
    }
    for name, response in answers.items():
        assert response.status_code == 200, name
        text = response.get_data(as_text=True)
        for kind, value in PERSONAL.items():
            assert value not in text, (name, kind)
        # Parts of them too, and the parties' email addresses.
        for fragment in ("qzx", "987 6543", "@"):
            assert fragment not in text.lower(), (name, fragment)
    assert "Katujen kunnossapito" in answers["page"].get_data(as_text=True)


def test_the_page_shows_both_tables_with_numbers_in_the_page_language(client, world):
    finnish = _tables(client.get("/stats?year=2025&lang=fi").get_data(as_text=True))
    english_page = client.get("/stats?year=2025&lang=en").get_data(as_text=True)
    english = _tables(english_page)
    parties = finnish["parties-caption"]
    assert parties[0][:2] == ["Vastuutaho", "Tyyppi"]
    assert parties[1][:3] == [CONTRACTOR, "Urakoitsija", "2"]
    # Fixed by the due date 100 %, first response median 1 and p90 1,8 working days.
    assert parties[1][6:9] == ["100\xa0%", "1", "1,8"]
    assert english["parties-caption"][1][6:9] == ["100%", "1", "1.8"]
    assert english["parties-caption"][3][:3] == ["No party", "No party", "1"]
    assert finnish["parties-caption"][3][:3] == ["Ei tahoa", "Ei tahoa", "1"]
    # What the row of no party holds: those waiting in triage and those that ended there.
    assert ("No party: reports no unit or contractor was given, waiting in triage or ended "
            "there") in english_page
    totals = english["categories-caption"][-1]
    assert totals[0] == "All reports" and totals[1:3] == ["5", "2"]
    assert totals[5:] == ["50%", "1.5", "2", "5.5", "6.7"]
    # A figure no report reached is a dash, with a text for screen readers.
    assert english["parties-caption"][3][6] == "–no data"
    assert [row[0] for row in finnish["categories-caption"][1:3]] == [SUM_FORMULA,
                                                                       "streetlight fi"]


class _TableReader(HTMLParser):
    """The cells' texts of each table, keyed by its caption's id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._table = self.tables.setdefault(dict(attrs)["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(page: str) -> dict[str, list[list[str]]]:
    reader = _TableReader()
    reader.feed(page)
    return reader.tables


def test_an_empty_period_gives_empty_lists_and_a_page_without_tables(client, world):
    body = _json(client, "from=2010-01&to=2010-03").get_json()
    assert body["categories"] == [] and body["parties"] == []
    assert body["totals"]["reports"] == 0 and body["totals"]["fixed_median_working_days"] is None
    _, rows = _csv_rows(client, "categories", "from=2010-01&to=2010-03")
    assert rows == []
    page = client.get("/stats?from=2010-01&to=2010-03&lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "There are no reports in this period." in text and "<table" not in text


def test_the_default_period_is_this_month_and_the_eleven_before_it(client, world):
    from feedbackgis.domain.months import current_month

    month = current_month(datetime.now(UTC), TZ)
    body = _json(client, "").get_json()
    assert body["period"]["to"] == month.isoformat()[:7]
    first = date(month.year - (month.month < 12), (month.month % 12) + 1, 1)
    assert body["period"]["from"] == first.isoformat()[:7]
    assert body["period"]["includes_current_month"] is True


@pytest.mark.parametrize(("query", "parameter"), [
    ("year=20x5", "year"), ("year=1999", "year"), ("year=2999", "year"),
    ("year=2025&from=2025-01", "year"), ("from=2025-13", "from"), ("to=March", "to"),
    ("from=2025-06&to=2025-01", "to"),
])
def test_a_period_that_cannot_be_read_is_refused_naming_the_parameter(client, world, query,
                                                                      parameter):
    for path in ("/stats.json", "/stats/parties.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query)
        body = response.get_json()
        assert body["error"] == "validation_failed"
        assert list(body["fields"]) == [parameter], (path, query)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    page = client.get(f"/stats?{query}&lang=en")
    assert page.status_code == 422 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    label = {"year": "Year:", "from": "First month:", "to": "Last month:"}[parameter]
    assert label in text
    assert 'role="alert"' in text
    if parameter != "year":
        assert f'id="period-{parameter}" name="{parameter}"' in text
        assert text.count('aria-invalid="true"') == 1


def test_the_public_pages_link_to_the_open_data(client):
    page = client.get("/accessibility?lang=en").get_data(as_text=True)
    assert 'href="/stats?lang=en"' in page


def test_the_schema_documents_every_published_field(client, world):
    schema = client.get("/stats/schema.json").get_json(force=True)
    body = _json(client).get_json()
    figures = schema["$defs"]["figures"]["properties"]
    assert set(figures) == set(body["totals"])
    assert all(figures[name]["description"] for name in figures)
    assert set(schema["$defs"]["party"]["properties"]) == set(body["parties"][0])
    assert set(schema["$defs"]["category"]["properties"]) == set(body["categories"][0])
    assert json.loads(json.dumps(body)) == body
