"""Open311 GET requests' Helsinki/6Aika filters: bbox, lat+long+radius (metres, measured),
updated_after/updated_before, status lists, page/page_size and when the default 90-day
window applies, in JSON and in XML parsed as a client would; bad values are 400s naming
the parameter."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from pyproj import Transformer
from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Category, Report
from tests.integration.factories import make_category, make_report
from tests.integration.open311.test_open311_extensions import _error, _ids
from tests.integration.open311.test_open311_reads import BASE

CENTRE = (24.9384, 60.1699)  # lon, lat
TO_3067 = Transformer.from_crs(4326, 3067, always_xy=True)
FROM_3067 = Transformer.from_crs(3067, 4326, always_xy=True)
FORMATS = pytest.mark.parametrize("fmt", ["json", "xml"])


@pytest.fixture
def lights(session: Session) -> Category:
    return make_category(session, "streetlight")


def _report(session: Session, category: Category, lon: float | None, lat: float | None, *,
            created: datetime | None = None, status: ReportStatus | None = None) -> str:
    report = make_report(session, category, lon=lon, lat=lat)
    values = {"created_at": created} if created else {}
    if status is not None:
        values["status"] = status
    if values:
        session.execute(update(Report).where(Report.id == report.id).values(**values))
    session.commit()
    return str(report.id)


def _offset(east_m: float, north_m: float) -> tuple[float, float]:
    """The point `east_m`, `north_m` metres from CENTRE in EPSG:3067 (ETRS-TM35FIN)."""
    x, y = TO_3067.transform(*CENTRE)
    return FROM_3067.transform(x + east_m, y + north_m)


@FORMATS
def test_bbox_holds_the_points_inside_and_on_its_edges(client: FlaskClient, session: Session,
                                                      lights: Category, fmt: str) -> None:
    inside = _report(session, lights, 24.95, 60.17)
    on_west_edge = _report(session, lights, 24.9, 60.18)
    on_north_east_corner = _report(session, lights, 25.0, 60.2)
    _report(session, lights, 24.8999999, 60.17)  # just west
    _report(session, lights, 24.95, 60.2000001)  # just north
    _report(session, lights, 25.5, 60.17)  # far east
    _report(session, lights, None, None)  # no point
    found = _ids(client, "bbox=24.9,60.1,25.0,60.2", fmt)
    assert sorted(found, key=int) == [inside, on_west_edge, on_north_east_corner]
    # Longitude first: the same numbers as lat,lon find nothing here.
    assert _ids(client, "bbox=60.1,24.9,60.2,25.0", fmt) == []


@pytest.mark.parametrize("bbox", [
    "24.9,60.1,25.0", "24.9,60.1,25.0,60.2,1", "a,b,c,d", "", "24.9;60.1;25.0;60.2",
    "25.0,60.1,24.9,60.2",  # reversed longitudes
    "24.9,60.2,25.0,60.1",  # reversed latitudes
    "24.9,60.1,24.9,60.2",  # no width
    "24.9,60.1,25.0,91", "-181,60.1,25.0,60.2", "nan,60.1,25.0,60.2", "1e999,60,25,61",
    "inf,60.1,25.0,60.2",
])
@FORMATS
def test_a_malformed_reversed_or_out_of_range_bbox_is_refused(client: FlaskClient, bbox: str,
                                                              fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?bbox={bbox}", fmt)
    assert (code, description.split(":")[0]) == (400, "bbox")


@FORMATS
def test_radius_is_metres_on_the_ground(client: FlaskClient, session: Session,
                                        lights: Category, fmt: str) -> None:
    # EPSG:3067 scales lengths here by about 0.9998: 1% each side of the circle is clear.
    inside = [_report(session, lights, *_offset(*metres))
              for metres in ((990, 0), (0, -990), (-700, 700), (0, 0))]
    for metres in ((1010, 0), (0, 1010), (-715, -715), (5000, 5000)):
        _report(session, lights, *_offset(*metres))
    _report(session, lights, None, None)
    lon, lat = CENTRE
    found = _ids(client, f"lat={lat}&long={lon}&radius=1000", fmt)
    assert sorted(found, key=int) == inside
    # As Python and many clients write numbers too.
    assert _ids(client, f"lat={lat}&long={lon}&radius=1e3", fmt) == found
    wider = _ids(client, f"lat={lat}&long={lon}&radius=1020", fmt)
    assert len(wider) == 7


def test_radius_and_bbox_both_hold_when_both_are_given(client: FlaskClient, session: Session,
                                                      lights: Category) -> None:
    east = _report(session, lights, *_offset(500, 0))
    _report(session, lights, *_offset(-500, 0))
    lon, lat = CENTRE
    assert _ids(client, f"lat={lat}&long={lon}&radius=1000&bbox={lon},{lat - 1},"
                        f"{lon + 1},{lat + 1}") == [east]


@pytest.mark.parametrize(("query", "named"), [
    ("lat=60.17&long=24.94", "radius"), ("lat=60.17&radius=100", "long"),
    ("long=24.94&radius=100", "lat"), ("radius=100", "lat"),
    ("lat=60.17&long=24.94&radius=0", "radius"), ("lat=60.17&long=24.94&radius=-5", "radius"),
    ("lat=60.17&long=24.94&radius=20001", "radius"), ("lat=60.17&long=24.94&radius=x", "radius"),
    ("lat=60.17&long=24.94&radius=nan", "radius"), ("lat=60.17&long=24.94&radius=1e5", "radius"),
    ("lat=60.17&long=24.94&radius=1e999", "radius"), ("lat=%D9%A1&long=24.94&radius=5", "lat"),
    ("lat=91&long=24.94&radius=100", "lat"), ("lat=60.17&long=180.5&radius=100", "long"),
    ("lat=&long=24.94&radius=100", "lat"),
])
@FORMATS
def test_a_bad_or_partial_circle_is_refused_naming_the_parameter(
        client: FlaskClient, query: str, named: str, fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?{query}", fmt)
    assert code == 400
    assert description.startswith(f"{named}:")


@FORMATS
def test_updated_after_and_before_take_the_edges_and_lift_the_default_window(
        client: FlaskClient, session: Session, lights: Category, fmt: str) -> None:
    old = datetime.now(UTC) - timedelta(days=400)
    ids = [_report(session, lights, *CENTRE, created=old) for _ in range(3)]
    moments = [datetime(2026, 6, day, 12, tzinfo=UTC) for day in (1, 2, 3)]
    for report_id, moment in zip(ids, moments, strict=True):
        session.execute(update(Report).where(Report.id == int(report_id))
                        .values(updated_at=moment))
    session.commit()
    after = _ids(client, "updated_after=2026-06-02T15:00:00%2B03:00", fmt)
    assert sorted(after, key=int) == ids[1:]
    before = _ids(client, "updated_before=2026-06-02T12:00:00Z", fmt)
    assert sorted(before, key=int) == ids[:2]
    assert _ids(client, "updated_after=2026-06-02T00:00:00Z"
                        "&updated_before=2026-06-02T23:00:00Z", fmt) == [ids[1]]
    # Without them: the last 90 days, where none of these was created.
    assert _ids(client, "", fmt) == []


@FORMATS
def test_updated_before_takes_a_request_updated_when_it_was_created_and_end_date_still_holds(
        client: FlaskClient, session: Session, lights: Category, fmt: str) -> None:
    edge = datetime(2016, 12, 25, 10, tzinfo=UTC)
    never_touched = _report(session, lights, *CENTRE, created=edge)
    updated_later = _report(session, lights, *CENTRE, created=edge - timedelta(days=1))
    for report_id, updated in ((never_touched, edge), (updated_later, edge + timedelta(days=2))):
        session.execute(update(Report).where(Report.id == int(report_id))
                        .values(updated_at=updated))
    session.commit()
    assert _ids(client, "updated_before=2016-12-25T10:00:00Z", fmt) == [never_touched]
    assert _ids(client, "updated_before=2016-12-28T00:00:00Z", fmt) == [never_touched,
                                                                        updated_later]
    assert _ids(client, "updated_before=2016-12-28T00:00:00Z&end_date=2016-12-24T12:00:00Z",
                fmt) == [updated_later]
    assert _ids(client, "updated_before=2016-12-25T09:59:59Z", fmt) == []


@pytest.mark.parametrize(("query", "named"), [
    ("updated_after=yesterday", "updated_after"), ("updated_before=2026-13-01", "updated_before"),
    ("updated_after=2026-06-03T00:00:00Z&updated_before=2026-06-02T00:00:00Z", "updated_before"),
    ("updated_after=0001-01-01", "updated_after"),
])
@FORMATS
def test_bad_or_reversed_update_times_are_refused(client: FlaskClient, query: str, named: str,
                                                  fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?{query}", fmt)
    assert code == 400
    assert description.startswith(f"{named}:")


@FORMATS
def test_status_takes_a_comma_list(client: FlaskClient, session: Session, lights: Category,
                                   fmt: str) -> None:
    open_one = _report(session, lights, *CENTRE, status=ReportStatus.IN_PROGRESS)
    fixed = _report(session, lights, *CENTRE, status=ReportStatus.FIXED)
    rejected = _report(session, lights, *CENTRE, status=ReportStatus.REJECTED)
    assert _ids(client, "status=open", fmt) == [open_one]
    assert sorted(_ids(client, "status=closed", fmt), key=int) == [fixed, rejected]
    both = sorted([open_one, fixed, rejected], key=int)
    assert sorted(_ids(client, "status=open,closed", fmt), key=int) == both
    assert sorted(_ids(client, "status=closed,%20open", fmt), key=int) == both


@pytest.mark.parametrize("status", ["open,pending", "open,", "OPEN", "in_progress", ""])
@FORMATS
def test_a_status_list_with_an_unknown_status_is_refused(client: FlaskClient, status: str,
                                                         fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?status={status}", fmt)
    assert (code, description.split(":")[0]) == (400, "status")


@FORMATS
def test_pages_cover_every_request_once_newest_first(client: FlaskClient, session: Session,
                                                    lights: Category, fmt: str) -> None:
    now = datetime.now(UTC)
    same_moment = now - timedelta(hours=5)  # two at once: the id orders them
    created = [now - timedelta(hours=h) for h in (1, 2, 3, 4)] + [same_moment] * 2 + [
        now - timedelta(hours=9)]
    made = [_report(session, lights, *CENTRE, created=moment) for moment in created]
    everything = _ids(client, "page_size=1000", fmt)
    assert everything == made[:4] + sorted(made[4:6], key=int, reverse=True) + made[6:]
    pages = [_ids(client, f"page={page}&page_size=3", fmt) for page in (1, 2, 3, 4)]
    assert [len(page) for page in pages] == [3, 3, 1, 0]
    assert [i for page in pages for i in page] == everything
    assert _ids(client, "page=2", fmt) == []  # the default page_size holds them all
    assert _ids(client, "page_size=2", fmt) == everything[:2]


@pytest.mark.parametrize(("query", "named"), [
    ("page=0", "page"), ("page=-1", "page"), ("page=x", "page"), ("page=1.5", "page"),
    ("page=", "page"), ("page=100001", "page"), ("page=%C2%B2", "page"),
    ("page_size=0", "page_size"), ("page_size=1001", "page_size"), ("page_size=-3", "page_size"),
    ("page_size=ten", "page_size"), ("page_size=" + "9" * 30, "page_size"),
])
@FORMATS
def test_bad_paging_is_refused_naming_the_parameter(client: FlaskClient, query: str,
                                                    named: str, fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?{query}", fmt)
    assert code == 400
    assert description.startswith(f"{named}:")


@pytest.mark.parametrize("query", [
    "bbox=-180,-90,180,90&page=300&page_size=1000", "page=11",
    "lat=60.17&long=24.94&radius=20000&page=200&page_size=1000", "page=10001&page_size=1",
    "page=5001&page_size=2", "service_request_id=1,2&page=100&page_size=101",
])
@FORMATS
def test_a_page_beyond_the_first_10000_requests_is_refused_asking_to_narrow_the_query(
        client: FlaskClient, query: str, fmt: str) -> None:
    code, description = _error(client, f"requests.{{fmt}}?{query}", fmt)
    assert code == 400
    assert description.startswith("page:")
    assert "10,000" in description and "narrow" in description and "bbox" in description


def test_the_deepest_page_within_reach_is_answered(client: FlaskClient, session: Session,
                                                   lights: Category) -> None:
    made = [_report(session, lights, *CENTRE) for _ in range(3)]
    assert _ids(client, "page=10&page_size=1000") == []
    assert _ids(client, "page=10000&page_size=1") == []
    assert _ids(client, "page=5000&page_size=2") == []
    assert _ids(client, "page=3&page_size=1") == [made[0]]


def test_the_default_window_applies_only_when_nothing_else_bounds_the_answer(
        client: FlaskClient, session: Session, lights: Category) -> None:
    old = _report(session, lights, *CENTRE, created=datetime.now(UTC) - timedelta(days=200))
    recent = _report(session, lights, *CENTRE)
    lon, lat = CENTRE
    box = f"bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    assert _ids(client, "") == [recent]
    assert _ids(client, "status=open&service_code=streetlight&page_size=10") == [recent]
    assert _ids(client, box) == [recent, old]
    assert _ids(client, f"lat={lat}&long={lon}&radius=50") == [recent, old]
    assert _ids(client, f"service_request_id={old}") == [old]
    # Explicit dates still hold, with their 90-day rule.
    start = (datetime.now(UTC) - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _ids(client, f"{box}&start_date={start}") == [old]
    response = client.get(f"{BASE}/requests.json?{box}&start_date={start}"
                          "&end_date=2100-01-01T00:00:00Z")
    assert response.status_code == 400
    assert response.get_json()[0]["description"].startswith("end_date:")


@FORMATS
def test_viewport_pages_run_newest_first_across_the_years(client: FlaskClient, session: Session,
                                                         lights: Category, fmt: str) -> None:
    now = datetime.now(UTC)
    ages = (timedelta(hours=1), timedelta(days=200), timedelta(days=800), timedelta(days=801))
    made = [_report(session, lights, *CENTRE, created=now - age) for age in ages]
    lon, lat = CENTRE
    box = f"bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    pages = [_ids(client, f"{box}&page={page}&page_size=1", fmt) for page in range(1, 6)]
    assert pages == [[made[0]], [made[1]], [made[2]], [made[3]], []]
    assert _ids(client, f"{box}&page_size=3", fmt) == made[:3]
    assert _ids(client, f"{box}&page=2&page_size=3", fmt) == made[3:]
    assert _ids(client, f"lat={lat}&long={lon}&radius=100&page=2&page_size=2", fmt) == made[2:]
