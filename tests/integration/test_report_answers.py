"""Answers to a category's questions through the API: checked at submission, stored with the
report, shown in the public view; the questions themselves in GET /api/v1/categories."""
from __future__ import annotations

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import PublishPolicy, Report
from feedbackgis.services.catalog.parties_and_categories import CategoryTexts, update_category
from feedbackgis.services.catalog.questions import (
    OptionFields,
    QuestionFields,
    add_question,
    remove_question,
)
from feedbackgis.services.notifications.report_notifications import notify_party_of_assignment

from .factories import make_category, make_party, make_service_area, make_zone
from .mail_checks import html_of, text_of

INSIDE = {"lon": 24.94, "lat": 60.17}
LIGHT_OUT = QuestionFields(QuestionKind.YESNO, "Onko valo kokonaan sammunut?",
                           "Är lampan helt släckt?", "Is the light completely out?",
                           required=True)
NUMBER_KNOWN = QuestionFields(
    QuestionKind.CHOICE, "Tiedätkö numeron?", "Vet du numret?", "Pole or lamp number known?",
    options=(OptionFields("pole", "Pylvään numero", "Stolpens nummer", "The pole number"),
             OptionFields("no", "Ei", "Nej", "No")))
POLES = QuestionFields(QuestionKind.NUMBER, "Montako pylvästä?", "Hur många stolpar?",
                       "How many poles?")
NOTE = QuestionFields(QuestionKind.TEXT, "Lisätietoa", "Mer information", "Anything else?")


@pytest.fixture
def municipality(session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy")
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    make_category(session, "graffiti", publish_policy=PublishPolicy.IMMEDIATE)
    session.commit()
    for code, fields in (("light_out", LIGHT_OUT), ("number_known", NUMBER_KNOWN),
                         ("poles", POLES), ("note", NOTE)):
        add_question(session, "streetlight", code, fields)
    update_category(session, "streetlight", CategoryTexts(
        description_fi="Pimeä katuvalo", description_sv="Släckt gatlykta",
        description_en="A street light that is out"))


def _post(client, answers, category="streetlight"):
    return client.post("/api/v1/reports", json={
        "category": category, "location": INSIDE, "description": "Valo ei pala",
        "answers": answers})


def _report_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Report))


def test_answers_are_stored_with_the_report(client, session, municipality):
    answers = {"light_out": False, "number_known": "pole", "poles": 2, "note": " K-1234 "}
    response = _post(client, answers)
    assert response.status_code == 201, response.json
    stored = session.get(Report, response.json["id"]).answers
    assert stored == {"light_out": False, "number_known": "pole", "poles": 2, "note": "K-1234"}


def test_a_category_without_questions_takes_a_report_without_answers(client, municipality):
    response = client.post("/api/v1/reports", json={
        "category": "graffiti", "location": INSIDE, "description": "Töhry"})
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(("answers", "field", "words"), [
    ({}, "answers.light_out", "required"),
    ({"number_known": "pole"}, "answers.light_out", "required"),
    ({"light_out": True, "colour": "red"}, "answers.colour", "Not a question"),
    ({"light_out": "yes"}, "answers.light_out", "true or false"),
    ({"light_out": True, "poles": "2"}, "answers.poles", "number"),
    ({"light_out": True, "poles": True}, "answers.poles", "number"),
    ({"light_out": True, "number_known": "maybe"}, "answers.number_known", "one of: pole, no"),
    ({"light_out": True, "note": 7}, "answers.note", "text"),
    ({"light_out": True, "note": "x" * 501}, "answers.note", "at most 500"),
    ({"light_out": None}, "answers.light_out", "string, a number or true/false"),
    ({"light_out": [True]}, "answers.light_out", "string, a number or true/false"),
])
def test_wrong_answer_gets_422_naming_the_answer(client, session, municipality, answers, field,
                                                 words):
    before = _report_count(session)
    response = _post(client, answers)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_failed"
    assert words in " ".join(response.json["fields"][field]), response.json
    assert _report_count(session) == before


