"""The reporter's follow-up page behind the capability link."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import box

from feedbackgis.models import PublishPolicy, Report

from .factories import make_category, make_party, make_zone


def _submit(client, session, **extra):
    party = make_party(session, "Puistot & <Viheralueet>")
    make_zone(session, party, box(24.0, 60.0, 25.0, 61.0))
    make_category(session, "park", publish_policy=PublishPolicy.MODERATED)
    session.commit()
    body = {"category": "park", "location": {"lon": 24.5, "lat": 60.5},
            "description": "Keinu <script>alert(1)</script> rikki",
            "contact": {"email": "asukas@example.fi", "name": "Asukas Esimerkki"}, **extra}
    return client.post("/api/v1/reports", json=body).json


def test_receipt_links_to_a_page_showing_status_in_the_chosen_language(client, session):
    receipt = _submit(client, session)
    assert "/follow/" in receipt["follow_up_url"]
    path = receipt["follow_up_url"].split("127.0.0.1:5000", 1)[-1]
    page = client.get(path + "?lang=sv")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Tilldelad handläggare" in html  # status "assigned" in Swedish
    assert "inte på den offentliga kartan" in html  # moderated: not public yet
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_follow_up_page_escapes_text_and_shows_no_contact(client, session):
    receipt = _submit(client, session)
    path = "/follow/" + receipt["follow_up_token"]
    html = client.get(path).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Puistot &amp; &lt;Viheralueet&gt;" in html
    assert "asukas@example.fi" not in html and "Asukas Esimerkki" not in html


def test_unknown_token_gets_a_404_page_that_says_why(client):
    page = client.get("/follow/forged-token?lang=en")
    assert page.status_code == 404
    assert "not valid" in page.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "received", "status"), [
    ("fi", "4.5.2026 12.30", "Ohjattu käsittelijälle"),
    ("sv", "4 maj 2026 12:30", "Tilldelad handläggare"),
    ("en", "May 4, 2026, 12:30\u202fPM", "Assigned"),
])
def test_the_page_shows_times_in_the_municipalitys_zone_the_languages_way(
        client, session, lang, received, status):
    receipt = _submit(client, session)
    report = session.get(Report, receipt["id"])
    report.created_at = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)  # 12:30 in Helsinki (summer)
    session.commit()
    html = client.get(f"/follow/{receipt['follow_up_token']}?lang={lang}").get_data(as_text=True)
    assert f'<time datetime="2026-05-04T09:30:00+00:00">{received}</time>' in html
    assert f'<dd class="report-status">{status}</dd>' in html
