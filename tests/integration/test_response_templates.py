"""Response templates: what is refused and why, one automatic answer per category and
status, which template answers a report, and which the reply box offers."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import ResponseTemplate
from feedbackgis.services.catalog.response_templates import (
    TemplateChanges,
    TemplateFields,
    create_template,
    list_templates,
    remove_template,
    template_for_auto_response,
    templates_for,
    update_template,
)

from .factories import make_category, make_party, make_report

FI, SV, EN = "Kiitos, korjaamme {category}.", "Tack, vi reparerar.", "Thanks, we fix it."


def _fields(status="fixed", category=None, *, title="Korjattu", auto=False, **texts):
    return TemplateFields(status=status, category=category, title=title,
                          text_fi=texts.get("fi", FI), text_sv=texts.get("sv", SV),
                          text_en=texts.get("en", EN), auto_response=auto)


def _count(session):
    return session.scalar(select(func.count()).select_from(ResponseTemplate))


def test_a_template_is_stored_with_its_texts_stripped(session):
    category = make_category(session, "streetlight")
    template = create_template(session, _fields(category="streetlight", title="  Korjattu ",
                                                fi=f"  {FI}\n", auto=True))
    assert (template.category_id, template.status, template.title, template.text_fi,
            template.auto_response) == (category.id, ReportStatus.FIXED, "Korjattu", FI, True)


@pytest.mark.parametrize(("fields", "field", "says"), [
    (_fields(status="solved"), "status", "No status 'solved'; the statuses are received"),
    (_fields(title="  "), "title", "needs a title"),
    (_fields(title="x" * 201), "title", "at most 200 characters"),
    (_fields(sv=""), "text_sv", "its text in Finnish, Swedish and English"),
    (_fields(en="x" * 4001), "text_en", "at most 4000 characters"),
    (_fields(fi="Kiitos\x00"), "text_fi", "NUL"),
    (_fields(fi="Hei {name}!"), "text_fi", "Unknown placeholder {name}"),
    (_fields(en="{id.__class__}"), "text_en", "Unknown placeholder {id.__class__}"),
    (_fields(sv="{category:>9999}"), "text_sv", "without '!' or ':'"),
    (_fields(fi="Avoin { sulku"), "text_fi", "brace without its pair"),
], ids=["status", "empty-title", "long-title", "empty-text", "long-text", "nul",
        "unknown-placeholder", "attribute", "format-spec", "lone-brace"])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
        session, fields, field, says):
    with pytest.raises(InvalidInput) as refused:
        create_template(session, fields)
    assert refused.value.field == field and says in refused.value.message
    assert _count(session) == 0


def test_a_text_of_exactly_the_limits_is_taken(session):
    template = create_template(session, _fields(title="t" * 200, en="e" * 4000))
    assert len(template.title) == 200 and len(template.text_en) == 4000


def test_an_unknown_category_is_refused(session):
    with pytest.raises(NotFound) as refused:
        create_template(session, _fields(category="nosuch"))
    assert "No category 'nosuch'" in refused.value.message
    assert _count(session) == 0


def test_a_second_automatic_answer_for_the_same_category_and_status_names_the_first(session):
    make_category(session, "bench")
    first = create_template(session, _fields(category="bench", title="Ensimmäinen", auto=True))
    with pytest.raises(Conflict) as refused:
        create_template(session, _fields(category="bench", title="Toinen", auto=True))
    message = refused.value.message
    assert f"Template {first.id} 'Ensimmäinen'" in message and "category 'bench'" in message
    assert _count(session) == 1


def test_one_automatic_answer_for_every_category_and_others_beside_it(session):
    make_category(session, "bench")
    every = create_template(session, _fields(title="Kaikille", auto=True))
    with pytest.raises(Conflict) as refused:
        create_template(session, _fields(title="Toinen kaikille", auto=True))
    assert f"Template {every.id} 'Kaikille'" in refused.value.message
    assert "every category" in refused.value.message
    create_template(session, _fields(category="bench", auto=True))  # a category's own
    create_template(session, _fields(status="rejected", auto=True))  # another status
    create_template(session, _fields(title="Valmis vastaus"))  # not automatic
    assert _count(session) == 4


def test_an_edit_is_checked_like_a_new_template(session):
    template = create_template(session, _fields(title="Vanha"))
    other = create_template(session, _fields(title="Automaattinen", auto=True))
    with pytest.raises(InvalidInput):
        update_template(session, template.id, TemplateChanges(title="Uusi", text_fi="Hei {nimi}"))
    with pytest.raises(Conflict) as refused:
        update_template(session, template.id, TemplateChanges(auto_response=True))
    assert f"Template {other.id} 'Automaattinen'" in refused.value.message
    assert (template.title, template.text_fi, template.auto_response) == ("Vanha", FI, False)
    assert not session.dirty  # a refusal changes nothing, not even in memory

    update_template(session, other.id, TemplateChanges(auto_response=False))
    changed = update_template(session, template.id, TemplateChanges(
        title="Uusi", text_en="Fixed #{id}.", auto_response=True))
    assert (changed.title, changed.text_en, changed.text_sv, changed.auto_response) == (
        "Uusi", "Fixed #{id}.", SV, True)


def test_an_automatic_answer_may_be_edited_without_conflicting_with_itself(session):
    template = create_template(session, _fields(auto=True))
    assert update_template(session, template.id, TemplateChanges(
        title="Sama", auto_response=True)).title == "Sama"


def test_removing_deletes_and_an_unknown_id_is_not_found(session):
    template = create_template(session, _fields())
    remove_template(session, template.id)
    assert _count(session) == 0
    with pytest.raises(NotFound):
        remove_template(session, template.id)
    with pytest.raises(NotFound):
        update_template(session, template.id, TemplateChanges(title="x"))


def test_listing_by_category_shows_its_own_and_every_categorys_templates(session):
    make_category(session, "bench")
    make_category(session, "graffiti")
    create_template(session, _fields(status="rejected", title="Hylätty"))
    create_template(session, _fields(category="bench", title="Penkki korjattu"))
    create_template(session, _fields(category="graffiti", title="Töhry poistettu"))
    create_template(session, _fields(title="Korjattu"))
    listed = [(item.category_code, item.template.title)
              for item in list_templates(session, "bench")]
    assert listed == [("bench", "Penkki korjattu"), (None, "Korjattu"), (None, "Hylätty")]
    assert len(list_templates(session)) == 4
    with pytest.raises(NotFound):
        list_templates(session, "nosuch")


def test_the_automatic_answer_is_the_categorys_own_else_every_categorys(session):
    bench, graffiti = make_category(session, "bench"), make_category(session, "graffiti")
    report = make_report(session, bench, party=make_party(session))
    other = make_report(session, graffiti, party=make_party(session))
    assert template_for_auto_response(session, report, ReportStatus.FIXED) is None
    create_template(session, _fields(category="bench", title="Ei automaattinen"))
    assert template_for_auto_response(session, report, ReportStatus.FIXED) is None
    every = create_template(session, _fields(title="Kaikille", auto=True))
    assert template_for_auto_response(session, report, ReportStatus.FIXED) == every
    own = create_template(session, _fields(category="bench", title="Oma", auto=True))
    assert template_for_auto_response(session, report, ReportStatus.FIXED) == own
    assert template_for_auto_response(session, other, ReportStatus.FIXED) == every
    assert template_for_auto_response(session, report, ReportStatus.WAITING) is None


def test_the_reply_box_offers_the_ready_answers_for_now_and_the_next_statuses(session):
    bench = make_category(session, "bench")
    make_category(session, "graffiti")
    report = make_report(session, bench, party=make_party(session))  # assigned
    report.status = ReportStatus.IN_PROGRESS
    session.flush()
    for status, category, title in [
        ("in_progress", None, "Työn alla"), ("fixed", "bench", "Penkki korjattu"),
        ("fixed", None, "Korjattu"), ("waiting", "graffiti", "Töhry odottaa"),
        ("closed", None, "Suljettu"),  # not reachable from in_progress
        ("received", None, "Vastaanotettu"),  # never a staff choice
    ]:
        create_template(session, _fields(status, category, title=title))
    create_template(session, _fields("fixed", "bench", title="Automaattinen", auto=True))
    offered = [template.title for template in templates_for(session, report)]
    assert offered == ["Työn alla", "Penkki korjattu", "Korjattu"]
