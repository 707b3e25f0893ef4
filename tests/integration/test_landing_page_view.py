"""The landing page as HTML: language choice, escaping, categories, headers. No browser."""
from __future__ import annotations

import re

import pytest

from feedbackgis.models import Category

# The page's heading in each language, as the catalogs have it.
LANDING_TITLE = {"fi": "Anna palautetta kartalla", "sv": "Ge respons på kartan",
                 "en": "Give feedback on the map"}


def add_category(session, code, fi, sv="Svenskt namn", *, active=True):
    session.add(Category(code=code, name_fi=fi, name_sv=sv, name_en=f"{fi} (en)", active=active))
    # Commit (a savepoint release here): each request ends by closing the shared session,
    # which would roll back rows that were only flushed.
    session.commit()


def html_lang(body: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', body).group(1)


@pytest.mark.parametrize(("query", "accept_language", "expected"), [
    ("", "", "fi"),
    ("?lang=sv", "en", "sv"),
    ("?lang=en", "sv-FI,sv", "en"),
    ("", "sv-FI,sv;q=0.9,en;q=0.5", "sv"),
    ("", "de-DE,de", "fi"),
    ("?lang=de", "en-GB", "en"),
])
def test_page_language_comes_from_lang_then_browser_then_default(
    client, query, accept_language, expected
):
    body = client.get(f"/{query}", headers={"Accept-Language": accept_language}).text
    assert html_lang(body) == expected
    assert f"<h1>{LANDING_TITLE[expected]}</h1>" in body


def test_page_varies_with_the_browser_language(client):
    assert "Accept-Language" in client.get("/").headers["Vary"]


def test_only_active_categories_are_listed_in_the_page_language(client, session):
    add_category(session, "light", "Katuvalo", "Gatubelysning")
    add_category(session, "old", "Vanha aihe", "Gammalt ämne", active=False)
    fi_body = client.get("/").text
    sv_body = client.get("/?lang=sv").text
    assert "<li>Katuvalo</li>" in fi_body
    assert "Vanha aihe" not in fi_body
    assert "<li>Gatubelysning</li>" in sv_body


def test_category_markup_is_escaped(client, session):
    add_category(session, "hostile", '<script>alert(1)</script> & "quotes"')
    body = client.get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in body
    assert "<script>alert" not in body


def test_page_has_no_inline_script_or_style(client):
    body = client.get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []
    assert "<style" not in body
    assert " style=" not in body


def test_map_element_tells_the_script_where_the_area_and_tiles_are(client, app):
    body = client.get("/").text
    assert 'data-area-url="/api/v1/area"' in body
    assert f'data-tile-url="{app.config["MAP_TILE_URL"]}"' in body


def test_html_pages_carry_the_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "https://tile.openstreetmap.org" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("query", "accept_language", "lang", "home", "says"), [
    ("", "", "fi", "Etusivu", "Sivua ei ole."), ("?lang=sv", "", "sv", "Startsida",
                                                 "Sidan finns inte."),
    ("", "en", "en", "Home", "There is no such page."),
])
def test_html_error_pages_are_in_the_requests_language(client, query, accept_language, lang,
                                                       home, says):
    response = client.get(f"/no-such-page{query}",
                          headers={"Accept": "text/html", "Accept-Language": accept_language})
    body = response.text
    assert response.status_code == 404 and html_lang(body) == lang
    assert f'<a href="/?lang={lang}">{home}</a>' in body
    # What to do, in the reader's language; not werkzeug's English description.
    assert says in body and "The requested URL" not in body


def test_html_error_pages_carry_the_security_headers_too(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers
