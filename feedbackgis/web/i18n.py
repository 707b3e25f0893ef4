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
    "follow_up_title": {
        "fi": "Ilmoituksesi tilanne",
        "sv": "Din anmälans status",
        "en": "Your report's status",
    },
    "follow_up_intro": {
        "fi": "Tämä sivu on vain sinua varten: älä jaa sen osoitetta.",
        "sv": "Den här sidan är bara för dig: dela inte dess adress.",
        "en": "This page is for you only: do not share its address.",
    },
    "field_category": {"fi": "Aihe", "sv": "Ämne", "en": "Topic"},
    "field_status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "field_place": {"fi": "Paikka", "sv": "Plats", "en": "Place"},
    "field_description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
    "field_handler": {"fi": "Käsittelijä", "sv": "Handläggare", "en": "Handled by"},
    "field_received": {"fi": "Vastaanotettu", "sv": "Mottagen", "en": "Received"},
    "follow_up_history": {"fi": "Vaiheet", "sv": "Skeden", "en": "History"},
    "follow_up_not_public": {
        "fi": "Ilmoitus ei näy julkisella kartalla ennen kuin se on tarkistettu.",
        "sv": "Anmälan syns inte på den offentliga kartan förrän den har granskats.",
        "en": "The report is not shown on the public map until it has been checked.",
    },
    "follow_up_invalid": {
        "fi": "Seurantalinkki ei ole voimassa. Tarkista, että kopioit koko osoitteen.",
        "sv": "Uppföljningslänken är inte giltig. Kontrollera att du kopierade hela adressen.",
        "en": "This follow-up link is not valid. Check that you copied the whole address.",
    },
    "status_received": {"fi": "Vastaanotettu", "sv": "Mottagen", "en": "Received"},
    "status_triage": {"fi": "Odottaa ohjausta", "sv": "Väntar på fördelning",
                      "en": "Waiting to be assigned"},
    "status_assigned": {"fi": "Ohjattu käsittelijälle", "sv": "Tilldelad handläggare",
                        "en": "Assigned"},
    "status_in_progress": {"fi": "Työn alla", "sv": "Under arbete", "en": "In progress"},
    "status_resolved": {"fi": "Korjattu", "sv": "Åtgärdad", "en": "Resolved"},
    "status_closed": {"fi": "Suljettu", "sv": "Stängd", "en": "Closed"},
    "status_rejected": {"fi": "Hylätty", "sv": "Avvisad", "en": "Rejected"},
    "event_submitted": {"fi": "Ilmoitus vastaanotettiin", "sv": "Anmälan togs emot",
                        "en": "Report received"},
}


def translate(language: str, key: str) -> str:
    """The text `key` in `language`; an unknown key is a bug, so it raises KeyError."""
    return TEXTS[key][language]


def translator(language: str) -> Callable[[str], str]:
    return lambda key: translate(language, key)
