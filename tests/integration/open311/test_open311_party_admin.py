"""A party's own Open311 system on its admin page: the address, the write-only key, the
jurisdiction and the service codes saved and cleared, in the audit trail without the key."""
from __future__ import annotations

from feedbackgis.models import Party
from tests.integration.admin.conftest import (  # noqa: F401 - fixtures
    admin_client,
    changes_of,
    client,
    post,
    world,
)
from tests.integration.staff.staff_world import sign_in_as

KEY = "k3y-of-their-system-1234"


def _form(**fields: str) -> dict[str, str]:
    return {"open311_url": "https://kaupunki.example/open311/v2/", "open311_api_key": "",
            "open311_jurisdiction_id": "kaupunki.example",
            "open311_service_codes": "streetlight=SL-01\n", **fields}


def _party(session, staff_world) -> Party:
    session.expire_all()
    return session.get(Party, staff_world.unit_a.id)


def test_the_open311_fields_are_saved_the_key_never_shown_back_nor_in_the_trail(
        session, world, admin_client, post):  # noqa: F811
    path = f"/admin/parties/{world.unit_a.id}/open311"
    answer = post(path, _form(open311_api_key=KEY))
    assert answer.status_code == 303
    party = _party(session, world)
    assert (party.open311_url, party.open311_api_key, party.open311_jurisdiction_id,
            party.open311_service_codes) == ("https://kaupunki.example/open311/v2", KEY,
                                             "kaupunki.example", {"streetlight": "SL-01"})
    page = admin_client.get(f"/admin/parties/{world.unit_a.id}").get_data(as_text=True)
    assert "A key is set; it is not shown." in page and KEY not in page
    assert "streetlight=SL-01" in page and "https://kaupunki.example/open311/v2" in page

    assert post(path, _form(open311_service_codes="")).status_code == 303  # key left empty
    party = _party(session, world)
    assert (party.open311_api_key, party.open311_service_codes) == (KEY, {})
    assert post(path, _form(open311_clear_key="1", open311_url="")).status_code == 303
    party = _party(session, world)
    assert (party.open311_api_key, party.open311_url) == (None, None)

    trail = changes_of(session, "party", world.unit_a.id)
    assert [change.action for change in trail] == ["open311"] * 3
    assert trail[0].after["open311_api_key"] == "set"
    assert trail[2].before["open311_api_key"] == "set" and trail[2].after["open311_api_key"] is None
    assert all(KEY not in str(change.before) + str(change.after) for change in trail)


def test_a_wrong_address_code_or_mapping_is_refused_on_its_field_and_nothing_stored(
        session, world, admin_client, post):  # noqa: F811
    path = f"/admin/parties/{world.unit_a.id}/open311"
    for fields, field in (({"open311_url": "ftp://kaupunki.example/open311"}, "open311_url"),
                          ({"open311_service_codes": "streetlight SL-01"},
                           "open311_service_codes"),
                          ({"open311_service_codes": "no-such-category=X"},
                           "open311_service_codes")):
        answer = post(path, _form(open311_api_key=KEY, **fields))
        assert answer.status_code == 422, fields
        page = answer.get_data(as_text=True)
        assert f'id="open311-{field}-error"' in page and KEY not in page
        party = _party(session, world)
        assert (party.open311_url, party.open311_api_key) == (None, None)
    assert changes_of(session, "party", world.unit_a.id) == []


def test_the_deliveries_page_is_for_admins_only(client, world, session):  # noqa: F811
    assert client.get("/admin/open311-deliveries").status_code in (302, 303)
    sign_in_as(client, world.users["handler_a"])
    assert client.get("/admin/open311-deliveries").status_code == 403
    sign_in_as(client, world.users["admin"])
    page = client.get("/admin/open311-deliveries")
    assert page.status_code == 200 and "Open311 deliveries" in page.get_data(as_text=True)
