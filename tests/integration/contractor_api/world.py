"""Two contractors, each with a work order and an API token, for the work-order API tests."""
from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackgis.models import Category, Party, PartyKind, Report
from feedbackgis.services.contractor_api.tokens import create_token
from tests.integration.factories import make_category, make_party, make_report

REPORTER = {"name": "Asta Asukas", "email": "asta@example.fi", "phone": "+358 40 123 4567"}


@dataclass
class Contractors:
    category: Category
    a: Party
    b: Party
    order_a: Report
    order_b: Report
    token_a: str
    token_b: str


def two_contractors(session: Session, *, share_contact: bool = False) -> Contractors:
    """Valaistus Oy (A) and Alueurakka Oy (B), each holding one public streetlight report
    whose reporter left a name, an email and a phone."""
    category = make_category(session, "streetlight", share_contact_with_party=share_contact)
    a = make_party(session, "Valaistus Oy", kind=PartyKind.CONTRACTOR)
    b = make_party(session, "Alueurakka Oy", kind=PartyKind.CONTRACTOR)
    order_a = make_report(session, category, party=a, contact=REPORTER, address="Mannerheimintie 1")
    order_b = make_report(session, category, party=b, contact=REPORTER, description="B:n työ")
    session.commit()
    return Contractors(category, a, b, order_a, order_b,
                       create_token(session, a, "Valaistus ERP").token,
                       create_token(session, b, "Alueurakka ERP").token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_party(client: FlaskClient, token: str):  # noqa: ANN201
    """Requests with the token: as_party(client, token).get(path), .post(path, json=...)."""

    class Caller:
        def get(self, path: str, **kwargs):  # noqa: ANN202, ANN003
            return client.get(path, headers={**bearer(token), **kwargs.pop("headers", {})},
                              **kwargs)

        def post(self, path: str, **kwargs):  # noqa: ANN202, ANN003
            return client.post(path, headers={**bearer(token), **kwargs.pop("headers", {})},
                               **kwargs)

    return Caller()
