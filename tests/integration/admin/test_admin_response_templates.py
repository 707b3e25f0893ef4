"""Response templates on the admin pages: created, changed and removed through the CLI's
service; a bad placeholder or a second automatic answer refused on its field."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import ResponseTemplate
from tests.integration.admin.conftest import all_changes, changes_of

TEMPLATE = {"status": "fixed", "category": "streetlight", "title": "Lamppu vaihdettu",
            "text_fi": "Vaihdoimme lampun (ilmoitus {id}).", "text_sv": "Vi bytte lampan.",
            "text_en": "We changed the lamp."}


def _templates(session) -> list[ResponseTemplate]:
    session.expire_all()
    return list(session.scalars(select(ResponseTemplate).order_by(ResponseTemplate.id)))


def test_a_template_is_created_edited_and_removed_each_change_in_its_history(
        post, session, world, admin_client):
    response = post("/admin/templates/new", {**TEMPLATE, "auto_response": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    [template] = _templates(session)
    template_id = template.id
    assert (template.category_id, template.auto_response, template.status) == (
        world.category.id, True, "fixed")
    response = post(f"/admin/templates/{template.id}", {**TEMPLATE, "text_en": "Lamp changed."})
    assert response.status_code == 303
    assert _templates(session)[0].auto_response is False  # the box was not ticked
    page = admin_client.get(f"/admin/templates/{template.id}").get_data(as_text=True)
    assert "Lamp changed." in page and "Changed" in page
    assert post(f"/admin/templates/{template.id}/remove").status_code == 303
    assert _templates(session) == []
    changes = changes_of(session, "response_template", template_id)
    assert [c.action for c in changes] == ["create", "update", "delete"]
    assert changes[1].after == {"text_en": "Lamp changed.", "auto_response": False}
    assert changes[2].before["title"] == "Lamppu vaihdettu" and changes[2].after is None
    assert "Removed" in admin_client.get("/admin/history").get_data(as_text=True)


def test_a_bad_placeholder_is_refused_beside_its_text(post, session, world):
    response = post("/admin/templates/new", {**TEMPLATE, "text_sv": "Anmälan {nummer}."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-text_sv-error"' in page and "Unknown placeholder {nummer}" in page
    assert _templates(session) == [] and all_changes(session) == []


def test_a_missing_text_or_title_is_refused(post, session, world):
    for field in ("title", "text_fi", "text_en"):
        response = post("/admin/templates/new", {**TEMPLATE, field: ""})
        assert response.status_code == 422, field
        assert f'id="field-{field}-error"' in response.get_data(as_text=True)
    assert _templates(session) == []


def test_a_second_automatic_answer_for_the_status_is_refused(post, session, world):
    assert post("/admin/templates/new", {**TEMPLATE, "auto_response": "1"}).status_code == 303
    again = post("/admin/templates/new", {**TEMPLATE, "title": "Toinen", "auto_response": "1"})
    assert again.status_code == 409
    assert 'id="field-auto_response-error"' in again.get_data(as_text=True)
    assert len(_templates(session)) == 1


def test_an_unknown_status_or_category_is_refused_beside_its_field(post, session, world):
    status = post("/admin/templates/new", {**TEMPLATE, "status": "done"})
    assert status.status_code == 422
    assert 'id="field-status-error"' in status.get_data(as_text=True)
    category = post("/admin/templates/new", {**TEMPLATE, "category": "no-such"})
    assert category.status_code == 422
    assert 'id="field-category-error"' in category.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ResponseTemplate)) == 0


def test_the_new_template_form_for_a_category_has_the_category_chosen(admin_client, world):
    page = admin_client.get("/admin/templates/new?category=streetlight").get_data(as_text=True)
    assert '<option value="streetlight" selected>' in page
