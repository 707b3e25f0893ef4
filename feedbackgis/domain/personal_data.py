"""Personal data in free text, flagged for a moderator to edit before a report is published.

The rules are tuned for what Finnish residents write in a feedback line: they aim to catch
the identifiers that point at a person (email, phone, identity code, car plate) while staying
quiet on the numbers such a line is full of (dates, years, house numbers, postal codes,
amounts, pole and lamp numbers). A finding is a suggestion for a person to look at, not an
automatic redaction, so each rule leans towards the structure of the real identifier rather
than towards "anything with many digits".

Pure: no Flask, no SQL, no clock, imports nothing of ours.
"""
from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass


class PersonalDataKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    IDENTITY_CODE = "identity_code"  # henkilötunnus (HETU)
    VEHICLE_PLATE = "vehicle_plate"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: PersonalDataKind
    start: int  # index of the first character in the text
    end: int  # index one past the last character (text[start:end] == self.text)
    text: str


def find_personal_data(text: str) -> list[Finding]:
    """All personal data found in ``text``, sorted by start, never overlapping.

    Where two rules claim overlapping text, the more certain one wins, in the order of
    ``_PRIORITY`` (a checksum-valid identity code beats everything; an email beats the
    phone-like digits inside it; a plate is the weakest signal).
    """
    candidates = [
        *_identity_codes(text),
        *_emails(text),
        *_phones(text),
        *_plates(text),
    ]
    candidates.sort(key=lambda f: (_PRIORITY.index(f.kind), f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for candidate in candidates:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    kept.sort(key=lambda f: f.start)
    return kept


def has_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))


_PRIORITY = (
    PersonalDataKind.IDENTITY_CODE,
    PersonalDataKind.EMAIL,
    PersonalDataKind.PHONE,
    PersonalDataKind.VEHICLE_PLATE,
)


def _finding(kind: PersonalDataKind, text: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, start=start, end=end, text=text[start:end])


# --- Email -----------------------------------------------------------------------------------
# A pragmatic address shape, not RFC 5322: residents write "etu.suku@example.fi", not quoted
# local parts. \w lets Finnish letters through ("pääkäyttäjä@kunta.fi"). The domain needs a
# dot and an alphabetic TLD of 2+ letters, so "klo 12@asema" or "a@b" are not addresses; a
# sentence-ending dot is not taken into the address.
_EMAIL = re.compile(
    r"(?<![\w.%+-])"
    r"[\w%+-](?:[\w.%+-]*[\w%+-])?"
    r"@"
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}"
    r"(?![\w-]|\.[^\W_])"
)


def _emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield _finding(PersonalDataKind.EMAIL, text, m.start(), m.end())


# --- Phone numbers ---------------------------------------------------------------------------
# Finnish numbers are a trunk "0" (or the country code +358 / 00358 instead of it) followed by
# the national significant number (NSN): a prefix and a subscriber number. We require a real
# Finnish prefix, because that is what separates a phone number from an order number:
#   mobile      04x, 050
#   area codes  013-019, 02, 03, 05, 06, 08, 09
#   nationwide  010, 020, 029, 030, 060x, 070x, 071, 073, 075, 080x (corporate, service, free)
# and an NSN of 7-10 digits (09 + 7 digits = 8, 040 + 7 = 9, 017 + 5 = 7, newer 045 up to 10),
# which leaves out short numbers (112, 116 117, "0100 100") and anything too long to dial.
#
# How the number is written decides how much we trust it:
#   +358 / 00358     the country code is a strong signal: any grouping, or none, is accepted.
#   mobile (04x/050) a 04x/050 start is distinctive enough to accept without separators too
#                    ("0401234567"), as residents often type it.
#   other prefixes   must be written the Finnish way, with the area code as its own group,
#                    "09-310 1234", "09 3101234", "(09) 310 1234": a bare "0931012345" or an
#                    order number "0201234567" is not flagged.
# Separators are one space, no-break space or hyphen between digit groups. Digit groups after
# the first have 2+ digits, so "040 123 4567 2 kertaa" stops before " 2".
# What is never a phone number here, and why:
#   years, house numbers, amounts, "pylväs 1234"  do not start with 0 or +358;
#   postal codes "00100", "02100 Espoo"             "00" is no prefix; "02100" is not the
#                                                   area code "02" as its own group;
#                                                   "04400" has a 4-digit NSN (too short);
#   dates "02-03-2023", "05 06 2023"                rejected by shape (day, month, year);
#   "13.10.2052", "0,50"                            a dot or comma is no separator, and a
#                                                   number touching one is left alone;
#   the tail of a longer digit run (IBAN groups)    must not follow a digit and a separator.
_SEP = r"[ \u00a0-]"
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[ \u00a0.,/-])"
    r"(?:"
    r"(?P<intl>(?:\+|00)358)" + _SEP + r"?(?:\(0\)" + _SEP + r"?)?"
    r"|\((?P<paren>0\d{1,3})\)" + _SEP + r"?"
    r")?"
    r"(?P<body>\d+(?:" + _SEP + r"\d{2,})*)"
    r"(?!\w|[.,]\d)"
)
_MOBILE = re.compile(r"4\d|50")
_AREA_OR_SERVICE = frozenset(
    {"13", "14", "15", "16", "17", "18", "19", "2", "3", "5", "6", "8", "9",
     "10", "20", "29", "30", "71", "73", "75"}
    | {f"{p}{d}" for p in ("60", "70", "80") for d in "0123456789"}
)
_NSN_LENGTH = range(7, 11)
_DATE_SHAPE = re.compile(r"(\d{1,2})([ \u00a0.-])(\d{1,2})\2(\d{2}|19\d\d|20\d\d)")


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE.finditer(text):
        for start, end in _phone_spans(m):
            yield _finding(PersonalDataKind.PHONE, text, start, end)


