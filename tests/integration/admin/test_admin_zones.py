"""/admin/zones: the zones on a map and by party, the upload of a zone file, its preview
(with the routing what-if) and its import; bad files refused with a clear error and
nothing stored."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import select

from feedbackgis.models import Party, Zone
from feedbackgis.services.zones.kept_uploads import FOLDER
from tests.integration.admin.conftest import changes_of
from tests.integration.factories import make_category, make_party, make_report, make_zone
from tests.integration.staff.staff_world import csrf, sign_in_as
from tests.zone_files import write_geojson, write_shapefile, zip_shapefile

A_STRIP = box(24.0, 60.0, 25.0, 61.0)
C1 = box(24.5, 60.0, 25.5, 61.0)


@pytest.fixture
def media(app, tmp_path, monkeypatch):
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def zones_world(session, world, media):
    parties = {"A": make_party(session, "A"), "B": make_party(session, "B"),
               "C": make_party(session, "C")}
    make_zone(session, parties["A"], A_STRIP, name="A's strip")
    make_zone(session, parties["B"], box(25.0, 60.0, 26.0, 61.0), name="B's strip")
    lights = make_category(session, "lights")
    moving = make_report(session, lights, lon=24.7, lat=60.5)
    staying = make_report(session, lights, lon=24.2, lat=60.5)
    session.commit()
    return parties, moving, staying


def _geojson(tmp_path, geometries, properties=None, name="c.geojson"):
    path = write_geojson(tmp_path / name, geometries,
                         properties or [{"name": f"Z{i}"} for i, _ in enumerate(geometries)])
    return path.read_bytes()


def _upload(client, content: bytes, file_name: str, *, token=None, **fields):
    token = token or csrf(client, "/admin/zones")
    data = {"csrf_token": token, "mode": "add", **fields,
            "file": (io.BytesIO(content), file_name)}
    return client.post("/admin/zones/upload", data=data, content_type="multipart/form-data")


def _kept(media) -> list[str]:
    folder = media / FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _zone_names(session) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.execute(select(Party.name, Zone.name).join(Party, Party.id == Zone.party_id)
                           .order_by(Party.name, Zone.name))
    return [tuple(row) for row in rows]


def _form_action(page: str, ending: str) -> str:
    found = re.search(rf'action="(/admin/zones/uploads/[^"?]+/{ending})', page)
    assert found, f"no {ending} form"
    return found.group(1)


def test_the_zones_page_shows_every_zone_on_the_map_and_by_party(
        admin_client, session, zones_world):
    make_zone(session, zones_world[0]["C"], C1, name="</script><b>C1</b>")
    session.commit()
    page = admin_client.get("/admin/zones").get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="zones-map-data">(.*?)</script>',
                     page, re.S).group(1)
    assert "</script><b>" not in data  # escaped by |tojson
    features = json.loads(data)["features"]
    assert sorted(f["properties"]["name"] for f in features) == [
        "</script><b>C1</b>", "A's strip", "B's strip"]
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in features)
    assert "A: 1 zone" in page and "C: 1 zone" in page
    assert "&lt;/script&gt;&lt;b&gt;C1&lt;/b&gt;" in page  # the table escapes it too
    assert 'src="/static/admin/zones-map.js"' in page


@pytest.mark.parametrize("user_name", ["manager", "moderator", "handler_a", "contractor"])
def test_other_roles_get_403_on_the_zones_pages(client, world, media, user_name):
    sign_in_as(client, world.users[user_name])
    token = csrf(client, "/staff/")
    assert client.get("/admin/zones").status_code == 403
    response = _upload(client, b"{}", "c.geojson", token=token, party="C")
    assert response.status_code == 403
    assert _kept(media) == []


def test_nobody_signed_in_is_sent_to_the_login_page(client, world, media):
    response = client.get("/admin/zones")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=/admin/zones")
    response = client.post("/admin/zones/upload", data={"file": (io.BytesIO(b"{}"), "c.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and _kept(media) == []


def test_an_upload_without_its_csrf_token_is_refused_and_keeps_nothing(
        admin_client, zones_world, media, tmp_path):
    content = _geojson(tmp_path, [C1])
    response = admin_client.post(
        "/admin/zones/upload", content_type="multipart/form-data",
        data={"party": "C", "mode": "add", "file": (io.BytesIO(content), "c.geojson")})
    assert response.status_code == 400
    assert _kept(media) == []


def test_the_import_and_discard_posts_need_their_csrf_token(
        admin_client, session, zones_world, media, tmp_path):
    page = _upload(admin_client, _geojson(tmp_path, [C1]), "c.geojson", party="C")
    action = _form_action(page.get_data(as_text=True), "import")
    assert admin_client.post(action, data={"mode": "add", "expect_zones": "1"}).status_code \
        == 400
    assert admin_client.post(action.replace("/import", "/discard")).status_code == 400
    assert [party for party, _name in _zone_names(session)] == ["A", "B"]
    assert len(_kept(media)) == 1


def test_preview_then_import(admin_client, session, world, zones_world, media, tmp_path):
    parties, moving, staying = zones_world
    content = _geojson(tmp_path, [C1, shapely.Point(24.1, 60.1)])
    response = _upload(admin_client, content, "c.geojson", party="C", priority="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview of c.geojson" in page
    assert "assumed: GeoJSON without a crs member (RFC 7946)" in page
    assert "C: 1 zone" in page
    assert "feature 2: a Point, not an area (zones must be polygons)" in page
    # The staff world's two reports are in A's strip and C1 too: 3 of the 4 would move.
    assert "Of the latest 4 reports, 3 would now go to another party." in page
    row = re.search(rf'<a href="/staff/reports/{moving.id}\?lang=en">#{moving.id}</a></td>'
                    r'\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', page)
    assert row and row.groups() == ("lights en", "A", "C")
    assert f"#{staying.id}<" not in page
    assert [party for party, _name in _zone_names(session)] == ["A", "B"]  # nothing yet

    for odd in ("²", "9" * 5000):  # digits int() refuses, or too many of them: no 500
        refused = admin_client.post(_form_action(page, "import"), data={
            "csrf_token": csrf(admin_client, "/admin/zones"), "mode": "add", "expect_zones": odd})
        assert refused.status_code < 500
        assert [party for party, _name in _zone_names(session)] == ["A", "B"]
    response = admin_client.post(_form_action(page, "import"), data={
        "csrf_token": csrf(admin_client, "/admin/zones"), "mode": "add", "expect_zones": "1"})
    assert (response.status_code, response.headers["Location"]) == (303, "/admin/zones?lang=en")
    assert _zone_names(session) == [("A", "A's strip"), ("B", "B's strip"), ("C", "c #1")]
    assert _kept(media) == []
    (change,) = changes_of(session, "zone", parties["C"].id)
    assert (change.actor, change.action, change.after) == (
        "admin@city.example.fi", "import", {"source": "c.geojson", "zones": 1})
    zones_page = admin_client.get("/admin/zones").get_data(as_text=True)
    assert "Imported 1 zone from c.geojson." in zones_page
    history = re.search(r'<table class="staff-table zone-history">.*?</table>', zones_page,
                        re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", history, re.S)]
    assert cells[1:] == ["admin@city.example.fi", "C", "Zones added", "0 → 1", "c.geojson"]


def test_replacing_replaces_only_that_partys_zones(
        admin_client, session, zones_world, media, tmp_path):
    parties, _moving, _staying = zones_world
    make_zone(session, parties["A"], box(24.0, 59.0, 25.0, 59.5), name="A's second")
    session.commit()
    content = _geojson(tmp_path, [box(24.0, 60.0, 24.5, 61.0)], [{"name": "A new"}])
    page = _upload(admin_client, content, "a.geojson", party="A", mode="replace",
                   name_field="name").get_data(as_text=True)
    assert "A: its 2 zones now" in page
    assert "Replace this party&#39;s zones" in page
    response = admin_client.post(_form_action(page, "import"), data={
        "csrf_token": csrf(admin_client, "/admin/zones"), "mode": "replace",
        "expect_zones": "1"})
    assert response.status_code == 303
    assert _zone_names(session) == [("A", "A new"), ("B", "B's strip")]


def test_the_preview_switches_between_adding_and_replacing(
        admin_client, session, zones_world, media, tmp_path):
    content = _geojson(tmp_path, [box(24.0, 60.0, 24.5, 61.0)])
    page = _upload(admin_client, content, "a.geojson", party="A").get_data(as_text=True)
    assert "Import 1 zone" in page and "Zones it would delete first" not in page
    switch = re.search(r'href="(/admin/zones/uploads/[^"]+mode=replace[^"]*)"', page).group(1)
    replacing = admin_client.get(switch.replace("&amp;", "&")).get_data(as_text=True)
    assert "Zones it would delete first" in replacing and "A: its 1 zone now" in replacing
    # Without A's strip, the reports east of 24.5 (24.7 and the staff world's two) have no
    # zone and no default party: to triage.
    assert "Of the latest 4 reports, 3 would now go to another party." in replacing
    assert "Triage (no party)" in replacing


@pytest.mark.parametrize(("content", "file_name", "field", "detail"), [
    (b"this is not a zone file", "zones.geojson", "file", "is not a readable GeoJSON file"),
    (b"PK\x03\x04broken", "zones.zip", "file", "is not a readable zip file"),
    (b"{}", "zones.txt", "file", "unsupported file type"),
])
def test_a_file_that_is_not_a_zone_file_is_refused_on_its_field(
        admin_client, session, zones_world, media, content, file_name, field, detail):
    before = _zone_names(session)
    response = _upload(admin_client, content, file_name, party="C")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-file-error"' in page and detail in page
    assert str(media) not in page  # the file is named as uploaded, not by its folder here
    assert _zone_names(session) == before and _kept(media) == []


def test_a_file_without_polygons_is_refused_feature_by_feature(
        admin_client, session, zones_world, media, tmp_path):
    content = _geojson(tmp_path, [shapely.Point(24.1, 60.1), shapely.LineString(
        [(24.1, 60.1), (24.2, 60.2)])])
    response = _upload(admin_client, content, "points.geojson", party="C")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing in this file can be imported." in page
    assert "feature 1: a Point, not an area" in page and "feature 2: a LineString" in page
    assert _kept(media) == []


def test_a_file_of_unknown_crs_is_refused_on_the_crs_field(
        admin_client, session, zones_world, media, tmp_path):
    shp = write_shapefile(tmp_path / "shp", "alueet", [box(380_000, 6_670_000, 381_000,
                                                           6_671_000)], crs=None)
    archive = zip_shapefile(shp, tmp_path / "alueet.zip")
    response = _upload(admin_client, archive.read_bytes(), "alueet.zip", party="C")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-srid-error"' in page and "declares no coordinate reference system" in page
    assert _kept(media) == []
    # Given the CRS, the same file previews.
    response = _upload(admin_client, archive.read_bytes(), "alueet.zip", party="C",
                       srid="3067")
    assert response.status_code == 200
    assert "EPSG:3067" in response.get_data(as_text=True)


def test_a_zip_holding_several_files_says_which_to_choose(
        admin_client, zones_world, media, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.geojson", _geojson(tmp_path, [C1], name="a.geojson"))
        archive.writestr("b.geojson", _geojson(tmp_path, [C1], name="b.geojson"))
    response = _upload(admin_client, buffer.getvalue(), "two.zip", party="C")
    assert response.status_code == 422
    assert "holds several data files" in response.get_data(as_text=True)


def test_bad_options_are_refused_on_their_fields(admin_client, zones_world, media, tmp_path):
    content = _geojson(tmp_path, [C1])
    for fields, field in (({"party": "Nobody Oy"}, "party"), ({}, "party"),
                          ({"party": "C", "priority": "high"}, "priority"),
                          ({"party": "C", "valid_from": "2026-13-01"}, "valid_from"),
                          ({"party_field": "owner"}, "party_field")):
        response = _upload(admin_client, content, "c.geojson", **fields)
        assert response.status_code == 422, fields
        assert f'id="field-{field}-error"' in response.get_data(as_text=True), fields
    assert _kept(media) == []


def test_a_file_over_the_size_limit_is_refused(app, admin_client, zones_world, media,
                                               monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "ZONE_UPLOAD_MAX_BYTES", 1_000_000)
    response = _upload(admin_client, b" " * 1_200_000, "big.geojson", party="C")
    assert response.status_code == 413
    assert "The file is too large: at most 1 MB." in response.get_data(as_text=True)
    assert _kept(media) == []


def test_the_import_imports_what_the_preview_showed_or_nothing(
        admin_client, session, zones_world, media, tmp_path):
    parties, _moving, _staying = zones_world
    content = _geojson(tmp_path, [C1, box(26.0, 60.0, 26.5, 61.0)],
                       [{"name": "C1", "owner": "C"}, {"name": "C2", "owner": "B"}])
    page = _upload(admin_client, content, "c.geojson", party_field="owner").get_data(
        as_text=True)
    assert "B: 1 zone" in page
    session.execute(Party.__table__.update().where(Party.id == parties["B"].id)
                    .values(name="B renamed"))
    session.commit()
    response = admin_client.post(_form_action(page, "import"), data={
        "csrf_token": csrf(admin_client, "/admin/zones"), "mode": "add", "expect_zones": "2"})
    assert response.status_code == 409
    assert "nothing was imported" in response.get_data(as_text=True)
    assert [party for party, _name in _zone_names(session)] == ["A", "B renamed"]


def test_an_upload_is_only_its_uploaders_and_is_gone_once_discarded(
        app, admin_client, session, world, zones_world, media, tmp_path):
    page = _upload(admin_client, _geojson(tmp_path, [C1]), "c.geojson", party="C").get_data(
        as_text=True)
    preview = _form_action(page, "import").removesuffix("/import")
    other = app.test_client()
    other.set_cookie("lang", "en")
    second_admin = world.users["admin"].__class__(
        email="other-admin@city.example.fi", name="Other", role="admin",
        password_hash=world.users["admin"].password_hash, active=True, failed_logins=0)
    session.add(second_admin)
    session.commit()
    sign_in_as(other, second_admin)
    assert other.get(preview).status_code == 404
    assert admin_client.get(preview).status_code == 200
    response = admin_client.post(preview + "/discard",
                                 data={"csrf_token": csrf(admin_client, "/admin/zones")})
    assert response.status_code == 303 and _kept(media) == []
    assert admin_client.get(preview).status_code == 404
