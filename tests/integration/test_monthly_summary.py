"""The monthly summaries: the municipality's to its managers and admins, each party's to its
own addresses and handlers, in each recipient's language, with the dashboard's figures, an
inline map and a plain-text part; sent once however often the job runs."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from babel.numbers import format_decimal
from PIL import Image
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.domain.months import add_months
from feedbackgis.domain.permissions import Role, StatisticsScope
from feedbackgis.jobs.summaries import send_last_months_summaries
from feedbackgis.mail.monthly_summary_mail import month_name
from feedbackgis.mail.translation import mail_texts
from feedbackgis.models import Notification, StaffUser
from feedbackgis.services.analytics.dashboard import FigureFilters, dashboard_figures
from feedbackgis.services.analytics.monthly_summary import previous_month
from feedbackgis.services.analytics.summary_map import DOT_COLOUR, HEIGHT, WIDTH
from feedbackgis.services.analytics.summary_sending import (
    Delivery,
    SummarySettings,
    send_monthly_summaries,
    summaries_done,
)

from .factories import make_category, make_party, make_report, make_service_area, make_zone
from .mail_checks import html_of, text_of

HELSINKI = ZoneInfo("Europe/Helsinki")
MAY = datetime(2026, 5, 1).date()
APRIL = datetime(2026, 4, 1).date()
SETTINGS = SummarySettings(time_zone="Europe/Helsinki", metric_srid=3067)
EVIL_NAME = "Puisto <b>B</b>"


def _staff(session, email, role, *, party=None, language="fi", active=True):
    user = StaffUser(email=email, role=role, party_id=party.id if party else None,
                     language=language, active=active)
    session.add(user)
    session.flush()
    return user


def _report(session, category, party, zone, created, *, lon, lat, response_days=None,
            fixed_days=None, due_days=None, reopened=False):
    report = make_report(session, category, party=party, lon=lon, lat=lat)
    report.created_at = created
    report.assigned_zone_id = zone.id
    if response_days is not None:
        report.first_response_at = created + timedelta(days=response_days)
    if fixed_days is not None:
        report.fixed_at = created + timedelta(days=fixed_days)
    if due_days is not None:
        report.due_at = created + timedelta(days=due_days)
    report.reopen_count = 1 if reopened else 0
    session.flush()
    return report


def _at(day, hour=10):
    return datetime(2026, 5 if day > 0 else 4, abs(day), hour, tzinfo=HELSINKI)


@pytest.fixture
def world(session):
    make_service_area(session, box(24.80, 60.10, 25.10, 60.30))
    streets = make_party(session, "Katuyksikkö A", emails=["katu@example.fi"])
    streets.language = "sv"
    parks = make_party(session, EVIL_NAME, emails=["puisto@example.fi"])
    parks.language = "fi"
    quiet = make_party(session, "Hiljainen C", emails=["hiljainen@example.fi"])
    zone_a = make_zone(session, streets, box(24.85, 60.15, 24.95, 60.25))
    zone_b = make_zone(session, parks, box(24.95, 60.15, 25.05, 60.25))
    make_zone(session, quiet, box(24.81, 60.11, 24.84, 60.14))
    lights, holes = make_category(session, "streetlight"), make_category(session, "pothole")
    # May 2026: Monday the 4th to Friday the 8th are working days (the 1st is May Day).
    _report(session, lights, streets, zone_a, _at(4), lon=24.90, lat=60.20, response_days=2,
            fixed_days=4, due_days=5)
    _report(session, lights, streets, zone_a, _at(5), lon=24.91, lat=60.21, response_days=1,
            fixed_days=3, due_days=2, reopened=True)
    _report(session, holes, streets, zone_a, _at(6), lon=24.92, lat=60.19, response_days=0)
    _report(session, holes, parks, zone_b, _at(7), lon=25.00, lat=60.20, response_days=1,
            fixed_days=1, due_days=3)
    _report(session, lights, parks, zone_b, _at(8), lon=25.01, lat=60.22)
    _report(session, lights, streets, zone_a, _at(-7), lon=24.90, lat=60.22, response_days=1)
    people = {
        "manager": _staff(session, "paallikko@example.fi", Role.MANAGER, language="fi"),
        "admin": _staff(session, "yllapito@example.fi", Role.ADMIN, language="en"),
        "disabled": _staff(session, "entinen@example.fi", Role.MANAGER, active=False),
        "moderator": _staff(session, "moderaattori@example.fi", Role.MODERATOR),
        "handler_a": _staff(session, "kasittelija.a@example.fi", Role.HANDLER, party=streets,
                            language="en"),
        "handler_b": _staff(session, "kasittelija.b@example.fi", Role.HANDLER, party=parks,
                            language="sv"),
    }
    session.commit()
    return {"streets": streets, "parks": parks, "quiet": quiet, **people}


def _send(session, smtp, links, **kwargs):
    return send_monthly_summaries(session, smtp, links, month=MAY, settings=SETTINGS, **kwargs)


def _rows(text: str) -> dict[str, str]:
    """The key figures of a text part: label -> this month's value."""
    return dict(re.findall(r"^- (.+?): (.+?) \(", text, re.MULTILINE))


