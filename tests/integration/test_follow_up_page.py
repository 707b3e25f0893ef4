"""The reporter's follow-up page behind the capability link."""
from __future__ import annotations

from shapely.geometry import box

from feedbackgis.models import PublishPolicy

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
    assert page.headers["Referrer-Policy"] == "no-referrer"


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
