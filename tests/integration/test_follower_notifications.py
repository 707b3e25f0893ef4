"""Updates to the followers of a report: public status changes only, with one-click
unsubscribe, and never a word about who reported."""
from __future__ import annotations

import re

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import hash_token
from feedbackgis.models import EventKind, ReportEvent
from feedbackgis.services.notifications.report_notifications import notify_followers_of_update
from feedbackgis.services.reports.status import change_status

from .factories import make_category, make_follower, make_party, make_report
from .mail_checks import everything_in, html_of, link_in, text_of

NAME, EMAIL, PHONE = "Aino Asukas", "aino.asukas@example.fi", "+358 40 123 4567"


def _followed_report(session, **extra):
    # The category shares the contact with the party: followers must not get it even so.
    category = make_category(session, "streetlight", share_contact_with_party=True)
    return make_report(session, category, party=make_party(session),
                       contact={"name": NAME, "email": EMAIL, "phone": PHONE}, **extra)


def _notify(session, smtp, links, report, event):
    return notify_followers_of_update(session, smtp, links, report_id=report.id,
                                      event_id=event.id)


def _start_work(session, report, **extra):
    return change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                         note="Korjaus alkaa huomenna.", **extra)


def test_confirmed_followers_get_the_update_in_their_language(session, smtp, links, mail_sink):
    report = _followed_report(session)
    make_follower(session, report, "fi@example.fi")
    make_follower(session, report, "sv@example.fi", language="sv")
    make_follower(session, report, "unconfirmed@example.fi", confirmed=False)
    assert _notify(session, smtp, links, report, _start_work(session, report)) == 2
    by_address = {m["To"]: m for m in mail_sink.messages}
    assert set(by_address) == {"fi@example.fi", "sv@example.fi"}
    assert by_address["fi@example.fi"]["Subject"] == f"Seuraamasi ilmoitus #{report.id}: Työn alla"
    assert by_address["sv@example.fi"]["Subject"] == (
        f"Anmälan #{report.id} som du följer: Under arbete")
    assert "Korjaus alkaa huomenna." in text_of(by_address["sv@example.fi"])


def test_follower_mail_carries_a_working_one_click_unsubscribe(session, smtp, links, mail_sink):
    report = _followed_report(session)
    follower = make_follower(session, report)
    _notify(session, smtp, links, report, _start_work(session, report))
    message = mail_sink.messages[0]
    url = link_in(text_of(message), links.base_url, "/unsubscribe/follower/")
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{url}"' in html_of(message)
    token, query = url.rsplit("/", 1)[1].split("?")
    assert hash_token(token) == follower.unsubscribe_token_hash
    assert query == f"lang={follower.language}"  # the page opens in the email's language


def test_the_one_click_post_stops_the_updates(session, smtp, links, mail_sink, client, app):
    report = _followed_report(session)
    make_follower(session, report)
    _notify(session, smtp, links, report, _start_work(session, report))
    url = re.fullmatch(r"<(.+)>", mail_sink.messages[0]["List-Unsubscribe"]).group(1)
    path = url.removeprefix(links.base_url.rstrip("/"))
    # What a mail client sends (RFC 8058): a form POST, no cookies, no CSRF token.
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    resolved = change_status(session, report.id, ReportStatus.FIXED, actor="staff")
    assert _notify(session, smtp, links, report, resolved) == 0
    assert len(mail_sink.messages) == 1


def test_follower_mail_never_reveals_the_reporter(session, smtp, links, mail_sink):
    report = _followed_report(session)
    make_follower(session, report, "seuraaja@example.fi")
    _notify(session, smtp, links, report, _start_work(session, report))
    everything = everything_in(mail_sink.messages[0])
    for secret in (NAME, EMAIL, PHONE, "/follow/"):
        assert secret not in everything


def test_followers_get_nothing_for_internal_events_or_replies(session, smtp, links, mail_sink):
    report = _followed_report(session)
    make_follower(session, report)
    internal = _start_work(session, report, public=False)
    reply = ReportEvent(report_id=report.id, kind=EventKind.COMMENT, actor="staff",
                        note="Vastaus ilmoittajalle", is_public=True)
    session.add(reply)
    session.flush()
    assert _notify(session, smtp, links, report, internal) == 0
    assert _notify(session, smtp, links, report, reply) == 0
    assert mail_sink.messages == []


def test_followers_of_a_report_off_the_public_map_get_nothing(session, smtp, links, mail_sink):
    report = _followed_report(session, public=False)
    make_follower(session, report)
    assert _notify(session, smtp, links, report, _start_work(session, report)) == 0
    assert mail_sink.messages == []
