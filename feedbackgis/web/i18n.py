"""The resident pages' texts in Finnish, Swedish and English.

All page texts live here, in one place, so a translator reviews one file. Texts are plain
strings (never markup): templates escape them like any other value. Which language a request
gets is decided by feedbackgis.i18n.request_language, shared with the API.
"""
from __future__ import annotations

from collections.abc import Callable

from feedbackgis.i18n import REPORT_FIELD_TEXTS, STATUS_TEXTS

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
    # The statuses' names are shared with the emails, so they live in feedbackgis/i18n.py.
    **STATUS_TEXTS,
    **REPORT_FIELD_TEXTS,
    "event_submitted": {"fi": "Ilmoitus vastaanotettiin", "sv": "Anmälan togs emot",
                        "en": "Report received"},
    # Area subscriptions and report followers: confirm and unsubscribe pages.
    "subscription_confirmed_title": {
        "fi": "Tilaus on voimassa",
        "sv": "Beställningen är aktiverad",
        "en": "Your subscription is confirmed",
    },
    "subscription_confirmed_text": {
        "fi": "Saat kerran päivässä koosteen uusista julkisista ilmoituksista valitsemaltasi "
              "alueelta, kun niitä on tullut. Jokaisessa viestissä on linkki, josta voit "
              "lopettaa tilauksen.",
        "sv": "Du får en gång om dagen en sammanställning av nya offentliga anmälningar från "
              "området du valt, när sådana har kommit in. Varje meddelande har en länk för "
              "att avsluta beställningen.",
        "en": "Once a day you get a digest of new public reports in the area you chose, "
              "whenever there are any. Every message has a link to unsubscribe.",
    },
    "follower_confirmed_title": {
        "fi": "Seuraat nyt ilmoitusta",
        "sv": "Du följer nu anmälan",
        "en": "You now follow the report",
    },
    "follower_confirmed_text": {
        "fi": "Saat sähköpostia, kun ilmoituksen tila muuttuu. Jokaisessa viestissä on "
              "linkki, josta voit lopettaa seuraamisen.",
        "sv": "Du får e-post när anmälans status ändras. Varje meddelande har en länk för "
              "att sluta följa anmälan.",
        "en": "You get an email when the report's status changes. Every message has a link "
              "to stop following it.",
    },
    "field_report": {"fi": "Ilmoitus", "sv": "Anmälan", "en": "Report"},
    "changed_your_mind": {
        "fi": "Muutitko mielesi?",
        "sv": "Ändrade du dig?",
        "en": "Changed your mind?",
    },
    "subscription_unsubscribe_title": {
        "fi": "Lopetetaanko tilaus?",
        "sv": "Vill du avsluta beställningen?",
        "en": "Unsubscribe?",
    },
    "subscription_unsubscribe_text": {
        "fi": "Et saa enää koosteita tältä alueelta, ja sähköpostiosoitteesi poistetaan.",
        "sv": "Du får inga fler sammanställningar från området, och din e-postadress raderas.",
        "en": "You will get no more digests for this area, and your email address is "
              "deleted.",
    },
    "subscription_unsubscribe_button": {
        "fi": "Lopeta tilaus",
        "sv": "Avsluta beställningen",
        "en": "Unsubscribe",
    },
    "subscription_unsubscribed_title": {
        "fi": "Tilaus on lopetettu",
        "sv": "Beställningen är avslutad",
        "en": "You have unsubscribed",
    },
    "follower_unsubscribe_title": {
        "fi": "Lopetetaanko ilmoituksen seuraaminen?",
        "sv": "Vill du sluta följa anmälan?",
        "en": "Stop following the report?",
    },
    "follower_unsubscribe_text": {
        "fi": "Et saa enää viestejä tästä ilmoituksesta, ja sähköpostiosoitteesi poistetaan.",
        "sv": "Du får inga fler meddelanden om anmälan, och din e-postadress raderas.",
        "en": "You will get no more messages about this report, and your email address is "
              "deleted.",
    },
    "follower_unsubscribe_button": {
        "fi": "Lopeta seuraaminen",
        "sv": "Sluta följa",
        "en": "Stop following",
    },
    "follower_unsubscribed_title": {
        "fi": "Et enää seuraa ilmoitusta",
        "sv": "Du följer inte längre anmälan",
        "en": "You no longer follow the report",
    },
    "unsubscribed_text": {
        "fi": "Sähköpostiosoitteesi on poistettu, emmekä lähetä sinulle tästä enää viestejä.",
        "sv": "Din e-postadress har raderats, och vi skickar dig inga fler meddelanden om "
              "detta.",
        "en": "Your email address has been deleted, and we will send you no more messages "
              "about this.",
    },
    "link_invalid_title": {
        "fi": "Linkki ei ole voimassa",
        "sv": "Länken är inte giltig",
        "en": "This link is not valid",
    },
    "confirm_link_invalid": {
        "fi": "Vahvistuslinkki ei ole voimassa. Vahvistamaton tilaus poistetaan 7 päivän "
              "kuluttua, ja lopetetun tilauksen linkit lakkaavat toimimasta. Tarkista myös, "
              "että kopioit koko osoitteen.",
        "sv": "Bekräftelselänken är inte giltig. En obekräftad beställning raderas efter "
              "7 dagar, och länkarna i en avslutad beställning slutar fungera. Kontrollera "
              "också att du kopierade hela adressen.",
        "en": "This confirmation link is not valid. An unconfirmed subscription is deleted "
              "after 7 days, and the links of one that was cancelled stop working. Check also "
              "that you copied the whole address.",
    },
    "unsubscribe_link_invalid": {
        "fi": "Linkki ei ole voimassa. Jos lopetit tilauksen jo, osoitteesi on poistettu "
              "eikä sinun tarvitse tehdä mitään. Tarkista muuten, että kopioit koko "
              "osoitteen.",
        "sv": "Länken är inte giltig. Om du redan har avslutat beställningen är din adress "
              "raderad och du behöver inte göra något. Kontrollera annars att du kopierade "
              "hela adressen.",
        "en": "This link is not valid. If you have already unsubscribed, your address has "
              "been deleted and there is nothing more to do. Otherwise check that you copied "
              "the whole address.",
    },
    "back_to_map": {
        "fi": "Palautekartan etusivulle",
        "sv": "Till Responskartans startsida",
        "en": "To the Feedback map's front page",
    },
}


def translate(language: str, key: str) -> str:
    """The text `key` in `language`; an unknown key is a bug, so it raises KeyError."""
    return TEXTS[key][language]


def translator(language: str) -> Callable[[str], str]:
    return lambda key: translate(language, key)
