"""A category's keywords in one canonical form: each word once, in the order typed, ", "."""
from __future__ import annotations

import pytest

from feedbackgis.domain.category_keywords import has_control_characters, normalised_keywords


def test_keywords_are_split_on_commas_stripped_and_rejoined_with_a_comma_and_a_space():
    assert normalised_keywords(" katuvalo,lamppu ,  pimeä") == "katuvalo, lamppu, pimeä"


def test_empty_keywords_are_dropped_and_nothing_left_is_an_empty_text():
    assert normalised_keywords(",katuvalo,, ,lamppu,") == "katuvalo, lamppu"
    assert normalised_keywords(" , ,, ") == ""
    assert normalised_keywords("") == ""


def test_a_repeated_keyword_is_kept_once_in_its_first_spelling_whatever_its_case():
    assert normalised_keywords("Lamppu, katuvalo, lamppu, LAMPPU, Katuvalo") == (
        "Lamppu, katuvalo")
    # casefold: the German sharp s and "SS" are one word, as a search would find them.
    assert normalised_keywords("Straße, STRASSE") == "Straße"


def test_words_inside_a_keyword_keep_their_spaces():
    assert normalised_keywords("lamp post,  spray paint ") == "lamp post, spray paint"


def test_normalising_twice_changes_nothing():
    once = normalised_keywords("a ,b,, A, c ")
    assert normalised_keywords(once) == once == "a, b, c"


@pytest.mark.parametrize("text", ["a\x00b", "line\nbreak", "tab\there", "\r", "\x7f"])
def test_control_characters_are_found(text):
    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["Kadut ja liikenne", "Gator och trafik", "åäö, ß", ""])
def test_ordinary_text_has_no_control_characters(text):
    assert not has_control_characters(text)
