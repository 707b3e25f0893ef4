"""The texts of the subscription emails (area confirmation, follower confirmation, digest)
in Finnish, Swedish and English.

Kept beside mail/texts.py, in its form: plain strings with `{name}` placeholders, escaped by
the HTML templates. Templates reach these as `s(...)` and the shared texts (footer, field
names, statuses) as `t(...)`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

SUBSCRIPTION_MAIL_TEXTS: dict[str, dict[str, str]] = {
    "subject_area_confirmation": {
        "fi": "Vahvista tilaus: uudet ilmoitukset valitsemaltasi alueelta",
        "sv": "Bekräfta beställningen: nya anmälningar från området du valt",
        "en": "Confirm your subscription: new reports in the area you chose",
    },
    "area_confirmation_intro": {
        "fi": "Tähän osoitteeseen tilattiin päivittäinen kooste uusista julkisista "
              "palauteilmoituksista valitulta alueelta (noin {size} km²).",
        "sv": "En daglig sammanställning av nya offentliga responsanmälningar från ett valt "
              "område (cirka {size} km²) beställdes till den här adressen.",
        "en": "A daily digest of new public reports in a chosen area (about {size} km²) was "
              "requested for this address.",
    },
    "area_confirmation_action": {
        "fi": "Ota tilaus käyttöön avaamalla tämä linkki:",
        "sv": "Aktivera beställningen genom att öppna den här länken:",
        "en": "To start the subscription, open this link:",
    },
    "subject_follower_confirmation": {
        "fi": "Vahvista ilmoituksen #{id} seuraaminen",
        "sv": "Bekräfta att du följer anmälan #{id}",
        "en": "Confirm that you follow report #{id}",
    },
    "follower_confirmation_intro": {
        "fi": "Tällä osoitteella haluttiin seurata palauteilmoitusta #{id} ({category}). "
              "Seuraajana saat viestin, kun ilmoituksen tila muuttuu.",
        "sv": "Den här adressen vill följa responsanmälan #{id} ({category}). Som följare "
              "får du ett meddelande när anmälans status ändras.",
        "en": "This address asked to follow report #{id} ({category}). As a follower you "
              "get a message when the report's status changes.",
    },
    "follower_confirmation_action": {
        "fi": "Aloita seuraaminen avaamalla tämä linkki:",
        "sv": "Börja följa anmälan genom att öppna den här länken:",
        "en": "To start following the report, open this link:",
    },
    "confirmation_ignore": {
        "fi": "Jos et pyytänyt tätä, voit jättää viestin huomiotta: mitään ei oteta "
              "käyttöön, emmekä lähetä sinulle muuta. Vahvistamaton osoite poistetaan "
              "7 päivän kuluttua.",
        "sv": "Om du inte bad om detta kan du bortse från meddelandet: ingenting aktiveras "
              "och vi skickar dig inget mer. En obekräftad adress raderas efter 7 dagar.",
        "en": "If you did not ask for this, ignore this message: nothing is started and we "
              "send you nothing more. An unconfirmed address is deleted after 7 days.",
    },
    "confirmation_cancel": {
        "fi": "Poista osoitteesi heti:",
        "sv": "Radera din adress genast:",
        "en": "Delete your address now:",
    },
    "subject_digest": {
        "fi": "Uusia ilmoituksia alueellasi: {count}",
        "sv": "Nya anmälningar i ditt område: {count}",
        "en": "New reports in your area: {count}",
    },
    "digest_intro": {
        "fi": "Tilaamallesi alueelle on tullut uusia julkisia palauteilmoituksia:",
        "sv": "Nya offentliga responsanmälningar har kommit in från området du beställt:",
        "en": "New public reports have come in from the area you subscribed to:",
    },
    "digest_open": {
        "fi": "Avaa ilmoitus",
        "sv": "Öppna anmälan",
        "en": "Open the report",
    },
    "digest_received": {"fi": "Saapunut", "sv": "Inkommen", "en": "Received"},
    "digest_reason": {
        "fi": "Saat tämän koosteen, koska tilasit ilmoitukset tältä alueelta.",
        "sv": "Du får den här sammanställningen eftersom du beställt anmälningar från "
              "det här området.",
        "en": "You receive this digest because you subscribed to reports from this area.",
    },
    "digest_unsubscribe": {
        "fi": "Lopeta tilaus:",
        "sv": "Avsluta beställningen:",
        "en": "Unsubscribe:",
    },
}


def subscription_mail_text(language: str, key: str, **values: Any) -> str:
    """The text `key` in `language`, placeholders filled; a missing key raises KeyError."""
    return SUBSCRIPTION_MAIL_TEXTS[key][language].format(**values)


def subscription_translator(language: str) -> Callable[..., str]:
    return lambda key, **values: subscription_mail_text(language, key, **values)
