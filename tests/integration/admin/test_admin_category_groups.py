"""A category's Open311 group and keywords on the admin pages: in all three languages or in
none, keywords stored in one form (each word once, ", "), refusals beside the field with
nothing stored, every change in the history."""
from __future__ import annotations

from sqlalchemy import select

from feedbackgis.models import Category
from tests.integration.admin.conftest import all_changes, changes_of

GROUPS = {"group_fi": "Siisteys", "group_sv": "Renhållning", "group_en": "Cleanliness"}
KEYWORDS = {"keywords_fi": "töhry, Töhry,, spray ,seinä,", "keywords_sv": "klotter,vägg",
            "keywords_en": "graffiti , tag, TAG"}
NEW = {"code": "graffiti", "name_fi": "Töhry", "name_sv": "Klotter", "name_en": "Graffiti",
       "default_party": "", "publish_policy": "moderated", "handling_days": "5",
       **GROUPS, **KEYWORDS}
NO_GROUPS_OR_KEYWORDS = dict.fromkeys([*GROUPS, *KEYWORDS], "")


def _category(session, code):
    session.expire_all()
    return session.scalar(select(Category).where(Category.code == code))


def _stored(category) -> tuple:
    return tuple(getattr(category, column) for column in [*GROUPS, *KEYWORDS])


def _edit_form(category, **fields) -> dict:
    return {"name_fi": category.name_fi, "name_sv": category.name_sv,
            "name_en": category.name_en, "publish_policy": "immediate", "handling_days": "10",
            "active": "1", **fields}


def test_a_new_category_gets_its_groups_and_its_keywords_each_word_once(
        post, session, world, admin_client):
    response = post("/admin/categories/new", NEW)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    category = _category(session, "graffiti")
    assert _stored(category) == ("Siisteys", "Renhållning", "Cleanliness",
                                 "töhry, spray, seinä", "klotter, vägg", "graffiti, tag")
    assert (category.group("sv"), category.keywords("en")) == ("Renhållning", "graffiti, tag")
    [change] = changes_of(session, "category", category.id)
    assert (change.after["group_en"], change.after["keywords_fi"]) == (
        "Cleanliness", "töhry, spray, seinä")
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="klotter, vägg"' in page and 'value="Renhållning"' in page


def test_the_form_labels_each_group_and_keyword_field_and_describes_the_fieldset(
        admin_client, world):
    page = admin_client.get("/admin/categories/new").get_data(as_text=True)
    for column, label in (("group_sv", "Group in Swedish"), ("keywords_en", "Keywords in English")):
        assert f'<label for="field-{column}">{label}' in page
        assert f'id="field-{column}" name="{column}"' in page
    assert 'aria-describedby="category-keywords-hint"' in page
    assert 'id="category-keywords-hint"' in page and "separated by commas" in page


def test_a_category_without_groups_or_keywords_has_none(post, session, world):
    response = post("/admin/categories/new", {**NEW, **NO_GROUPS_OR_KEYWORDS})
    assert response.status_code == 303
    category = _category(session, "graffiti")
    assert _stored(category) == (None,) * 6
    assert (category.group("fi"), category.keywords("sv")) == (None, None)


def test_a_group_in_one_language_only_is_refused_beside_the_missing_one(post, session, world):
    response = post("/admin/categories/new", {**NEW, "group_sv": "", "group_en": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-group_sv-error"' in page and "or in none" in page
    assert 'value="Siisteys"' in page  # what was typed stays in the form
    assert _category(session, "graffiti") is None and all_changes(session) == []


def test_keywords_that_are_only_commas_count_as_none_and_are_refused_beside_them(
        post, session, world):
    response = post("/admin/categories/new", {**NEW, "keywords_sv": " , ,, "})
    assert response.status_code == 422
    assert 'id="field-keywords_sv-error"' in response.get_data(as_text=True)
    assert _category(session, "graffiti") is None


def test_a_group_with_a_line_break_or_too_long_keywords_are_refused_naming_the_field(
        post, session, world):
    response = post("/admin/categories/new", {**NEW, "group_fi": "Siis\nteys"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-group_fi-error"' in page and "group_fi must not hold control" in page
    words = ", ".join(f"sana{number}" for number in range(100))  # 688 characters
    response = post("/admin/categories/new", {**NEW, "keywords_en": words})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-keywords_en-error"' in page and "at most 500 characters" in page
    assert _category(session, "graffiti") is None and all_changes(session) == []


def test_editing_sets_then_clears_the_groups_and_keywords_each_change_in_the_history(
        post, session, world):
    category = world.category
    path = f"/admin/categories/{category.id}"
    response = post(path, _edit_form(category, **GROUPS, **KEYWORDS))
    assert response.status_code == 303
    assert _stored(_category(session, category.code))[3:] == (
        "töhry, spray, seinä", "klotter, vägg", "graffiti, tag")
    assert post(path, _edit_form(category, **NO_GROUPS_OR_KEYWORDS)).status_code == 303
    assert _stored(_category(session, category.code)) == (None,) * 6
    set_them, clear_them = changes_of(session, "category", category.id)
    assert set_them.before == dict.fromkeys([*GROUPS, *KEYWORDS])
    assert set_them.after == {**GROUPS, "keywords_fi": "töhry, spray, seinä",
                              "keywords_sv": "klotter, vägg", "keywords_en": "graffiti, tag"}
    assert (clear_them.before, clear_them.after) == (set_them.after, set_them.before)


def test_resending_the_same_keywords_in_another_spelling_changes_nothing(post, session, world):
    category = world.category
    path = f"/admin/categories/{category.id}"
    post(path, _edit_form(category, **GROUPS, **KEYWORDS))
    again = {**GROUPS, "keywords_fi": "töhry,spray,seinä,SPRAY", "keywords_sv": "klotter, vägg",
             "keywords_en": "graffiti,tag"}
    assert post(path, _edit_form(category, **again)).status_code == 303
    assert len(changes_of(session, "category", category.id)) == 1
