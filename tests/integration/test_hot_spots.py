"""Recurring hot spots: DBSCAN per category over the last 12 months, in metres.

The reports are placed by metres in EPSG:3067 (pyproj) around chosen centres in Helsinki,
1 km apart, so every answer is known by hand: which reports cluster, how many, when first
and last, and the shape of the hull.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from sqlalchemy import func, select

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import InvalidInput
from feedbackgis.jobs.schedule import PERIODIC
from feedbackgis.models import Category, HotSpot, HotSpotReport, Report
from feedbackgis.repositories.hot_spots import read_hot_spots
from feedbackgis.services.analytics.hot_spots import find_hot_spots, list_hot_spots, year_before
from tests.integration.factories import make_category, make_party, make_report

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DISTANCE_M, MIN_REPORTS = 30.0, 3
TO_WGS84 = Transformer.from_crs(3067, 4326, always_xy=True)
TO_METRIC = Transformer.from_crs(4326, 3067, always_xy=True)

# Centres (east, north) in EPSG:3067, in central Helsinki.
A = (385_500.0, 6_672_000.0)  # 5 streetlight reports within 10 m; 3 potholes on one spot
B = (386_500.0, 6_672_000.0)  # 3 in a row 29.5 m apart (just under the distance)
C = (387_500.0, 6_672_000.0)  # a pair, and a third report 13 months old
D = (388_500.0, 6_672_000.0)  # a chain 30.5 m apart (just over): never joins
E = (389_500.0, 6_672_000.0)  # a pair, and a withdrawn and a rejected report

A_DATES = [datetime(2026, 2, 3, 10, tzinfo=UTC), datetime(2026, 5, 1, 8, tzinfo=UTC),
           datetime(2026, 7, 15, 9, tzinfo=UTC), datetime(2026, 9, 9, 14, tzinfo=UTC),
           datetime(2026, 11, 27, 10, tzinfo=UTC)]
A_OFFSETS = [(0, 0), (4, 0), (-4, 0), (0, 4), (0, -4)]  # their mean is A itself
RECENT = datetime(2026, 10, 1, 12, tzinfo=UTC)
OLD = datetime(2025, 10, 28, 12, tzinfo=UTC)  # 13 months before NOW


@dataclass
class World:
    streetlight: Category
    pothole: Category
    shift: timedelta  # added to every date (a world as of another moment than NOW)
    ids: dict[str, list[int]] = field(default_factory=dict)


def _report(session, world, category, centre, offset, created, status=None) -> Report:
    lon, lat = TO_WGS84.transform(centre[0] + offset[0], centre[1] + offset[1])
    report = make_report(session, category, lon=lon, lat=lat)
    report.created_at = created + world.shift
    if status is not None:
        report.status = status
    session.flush()
    return report


def _place(session, world, name, category, centre, offsets, dates, statuses=None) -> None:
    statuses = statuses or [None] * len(offsets)
    world.ids[name] = [_report(session, world, category, centre, o, d, s).id
                       for o, d, s in zip(offsets, dates, statuses, strict=True)]


def build(session, shift: timedelta = timedelta(0)) -> World:
    world = World(make_category(session, "streetlight"), make_category(session, "pothole"),
                  shift)
    light = world.streetlight
    _place(session, world, "A", light, A, A_OFFSETS, A_DATES)
    # 30.5 m from the nearest report of A, and more from the others: noise, not A's.
    _place(session, world, "A_loner", light, A, [(0, 34.5)], [RECENT])
    _place(session, world, "A_old", light, A, [(1, 1)], [OLD])
    _place(session, world, "A_potholes", world.pothole, A, [(0, 0)] * 3,
           [RECENT, RECENT, datetime(2026, 10, 2, tzinfo=UTC)])
    # The middle one is a duplicate: the same problem reported again, so it counts.
    _place(session, world, "B", light, B, [(0, 0), (29.5, 0), (59, 0)],
           [RECENT] * 3, [None, ReportStatus.DUPLICATE, ReportStatus.FIXED])
    _place(session, world, "C", light, C, [(0, 0), (5, 0)], [RECENT] * 2)
    _place(session, world, "C_old", light, C, [(2, 2)], [OLD])
    _place(session, world, "D", light, D, [(0, 0), (30.5, 0), (61, 0), (91.5, 0)],
           [RECENT] * 4)
    _place(session, world, "E", light, E, [(0, 0), (5, 0), (0, 5), (5, 5)], [RECENT] * 4,
           [None, None, ReportStatus.WITHDRAWN, ReportStatus.REJECTED])
    unpinned = make_report(session, light, lon=None, lat=None, address="Mannerheimintie 1")
    unpinned.created_at = RECENT + shift
    session.commit()
    return world


def _spots(session) -> dict[frozenset[int], HotSpot]:
    listed = list_hot_spots(session, StatisticsScope(party_id=None),
                            min_reports=MIN_REPORTS).hot_spots
    by_id = {spot.id: spot for spot in session.scalars(select(HotSpot))}
    return {frozenset(row.report_ids): by_id[row.id] for row in listed}


def _metric(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, TO_METRIC.transform, interleaved=False)


def _hull_and_centre(session, spot: HotSpot) -> tuple[shapely.Geometry, shapely.Point]:
    hull, centre = session.execute(select(func.ST_AsText(HotSpot.hull),
                                          func.ST_AsText(HotSpot.centre))
                                   .where(HotSpot.id == spot.id)).one()
    return _metric(shapely.from_wkt(hull)), _metric(shapely.from_wkt(centre))


def test_clusters_are_the_groups_within_the_distance_per_category_and_nothing_else(session):
    world = build(session)
    found = find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    assert (found.hot_spots, found.reports) == (3, 11)
    spots = _spots(session)
    assert set(spots) == {frozenset(world.ids["A"]), frozenset(world.ids["A_potholes"]),
                          frozenset(world.ids["B"])}
    a, potholes = spots[frozenset(world.ids["A"])], spots[frozenset(world.ids["A_potholes"])]
    assert (a.category_id, a.report_count) == (world.streetlight.id, 5)
    assert (potholes.category_id, potholes.report_count) == (world.pothole.id, 3)
    assert spots[frozenset(world.ids["B"])].report_count == 3


def test_count_first_and_last_reported_are_those_of_its_reports(session):
    world = build(session)
    find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    a = _spots(session)[frozenset(world.ids["A"])]
    assert a.first_reported_at == A_DATES[0] and a.last_reported_at == A_DATES[-1]
    assert a.computed_at == NOW
    listed = list_hot_spots(session, StatisticsScope(party_id=None),
                            min_reports=MIN_REPORTS).hot_spots
    assert listed[0].id == a.id  # most reports first
    assert listed[0].report_ids == tuple(world.ids["A"])  # oldest first
    assert list_hot_spots(session, StatisticsScope(None),
                          min_reports=MIN_REPORTS).computed_at == NOW
    # The page lists the first ones and says how many there are in all.
    first = read_hot_spots(session, category_id=None, limit=1)
    assert [row.id for row in first.rows] == [a.id] and first.total == 3
    lights = read_hot_spots(session, category_id=world.streetlight.id, limit=9)
    assert lights.total == 2 and {r.report_count for r in lights.rows} == {5, 3}


def test_the_hull_is_a_polygon_a_line_or_a_point_in_4326_around_the_centre(session):
    world = build(session)
    find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    spots = _spots(session)
    hull, centre = _hull_and_centre(session, spots[frozenset(world.ids["A"])])
    # The diamond of the offsets: diagonals 8 m, area 8 * 8 / 2 = 32 m².
    assert hull.geom_type == "Polygon" and hull.area == pytest.approx(32.0, abs=0.01)
    assert (centre.x, centre.y) == pytest.approx(A, abs=0.01)
    line, middle = _hull_and_centre(session, spots[frozenset(world.ids["B"])])
    assert line.geom_type == "LineString" and line.length == pytest.approx(59.0, abs=0.01)
    assert (middle.x, middle.y) == pytest.approx((B[0] + 29.5, B[1]), abs=0.01)
    spot, on_it = _hull_and_centre(session, spots[frozenset(world.ids["A_potholes"])])
    assert spot.geom_type == "Point" and spot.distance(shapely.Point(A)) < 0.01
    assert on_it.distance(shapely.Point(A)) < 0.01


def test_a_party_sees_a_hot_spot_made_of_its_own_reports_only(session):
    # A's five streetlights: three of party P, (4, 0), (0, 4) and (0, -4); two of Q, the
    # first (0, 0) and the third (-4, 0), and Q's hold A's first date.
    world = build(session)
    p, q = make_party(session, "P"), make_party(session, "Q")
    for index, report_id in enumerate(world.ids["A"]):
        session.get(Report, report_id).assigned_party_id = (p if index in (1, 3, 4) else q).id
    session.commit()
    find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    mine = list_hot_spots(session, StatisticsScope(p.id), min_reports=MIN_REPORTS)
    assert mine.total == 1 and len(mine.hot_spots) == 1
    spot = mine.hot_spots[0]
    ids = world.ids["A"]
    assert spot.report_ids == (ids[1], ids[3], ids[4]) and spot.report_count == 3
    assert (spot.first_reported_at, spot.last_reported_at) == (A_DATES[1], A_DATES[4])
    # The triangle of P's three: base 8 m from (0, 4) to (0, -4), height 4 m: 16 m², its
    # centroid (4/3, 0) from A; Q's (0, 0) and (-4, 0) are outside it. (GeoJSON keeps 6
    # decimals: each corner within about 0.1 m.)
    hull = _metric(shape(spot.hull))
    assert hull.geom_type == "Polygon" and hull.area == pytest.approx(16.0, abs=0.6)
    corners = [shapely.Point(A[0] + e, A[1] + n) for e, n in [(4, 0), (0, 4), (0, -4)]]
    vertices = [shapely.Point(c) for c in hull.exterior.coords[:-1]]
    assert len(vertices) == 3
    assert all(min(v.distance(c) for c in corners) < 0.12 for v in vertices)
    assert not hull.contains(shapely.Point(A[0] - 4, A[1]))
    centre = _metric(shapely.Point(spot.centre_lon, spot.centre_lat))
    assert (centre.x, centre.y) == pytest.approx((A[0] + 4 / 3, A[1]), abs=0.01)
    # Q holds two: not a hot spot by the rule of three, so Q sees none at all ...
    theirs = list_hot_spots(session, StatisticsScope(q.id), min_reports=MIN_REPORTS)
    assert (theirs.total, theirs.hot_spots) == (0, [])
    # ... and with a rule of two, A as made of its two: a 4 m line, Q's first date.
    two = list_hot_spots(session, StatisticsScope(q.id), min_reports=2).hot_spots
    assert [(s.report_ids, s.report_count) for s in two] == [((ids[0], ids[2]), 2)]
    line = _metric(shape(two[0].hull))
    assert line.geom_type == "LineString" and line.length == pytest.approx(4.0, abs=0.01)
    assert (two[0].first_reported_at, two[0].last_reported_at) == (A_DATES[0], A_DATES[2])
    # The category filter applies to a party's view too.
    assert list_hot_spots(session, StatisticsScope(p.id), world.pothole.id,
                          min_reports=MIN_REPORTS).total == 0
    # Everyone's view still holds all five.
    everyone = list_hot_spots(session, StatisticsScope(None), min_reports=MIN_REPORTS)
    assert next(s for s in everyone.hot_spots if s.id == spot.id).report_count == 5


def test_a_rerun_replaces_every_row_without_duplicates(session):
    world = build(session)
    first = find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    before = {members: spot.report_count for members, spot in _spots(session).items()}
    again = find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    assert (again.hot_spots, again.reports) == (first.hot_spots, first.reports)
    assert {m: s.report_count for m, s in _spots(session).items()} == before
    assert session.scalar(select(func.count()).select_from(HotSpot)) == 3
    assert session.scalar(select(func.count()).select_from(HotSpotReport)) == 11
    # A report withdrawn since leaves its hot spot at the next run: A falls to 4.
    session.get(Report, world.ids["A"][0]).status = ReportStatus.WITHDRAWN
    session.commit()
    find_hot_spots(session, NOW, DISTANCE_M, MIN_REPORTS)
    assert _spots(session)[frozenset(world.ids["A"][1:])].report_count == 4
    assert session.scalar(select(func.count()).select_from(HotSpotReport)) == 10


def test_the_twelve_months_end_at_now_and_a_wider_distance_joins_the_chain(session):
    world = build(session)
    # A year later nothing is recent enough; the old reports of a year before that count.
    assert find_hot_spots(session, datetime(2027, 11, 28, 13, tzinfo=UTC),
                          DISTANCE_M, MIN_REPORTS).hot_spots == 0
    assert find_hot_spots(session, datetime(2025, 11, 1, tzinfo=UTC), DISTANCE_M,
                          MIN_REPORTS).hot_spots == 0  # A_old and C_old: one each
    # 31 m: D's chain of 4 joins, and A's loner with A's five (the old one is still out).
    find_hot_spots(session, NOW, 31.0, MIN_REPORTS)
    spots = _spots(session)
    assert frozenset(world.ids["D"]) in spots
    assert frozenset(world.ids["A"] + world.ids["A_loner"]) in spots
    # Four needed: B's three and the potholes' three are not hot spots any more.
    find_hot_spots(session, NOW, DISTANCE_M, 4)
    assert set(_spots(session)) == {frozenset(world.ids["A"])}


def test_year_before_keeps_the_moment_and_29_february_becomes_the_28th():
    assert year_before(NOW) == datetime(2025, 11, 28, 12, tzinfo=UTC)
    assert year_before(datetime(2028, 2, 29, 6, tzinfo=UTC)) == datetime(2027, 2, 28, 6,
                                                                         tzinfo=UTC)


@pytest.mark.parametrize(("distance", "minimum", "name"), [
    (0.0, 3, "distance_m"), (-5.0, 3, "distance_m"), (5000.0, 3, "distance_m"),
    (30.0, 1, "min_reports")])
def test_a_distance_or_minimum_that_cannot_be_meant_is_refused_by_name(session, distance,
                                                                      minimum, name):
    with pytest.raises(InvalidInput) as refused:
        find_hot_spots(session, NOW, distance, minimum)
    assert refused.value.field == name


def test_the_cli_and_the_nightly_job_find_them(app, session):
    # They take the clock's time: the same world, as of a minute ago.
    world = build(session, shift=datetime.now(UTC) - NOW - timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["hotspots", "find", "--min-reports", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 hot spot(s) found, holding 11 report(s)")
    assert "within 30 m" in result.output
    refused = app.test_cli_runner().invoke(args=["hotspots", "find", "--distance", "0"])
    assert refused.exit_code == 2
    from feedbackgis.jobs.maintenance import find_hot_spots as nightly

    with app.app_context():
        assert nightly() == {"hot_spots": 3, "reports": 11}
    assert frozenset(world.ids["A"]) in _spots(session)
    periodic = next(p for p in PERIODIC if p.function is nightly)
    assert periodic.cron == "40 3 * * *"
