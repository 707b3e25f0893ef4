"""The demo municipality: seeded twice gives the same data, and routes as its map says."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import Category, Party, ServiceArea, Zone
from feedbackgis.services.demo.demo_municipality import seed_demo
from feedbackgis.services.reports.submission import NewReport, submit_report


def _counts(session):
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Party, Category, Zone, ServiceArea))


def test_seeding_twice_leaves_the_same_data(session):
    first = seed_demo(session)
    counts = _counts(session)
    second = seed_demo(session)
    assert counts == _counts(session) == (4, 7, 4, 1)
    assert (first.parties_added, second.parties_added) == (4, 0)
    assert second.zones == 4


def test_demo_routes_streetlights_to_the_lighting_contractor_everywhere(session):
    seed_demo(session)
    # Kamppi, Helsinki: inside the western maintenance area of the demo.
    light = submit_report(session, NewReport(category="streetlight", description="Pimeä",
                                             lon=24.93, lat=60.168,
                                             answers={"light_out": True}), secret_key="k")
    pothole = submit_report(session, NewReport(category="pothole", description="Kuoppa",
                                               lon=24.93, lat=60.168), secret_key="k")
    assert light.report.assigned_party.name == "Valaistus Oy"
    assert pothole.report.assigned_party.name == "Katujen kunnossapito"


TEXTS = tuple(f"{text}_{language}" for text in ("description", "group", "keywords")
              for language in ("fi", "sv", "en"))


def _form(session):
    """Every demo category's descriptions, groups and keywords, and the questions (with
    options) of each."""
    categories = session.scalars(select(Category).order_by(Category.code)).all()
    return [(c.code, *(getattr(c, column) for column in TEXTS),
             [(q.code, q.kind, q.required, q.position, q.option_keys) for q in c.questions])
            for c in categories]


def test_seeding_twice_leaves_the_same_descriptions_groups_keywords_and_questions(session):
    first = seed_demo(session)
    form = _form(session)
    second = seed_demo(session)
    assert _form(session) == form
    assert (first.questions_added, second.questions_added) == (3, 0)
    assert all(text for _code, *texts, _questions in form for text in texts)


def test_demo_categories_are_grouped_with_keywords_a_resident_would_type(session):
    seed_demo(session)
    by_code = {c.code: c for c in session.scalars(select(Category))}
    light, pothole, snow = by_code["streetlight"], by_code["pothole"], by_code["snow"]
    assert [light.group(language) for language in ("fi", "sv", "en")] == [
        "Valaistus", "Belysning", "Lighting"]
    assert pothole.group("sv") == snow.group("sv") == "Gator och trafik"
    assert by_code["litter"].group("en") == by_code["graffiti"].group("en")
    assert light.keywords("fi").startswith("katuvalo, lamppu, pimeä")
    assert "lampa" in light.keywords("sv").split(", ")
    assert "streetlight" in light.keywords("en").split(", ")


def test_seeding_again_keeps_a_group_an_admin_changed_and_adds_the_missing_keywords(session):
    from feedbackgis.services.catalog.parties_and_categories import (
        CategoryTexts,
        update_category,
    )

    seed_demo(session)
    update_category(session, "park", CategoryTexts(
        group_fi="Oma", group_sv="Egen", group_en="Own",
        keywords_fi="", keywords_sv="", keywords_en=""))
    seed_demo(session)
    park = session.scalar(select(Category).where(Category.code == "park"))
    assert park.group("en") == "Own"
    assert park.keywords("en") == "park, playground, swing, bench, lawn, tree"


def test_demo_streetlight_asks_whether_the_light_is_out_in_three_languages(session):
    seed_demo(session)
    streetlight = session.scalar(select(Category).where(Category.code == "streetlight"))
    light_out, number_known, _number = streetlight.active_questions
    assert (light_out.code, light_out.kind, light_out.required) == ("light_out", "yesno", True)
    assert [light_out.prompt(language) for language in ("fi", "sv", "en")] == [
        "Onko valo kokonaan sammunut?", "Är lampan helt släckt?", "Is the light completely out?"]
    assert number_known.prompt("en") == "Pole or lamp number known?"
    assert number_known.option_keys == ["pole", "lamp", "no"]


def test_seeding_again_keeps_a_description_an_admin_changed(session):
    from feedbackgis.services.catalog.parties_and_categories import (
        CategoryTexts,
        update_category,
    )

    seed_demo(session)
    update_category(session, "pothole", CategoryTexts(
        description_fi="Oma", description_sv="Egen", description_en="Own"))
    seed_demo(session)
    pothole = session.scalar(select(Category).where(Category.code == "pothole"))
    assert pothole.description("en") == "Own"