def _days(value, language):
    return "–" if value is None else format_decimal(value, format="#,##0.#", locale=language)


def _expected(session, party_id, language):
    """The figures the dashboard shows for May, as the email must write them."""
    texts = mail_texts(language)
    total = dashboard_figures(session, FigureFilters(MAY, MAY),
                              StatisticsScope(party_id=party_id), language).total
    return {
        texts.gettext("Reports received"): str(total.counts["reports"]),
        texts.gettext("Fixed"): str(total.fixed.reports),
        texts.gettext("Working days to first response, median"): _days(total.response.median,
                                                                       language),
        texts.gettext("Working days to fixed, 90th percentile"): _days(total.fixed.p90,
                                                                       language),
    }


def _map_of(message):
    [image] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    return image["Content-ID"].strip("<>"), Image.open(io.BytesIO(image.get_content()))


def _dot_pixels(image) -> int:
    return int((np.asarray(image.convert("RGB")) == DOT_COLOUR).all(axis=-1).sum())


def test_the_municipality_and_each_party_get_their_summary_in_their_language(
        app, session, smtp, links, mail_sink, world):
    run = _send(session, smtp, links)
    assert run.count(Delivery.SENT) == 6
    messages = mail_sink.wait_for(6)
    by_address = {message["To"]: message for message in messages}
    assert set(by_address) == {"paallikko@example.fi", "yllapito@example.fi",
                               "katu@example.fi", "kasittelija.a@example.fi",
                               "puisto@example.fi", "kasittelija.b@example.fi"}
    languages = {address: message["Content-Language"] for address, message in by_address.items()}
    assert languages == {"paallikko@example.fi": "fi", "yllapito@example.fi": "en",
                         "katu@example.fi": "sv", "kasittelija.a@example.fi": "en",
                         "puisto@example.fi": "fi", "kasittelija.b@example.fi": "sv"}
    # The month by Babel in the recipient's language, and the figures as the dashboard's.
    for address, party_id in (("paallikko@example.fi", None), ("yllapito@example.fi", None),
                              ("katu@example.fi", world["streets"].id),
                              ("kasittelija.b@example.fi", world["parks"].id)):
        message, language = by_address[address], languages[address]
        assert month_name(MAY, language) in message["Subject"]
        rows = _rows(text_of(message))
        for label, value in _expected(session, party_id, language).items():
            assert rows[label] == value, (address, label)
    assert month_name(MAY, "fi") == "toukokuu 2026" and month_name(MAY, "sv") == "maj 2026"
    # Hand-counted: five May reports in all, three of them the streets unit's.
    assert _rows(text_of(by_address["paallikko@example.fi"]))[
        mail_texts("fi").gettext("Reports received")] == "5"
    assert _rows(text_of(by_address["katu@example.fi"]))[
        mail_texts("sv").gettext("Reports received")] == "3"
    # Two of the unit's reports got a first response in 2 and 1 working days, one the same
    # day: the median is 1; the 90th percentile of its 2 fixed ones (4 and 3 days) is 3.9.
    english = _rows(text_of(by_address["kasittelija.a@example.fi"]))
    assert english["Working days to first response, median"] == "1"
    assert english["Working days to fixed, 90th percentile"] == "3.9"
    assert english["Fixed within the due time"] == "50%"
    assert english["Reopened after being fixed"] == "50%"
    assert "+2" in text_of(by_address["kasittelija.a@example.fi"])  # 3 reports after 1


def test_the_map_is_an_inline_png_with_the_reports_dots_and_an_alt_text(
        app, session, smtp, links, mail_sink, world):
    _send(session, smtp, links)
    message = mail_sink.to("paallikko@example.fi")[0]
    content_id, image = _map_of(message)
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    assert _dot_pixels(image) > 5 * 20  # five dots of some 40 pixels each
    html = html_of(message)
    [img] = re.findall(r"<img [^>]*>", html)
    assert f'src="cid:{content_id}"' in img
    alt = re.search(r'alt="([^"]+)"', img).group(1)
    assert "5" in alt and "toukokuu 2026" in alt
    # The plain-text part is there too, saying where the map is.
    assert message.get_body(("plain",)) is not None
    assert "HTML" in text_of(message)
    assert "<img" not in text_of(message)


def test_a_partys_map_shows_only_its_own_reports(app, session, smtp, links, mail_sink, world):
    _send(session, smtp, links)
    _, all_reports = _map_of(mail_sink.to("paallikko@example.fi")[0])
    _, parks_reports = _map_of(mail_sink.to("puisto@example.fi")[0])
    dots = [_dot_pixels(image) for image in (all_reports, parks_reports)]
    assert 0 < dots[1] < dots[0]


def test_a_second_run_sends_nothing_new_and_the_month_is_done(
        app, session, smtp, links, mail_sink, world):
    _send(session, smtp, links)
    mail_sink.wait_for(6)
    assert summaries_done(session, MAY)
    again = _send(session, smtp, links)
    assert again.count(Delivery.SENT) == 0 and again.count(Delivery.ALREADY_SENT) == 6
    assert len(mail_sink.messages) == 6
    sent = session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.kind == "monthly_summary"))
    assert sent == 6


