"""How a report travelled, stored for the usage figures: the device by its User-Agent,
whether it waited on the device (sent_offline), and whether it gives a way to contact the
reporter. A resend that adds sent_offline is still the same request for its key."""
from __future__ import annotations

import re

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.models import PublishPolicy, Report

from .factories import make_category, make_party, make_service_area, make_zone

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
DESKTOP = ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0")
BODY = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
        "description": "Valo ei pala"}
KEY = "0b7d1c55-5a3e-4f0a-8c1e-6f3b2d9e7a10"


@pytest.fixture
def municipality(session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE,
                  default_party=party)
    session.commit()


def _post(client, body=BODY, user_agent=IPHONE, key=None):
    headers = {"User-Agent": user_agent}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/reports", json=body, headers=headers)


def _stored(session, response):
    assert response.status_code == 201, response.json
    session.expire_all()
    report = session.get(Report, response.json["id"])
    return report.submitted_from, report.sent_offline, report.with_contact


@pytest.mark.parametrize(("user_agent", "device"), [
    (IPHONE, "phone"), (DESKTOP, "computer"), ("curl/8.5.0", "system"),
    ("python-requests/2.31.0", "system"), ("", "system")])
def test_the_device_is_read_from_the_user_agent(client, session, municipality, user_agent,
                                                device):
    assert _stored(session, _post(client, user_agent=user_agent)) == (device, False, False)


def test_sent_offline_is_stored_as_the_body_says(client, session, municipality):
    assert _stored(session, _post(client, {**BODY, "sent_offline": True}))[1] is True
    assert _stored(session, _post(client, {**BODY, "sent_offline": False}))[1] is False


def test_sent_offline_must_be_a_boolean(client, session, municipality):
    response = _post(client, {**BODY, "sent_offline": "yes"})
    assert response.status_code == 422
    assert "sent_offline" in response.json["fields"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Report)) == 0


@pytest.mark.parametrize(("contact", "with_contact"), [
    ({"email": "asukas@example.fi"}, True),
    ({"phone": "+358 40 123 4567"}, True),
    ({"name": "Asukas", "email": "asukas@example.fi", "phone": "040 1234567"}, True),
    ({"name": "Asukas"}, False),  # a name alone reaches nobody
])
def test_with_contact_when_an_email_or_a_phone_was_given(client, session, municipality,
                                                         contact, with_contact):
    stored = _stored(session, _post(client, {**BODY, "contact": contact}))
    assert stored[2] is with_contact


def test_a_resend_adding_sent_offline_replays_the_first_report(client, session, municipality):
    first = _post(client, key=KEY)
    again = _post(client, {**BODY, "sent_offline": True}, key=KEY)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Report)) == 1
    # The report stays as the first request made it.
    assert _stored(session, first) == ("phone", False, False)


def test_a_first_send_that_waited_offline_keeps_its_flag_on_a_later_resend(
    client, session, municipality,
):
    first = _post(client, {**BODY, "sent_offline": True}, key=KEY)
    again = _post(client, {**BODY, "sent_offline": True}, key=KEY)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert _stored(session, first) == ("phone", True, False)


def test_a_resend_with_another_description_is_still_refused(client, municipality):
    _post(client, key=KEY)
    changed = _post(client, {**BODY, "description": "Toinen", "sent_offline": True}, key=KEY)
    assert changed.status_code == 422


def test_the_report_form_of_the_pages_stores_the_device_too(client, session, municipality):
    page = client.get("/report?lang=fi", headers={"User-Agent": DESKTOP}).get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    response = client.post("/report?lang=fi", headers={"User-Agent": DESKTOP}, data={
        **hidden, "category": "streetlight", "description": "Valo ei pala",
        "lon": "24.94", "lat": "60.17", "email": "asukas@example.fi"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    session.expire_all()
    report = session.scalars(select(Report)).one()
    assert (report.submitted_from, report.sent_offline, report.with_contact) == (
        "computer", False, True)
