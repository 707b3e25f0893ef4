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


def _form(session):
    """Every demo category's descriptions, and the questions (with options) of each."""
    categories = session.scalars(select(Category).order_by(Category.code)).all()
    return [(c.code, c.description_fi, c.description_sv, c.description_en,
             [(q.code, q.kind, q.required, q.position, q.option_keys) for q in c.questions])
            for c in categories]


def test_seeding_twice_leaves_the_same_descriptions_and_questions(session):
    first = seed_demo(session)
    form = _form(session)
    second = seed_demo(session)
    assert _form(session) == form
    assert (first.questions_added, second.questions_added) == (3, 0)
    assert all(description for _code, *descriptions, _questions in form
               for description in descriptions)


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