def test_every_wrong_answer_is_named_in_one_response(client, municipality):
    response = _post(client, {"poles": "many", "number_known": "maybe"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {
        "answers.light_out", "answers.poles", "answers.number_known"}


def test_answers_must_be_an_object(client, municipality):
    response = _post(client, ["light_out"])
    assert response.status_code == 422 and "answers" in response.json["fields"]


def test_a_non_finite_number_is_refused(client, session, municipality):
    # Python's JSON reader takes NaN, which is not JSON: the answer is refused, not stored.
    response = client.post("/api/v1/reports", content_type="application/json", data=(
        '{"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17}, '
        '"description": "x", "answers": {"light_out": true, "poles": NaN}}'))
    assert response.status_code == 422
    assert "finite" in " ".join(response.json["fields"]["answers.poles"])


def test_a_removed_question_is_no_longer_answered(client, session, municipality):
    remove_question(session, "streetlight", "light_out")
    assert _post(client, {}).status_code == 201
    response = _post(client, {"light_out": True})
    assert response.status_code == 422 and "answers.light_out" in response.json["fields"]


def test_public_view_shows_answers_with_prompts_in_the_language_but_no_free_text(
        client, municipality):
    created = _post(client, {"light_out": True, "number_known": "pole", "poles": 3,
                             "note": "Soita 040 1234567"}).json
    body = client.get(f"/api/v1/reports/{created['id']}?lang=sv").json
    assert body["answers"] == [
        {"code": "light_out", "kind": "yesno", "prompt": "Är lampan helt släckt?",
         "value": True, "label": None},
        {"code": "number_known", "kind": "choice", "prompt": "Vet du numret?",
         "value": "pole", "label": "Stolpens nummer"},
        {"code": "poles", "kind": "number", "prompt": "Hur många stolpar?", "value": 3,
         "label": None},
    ]
    follow_up = client.get(f"/api/v1/follow-up/{created['follow_up_token']}?lang=en")
    assert "1234567" not in follow_up.get_data(as_text=True)
    assert follow_up.json["answers"][0]["prompt"] == "Is the light completely out?"


def test_answers_of_a_removed_question_still_show_in_earlier_reports(client, session,
                                                                      municipality):
    created = _post(client, {"light_out": False}).json
    remove_question(session, "streetlight", "light_out")
    body = client.get(f"/api/v1/reports/{created['id']}?lang=fi").json
    assert [(a["prompt"], a["value"]) for a in body["answers"]] == [
        ("Onko valo kokonaan sammunut?", False)]


@pytest.mark.parametrize(("language", "description", "prompt", "label"), [
    ("fi", "Pimeä katuvalo", "Onko valo kokonaan sammunut?", "Pylvään numero"),
    ("sv", "Släckt gatlykta", "Är lampan helt släckt?", "Stolpens nummer"),
    ("en", "A street light that is out", "Is the light completely out?", "The pole number"),
])
def test_categories_list_their_description_and_questions_in_the_language(
        client, municipality, language, description, prompt, label):
    body = client.get(f"/api/v1/categories?lang={language}").json
    streetlight = next(c for c in body["categories"] if c["code"] == "streetlight")
    assert streetlight["name"] == f"streetlight {language}"
    assert streetlight["description"] == description
    questions = streetlight["questions"]
    assert [(q["code"], q["kind"], q["required"]) for q in questions] == [
        ("light_out", "yesno", True), ("number_known", "choice", False),
        ("poles", "number", False), ("note", "text", False)]
    assert questions[0]["prompt"] == prompt and questions[0]["options"] == []
    assert questions[1]["options"][0] == {"key": "pole", "label": label}


def test_a_category_without_description_or_questions_lists_null_and_none(client,
                                                                         municipality):
    body = client.get("/api/v1/categories?lang=en").json
    graffiti = next(c for c in body["categories"] if c["code"] == "graffiti")
    assert graffiti == {"code": "graffiti", "name": "graffiti en", "description": None,
                        "questions": []}


def test_removed_questions_are_not_listed(client, session, municipality):
    remove_question(session, "streetlight", "light_out")
    body = client.get("/api/v1/categories?lang=en").json
    streetlight = next(c for c in body["categories"] if c["code"] == "streetlight")
    assert [q["code"] for q in streetlight["questions"]] == ["number_known", "poles", "note"]


def test_the_party_gets_every_answer_in_its_work_order_free_text_too(
        client, session, municipality, smtp, links, mail_sink):
    response = _post(client, {"light_out": True, "number_known": "pole", "poles": 2,
                              "note": "Pylväässä <b>numero</b> 1234"})
    report = session.get(Report, response.json["id"])
    report.assigned_party.emails = ["valot@example.fi"]
    session.commit()
    assert notify_party_of_assignment(session, smtp, links, report_id=report.id,
                                      party_id=report.assigned_party_id, outbox_id=1) == 1
    [message] = mail_sink.messages
    text, html = text_of(message), html_of(message)
    for shown in ("Onko valo kokonaan sammunut?: Kyllä", "Tiedätkö numeron?: Pylvään numero",
                  "Montako pylvästä?: 2", "Lisätietoa: Pylväässä <b>numero</b> 1234"):
        assert shown in text
    assert "Pylväässä &lt;b&gt;numero&lt;/b&gt; 1234" in html
