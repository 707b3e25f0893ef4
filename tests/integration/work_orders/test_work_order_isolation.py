"""A contractor of party A gets nothing of party B's work orders: not by id when signed in,
not through a link of B's, not by mixing a link of A's with B's ids. Every way is a 404
with none of B's data, and nothing is changed."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.models import ContactAccess, Report, ReportEvent
from tests.integration.staff.staff_world import sign_in_as
from tests.integration.work_orders.work_world import csrf, link_of, token_of

B_DATA = ("Kuoppa B1", "Bertta", "bertta@")
ACTIONS = [("accept", {}), ("start", {}), ("done", {"note": "Korjattu"}),
           ("hand-back", {"reason": "Ei meidän"}), ("contact", {})]


def _nothing_of_b(response) -> None:
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert not any(text in body for text in B_DATA)


def _events(report_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(ReportEvent)
                             .where(ReportEvent.report_id == report_id))


def test_contractor_a_signed_in_gets_404_for_every_page_and_action_of_bs_work_order(
        client, world):
    sign_in_as(client, world.users["contractor_a"])
    b1 = world.b1.id
    before = _events(b1)
    _nothing_of_b(client.get(f"/work/{b1}"))
    _nothing_of_b(client.get(f"/work/{b1}/photos/{world.hidden_photo.id}.jpg"))
    token = csrf(client, "/work/")
    for action, form in ACTIONS:
        _nothing_of_b(client.post(f"/work/{b1}/{action}", data={**form, "csrf_token": token}))
    db.session.expire_all()
    assert _events(b1) == before
    assert db.session.get(Report, b1).status is ReportStatus.ASSIGNED
    assert db.session.scalar(select(func.count()).select_from(ContactAccess)) == 0


def test_contractor_as_list_holds_its_own_open_work_orders_only(client, world):
    sign_in_as(client, world.users["contractor_a"])
    body = client.get("/work/").get_data(as_text=True)
    assert f"/work/{world.a1.id}?" in body and f"/work/{world.a2.id}?" in body
    assert f"/work/{world.b1.id}?" not in body and "Kuoppa B1" not in body
    assert f"/work/{world.a_fixed.id}?" not in body  # done: no longer open


@pytest.mark.parametrize("path", ["", "/photos/1.jpg"])
def test_a_link_of_bs_with_the_id_of_as_work_order_opens_nothing(client, world, path):
    response = client.get(f"/work/link/{world.a1.id}/{token_of(world.b1)}{path}")
    assert response.status_code == 404
    assert "Lamppu A1" not in response.get_data(as_text=True)


def test_a_link_of_as_with_the_id_of_bs_work_order_opens_nothing_and_changes_nothing(
        client, world):
    token = csrf(client, "/staff/login")
    wrong = f"/work/link/{world.b1.id}/{token_of(world.a1)}"
    before = _events(world.b1.id)
    _nothing_of_b(client.get(wrong))
    for action, form in ACTIONS:
        _nothing_of_b(client.post(f"{wrong}/{action}", data={**form, "csrf_token": token}))
    assert _events(world.b1.id) == before


def test_bs_own_link_opens_bs_work_order_to_anyone_who_has_it(client, world):
    response = client.get(link_of(world.b1))
    assert response.status_code == 200
    assert "Kuoppa B1 salainen" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["x", "A" * 43, "A" * 5000, "%00", "ä" * 43])
def test_a_made_up_token_opens_nothing(client, world, bad):
    response = client.get(f"/work/link/{world.a1.id}/{bad}")
    assert response.status_code == 404
    assert "Lamppu A1" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/work/99999999999999999999", "/work/0", "/work/-1",
                                  "/work/2147483648/accept"])
def test_ids_out_of_range_are_no_work_order(client, world, path):
    sign_in_as(client, world.users["contractor_a"])
    token = csrf(client, "/work/")
    response = (client.post(path, data={"csrf_token": token}) if path.endswith("accept")
                else client.get(path))
    assert response.status_code == 404


def test_the_other_roles_are_sent_to_their_own_pages_not_given_work_orders(client, world):
    sign_in_as(client, world.users["handler"])
    assert client.get("/work/").status_code == 403
    assert client.get(f"/work/{world.a1.id}").status_code == 403


def test_nobody_signed_in_is_sent_to_the_login_and_back(client, world):
    response = client.get(f"/work/{world.a1.id}")
    assert response.status_code == 302
    assert "/staff/login" in response.location and "next=/work/" in response.location
