"""The resident pages' texts in Finnish, Swedish and English.

All page texts live here, in one place, so a translator reviews one file. Texts are plain
strings (never markup): templates escape them like any other value. Which language a request
gets is decided by feedbackgis.i18n.request_language, shared with the API.
"""
from __future__ import annotations

from collections.abc import Callable

# Each language's name in that language: a switcher link must be readable by those who need it.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "site_name": {
        "fi": "Palautekartta",
        "sv": "Responskartan",
        "en": "Feedback map",
    },
    "skip_to_content": {
        "fi": "Siirry pääsisältöön",
        "sv": "Hoppa till huvudinnehållet",
        "en": "Skip to main content",
    },
    "language_menu": {
        "fi": "Kieli",
        "sv": "Språk",
        "en": "Language",
    },
    "landing_title": {
        "fi": "Anna palautetta kartalla",
        "sv": "Ge respons på kartan",
        "en": "Give feedback on the map",
    },
    "landing_intro": {
        "fi": "Huomasitko rikkinäisen katuvalon, kuopan tiessä tai töhryn? Merkitse paikka "
              "kartalle, niin ilmoituksesi ohjautuu sille, joka asian korjaa. Voit seurata, "
              "miten asia etenee.",
        "sv": "Har du sett en trasig gatlykta, ett hål i vägen eller klotter? Märk ut platsen "
              "på kartan, så går din anmälan till den som åtgärdar saken. Du kan följa hur "
              "ärendet framskrider.",
        "en": "Spotted a broken streetlight, a pothole or graffiti? Mark the spot on the map "
              "and your report goes to whoever fixes it. You can follow how it progresses.",
    },
    "map_heading": {
        "fi": "Palvelualue",
        "sv": "Serviceområde",
        "en": "Service area",
    },
    "map_label": {
        "fi": "Palvelualueen kartta",
        "sv": "Karta över serviceområdet",
        "en": "Map of the service area",
    },
    "map_zoom_in": {
        "fi": "Lähennä",
        "sv": "Zooma in",
        "en": "Zoom in",
    },
    "map_zoom_out": {
        "fi": "Loitonna",
        "sv": "Zooma ut",
        "en": "Zoom out",
    },
    "map_area_failed": {
        "fi": "Palvelualueen rajaa ei juuri nyt saatu ladattua. Kartta toimii silti.",
        "sv": "Serviceområdets gräns kunde inte laddas just nu. Kartan fungerar ändå.",
        "en": "The service area boundary could not be loaded right now. The map still works.",
    },
    "map_failed": {
        "fi": "Karttaa ei juuri nyt saatu näkyviin. Palautteen aiheet näet alta.",
        "sv": "Kartan kunde inte visas just nu. Ämnena för respons ser du nedan.",
        "en": "The map could not be shown right now. The feedback topics are listed below.",
    },
    "map_needs_javascript": {
        "fi": "Kartta tarvitsee JavaScriptin. Palautteen aiheet näet alta ilman sitäkin.",
        "sv": "Kartan behöver JavaScript. Ämnena för respons ser du nedan även utan det.",
        "en": "The map needs JavaScript. The feedback topics below are shown without it.",
    },
    "categories_heading": {
        "fi": "Mistä voit antaa palautetta",
        "sv": "Vad du kan ge respons om",
        "en": "What you can give feedback on",
    },
    "categories_empty": {
        "fi": "Palautteen aiheita ei ole vielä määritelty.",
        "sv": "Inga ämnen för respons har definierats ännu.",
        "en": "No feedback topics have been set up yet.",
    },
}


def translate(language: str, key: str) -> str:
    """The text `key` in `language`; an unknown key is a bug, so it raises KeyError."""
    return TEXTS[key][language]


def translator(language: str) -> Callable[[str], str]:
    return lambda key: translate(language, key)
