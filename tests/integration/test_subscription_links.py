"""The area subscription's confirmation email, its confirm and unsubscribe pages, the purge."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import box
from sqlalchemy import select

from feedbackgis.models import AreaSubscription, Notification
from feedbackgis.services.subscriptions.area_subscriptions import (
    NewAreaSubscription,
    purge_unconfirmed,
    send_subscription_confirmation,
    subscribe_to_area,
)

from .factories import make_category, make_follower, make_report, make_service_area
from .mail_checks import html_of, link_in, text_of

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


@pytest.fixture
def subscription(app, session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    new = NewAreaSubscription(email="kyla@example.fi", language="sv",
                              area=box(24.90, 60.10, 25.00, 60.20))
    return subscribe_to_area(session, new, secret_key=app.config["SECRET_KEY"],
                             metric_srid=3067)


def _confirmation(session, smtp, links, mail_sink, subscription):
    assert send_subscription_confirmation(session, smtp, links,
                                          subscription_id=subscription.id) == 1
    [message] = mail_sink.wait_for(1)
    return message


def _path(app, url):
    return url.removeprefix(app.config["PUBLIC_BASE_URL"].rstrip("/"))


def _has_private_headers(response):
    return all(response.headers.get(name) == value for name, value in PRIVATE.items())


def test_the_confirmation_email_is_in_the_subscribers_language_with_both_links(
        app, session, smtp, links, mail_sink, subscription):
    message = _confirmation(session, smtp, links, mail_sink, subscription)
    base = app.config["PUBLIC_BASE_URL"]
    assert message["To"] == "kyla@example.fi"
    assert message["Subject"].startswith("Bekräfta beställningen")
    text = text_of(message)
    assert "bortse från meddelandet" in text  # what happens if ignored: nothing
    confirm = link_in(text, base, "/confirm/subscription/")
    unsubscribe = link_in(text, base, "/unsubscribe/subscription/")
    assert confirm in html_of(message) and unsubscribe in html_of(message)
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_confirmation_is_sent_once_however_often_the_job_runs(
        session, smtp, links, mail_sink, subscription):
    _confirmation(session, smtp, links, mail_sink, subscription)
    assert send_subscription_confirmation(session, smtp, links,
                                          subscription_id=subscription.id) == 0
    assert len(mail_sink.messages) == 1


def test_the_link_in_the_email_confirms_the_subscription(
        app, client, session, smtp, links, mail_sink, subscription):
    message = _confirmation(session, smtp, links, mail_sink, subscription)
    confirm = link_in(text_of(message), app.config["PUBLIC_BASE_URL"], "/confirm/subscription/")
    page = client.get(_path(app, confirm))
    assert page.status_code == 200 and _has_private_headers(page)
    html = page.get_data(as_text=True)
    assert '<html lang="sv">' in html and "Beställningen är aktiverad" in html
    subscription = session.get(AreaSubscription, subscription.id)  # the request closed ours
    assert subscription.confirmed_at is not None
    assert subscription.digest_since == subscription.confirmed_at
    # A second click confirms nothing new, and a confirmed address gets no more mail.
    assert client.get(_path(app, confirm)).status_code == 200
    assert send_subscription_confirmation(session, smtp, links,
                                          subscription_id=subscription.id) == 0


def test_unsubscribe_page_shows_a_form_and_one_click_post_deletes_the_row(
        app, client, session, smtp, links, mail_sink, subscription):
    message = _confirmation(session, smtp, links, mail_sink, subscription)
    path = _path(app, link_in(text_of(message), app.config["PUBLIC_BASE_URL"],
                              "/unsubscribe/subscription/"))
    page = client.get(path)
    assert page.status_code == 200 and _has_private_headers(page)
    assert 'method="post"' in page.get_data(as_text=True)
    assert session.get(AreaSubscription, subscription.id) is not None  # GET changes nothing
    # What a mail client sends for one-click unsubscribe (RFC 8058).
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and _has_private_headers(done)
    assert "Beställningen är avslutad" in done.get_data(as_text=True)
    assert session.get(AreaSubscription, subscription.id) is None
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("path", ["/confirm/subscription/forged", "/unsubscribe/subscription/x",
                                  "/confirm/follower/forged", "/unsubscribe/follower/forged"])
def test_an_invalid_token_gets_a_404_page_that_says_why(client, path):
    page = client.get(path + "?lang=en")
    assert page.status_code == 404 and _has_private_headers(page)
    assert "not valid" in page.get_data(as_text=True)


def test_a_confirmation_link_older_than_a_week_no_longer_confirms(
        app, client, session, smtp, links, mail_sink, subscription):
    message = _confirmation(session, smtp, links, mail_sink, subscription)
    subscription.created_at = datetime.now(UTC) - timedelta(days=8)
    session.commit()
    confirm = link_in(text_of(message), app.config["PUBLIC_BASE_URL"], "/confirm/subscription/")
    assert client.get(_path(app, confirm)).status_code == 404


def test_purge_deletes_only_what_stayed_unconfirmed_for_a_week(session, subscription):
    now = datetime.now(UTC)
    report = make_report(session, make_category(session))
    old_follower = make_follower(session, report, confirmed=False)
    old_follower.created_at = now - timedelta(days=8)
    confirmed_long_ago = make_follower(session, report, confirmed=True)
    confirmed_long_ago.created_at = now - timedelta(days=300)
    session.commit()
    assert purge_unconfirmed(session, now) == 1
    assert purge_unconfirmed(session, now + timedelta(days=8)) == 1  # the subscription
    session.expire_all()
    assert session.get(AreaSubscription, subscription.id) is None
    assert session.get(type(old_follower), confirmed_long_ago.id) is not None


def test_nothing_is_sent_for_a_subscription_that_is_gone(session, smtp, links, mail_sink):
    assert send_subscription_confirmation(session, smtp, links, subscription_id=999_999) == 0
    assert session.scalars(select(Notification)).all() == []
