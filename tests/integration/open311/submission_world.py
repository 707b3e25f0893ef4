"""What the Open311 POST tests share: a municipality with a routed category that asks
questions, a client system's API key, and a small client that posts forms."""
from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient
from shapely.geometry import box
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import Category, CategoryQuestion, Party, QuestionOption
from feedbackgis.services.open311.api_keys import create_api_key
from tests.integration.factories import (
    make_category,
    make_party,
    make_service_area,
    make_zone,
)

BASE = "/open311/v2"
INSIDE = {"lat": "60.17", "long": "24.94"}
VALID = {"service_code": "streetlight", **INSIDE, "description": "Valo ei pala",
         "attribute[pole]": "A-12"}


@dataclass
class SubmissionWorld:
    party: Party
    lights: Category
    key: str  # the client system's api_key


def build_submission_world(session: Session) -> SubmissionWorld:
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuyksikkö", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    lights = make_category(session, "streetlight")
    make_category(session, "retired", active=False)
    lights.questions.extend([
        CategoryQuestion(code="pole", kind=QuestionKind.TEXT, required=True, position=1,
                         prompt_fi="Pylväs", prompt_sv="Stolpe", prompt_en="Pole"),
        CategoryQuestion(code="dark", kind=QuestionKind.YESNO, position=2, prompt_fi="Pimeä?",
                         prompt_sv="Mörkt?", prompt_en="Dark?"),
        CategoryQuestion(code="kind", kind=QuestionKind.CHOICE, position=3,
                         prompt_fi="Tyyppi", prompt_sv="Typ", prompt_en="Kind",
                         options=[QuestionOption(key="led", label_fi="LED", label_sv="LED",
                                                 label_en="LED", position=1)]),
        CategoryQuestion(code="height", kind=QuestionKind.NUMBER, position=4,
                         prompt_fi="Korkeus", prompt_sv="Höjd", prompt_en="Height"),
    ])
    session.flush()
    key = create_api_key(session, "Kaupunkisovellus")  # commits
    return SubmissionWorld(party=party, lights=lights, key=key)


def post_request(client: FlaskClient, key: str | None, fields: dict | list, *,
                 fmt: str = "json", headers: dict | None = None, multipart: bool = False):
    """POST requests.<fmt> as a form, as a client system sends it."""
    data = list(fields.items()) if isinstance(fields, dict) else list(fields)
    if key is not None:
        data.append(("api_key", key))
    content_type = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
    return client.post(f"{BASE}/requests.{fmt}", data=MultiDict(data),
                       content_type=content_type, headers=headers or {})
