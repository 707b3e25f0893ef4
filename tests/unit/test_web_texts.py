"""The resident pages' texts, name sorting and Content-Security-Policy, without a server.

That every page text has a translation in every language is tests/unit/test_translations.py.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string

import config
from feedbackgis import create_app
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.i18n import LANGUAGES, STATUS_NAMES, sort_key
from feedbackgis.web.security import content_security_policy, tile_origin
from feedbackgis.web.views import LANGUAGE_NAMES

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def app():
    # No request reaches the database or Redis here: both connect lazily.
    return create_app(config.config_for_tests())


def _render(app, source: str, query: str = "", **context) -> str:
    with app.test_request_context(f"/{query}"):
        app.preprocess_request()  # the web pages' before_request picks the language
        return render_template_string(source, **context)


def test_every_service_language_has_a_name_for_the_switcher():
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)


def test_every_status_has_a_name_to_translate():
    assert set(STATUS_NAMES) == set(ReportStatus)


def test_an_unknown_status_is_an_error_not_an_empty_name(app):
    with pytest.raises(KeyError):
        _render(app, "{{ status_name('no_such_status') }}")


@pytest.mark.parametrize(("query", "expected"), [
    ("?lang=fi", "Anna palautetta kartalla"), ("?lang=sv", "Ge respons på kartan"),
    ("?lang=en", "Give feedback on the map"),
])
def test_page_texts_come_from_the_catalog_of_the_requests_language(app, query, expected):
    assert _render(app, '{{ _("Give feedback on the map") }}', query) == expected


def test_status_names_and_placeholders_in_the_pages_language(app):
    page = _render(app, '{{ status_name("in_progress") }} {{ _("Report #%(id)s", id=7) }}',
                   "?lang=sv")
    assert page == "Under arbete Anmälan #7"


def test_translations_are_text_in_pages_escaped_like_any_other_value(app):
    # An msgid missing from the catalogs comes back as written: here with markup in it.
    page = _render(app, '{{ _("<b>%(name)s</b> & co", name=name) }} {{ ngettext("<i>%(num)s", '
                        '"<i>%(num)s", 2) }}', name="<script>")
    assert page == "&lt;b&gt;&lt;script&gt;&lt;/b&gt; &amp; co &lt;i&gt;2"


@pytest.mark.parametrize(("query", "expected"), [
    ("?lang=fi", "4.5.2026 12.30"), ("?lang=sv", "4 maj 2026 12:30"),
    ("?lang=en", "May 4, 2026, 12:30\u202fPM"),
])
def test_page_dates_are_in_the_municipalitys_time_zone_written_the_languages_way(
        app, query, expected):
    moment = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)  # 12:30 in Helsinki summer time
    assert app.config["TIMEZONE"] == "Europe/Helsinki"
    assert _render(app, "{{ moment|local_datetime }}", query, moment=moment) == expected


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_finnish_and_swedish_names_sort_with_å_ä_ö_after_z_regardless_of_case(language):
    names = ["Öljyvahinko", "ääni", "Zoo", "åker", "aamu", "Banaani"]
    ordered = sorted(names, key=lambda n: sort_key(n, language))
    assert ordered == ["aamu", "Banaani", "Zoo", "åker", "ääni", "Öljyvahinko"]


def test_english_names_sort_ignoring_accents():
    names = ["fish", "école", "dog"]
    assert sorted(names, key=lambda n: sort_key(n, "en")) == ["dog", "école", "fish"]


def test_tile_origin_is_scheme_and_host_of_the_template():
    assert tile_origin(OSM) == "https://tile.openstreetmap.org"
    assert tile_origin("https://{s}.tile.example.org:8443/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org:8443"
    )


@pytest.mark.parametrize("url", ["/tiles/{z}/{x}/{y}.png", "ftp://tiles.example.org/{z}.png"])
def test_tile_url_that_is_not_absolute_http_is_refused(url):
    with pytest.raises(ValueError, match="MAP_TILE_URL"):
        tile_origin(url)


def test_policy_allows_code_only_from_our_origin_and_images_from_the_tile_host():
    directives = dict(part.split(" ", 1) for part in content_security_policy(OSM).split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "https://tile.openstreetmap.org" in directives["img-src"].split()
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in content_security_policy(OSM)