def _phone_spans(m: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The phone numbers in one run of digit groups.

    Two numbers written one after the other ("09-310 1234 040 123 4567") form one run, so the
    run is cut into the longest valid numbers from the left; a cut is made only where the next
    group starts with 0 (the start of another number), so that a long digit run such as a card
    number "0401 2345 6789 0123" does not yield a phone-shaped fragment.
    """
    body_start = m.start("body")
    groups = list(re.finditer(r"\d+", m["body"]))
    i = 0
    while i < len(groups):
        intl, paren = (m["intl"], m["paren"]) if i == 0 else (None, None)
        for j in range(len(groups), i, -1):
            if j < len(groups) and not groups[j].group().startswith("0"):
                continue
            segment = m["body"][groups[i].start():groups[j - 1].end()]
            if _is_phone(intl, paren, segment):
                yield (m.start() if i == 0 else body_start + groups[i].start(),
                       body_start + groups[j - 1].end())
                i = j
                break
        else:
            return


def _is_phone(intl: str | None, paren: str | None, body: str) -> bool:
    groups = re.split(_SEP, body)
    if intl:
        nsn = "".join(groups)
        if nsn.startswith("0"):  # "+358 040 ..." written with the trunk 0 kept by mistake
            nsn = nsn[1:]
        return len(nsn) in _NSN_LENGTH and _has_prefix(nsn)
    if paren:
        # "(09) 310 1234": the area code is in brackets, so it is its own group by construction.
        code = paren[1:]
        nsn = code + "".join(groups)
        return code in _AREA_OR_SERVICE and len(nsn) in _NSN_LENGTH and not body.startswith("0")
    first = groups[0]
    if not first.startswith("0") or _is_date(body):
        return False
    nsn = "".join(groups)[1:]
    if len(nsn) not in _NSN_LENGTH:
        return False
    if _MOBILE.match(first, 1):
        return True
    return len(groups) > 1 and first[1:] in _AREA_OR_SERVICE


def _has_prefix(nsn: str) -> bool:
    return bool(_MOBILE.match(nsn)) or any(nsn.startswith(p) for p in _AREA_OR_SERVICE)


def _is_date(body: str) -> bool:
    m = _DATE_SHAPE.fullmatch(body)
    return m is not None and 1 <= int(m[1]) <= 31 and 1 <= int(m[3]) <= 12


# --- Finnish personal identity code (henkilötunnus, HETU) -------------------------------------
# DDMMYY, a century sign, a 3-digit individual number and a check character. Only codes whose
# check character is right and whose date exists are flagged: the checksum is what makes this
# rule nearly free of false positives, and a look-alike with a wrong check character is most
# likely a product or case number, not a person.
#   century signs  "+" 1800s; "-" and (since 2023) Y X W V U 1900s; "A" and B-F 2000s.
#   individual     002-899 are issued; 900-999 are temporary codes and still identify a
#                  person, so they are flagged too; 000 and 001 are never issued.
#   check          "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(DDMMYY + NNN) % 31].
# Letters are matched case-insensitively ("131052-308t" is the same code typed sloppily; the
# checksum keeps the risk low). A date in the future is still flagged: a pure rule has no
# clock, and flagging one too many is the safer mistake for a moderator.
_HETU = re.compile(r"(?<!\w)(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)", re.I)
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}


def _identity_codes(text: str) -> Iterator[Finding]:
    for m in _HETU.finditer(text):
        if is_valid_identity_code(m.group(0)):
            yield _finding(PersonalDataKind.IDENTITY_CODE, text, m.start(), m.end())


def is_valid_identity_code(code: str) -> bool:
    """Whether ``code`` is a HETU with a real date, an issued number and the right check."""
    m = _HETU.fullmatch(code)
    if m is None:
        return False
    day, month, yy, sign, individual, check = m.groups()
    century = _HETU_CENTURY.get(sign.upper())
    if century is None or not 2 <= int(individual) <= 999:
        return False
    try:
        datetime.date(century + int(yy), int(month), int(day))
    except ValueError:
        return False
    return _HETU_CHECK[int(day + month + yy + individual) % 31] == check.upper()


# --- Finnish vehicle registration plates -----------------------------------------------------
# Ordinary Finnish plates are 2-3 letters (A-Z and Å Ä Ö), a hyphen and 1-3 digits with no
# leading zero: "ABC-123", "AB-12", "ABC-1". Chosen rule:
#   "ABC-123" in capitals    flagged anywhere: the exact shape and letters-only-in-capitals
#                            keep ordinary words out; "COVID-19" (5 letters), "B-12"
#                            (1 letter), "ISO-9001" (4 digits), "ABC-012" (leading zero) and
#                            parts of longer codes ("SARS-COV-2", "AB-12-C") do not fit.
#                            A short stop list drops the acronym codes residents do write
#                            ("EU-27", "IP-65", "EN-1317" is already too long, "MP-3", "TV-2").
#   "abc-123" / "ABC 123"    flagged only after a vehicle word in the preceding 30 characters
#                            (the spaced form in capitals only: "auto on 3 viikkoa" is not)
#                            ("auto", "rekisterinumero", "rek.", "kilvessä", "plate", "bil"
#                            ...): lower case "ma-12" or capitals "KLO 12", "TAI 3" are too
#                            common to flag on shape alone. Inside that context the stop list
#                            does not apply. "ABC123" without any separator is not flagged.
_PLATE = re.compile(
    r"(?<![\w-])(?P<letters>[A-ZÅÄÖ]{2,3})(?P<sep>[- ])(?P<digits>[1-9]\d{0,2})(?!\w|-\w|[.,]\d)",
    re.I,
)
_PLATE_STOP_LIST = frozenset({"EU", "IP", "EN", "ISO", "SFS", "MP", "TV", "HD", "USB", "UV",
                              "WC", "LED", "CO", "PM", "LTE"})
# Finnish compounds put the vehicle word last ("romuauto", "pakettiauton", "rekisterikilpi"),
# so the long stems match inside a word; the short ones (rek., car, bil) only at its start.
_VEHICLE_WORD = re.compile(
    r"auto|ajoneuvo|kilpi|kilve|bussi|mopo|moottoripyör|vehicle|plate|licen[cs]e|fordon"
    r"|registrering|\b(?:rek|car|bil)",
    re.I,
)
_VEHICLE_CONTEXT_CHARS = 30


def _plates(text: str) -> Iterator[Finding]:
    for m in _PLATE.finditer(text):
        letters = m["letters"]
        capitals = letters.isupper()
        in_context = bool(
            _VEHICLE_WORD.search(text, max(0, m.start() - _VEHICLE_CONTEXT_CHARS), m.start())
        )
        if m["sep"] == " ":
            # Lower case spaced pairs are everyday Finnish ("auto on 3 viikkoa paikallaan").
            flagged = in_context and capitals
        else:
            flagged = in_context or (capitals and letters not in _PLATE_STOP_LIST)
        if flagged:
            yield _finding(PersonalDataKind.VEHICLE_PLATE, text, m.start(), m.end())
