"""The routing what-if against PostGIS: a few reports and zones drawn so that the answer is
known by hand, and the what-if's "after" checked against real routing once imported.

The map (lon 24..27, lat 60..61), every zone a full-height strip:

    24.0 ---- A ---- 25.0 ---- B ---- 26.0       26.5 -- C2 -- 27.0
              24.5 ------ C1 ------ 25.5
    C1 (the upload, party C, priority 1, every category), C2 (the upload, party C, roads
    only). Category "lights" defaults to party D; "roads" has no default party.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import box

from feedbackgis.errors import Conflict
from feedbackgis.models import Party
from feedbackgis.services.reports.routing import find_routing
from feedbackgis.services.zones.import_source import ImportRefused
from feedbackgis.services.zones.listing import list_zones
from feedbackgis.services.zones.routing_what_if import ChangeCount, RoutingChange
from feedbackgis.services.zones.upload_preview import preview_zone_import
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones
from tests.zone_files import write_geojson

from .factories import make_category, make_party, make_report, make_zone

C1 = box(24.5, 60.0, 25.5, 61.0)
C2 = box(26.5, 60.0, 27.0, 61.0)


@pytest.fixture
def world(session):
    parties = {name: make_party(session, name) for name in ("A", "B", "C", "D")}
    make_zone(session, parties["A"], box(24.0, 60.0, 25.0, 61.0), name="A's strip")
    make_zone(session, parties["B"], box(25.0, 60.0, 26.0, 61.0), name="B's strip")
    lights = make_category(session, "lights", default_party=parties["D"])
    roads = make_category(session, "roads")
    # Oldest first: the what-if asks about the newest.
    reports = {
        "older, would move": make_report(session, lights, lon=24.7, lat=60.5),
        "in A only": make_report(session, lights, lon=24.2, lat=60.5),
        "in A and C1": make_report(session, lights, lon=24.7, lat=60.5),
        "in B and C1": make_report(session, roads, lon=25.2, lat=60.5),
        "roads in C2": make_report(session, roads, lon=26.7, lat=60.5),
        "lights in C2": make_report(session, lights, lon=26.7, lat=60.5),
        "no point": make_report(session, lights, lon=None, lat=None, address="Kauppatori"),
    }
    session.commit()
    return parties, reports


def _upload(tmp_path, zones, name="upload.geojson"):
    return write_geojson(tmp_path / name, [geometry for geometry, _props in zones],
                         [props for _geometry, props in zones])


def _c_file(tmp_path):
    return _upload(tmp_path, [
        (C1, {"party": "C", "priority": 1, "categories": "", "name": "C1"}),
        (C2, {"party": "C", "priority": 0, "categories": "roads", "name": "C2"}),
    ])


def _options(**extra) -> ZoneImportOptions:
    return ZoneImportOptions(party_field="party", priority_field="priority",
                             categories_field="categories", name_field="name", **extra)


def test_what_if_lists_exactly_the_reports_whose_party_would_change(session, tmp_path, world):
    _parties, reports = world
    preview = preview_zone_import(session, _c_file(tmp_path), _options(), what_if_reports=6,
                                  language="en")
    what_if = preview.what_if
    assert (what_if.limit, what_if.reports) == (6, 6)  # the oldest report is not among them
    assert what_if.changes == [
        RoutingChange(reports["roads in C2"].id, "roads", "roads en", None, "C"),
        RoutingChange(reports["in B and C1"].id, "roads", "roads en", "B", "C"),
        RoutingChange(reports["in A and C1"].id, "lights", "lights en", "A", "C"),
    ]
    assert what_if.counts == [ChangeCount("A", "C", 1), ChangeCount("B", "C", 1),
                              ChangeCount(None, "C", 1)]


def test_what_if_of_a_replacing_upload_leaves_the_replaced_zones_out(session, tmp_path, world):
    """A's strip shrinks to 24.0-24.5: the report at 24.7 loses its zone and goes to the
    category's default party; the one at 24.2 stays with A."""
    _parties, reports = world
    path = _upload(tmp_path, [(box(24.0, 60.0, 24.5, 61.0), {"party": "A", "priority": 0,
                                                               "categories": "", "name": "A"})])
    preview = preview_zone_import(session, path, _options(replace=True), what_if_reports=6,
                                  language="en")
    assert preview.replaced == {"A": 1}
    assert preview.receiving == {"A": 1}
    assert [(c.report_id, c.party_before, c.party_after) for c in preview.what_if.changes] == [
        (reports["in A and C1"].id, "A", "D")]


def test_what_if_writes_nothing(session, tmp_path, world):
    before = [(z.id, z.party, z.name) for z in list_zones(session)]
    preview_zone_import(session, _c_file(tmp_path), _options(replace=True),
                        what_if_reports=1000, language="en")
    session.commit()
    assert [(z.id, z.party, z.name) for z in list_zones(session)] == before


@pytest.mark.parametrize("replace", [False, True])
def test_what_if_after_is_where_real_routing_sends_the_reports_once_imported(
    session, tmp_path, world, replace
):
    _parties, reports = world
    at = datetime.now(UTC)
    preview = preview_zone_import(session, _c_file(tmp_path), _options(replace=replace),
                                  what_if_reports=1000, language="en", at=at)
    before = {r.id: find_routing(session, r, at).party_id for r in reports.values()}
    import_zones(session, _c_file(tmp_path), _options(replace=replace))
    after = {r.id: _party_name(session, find_routing(session, r, at).party_id)
             for r in reports.values()}
    predicted = {c.report_id: c.party_after for c in preview.what_if.changes}
    moved = {report_id for report_id in before
             if _party_name(session, before[report_id]) != after[report_id]}
    assert moved == set(predicted)
    assert {report_id: after[report_id] for report_id in moved} == predicted


def _party_name(session, party_id):
    return session.get(Party, party_id).name if party_id is not None else None


def test_preview_lists_refused_features_and_what_if_uses_the_others(session, tmp_path, world):
    path = _upload(tmp_path, [
        (C1, {"party": "C", "priority": 1, "categories": "", "name": "C1"}),
        (C2, {"party": "Nobody Oy", "priority": 0, "categories": "", "name": "C2"}),
    ])
    preview = preview_zone_import(session, path, _options(), what_if_reports=1000,
                                  language="en")
    assert preview.importable == 1
    assert preview.refused == ["feature 2: unknown party 'Nobody Oy'"]
    assert {c.party_after for c in preview.what_if.changes} == {"C"}


def test_preview_of_a_file_with_no_importable_feature_is_refused(session, tmp_path, world):
    path = _upload(tmp_path, [(C1, {"party": "Nobody Oy", "priority": 0, "categories": "",
                                    "name": "C1"})])
    with pytest.raises(ImportRefused):
        preview_zone_import(session, path, _options(), what_if_reports=10, language="en")


def test_preview_names_the_crs_it_assumed(session, tmp_path, world):
    preview = preview_zone_import(session, _c_file(tmp_path), _options(),
                                  what_if_reports=10, language="en")
    assert "assumed" in preview.crs and "4326" in preview.crs


def test_import_refuses_when_the_file_now_gives_another_number_of_zones(
    session, tmp_path, world
):
    with pytest.raises(Conflict):
        import_zones(session, _c_file(tmp_path), _options(expect_zones=3))
    assert [z.party for z in list_zones(session)] == ["A", "B"]
