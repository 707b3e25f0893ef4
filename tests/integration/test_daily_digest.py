"""The daily digest: only new public reports inside the area, in the subscriber's language,
once a day, and digest_since moving with the email that was sent."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import box
from sqlalchemy import select

from feedbackgis.geo.convert import to_db
from feedbackgis.models import AreaSubscription, DeliveryStatus, Notification
from feedbackgis.services.subscriptions.area_subscriptions import send_daily_digests
from feedbackgis.services.subscriptions.email_confirmation import token_columns, unsubscribe_token

from .factories import make_category, make_report
from .mail_checks import html_of, link_in, text_of

HELSINKI = ZoneInfo("Europe/Helsinki")
SINCE = datetime(2026, 5, 4, 7, 0, tzinfo=HELSINKI)
NOW = datetime(2026, 5, 5, 7, 5, tzinfo=HELSINKI)
AREA = box(24.90, 60.10, 25.00, 60.20)


def _subscription(session, secret_key, *, confirmed=True, language="sv"):
    subscription = AreaSubscription(
        email=f"{language}@example.fi", language=language, area=to_db(AREA),
        digest_since=SINCE, confirmed_at=SINCE if confirmed else None,
        **token_columns(secret_key),
    )
    session.add(subscription)
    session.flush()
    return subscription


def _report(session, category, *, lon=24.95, lat=60.15, created=SINCE + timedelta(hours=3),
            **kwargs):
    report = make_report(session, category, lon=lon, lat=lat, **kwargs)
    report.created_at = created
    report.published_at = created if report.is_public else None
    session.flush()
    return report


@pytest.fixture
def reports(session):
    lights = make_category(session, "streetlight")
    return {
        "new": _report(session, lights, address="Mannerheimintie 1"),
        "on_the_edge": _report(session, lights, lon=25.00, lat=60.15),
        "hidden": _report(session, lights, public=False),
        "outside": _report(session, lights, lon=25.10),
        "old": _report(session, lights, created=SINCE - timedelta(minutes=1)),
        "after_now": _report(session, lights, created=NOW + timedelta(minutes=1)),
        "published_late": _published_late(session, lights),
    }


def _published_late(session, category):
    """Created before the last digest, published (after moderation) since: it is news."""
    report = _report(session, category, created=SINCE - timedelta(days=2))
    report.published_at = SINCE + timedelta(hours=5)
    session.flush()
    return report


def _ids_in(text):
    return {int(part.split(":")[0]) for part in text.split("#")[1:]}


def test_the_digest_lists_new_public_reports_inside_the_area_in_the_subscribers_language(
        app, session, smtp, links, mail_sink, reports):
    subscription = _subscription(session, app.config["SECRET_KEY"])
    session.commit()
    assert send_daily_digests(session, smtp, links, now=NOW) == 1
    [message] = mail_sink.wait_for(1)
    text = text_of(message)
    assert message["To"] == "sv@example.fi"
    assert message["Subject"] == "Nya anmälningar i ditt område: 3"
    assert _ids_in(text) == {reports["new"].id, reports["on_the_edge"].id,
                             reports["published_late"].id}
    assert "streetlight sv" in text and "Väntar på fördelning" in text  # category, status
    assert "Mannerheimintie 1" in text and "60.15000, 25.00000" in text
    assert "Inkommen: 4 maj 2026 10:00" in text  # local time of the report, the Swedish way
    report_url = f"{links.base_url}/reports/{reports['new'].id}?lang=sv"
    assert report_url in text and report_url in html_of(message)
    unsubscribe = link_in(text, links.base_url, "/unsubscribe/subscription/")
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.endswith(unsubscribe_token(subscription, links.secret_key) + "?lang=sv")
    session.expire_all()
    assert session.get(AreaSubscription, subscription.id).digest_since == NOW


def test_a_second_run_the_same_day_sends_nothing_and_keeps_new_reports_for_tomorrow(
        app, session, smtp, links, mail_sink, reports):
    subscription = _subscription(session, app.config["SECRET_KEY"])
    session.commit()
    assert send_daily_digests(session, smtp, links, now=NOW) == 1
    later_today = NOW + timedelta(hours=3)
    news = _report(session, reports["new"].category, created=NOW + timedelta(hours=1))
    session.commit()
    assert send_daily_digests(session, smtp, links, now=later_today) == 0
    assert len(mail_sink.messages) == 1
    session.expire_all()
    assert session.get(AreaSubscription, subscription.id).digest_since == NOW
    tomorrow = NOW + timedelta(days=1)
    assert send_daily_digests(session, smtp, links, now=tomorrow) == 1
    second = mail_sink.wait_for(2)[1]
    assert _ids_in(text_of(second)) == {news.id, reports["after_now"].id}


def test_unconfirmed_subscriptions_get_no_digest(app, session, smtp, links, mail_sink, reports):
    _subscription(session, app.config["SECRET_KEY"], confirmed=False)
    session.commit()
    assert send_daily_digests(session, smtp, links, now=NOW) == 0
    assert mail_sink.messages == []


def test_a_quiet_area_gets_no_email(app, session, smtp, links, mail_sink):
    _subscription(session, app.config["SECRET_KEY"])
    session.commit()
    assert send_daily_digests(session, smtp, links, now=NOW) == 0
    assert session.scalars(select(Notification)).all() == []


def test_a_refused_digest_keeps_its_reports_and_the_others_still_go(
        app, session, smtp, links, mail_sink, reports):
    from feedbackgis.services.subscriptions.digests import DigestsFailed

    first = _subscription(session, app.config["SECRET_KEY"], language="fi")
    second = _subscription(session, app.config["SECRET_KEY"], language="en")
    session.commit()
    mail_sink.handler.refuse_next = 1
    with pytest.raises(DigestsFailed):
        send_daily_digests(session, smtp, links, now=NOW)
    session.expire_all()
    assert session.get(AreaSubscription, first.id).digest_since == SINCE  # not moved
    assert session.get(AreaSubscription, second.id).digest_since == NOW
    # The job's retry sends only the missing digest, with the same reports.
    assert send_daily_digests(session, smtp, links, now=NOW) == 1
    statuses = session.scalars(select(Notification.status)).all()
    assert statuses == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    assert [m["To"] for m in mail_sink.wait_for(2)] == ["en@example.fi", "fi@example.fi"]


def test_now_without_a_time_zone_is_refused(session, smtp, links):
    with pytest.raises(ValueError, match="timezone"):
        send_daily_digests(session, smtp, links, now=NOW.replace(tzinfo=None))
