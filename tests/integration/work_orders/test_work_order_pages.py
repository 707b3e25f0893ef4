"""What the contractor reads: its list nearest first when the phone told where it is (else
the earliest due first), a work order's facts and the history a party may read (never the
city's internal notes), the reporter's contact only where the category shares it (each
showing logged), and no photo that staff hid."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.models import ContactAccess
from feedbackgis.services.staff.users import create_user
from tests.integration.staff.signing_in import PASSWORD, post_login
from tests.integration.staff.staff_world import sign_in_as
from tests.integration.work_orders.work_world import INTERNAL_NOTE, csrf, link_of


def csrf_on(client, path: str, **request) -> str:
    page = client.get(path, **request).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _order_of(body: str, *ids: int) -> list[int]:
    return sorted(ids, key=lambda i: body.index(f'href="/work/{i}?'))


@pytest.fixture
def signed_in(client, world):
    sign_in_as(client, world.users["contractor_a"])
    return client


def test_without_a_position_the_earliest_due_comes_first(signed_in, world):
    body = signed_in.get("/work/").get_data(as_text=True)
    assert _order_of(body, world.a1.id, world.a2.id) == [world.a2.id, world.a1.id]
    assert "2 open work orders" in body


def test_with_the_phones_position_the_nearest_comes_first(signed_in, world):
    near_a1 = signed_in.get("/work/?lat=60.1701&lon=24.9501").get_data(as_text=True)
    assert _order_of(near_a1, world.a1.id, world.a2.id) == [world.a1.id, world.a2.id]
    assert "10 m away" in near_a1 and "990 m away" in near_a1
    near_a2 = signed_in.get("/work/?lat=60.1800&lon=24.9500").get_data(as_text=True)
    assert _order_of(near_a2, world.a1.id, world.a2.id) == [world.a2.id, world.a1.id]
    assert "1.1 km away" in near_a2


@pytest.mark.parametrize("query", ["lat=1e400&lon=24.9", "lat=nan&lon=24.9", "lat=91&lon=1",
                                   "lat=60.1", "lat=60&lon=abc", "page=99999999999999",
                                   "lat=60%00&lon=24"])
def test_a_position_or_page_that_cannot_be_read_is_said_and_the_list_still_shown(
        signed_in, world, query):
    response = signed_in.get(f"/work/?{query}")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Your location could not be read" in body
    assert f'href="/work/{world.a1.id}?' in body


def test_the_map_gets_the_work_orders_points_as_data_not_markup(signed_in, world):
    body = signed_in.get("/work/").get_data(as_text=True)
    assert 'id="work-map-points"' in body and "[24.95, 60.17]" in body


def test_the_work_order_page_shows_the_facts_and_the_reporters_own_words(signed_in, world):
    body = signed_in.get(f"/work/{world.a1.id}").get_data(as_text=True)
    assert "Lamppu A1 ei pala" in body and "Aleksanterinkatu 1" in body
    assert "Accept the work order" in body and "Mark done" in body and "Hand back" in body


@pytest.mark.parametrize("door", ["account", "link"])
def test_a_contractor_never_reads_the_citys_internal_notes(client, world, door):
    if door == "account":
        sign_in_as(client, world.users["contractor_a"])
    path = f"/work/{world.a1.id}" if door == "account" else link_of(world.a1)
    assert INTERNAL_NOTE not in client.get(path).get_data(as_text=True)


def test_the_staff_page_hides_the_internal_notes_from_a_contractor_too(client, world):
    sign_in_as(client, world.users["contractor_a"])
    response = client.get(f"/staff/reports/{world.a1.id}")
    assert response.status_code == 200 and INTERNAL_NOTE not in response.get_data(as_text=True)
    sign_in_as(client, world.users["admin"])
    assert INTERNAL_NOTE in client.get(f"/staff/reports/{world.a1.id}").get_data(as_text=True)


@pytest.mark.parametrize("door", ["account", "link"])
def test_the_contact_is_shown_on_request_where_the_category_shares_it_and_logged(
        client, world, door):
    if door == "account":
        sign_in_as(client, world.users["contractor_a"])
    path = f"/work/{world.a1.id}" if door == "account" else link_of(world.a1)
    page = client.get(path).get_data(as_text=True)
    assert "Show the contact details" in page and "aino@example.fi" not in page
    response = client.post(f"{path}/contact", data={"csrf_token": csrf(client, path)})
    assert response.status_code == 200 and "aino@example.fi" in response.get_data(as_text=True)
    [logged] = db.session.scalars(select(ContactAccess)).all()
    assert logged.report_id == world.a1.id
    assert (logged.staff_user_id is None) == (door == "link")


def test_where_the_category_does_not_share_it_there_is_no_contact_at_all(signed_in, world):
    page = signed_in.get(f"/work/{world.a2.id}").get_data(as_text=True)
    assert "contact details" not in page
    response = signed_in.post(f"/work/{world.a2.id}/contact",
                              data={"csrf_token": csrf(signed_in, "/work/")})
    assert response.status_code == 403
    assert db.session.scalars(select(ContactAccess)).all() == []


def test_a_photo_staff_hid_is_neither_shown_nor_served(signed_in, world):
    page = signed_in.get(f"/work/{world.a1.id}").get_data(as_text=True)
    assert f"/photos/{world.hidden_photo.id}.jpg" not in page
    assert signed_in.get(
        f"/work/{world.a1.id}/photos/{world.hidden_photo.id}.jpg").status_code == 404


def test_the_pages_are_kept_out_of_caches_and_other_sites_referrers(client, world):
    response = client.get(link_of(world.a1))
    assert response.headers["Cache-Control"] == "no-store"
    # Not no-referrer: over HTTPS the CSRF check wants the form's own page as the Referer.
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_over_https_a_form_posted_from_its_own_page_passes_the_csrf_check(client, world):
    link = link_of(world.a1)
    https = {"base_url": "https://feedback.example"}
    token = csrf_on(client, link, **https)
    refused = client.post(f"{link}/accept", data={"csrf_token": token}, **https)
    assert refused.status_code == 400  # no Referer at all
    accepted = client.post(f"{link}/accept", data={"csrf_token": token}, **https,
                           headers={"Referer": f"https://feedback.example{link}"})
    assert accepted.status_code == 303


def test_a_contractor_who_signs_in_lands_on_its_work_orders(client, world, session):
    create_user(session, "urakoitsija@a.example", Role.CONTRACTOR, PASSWORD,
                party=world.contractor_a.name)
    response = post_login(client, "urakoitsija@a.example", PASSWORD)
    assert response.status_code == 303 and response.location.endswith("/work/")


def test_a_contractor_taken_out_of_use_sees_no_work_orders(client, session, world):
    world.users["contractor_a"].party.active = False
    session.commit()
    sign_in_as(client, world.users["contractor_a"])
    assert client.get("/work/").status_code == 403
