"""The gettext catalogs: complete, reviewed, compiled, and covering every text in the code.

Texts reach the catalogs through `make translations` (extract, update, compile). These tests
fail when a step was forgotten: a new text without a translation, a fuzzy guess nobody
reviewed, a .mo older than its .po, a .pot or .po that misses what the code now says.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from feedbackgis.i18n import LANGUAGES, STATUS_NAMES, TRANSLATIONS_DIR, catalog
from feedbackgis.mail.translation import mail_texts

ROOT = Path(__file__).resolve().parents[2]


def _po(language: str) -> Catalog:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def _mo(language: str) -> Catalog:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        return read_mo(file)


def _pot() -> Catalog:
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as file:
        return read_po(file)


def _tuple(value):
    # read_mo gives a plural message's ids and strings as lists, read_po as tuples.
    return tuple(value) if isinstance(value, list | tuple) else value


def _messages(cat: Catalog) -> dict:
    """(msgid, msgctxt) -> msgstr of every message but the header; plurals as tuples."""
    return {(_tuple(m.id), m.context): _tuple(m.string) for m in cat if m.id}


def _extracted_now() -> set:
    """What pybabel extract finds in the code today, with the mapping `make translations`
    uses (babel.cfg) and pybabel's default keywords (_, gettext, ngettext, pgettext, N_...)."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS)
    return {(message, context) for _file, _line, message, _comments, context in found}


@pytest.fixture(scope="module")
def extracted() -> set:
    found = _extracted_now()
    assert len(found) > 50, "the extractor found (almost) nothing: is babel.cfg right?"
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = _po(language)
    untranslated = [m.id for m in po if m.id and not all(
        text.strip() for text in (m.string if isinstance(m.string, tuple) else (m.string,)))]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert untranslated == [], f"{language}: no translation for {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy (review, then drop the flag): {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_msgid(language):
    # Babel's own check: %(name)s placeholders of python-format messages must match.
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _po(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_has_the_plural_forms_of_its_language(language):
    po = _po(language)
    assert po.num_plurals == 2 and po.plural_expr == "(n != 1)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_po_file_compiled(language):
    """`make translations` compiles; a .po edited by hand and not compiled fails here."""
    assert _messages(_mo(language)) == _messages(_po(language))


def test_the_template_holds_exactly_what_the_code_says(extracted):
    assert set(_messages(_pot())) == extracted, "run `make translations`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_covers_every_text_in_the_code_and_no_other(language, extracted):
    in_catalog = set(_messages(_po(language)))
    assert extracted - in_catalog == set(), f"{language}: missing, run `make translations`"
    assert in_catalog - extracted == set(), f"{language}: no longer in the code"


def test_plural_messages_have_the_same_plural_msgid_everywhere():
    plurals = {key for key, string in _messages(_pot()).items() if isinstance(key[0], tuple)}
    assert plurals, "the digest subject is a plural message"
    for language in LANGUAGES:
        assert plurals <= set(_messages(_po(language)))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_finnish_and_swedish_status_names_are_not_the_english_msgids(language):
    names = {code: mail_texts(language).status_name(code) for code in STATUS_NAMES}
    assert all(names[code] != STATUS_NAMES[code] for code in STATUS_NAMES), names


def test_texts_that_differ_by_context_have_their_own_translations():
    # "Received" on the follow-up page (and as a status) and in the digest read differently.
    fi = catalog("fi")
    assert fi.ugettext("Received") == "Vastaanotettu"
    assert fi.upgettext("digest", "Received") == "Saapunut"


@pytest.mark.parametrize(("language", "one", "three"), [
    ("fi", "Uusi ilmoitus alueellasi: 1", "Uusia ilmoituksia alueellasi: 3"),
    ("sv", "Ny anmälan i ditt område: 1", "Nya anmälningar i ditt område: 3"),
    ("en", "New report in your area: 1", "New reports in your area: 3"),
])
def test_plural_forms_follow_the_count(language, one, three):
    texts = mail_texts(language)
    singular, plural = "New report in your area: %(num)s", "New reports in your area: %(num)s"
    assert texts.ngettext(singular, plural, 1) == one
    assert texts.ngettext(singular, plural, 3) == three


def test_an_unknown_language_has_no_catalog():
    with pytest.raises(ValueError, match="language"):
        catalog("de")
