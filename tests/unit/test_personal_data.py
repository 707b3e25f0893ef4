"""Personal data flagged for a moderator: true positives, and the look-alikes left alone."""
from __future__ import annotations

import pytest

from feedbackgis.domain.personal_data import (
    Finding,
    PersonalDataKind,
    find_personal_data,
    has_personal_data,
    is_valid_identity_code,
)

EMAIL = PersonalDataKind.EMAIL
PHONE = PersonalDataKind.PHONE
HETU = PersonalDataKind.IDENTITY_CODE
PLATE = PersonalDataKind.VEHICLE_PLATE

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(ddmmyy: str, sign: str, individual: str) -> str:
    """A HETU with the check character computed from the published rule."""
    return f"{ddmmyy}{sign}{individual}{CHECK_CHARACTERS[int(ddmmyy + individual) % 31]}"


def wrong_check(code: str) -> str:
    """The same code with the next check character in the table, i.e. a look-alike."""
    right = code[-1]
    return code[:-1] + CHECK_CHARACTERS[(CHECK_CHARACTERS.index(right) + 1) % 31]


def kinds_and_texts(text: str) -> list[tuple[PersonalDataKind, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


FLAGGED = [
    # --- identity codes ---
    ("the known example 131052-308T is flagged", "131052-308T", HETU),
    ("a code with a lower-case check character is flagged", "131052-308t", HETU),
    ("a 1900s code with a hyphen is flagged", hetu("010190", "-", "123"), HETU),
    ("a 1900s code with the new sign Y is flagged", hetu("150575", "Y", "456"), HETU),
    ("a 1900s code with the new sign U is flagged", hetu("311299", "U", "002"), HETU),
    ("a 2000s code with A is flagged", hetu("290204", "A", "899"), HETU),
    ("a 2000s code with F is flagged", hetu("010123", "F", "321"), HETU),
    ("a 1800s code with a plus is flagged", hetu("241299", "+", "345"), HETU),
    ("a temporary code in the 900 range is flagged", hetu("010180", "-", "901"), HETU),
    ("a temporary code 999 is flagged", hetu("010180", "-", "999"), HETU),
    # --- emails ---
    ("a plain email address is flagged", "matti.meikalainen@example.fi", EMAIL),
    ("an email with plus and sub-domain is flagged", "m+palaute@posti.kunta.fi", EMAIL),
    ("an email with Finnish letters is flagged", "pääkäyttäjä@kunta.fi", EMAIL),
    # --- phones ---
    ("a mobile number in three groups is flagged", "040 123 4567", PHONE),
    ("a mobile number with a hyphen is flagged", "050-1234567", PHONE),
    ("a mobile number without separators is flagged", "0401234567", PHONE),
    ("a mobile number with a four-digit prefix is flagged", "0400 123456", PHONE),
    ("a mobile number in pairs is flagged", "044 123 45 67", PHONE),
    ("an international mobile number is flagged", "+358 40 1234567", PHONE),
    ("an international number without spaces is flagged", "+358401234567", PHONE),
    ("an international number with 00 is flagged", "00358 50 123 4567", PHONE),
    ("an international number with (0) is flagged", "+358 (0)40 123 4567", PHONE),
    ("an international landline with hyphens is flagged", "+358-9-310 1234", PHONE),
    ("a Helsinki landline with a hyphen is flagged", "09-310 1234", PHONE),
    ("a Helsinki landline with a space is flagged", "09 3101234", PHONE),
    ("a landline with the area code in brackets is flagged", "(09) 310 1234", PHONE),
    ("a landline with a three-digit area code is flagged", "017 123 456", PHONE),
    ("a nationwide service number is flagged", "020 123 4567", PHONE),
    ("a no-break space counts as a separator", "040\u00a0123\u00a04567", PHONE),
    # --- plates ---
    ("a three-letter three-digit plate is flagged", "ABC-123", PLATE),
    ("a two-letter plate is flagged", "AB-12", PLATE),
    ("a plate with one digit is flagged", "ABC-1", PLATE),
    ("a plate with Finnish letters is flagged", "ÅÄÖ-321", PLATE),
]


@pytest.mark.parametrize(("text", "kind"), [(t, k) for _, t, k in FLAGGED],
                         ids=[name for name, _, _ in FLAGGED])
def test_whole_text_is_flagged_as_one_finding(text, kind):
    assert find_personal_data(text) == [Finding(kind=kind, start=0, end=len(text), text=text)]
    assert has_personal_data(text)


NOT_FLAGGED = [
    # --- identity-code look-alikes ---
    ("the known example with a wrong check character is not flagged", wrong_check("131052-308T")),
    ("a 2000s code with a wrong check character is not flagged",
     wrong_check(hetu("290204", "A", "899"))),
    ("a temporary code with a wrong check character is not flagged",
     wrong_check(hetu("010180", "-", "901"))),
    ("a code for 30 February is not flagged even with a right check", hetu("300290", "-", "123")),
    ("a code for 29 February of a non-leap year is not flagged", hetu("290201", "A", "123")),
    ("a code for month 13 is not flagged", hetu("011390", "-", "123")),
    ("a code with the never issued number 001 is not flagged", hetu("010190", "-", "001")),
    ("a code with an unknown century sign is not flagged", "131052G308T"),
    ("a code glued to more digits is not flagged", "1131052-308T"),
    # --- dates, years, numbers ---
    ("a date with dots is not flagged", "13.10.2052"),
    ("a date with leading zeros is not flagged", "02.03.2023"),
    ("a date with hyphens is not flagged", "02-03-2023"),
    ("a date with spaces is not flagged", "05 06 2023"),
    ("an ISO date is not flagged", "2023-03-02"),
    ("a year is not flagged", "vuonna 2024"),
    ("a house number is not flagged", "Mannerheimintie 12 A 3"),
    ("a Helsinki postal code is not flagged", "00100 Helsinki"),
    ("an Espoo postal code is not flagged", "02100 Espoo"),
    ("a Järvenpää postal code is not flagged", "04400 Järvenpää"),
    ("an amount in euros is not flagged", "korjaus maksoi 1 250 euroa"),
    ("a small amount with a decimal comma is not flagged", "0,50 €"),
    ("a pole number is not flagged", "pylväs 1234"),
    ("a lamp number with a leading zero is not flagged", "valaisin 0123"),
    ("an order number without a phone prefix is not flagged", "tilaus 0123456789"),
    ("a landline-looking number without separators is not flagged", "viite 0931012345"),
    ("a number with a real prefix but too short is not flagged", "09 12345"),
    ("a mobile-looking number that is too short is not flagged", "040 123"),
    ("an international number that is too long is not flagged", "+358 40 1234 5678 90"),
    ("the emergency number is not flagged", "soita 112"),
    ("a short service number is not flagged", "0100 100"),
    ("the tail of a bank account number is not flagged", "FI21 1234 5600 0401 2345"),
    ("a card-like digit run starting like a mobile is not flagged", "0401 2345 6789 0123"),
    # --- emails ---
    ("an at sign without a domain dot is not flagged", "tavataan klo 12@asema"),
    ("a Twitter-style handle is not flagged", "@kaupunki"),
    # --- plates ---
    ("COVID-19 is not a plate", "COVID-19"),
    ("lower-case covid-19 is not a plate", "covid-19"),
    ("SARS-COV-2 is not a plate", "SARS-COV-2"),
    ("a vitamin B-12 is not a plate", "vitamiini B-12"),
    ("a standard ISO-9001 is not a plate", "ISO-9001"),
    ("EU-27 is on the stop list", "EU-27"),
    ("an ingress rating IP-65 is on the stop list", "valaisin IP-65"),
    ("a plate-like code with a leading zero is not a plate", "ABC-012"),
    ("a plate-like code with four digits is not a plate", "ABC-1234"),
    ("a plate-like part of a longer code is not a plate", "AB-12-C"),
    ("a lower-case hyphen pair without vehicle context is not a plate", "auki ma-12"),
    ("a spaced pair in capitals without vehicle context is not a plate", "KLO 12"),
    ("a lower-case spaced pair after a vehicle word is not a plate", "auto on 3 viikkoa"),
    ("letters and digits without a separator are not a plate", "ABC123"),
    ("an ordinary sentence has no findings", "Katuvalo pimeänä jo kolme viikkoa."),
    ("an empty text has no findings", ""),
]


@pytest.mark.parametrize("text", [t for _, t in NOT_FLAGGED], ids=[n for n, _ in NOT_FLAGGED])
def test_look_alike_is_not_flagged(text):
    assert find_personal_data(text) == []
    assert not has_personal_data(text)


MIXED = [
    ("a phone and an email in one sentence are both found at their positions",
     "Soita 040 123 4567 tai laita postia a.b@example.fi kiitos",
     [Finding(PHONE, 6, 18, "040 123 4567"), Finding(EMAIL, 36, 50, "a.b@example.fi")]),
    ("a plate after a vehicle word is found in the spaced form",
     "Auton rekisterinumero on ABC 123, seisoo jalkakäytävällä.",
     [Finding(PLATE, 25, 32, "ABC 123")]),
    ("a lower-case plate after a vehicle word is found",
     "romuauto abc-123 pihalla",
     [Finding(PLATE, 9, 16, "abc-123")]),
    ("an identity code, a pole number and a date are told apart",
     "Pylväs 1234 kaatui 13.10.2052, ilmoittaja 131052-308T.",
     [Finding(HETU, 42, 53, "131052-308T")]),
    ("a sentence-ending dot is not part of the email",
     "Vastaus: etu.suku@kunta.fi.",
     [Finding(EMAIL, 9, 26, "etu.suku@kunta.fi")]),
    ("an email made of a phone number is one email, not a phone",
     "0401234567@sms.example.fi",
     [Finding(EMAIL, 0, 25, "0401234567@sms.example.fi")]),
    ("two phone numbers written one after the other are two findings",
     "puh. 09-310 1234 040 123 4567",
     [Finding(PHONE, 5, 16, "09-310 1234"), Finding(PHONE, 17, 29, "040 123 4567")]),
    ("a trailing single digit is not taken into the phone number",
     "soitin 040 123 4567 2 kertaa",
     [Finding(PHONE, 7, 19, "040 123 4567")]),
    ("all four kinds are found in order",
     "ABC-123 kuski 010190-123? puh +358 9 310 1234, s-posti x@y.fi",
     None),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in MIXED],
                         ids=[n for n, _, _ in MIXED])
def test_mixed_text_findings_and_positions(text, expected):
    if expected is None:  # built here so that the code's check character comes from the rule
        code = hetu("010190", "-", "123")
        text = text.replace("010190-123?", code)
        expected = [
            Finding(PLATE, 0, 7, "ABC-123"),
            Finding(HETU, 14, 25, code),
            Finding(PHONE, 30, 45, "+358 9 310 1234"),
            Finding(EMAIL, 55, 61, "x@y.fi"),
        ]
    findings = find_personal_data(text)
    assert findings == expected
    assert all(text[f.start:f.end] == f.text for f in findings)


def test_findings_are_sorted_and_never_overlap():
    text = ("a@b.fi 040 123 4567 ABC-123 131052-308T 09-310 1234 "
            "0401234567@sms.example.fi (09) 310 1234")
    findings = find_personal_data(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert len(findings) == 7


def test_every_issued_and_temporary_number_with_the_right_check_is_valid():
    assert all(is_valid_identity_code(hetu("131052", "-", f"{n:03}")) for n in range(2, 1000))


def test_every_wrong_check_character_is_rejected():
    right = hetu("131052", "A", "308")
    wrong = [right[:-1] + c for c in CHECK_CHARACTERS if c != right[-1]]
    assert not any(is_valid_identity_code(code) for code in wrong)


def test_a_finding_cannot_be_changed():
    finding = find_personal_data("040 123 4567")[0]
    with pytest.raises(AttributeError):
        finding.start = 1  # type: ignore[misc]
