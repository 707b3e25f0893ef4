"""The notification emails' texts in Finnish, Swedish and English.

Every sentence of every email lives here, so a translator reviews one file; the templates
under mail/templates/ only arrange these texts and the report's data. Texts are plain strings
(never markup): HTML templates escape them like any other value. `{name}` placeholders are
filled by `mail_text`. Status names are the web pages' own, so an email and the
follow-up page call a status by the same word (feedbackgis/i18n.py).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackgis.i18n import REPORT_FIELD_TEXTS, STATUS_TEXTS

MAIL_TEXTS: dict[str, dict[str, str]] = {
    # Subjects: short and specific, so the inbox list alone says what happened.
    "subject_party_assigned": {
        "fi": "Uusi ilmoitus: {category} – {place} (#{id})",
        "sv": "Ny anmälan: {category} – {place} (#{id})",
        "en": "New report: {category} – {place} (#{id})",
    },
    "subject_reporter_submitted": {
        "fi": "Ilmoituksesi on vastaanotettu: {category} (#{id})",
        "sv": "Din anmälan har tagits emot: {category} (#{id})",
        "en": "Your report has been received: {category} (#{id})",
    },
    "subject_reporter_update": {
        "fi": "Ilmoituksesi #{id}: {status}",
        "sv": "Din anmälan #{id}: {status}",
        "en": "Your report #{id}: {status}",
    },
    "subject_reporter_reply": {
        "fi": "Vastaus ilmoitukseesi #{id}",
        "sv": "Svar på din anmälan #{id}",
        "en": "A reply to your report #{id}",
    },
    "subject_reporter_closed": {
        "fi": "Ilmoituksesi #{id} on käsitelty – kiitos!",
        "sv": "Din anmälan #{id} är behandlad – tack!",
        "en": "Your report #{id} has been dealt with – thank you!",
    },
    "subject_follower_update": {
        "fi": "Seuraamasi ilmoitus #{id}: {status}",
        "sv": "Anmälan #{id} som du följer: {status}",
        "en": "Report #{id} you follow: {status}",
    },
    "party_assigned_intro": {
        "fi": "Teille on ohjattu uusi palauteilmoitus.",
        "sv": "En ny responsanmälan har tilldelats er.",
        "en": "A new report has been assigned to you.",
    },
    "party_open_work_order": {
        "fi": "Avaa työtilaus #{id}",
        "sv": "Öppna arbetsorder #{id}",
        "en": "Open work order #{id}",
    },
    "party_work_order": {
        "fi": "Avaa työtilaus:",
        "sv": "Öppna arbetsordern:",
        "en": "Open the work order:",
    },
    "party_photo_attached": {
        "fi": "Ilmoittajan valokuva on liitteenä.",
        "sv": "Anmälarens foto finns som bilaga.",
        "en": "The reporter's photo is attached.",
    },
    "reporter_heading": {
        "fi": "Ilmoittajan yhteystiedot",
        "sv": "Anmälarens kontaktuppgifter",
        "en": "The reporter's contact details",
    },
    "reporter_name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "reporter_email": {"fi": "Sähköposti", "sv": "E-post", "en": "Email"},
    "reporter_phone": {"fi": "Puhelin", "sv": "Telefon", "en": "Phone"},
    "submitted_intro": {
        "fi": "Kiitos ilmoituksestasi! Olemme vastaanottaneet sen, ja se ohjataan asian "
              "hoitajalle.",
        "sv": "Tack för din anmälan! Vi har tagit emot den, och den går vidare till den som "
              "sköter saken.",
        "en": "Thank you for your report! We have received it and it goes to whoever deals "
              "with the matter.",
    },
    "follow_up_link": {
        "fi": "Voit seurata ilmoituksesi käsittelyä täällä:",
        "sv": "Du kan följa hur din anmälan behandlas här:",
        "en": "You can follow how your report is handled here:",
    },
    "follow_up_private": {
        "fi": "Linkki on vain sinua varten: älä jaa sitä.",
        "sv": "Länken är bara för dig: dela den inte.",
        "en": "The link is for you only: do not share it.",
    },
    "update_status": {
        "fi": "Ilmoituksesi tila on nyt: {status}",
        "sv": "Din anmälans status är nu: {status}",
        "en": "Your report's status is now: {status}",
    },
    "follower_status": {
        "fi": "Seuraamasi ilmoituksen tila on nyt: {status}",
        "sv": "Statusen för anmälan som du följer är nu: {status}",
        "en": "The status of the report you follow is now: {status}",
    },
    "update_reply": {
        "fi": "Vastaus ilmoitukseesi:",
        "sv": "Svar på din anmälan:",
        "en": "A reply to your report:",
    },
    "update_note": {"fi": "Lisätieto:", "sv": "Tilläggsinformation:", "en": "Details:"},
    "closed_intro": {
        "fi": "Ilmoituksesi on käsitelty, ja asia on nyt suljettu.",
        "sv": "Din anmälan har behandlats, och ärendet är nu stängt.",
        "en": "Your report has been dealt with, and the matter is now closed.",
    },
    "closed_thanks": {
        "fi": "Kiitos, että autoit pitämään lähiympäristömme kunnossa.",
        "sv": "Tack för att du hjälpte till att hålla vår närmiljö i skick.",
        "en": "Thank you for helping us look after our surroundings.",
    },
    "closed_history": {
        "fi": "Ilmoituksesi vaiheet näet täältä:",
        "sv": "Din anmälans skeden ser du här:",
        "en": "Your report's history is here:",
    },
    "report_heading": {"fi": "Ilmoitus #{id}", "sv": "Anmälan #{id}", "en": "Report #{id}"},
    "place_unknown": {"fi": "ei tiedossa", "sv": "okänd", "en": "unknown"},
    "show_on_map": {
        "fi": "Näytä kartalla (OpenStreetMap)",
        "sv": "Visa på kartan (OpenStreetMap)",
        "en": "Show on the map (OpenStreetMap)",
    },
    "follower_reason": {
        "fi": "Saat tämän viestin, koska seuraat tätä ilmoitusta.",
        "sv": "Du får det här meddelandet eftersom du följer den här anmälan.",
        "en": "You receive this message because you follow this report.",
    },
    "follower_unsubscribe": {
        "fi": "Lopeta ilmoituksen seuraaminen:",
        "sv": "Sluta följa anmälan:",
        "en": "Stop following the report:",
    },
    "footer_automatic": {
        "fi": "Tämä on Palautekartan automaattinen viesti. Siihen ei voi vastata.",
        "sv": "Det här är ett automatiskt meddelande från Responskartan. Det går inte att "
              "svara på det.",
        "en": "This is an automatic message from the Feedback map. Replies are not read.",
    },
}

# Reused, not copied: the statuses' names as the follow-up page shows them.
TEXTS = {**MAIL_TEXTS, **STATUS_TEXTS, **REPORT_FIELD_TEXTS}


def mail_text(language: str, key: str, **values: Any) -> str:
    """The text `key` in `language` with its placeholders filled; an unknown key or a
    missing placeholder value is a bug, so it raises KeyError."""
    return TEXTS[key][language].format(**values)


def status_name(language: str, status: str) -> str:
    return mail_text(language, f"status_{status}")


def mail_translator(language: str) -> Callable[..., str]:
    return lambda key, **values: mail_text(language, key, **values)
