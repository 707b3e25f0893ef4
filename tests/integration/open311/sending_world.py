"""A party with its own Open311 system (tests/open311_server.py) and a report assigned to it,
for the tests of sending reports there and pulling its updates back."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from feedbackgis.models import Party, Photo, Report
from feedbackgis.services.catalog.party_open311 import Open311Settings, set_party_open311
from feedbackgis.services.open311.sending_form import Open311SendSettings
from tests.integration.factories import make_category, make_party, make_report
from tests.open311_server import Open311Server

SETTINGS = Open311SendSettings(base_url="https://palaute.example.fi", timeout=3)
REPORTER = {"name": "Asta Maria Asukas", "email": "asta@example.fi", "phone": "+358 40 1234567"}


@dataclass
class SendingWorld:
    party: Party
    report: Report


def party_with_open311(session: Session, server: Open311Server, name: str = "Kaupunki Oy",
                       **settings: object) -> Party:
    party = make_party(session, name)
    session.commit()
    set_party_open311(session, party, Open311Settings(
        url=server.url, api_key=server.api_key, jurisdiction_id="city.example",
        **settings))
    return party


def sending_world(session: Session, server: Open311Server, *,
                  share_contact: bool = False) -> SendingWorld:
    """A streetlight report (answers, a public photo, the reporter's contact) assigned to a
    party whose system calls streetlights SL-01."""
    category = make_category(session, "streetlight", share_contact_with_party=share_contact)
    session.commit()
    party = party_with_open311(session, server, service_codes={"streetlight": "SL-01"})
    report = make_report(session, category, party=party, address="Mannerheimintie 1",
                         description="Katuvalo ei pala", contact=REPORTER)
    report.answers = {"pole": "A-12", "dark_all_night": True, "lamps_out": 3}
    session.commit()
    return SendingWorld(party, report)


def add_photo(session: Session, report: Report, *, hidden: bool = False) -> Photo:
    photo = Photo(report_id=report.id, image_key=f"photo-{report.id}-{hidden}.jpg", width=4,
                  height=3, bytes=100, hidden=hidden,
                  upload_token_hash=f"{report.id:032d}{int(hidden):032d}")
    session.add(photo)
    session.commit()
    return photo