def test_disabled_users_moderators_and_quiet_parties_get_none(
        app, session, smtp, links, mail_sink, world):
    run = _send(session, smtp, links)
    mail_sink.wait_for(6)
    addresses = {message["To"] for message in mail_sink.messages}
    assert "entinen@example.fi" not in addresses
    assert "moderaattori@example.fi" not in addresses
    assert "hiljainen@example.fi" not in addresses  # no reports in May or April
    assert run.skipped_parties == ["Hiljainen C"]


def test_a_handler_never_receives_another_partys_figures(
        app, session, smtp, links, mail_sink, world):
    _send(session, smtp, links)
    mail_sink.wait_for(6)
    [mail_a] = mail_sink.to("kasittelija.a@example.fi")
    everything = mail_a.as_string() + text_of(mail_a) + html_of(mail_a)
    assert "Puisto" not in everything and "Katuyksikkö A" in text_of(mail_a)
    assert "pothole en" in text_of(mail_a)  # its own top categories, in English
    [mail_b] = mail_sink.to("kasittelija.b@example.fi")
    assert "Katuyksikkö" not in text_of(mail_b) + html_of(mail_b)
    assert _rows(text_of(mail_b))[mail_texts("sv").gettext("Reports received")] == "2"


def test_a_party_name_with_markup_is_escaped_in_the_html(
        app, session, smtp, links, mail_sink, world):
    _send(session, smtp, links)
    mail_sink.wait_for(6)
    [message] = mail_sink.to("puisto@example.fi")
    html = html_of(message)
    assert "Puisto &lt;b&gt;B&lt;/b&gt;" in html and "<b>B</b>" not in html
    assert EVIL_NAME in text_of(message) and EVIL_NAME in message["Subject"]


def test_a_dry_run_lists_the_emails_and_sends_and_records_nothing(
        app, session, smtp, links, mail_sink, world):
    result = app.test_cli_runner().invoke(
        args=["figures", "summary", "--month", "2026-05", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.count("would send") == 6
    assert "2026-05: 6 email(s) would be sent, 0 sent before." in result.output
    assert mail_sink.messages == []
    assert not summaries_done(session, MAY)
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_cli_sends_a_given_month_and_refuses_a_malformed_one(
        app, session, smtp, links, mail_sink, world):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["figures", "summary", "--month", "2026-13"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    result = runner.invoke(args=["figures", "summary", "--month", "2026-05"])
    assert result.exit_code == 0, result.output
    assert "2026-05: 6 email(s) sent, 0 sent before." in result.output
    assert len(mail_sink.wait_for(6)) == 6


def test_a_month_without_reports_still_gives_the_municipality_a_short_summary(
        app, session, smtp, links, mail_sink, world):
    june = add_months(MAY, 1)
    run = send_monthly_summaries(session, smtp, links, month=june, settings=SETTINGS)
    # The parties' May reports are June's "month before": theirs say June had none.
    assert {mail.to for mail in run.mails} == {
        "paallikko@example.fi", "yllapito@example.fi", "katu@example.fi",
        "kasittelija.a@example.fi", "puisto@example.fi", "kasittelija.b@example.fi"}
    [message] = [m for m in mail_sink.wait_for(6) if m["To"] == "yllapito@example.fi"]
    assert "No reports were received in June 2026." in text_of(message)
    assert _rows(text_of(message))["Reports received"] == "0"


def test_the_hourly_job_sends_last_months_summaries_once(
        app, session, smtp, links, mail_sink, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUMMARY_HOUR", 0)
    month = previous_month(datetime.now(UTC), "Europe/Helsinki")
    category = make_category(session, "graffiti")
    created = datetime(month.year, month.month, 10, 12, tzinfo=HELSINKI)
    report = make_report(session, category, party=world["streets"], lon=24.9, lat=60.2)
    report.created_at = created
    session.commit()
    with app.app_context():
        first = send_last_months_summaries()
        second = send_last_months_summaries()
    assert first >= 2 and second == 0  # the managers' and the streets unit's at least
    assert summaries_done(session, month)
    assert len(mail_sink.wait_for(first)) == first


def test_users_and_parties_get_a_language_on_the_cli(app, session, connection):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "uusi@example.fi", "--role", "manager",
                                 "--password-stdin", "--language", "sv"],
                           input="yksi kaksi kolme neljä\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(StaffUser).where(StaffUser.email == "uusi@example.fi"))
    assert user.language == "sv"
    result = runner.invoke(args=["users", "update", "uusi@example.fi", "--language", "en"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(StaffUser, user.id).language == "en"
    result = runner.invoke(args=["users", "update", "uusi@example.fi", "--language", "de"])
    assert result.exit_code == 2
    result = runner.invoke(args=["parties", "add", "Ruotsalainen", "--language", "sv"])
    assert result.exit_code == 0, result.output
