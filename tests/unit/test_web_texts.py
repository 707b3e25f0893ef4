"""The resident pages' texts, name sorting and Content-Security-Policy, without a server."""
from __future__ import annotations

import pytest

from feedbackgis.i18n import LANGUAGES, sort_key
from feedbackgis.web.i18n import LANGUAGE_NAMES, TEXTS, translate
from feedbackgis.web.security import content_security_policy, tile_origin

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_written_in_every_service_language(key):
    assert set(TEXTS[key]) == set(LANGUAGES)
    assert all(text.strip() for text in TEXTS[key].values())


def test_every_service_language_has_a_name_for_the_switcher():
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)


def test_unknown_text_key_is_an_error_not_an_empty_string():
    with pytest.raises(KeyError):
        translate("fi", "no_such_text")


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
