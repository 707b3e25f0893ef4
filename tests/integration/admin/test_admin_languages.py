"""The language of a user's and a party's emails nobody asked for (the monthly summaries),
chosen on the admin pages; a language that is not one of ours is refused on its field."""
from __future__ import annotations

from sqlalchemy import select

from feedbackgis.models import Party, StaffUser

NEW = {"email": "uusi@city.example.fi", "name": "Uusi", "role": "manager",
       "password_choice": "link", "language": "sv"}


def _user(session, email):
    session.expire_all()
    return session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_a_new_user_gets_the_language_chosen_and_it_can_be_changed(
        post, admin_client, session, world):
    response = post("/admin/users/new", NEW)
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    user = _user(session, "uusi@city.example.fi")
    assert user.language == "sv"
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert '<option value="sv" selected>' in page and 'id="field-language"' in page
    response = post(f"/admin/users/{user.id}", {"name": "Uusi", "role": "manager",
                                                "active": "1", "language": "en"})
    assert response.status_code == 303
    assert _user(session, "uusi@city.example.fi").language == "en"


def test_a_user_form_without_a_language_keeps_it_and_a_strange_one_is_refused(
        post, session, world):
    handler = session.get(StaffUser, world.users["handler_a"].id)
    handler.language = "sv"
    session.commit()
    form = {"name": handler.name, "role": "handler", "party": world.unit_a.name, "active": "1"}
    assert post(f"/admin/users/{handler.id}", form).status_code == 303
    assert _user(session, handler.email).language == "sv"
    refused = post(f"/admin/users/{handler.id}", {**form, "language": "de"})
    assert refused.status_code == 422
    assert 'id="field-language-error"' in refused.get_data(as_text=True)
    assert _user(session, handler.email).language == "sv"


def test_a_party_gets_the_language_of_its_summary_on_its_form(post, session, world):
    response = post("/admin/parties/new", {"name": "Kadut", "kind": "unit", "language": "sv"})
    assert response.status_code == 303
    party = session.scalar(select(Party).where(Party.name == "Kadut"))
    assert party.language == "sv"
    response = post(f"/admin/parties/{party.id}", {"kind": "unit", "emails": "",
                                                   "active": "1", "language": "en"})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Party, party.id).language == "en"
    refused = post(f"/admin/parties/{party.id}", {"kind": "unit", "active": "1",
                                                  "language": "xx"})
    assert refused.status_code == 422
