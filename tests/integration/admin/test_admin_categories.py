"""Categories on the admin pages: created and changed through the CLI's services, refused
with the reason beside the field and nothing stored, every change in the history."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import Category, CategoryQuestion
from tests.integration.admin.conftest import all_changes, changes_of
from tests.integration.factories import make_category

NEW = {"code": "graffiti", "name_fi": "Töhry", "name_sv": "Klotter", "name_en": "Graffiti",
       "description_fi": "", "description_sv": "", "description_en": "",
       "default_party": "", "publish_policy": "moderated", "handling_days": "5"}


def _category(session, code):
    session.expire_all()
    return session.scalar(select(Category).where(Category.code == code))


def _count(session, model=Category) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_an_admin_creates_a_category_and_its_page_shows_the_creation_in_the_history(
        post, session, world, admin_client):
    response = post("/admin/categories/new", {**NEW, "default_party": world.unit_a.name,
                                              "share_contact_with_party": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    category = _category(session, "graffiti")
    assert (category.name_sv, category.default_party.name, category.handling_days,
            category.share_contact_with_party, category.active) == (
        "Klotter", world.unit_a.name, 5, True, True)
    [change] = changes_of(session, "category", category.id)
    assert (change.actor, change.staff_user_id, change.action, change.before) == (
        "admin@city.example.fi", world.users["admin"].id, "create", None)
    assert change.after["name_fi"] == "Töhry" and change.after["default_party"] == world.unit_a.name
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "admin@city.example.fi" in page and "Töhry" in page and "Created" in page


def test_a_duplicate_category_code_is_refused_beside_the_code_and_nothing_is_stored(
        post, session, world):
    before = _count(session)
    response = post("/admin/categories/new", {**NEW, "code": "streetlight"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="field-code-error"' in page and "exists already" in page
    assert 'value="Klotter"' in page  # what was typed stays in the form
    assert _count(session) == before and all_changes(session) == []


def test_a_missing_translation_is_refused_beside_its_field(post, session, world):
    response = post("/admin/categories/new", {**NEW, "name_sv": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-name_sv-error"' in page and 'aria-invalid="true"' in page
    assert _category(session, "graffiti") is None and all_changes(session) == []


def test_a_description_in_one_language_only_is_refused(post, session, world):
    response = post("/admin/categories/new", {**NEW, "description_fi": "Seinään maalattu"})
    assert response.status_code == 422
    assert 'id="field-description_sv-error"' in response.get_data(as_text=True)
    assert _category(session, "graffiti") is None


def test_a_handling_time_that_is_not_a_number_of_days_is_refused(post, session, world):
    for days in ("viisi", "-1", "366"):
        response = post("/admin/categories/new", {**NEW, "handling_days": days})
        assert response.status_code == 422, days
        assert 'id="field-handling_days-error"' in response.get_data(as_text=True)
    assert _category(session, "graffiti") is None


def test_an_unknown_default_party_or_policy_is_refused_beside_its_field(post, session, world):
    response = post("/admin/categories/new", {**NEW, "default_party": "Nobody Oy"})
    assert response.status_code == 422
    assert 'id="field-default_party-error"' in response.get_data(as_text=True)
    response = post("/admin/categories/new", {**NEW, "publish_policy": "sometimes"})
    assert response.status_code == 422
    assert 'id="field-publish_policy-error"' in response.get_data(as_text=True)
    assert _category(session, "graffiti") is None


def test_editing_a_category_records_only_the_changed_fields(post, session, world):
    category = world.category
    form = {"name_fi": category.name_fi, "name_sv": category.name_sv, "name_en": "Street light",
            "description_fi": "", "description_sv": "", "description_en": "",
            "default_party": world.unit_b.name, "publish_policy": "never", "handling_days": "3",
            "active": "1"}
    response = post(f"/admin/categories/{category.id}", form)
    assert response.status_code == 303
    changed = _category(session, category.code)
    assert (changed.name_en, changed.default_party.name, changed.publish_policy,
            changed.handling_days, changed.active) == (
        "Street light", world.unit_b.name, "never", 3, True)
    [change] = changes_of(session, "category", category.id)
    assert change.action == "update"
    assert change.before == {"name_en": "streetlight en", "default_party": None,
                             "publish_policy": "immediate", "handling_days": 10}
    assert change.after == {"name_en": "Street light", "default_party": world.unit_b.name,
                            "publish_policy": "never", "handling_days": 3}


def test_a_refused_edit_changes_nothing_and_shows_what_was_typed(post, session, world):
    category = world.category
    response = post(f"/admin/categories/{category.id}", {
        "name_fi": "Uusi nimi", "name_sv": "", "name_en": "x", "publish_policy": "immediate",
        "handling_days": "10", "active": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Uusi nimi"' in page
    assert 'id="field-name_sv-error"' in page
    assert _category(session, category.code).name_fi == "streetlight fi"
    assert all_changes(session) == []


def test_unticking_in_use_takes_the_category_out_of_use(post, session, world):
    category = make_category(session, "bench")
    session.commit()
    response = post(f"/admin/categories/{category.id}", {
        "name_fi": "bench fi", "name_sv": "bench sv", "name_en": "bench en",
        "publish_policy": "immediate", "handling_days": "10"})
    assert response.status_code == 303
    assert _category(session, "bench").active is False
    [change] = changes_of(session, "category", category.id)
    assert (change.before, change.after) == ({"active": True}, {"active": False})


def test_the_category_list_shows_every_category_in_use_or_not(admin_client, session, world):
    make_category(session, "old-benches", active=False)
    session.commit()
    page = admin_client.get("/admin/categories").get_data(as_text=True)
    assert "old-benches" in page and "streetlight" in page


def test_an_unknown_category_is_404(admin_client, world):
    assert admin_client.get("/admin/categories/999999").status_code == 404


QUESTION = {"code": "pole", "kind": "text", "prompt_fi": "Pylvään numero?",
            "prompt_sv": "Stolpens nummer?", "prompt_en": "Pole number?"}


def _questions(session, category) -> list[CategoryQuestion]:
    session.expire_all()
    return list(session.scalars(select(CategoryQuestion).where(
        CategoryQuestion.category_id == category.id).order_by(CategoryQuestion.position)))


def test_questions_are_added_with_options_moved_and_removed_each_in_the_history(
        post, session, world, admin_client):
    category = world.category
    path = f"/admin/categories/{category.id}/questions"
    assert post(path, {**QUESTION, "required": "1"}).status_code == 303
    choice = {"code": "kind", "kind": "choice", "prompt_fi": "Mikä?", "prompt_sv": "Vad?",
              "prompt_en": "What?", "option-1-key": "led", "option-1-fi": "LED",
              "option-1-sv": "LED", "option-1-en": "LED", "option-2-key": "sodium",
              "option-2-fi": "Natrium", "option-2-sv": "Natrium", "option-2-en": "Sodium"}
    assert post(path, choice).status_code == 303
    pole, kind = _questions(session, category)
    assert (pole.code, pole.required, kind.code, kind.option_keys) == (
        "pole", True, "kind", ["led", "sodium"])
    assert post(f"{path}/kind/move", {"position": "1"}).status_code == 303
    assert [q.code for q in _questions(session, category)] == ["kind", "pole"]
    assert post(f"{path}/pole/remove").status_code == 303
    assert [q.code for q in _questions(session, category)] == ["kind"]
    actions = [(c.action, c.actor) for c in changes_of(session, "category", category.id)]
    assert actions == [("add_question", "admin@city.example.fi")] * 2 + [
        ("move_question", "admin@city.example.fi"), ("remove_question", "admin@city.example.fi")]
    moved = changes_of(session, "category", category.id)[2]
    assert (moved.before, moved.after) == ({"order": ["pole", "kind"]}, {"order": ["kind", "pole"]})
    page = admin_client.get(f"/admin/categories/{category.id}").get_data(as_text=True)
    assert "Question removed" in page and "Questions reordered" in page


def test_a_choice_question_without_two_options_is_refused_and_nothing_is_stored(
        post, session, world):
    category = world.category
    response = post(f"/admin/categories/{category.id}/questions", {
        **QUESTION, "kind": "choice", "option-1-key": "led", "option-1-fi": "LED",
        "option-1-sv": "LED", "option-1-en": "LED"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="question-options-error"' in page
    assert 'value="Pylvään numero?"' in page
    assert _questions(session, category) == [] and all_changes(session) == []


def test_a_question_with_a_missing_prompt_or_a_taken_code_is_refused(post, session, world):
    category = world.category
    path = f"/admin/categories/{category.id}/questions"
    response = post(path, {**QUESTION, "prompt_en": ""})
    assert response.status_code == 422
    assert 'id="question-prompt_en-error"' in response.get_data(as_text=True)
    assert post(path, QUESTION).status_code == 303
    again = post(path, {**QUESTION, "prompt_fi": "Toinen"})
    assert again.status_code == 409
    assert 'id="question-code-error"' in again.get_data(as_text=True)
    assert len(_questions(session, category)) == 1
    assert len(changes_of(session, "category", category.id)) == 1


def test_moving_a_question_out_of_range_is_refused_clearly(post, session, world):
    category = world.category
    post(f"/admin/categories/{category.id}/questions", QUESTION)
    response = post(f"/admin/categories/{category.id}/questions/pole/move", {"position": "5"})
    assert response.status_code == 422
    assert "position must be 1 to 1" in response.get_data(as_text=True)
