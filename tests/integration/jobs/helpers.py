"""Data and requests shared by the job tests."""
from __future__ import annotations

from flask import Flask
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.models import PublishPolicy
from tests.integration.factories import make_category, make_party, make_zone

PARTY_EMAIL = "valot@urakoitsija.example"
REPORTER_EMAIL = "asukas@example.fi"


def seed_lighting(session: Session) -> None:
    """A contractor with an email, taking streetlight reports everywhere near Helsinki."""
    party = make_party(session, "Valaistus Oy", emails=[PARTY_EMAIL])
    make_zone(session, party, box(24.0, 60.0, 25.5, 60.6))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    session.commit()


def submit(app: Flask, email: str | None = REPORTER_EMAIL) -> dict:
    body = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
            "description": "Valo ei pala", "language": "fi"}
    if email:
        body["contact"] = {"email": email}
    response = app.test_client().post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.json
    return response.json
