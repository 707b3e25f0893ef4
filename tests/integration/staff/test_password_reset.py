"""A forgotten password: the request page, the outbox row, the job's email with its link,
and choosing a new password through the link (once, within the hour, by the rules)."""
from __future__ import annotations

import importlib
import json
import statistics
import time
from urllib.parse import urlsplit

import itsdangerous.timed
import pytest
from sqlalchemy import select

from feedbackgis.extensions import db
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.jobs.routes import routes_of
from feedbackgis.models import Notification, OutboxMessage, OutboxTopic, StaffUser
from feedbackgis.services.staff.users import disable_user
from tests.integration.mail_checks import everything_in, html_of, link_in, text_of

from .signing_in import (
    EMAIL,
    PASSWORD,
    csrf_token,
    english_client,
    is_signed_in,
    make_staff_user,
    post_login,
    rate_limited_app,
)

NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - the tests' own
RESET_PATH = "/staff/password-reset/"


@pytest.fixture
def user(session):
    return make_staff_user(session)


def _ask_for_link(client, email=EMAIL, lang="en"):
    token = csrf_token(client, f"/staff/password-reset?lang={lang}")
    return client.post(f"/staff/password-reset?lang={lang}",
                       data={"csrf_token": token, "email": email})


def _reset_rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == OutboxTopic.STAFF_PASSWORD_RESET.value)
        .order_by(OutboxMessage.id)))


def _run_jobs(app, message: OutboxMessage) -> None:
    """Run the jobs the relay would enqueue for the row, here, in the test's transaction."""
    for route in routes_of(message.topic):
        module, name = route.function.rsplit(".", 1)
        with app.app_context():
            getattr(importlib.import_module(module), name)(**route.kwargs(message))


def _emailed_link(app, session, client, mail_sink, **ask) -> str:
    """Ask for a link, run the job, and return the link's path from the email."""
    before = len(mail_sink.messages)
    assert _ask_for_link(client, **ask).status_code == 303
    _run_jobs(app, _reset_rows(session)[-1])
    message = mail_sink.wait_for(before + 1)[-1]
    link = link_in(text_of(message), app.config["PUBLIC_BASE_URL"], RESET_PATH)
    return link.removeprefix(app.config["PUBLIC_BASE_URL"].rstrip("/"))


def _set_password(client, link, password=NEW_PASSWORD, again=None):
    token = csrf_token(client, "/staff/password-reset")  # the session's, for every form
    return client.post(link, data={"csrf_token": token, "password": password,
                                   "password_again": password if again is None else again})


def _user(session, user_id) -> StaffUser:
    session.expire_all()
    return session.get(StaffUser, user_id)


def test_the_whole_reset_through_the_outbox_a_worker_and_the_email(
        app, committed, redis_server, smtp, mail_sink, drain):
    user_id = make_staff_user(committed).id
    client = english_client(app)
    asked = _ask_for_link(client)
    assert asked.status_code == 303
    [row] = _reset_rows(committed)
    assert row.payload == {"user_id": user_id, "language": "en"}  # no token, no address
    relay_batch(db.session_factory(), redis_server.client(), app.config)
    drain(lambda: len(mail_sink.messages) >= 1)
    [message] = mail_sink.messages
    assert message["To"] == EMAIL and message["Content-Language"] == "en"
    base = app.config["PUBLIC_BASE_URL"]
    link = link_in(text_of(message), base, RESET_PATH)
    assert f'href="{link}"' in html_of(message)
    token = urlsplit(link).path.removeprefix(RESET_PATH)
    assert token not in json.dumps(row.payload)
    notification = committed.scalar(select(Notification))
    assert token not in (notification.idempotency_key + (notification.last_error or ""))

    path = link.removeprefix(base.rstrip("/"))
    form = client.get(path)
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "same-origin"
    assert form.headers["Cache-Control"] == "no-store"
    done = _set_password(client, path)
    assert done.status_code == 303 and urlsplit(done.headers["Location"]).path == "/staff/login"
    assert "Your new password is set." in client.get(done.headers["Location"]).get_data(
        as_text=True)
    assert post_login(client, password=PASSWORD).status_code == 401
    assert post_login(client, password=NEW_PASSWORD).status_code == 303


def test_the_request_page_answers_alike_for_a_known_and_an_unknown_address(
        app, client, session, user, mail_sink, smtp):
    known = _ask_for_link(client, EMAIL)
    unknown = _ask_for_link(client, "nobody@example.fi")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    page = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "a link to choose a new password is on its way" in page
    assert "nobody@example.fi" not in page
    [row] = _reset_rows(session)  # only the known address has a row, so an email
    assert row.payload["user_id"] == user.id


def test_asking_takes_about_as_long_for_an_unknown_address_as_for_a_known_one(
        client, session, user):
    timings: dict[str, list[float]] = {EMAIL: [], "nobody@example.fi": []}
    for _ in range(7):
        for email, spent in timings.items():
            started = time.perf_counter()
            _ask_for_link(client, email)
            spent.append(time.perf_counter() - started)
    medians = [statistics.median(spent) for spent in timings.values()]
    # No hash, no mail in the request: the difference is one outbox row.
    assert abs(medians[0] - medians[1]) < 0.1, medians


def test_disabled_account_and_unknown_address_get_no_email(app, client, session, user,
                                                           mail_sink, smtp):
    _ask_for_link(client, "nobody@example.fi")
    disable_user(session, EMAIL)
    _ask_for_link(client, EMAIL)
    assert _reset_rows(session) == []
    assert mail_sink.messages == []


def test_an_address_no_account_can_have_gets_the_same_answer(client, session, user):
    for odd in (EMAIL + "\x00", "x" * 5000 + "@example.fi"):
        response = _ask_for_link(client, odd)
        assert response.status_code == 303
        assert urlsplit(response.headers["Location"]).query == "sent=1&lang=en"
    assert _reset_rows(session) == []


def test_an_empty_address_is_asked_for_again(client):
    token = csrf_token(client, "/staff/password-reset")
    response = client.post("/staff/password-reset", data={"csrf_token": token, "email": " "})
    assert response.status_code == 422
    assert "Write the email address of your staff account." in response.get_data(as_text=True)


def test_asking_without_a_csrf_token_is_refused_and_records_nothing(client, session, user):
    response = client.post("/staff/password-reset", data={"email": EMAIL})
    assert response.status_code == 400
    assert _reset_rows(session) == []


def test_the_link_works_once(app, client, session, user, mail_sink, smtp):
    link = _emailed_link(app, session, client, mail_sink)
    assert _set_password(client, link).status_code == 303
    again = client.get(link)
    assert again.status_code == 400
    assert "not valid, or it has been used already" in again.get_data(as_text=True)
    replay = _set_password(client, link, "yet another passphrase")
    assert replay.status_code == 400
    assert post_login(client, password=NEW_PASSWORD).status_code == 303


def _link_made_ago(seconds, monkeypatch, *args) -> str:
    made_at = int(time.time()) - seconds
    with monkeypatch.context() as patched:
        patched.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                        lambda self: made_at)
        return _emailed_link(*args)


def test_an_older_link_stops_working_once_a_newer_one_is_used(app, client, session, user,
                                                              mail_sink, smtp, monkeypatch):
    first = _link_made_ago(600, monkeypatch, app, session, client, mail_sink)
    assert client.get(first).status_code == 200
    second = _emailed_link(app, session, client, mail_sink)
    assert first != second
    assert _set_password(client, second).status_code == 303
    assert client.get(first).status_code == 400


def test_an_expired_link_is_refused_with_a_clear_message(app, client, session, user,
                                                         mail_sink, smtp, monkeypatch):
    hours = app.config["STAFF_PASSWORD_RESET_HOURS"]
    # The email left a minute over the hour ago.
    link = _link_made_ago(hours * 3600 + 60, monkeypatch, app, session, client, mail_sink)
    refused = client.get(link)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "This link has expired. Ask for a new one below." in page
    assert 'href="/staff/password-reset' in page
    assert _set_password(client, link).status_code == 400
    assert post_login(client, password=PASSWORD).status_code == 303  # unchanged


def test_a_tampered_link_is_refused(app, client, session, user, mail_sink, smtp):
    link = _emailed_link(app, session, client, mail_sink)
    token = link.split("?")[0].removeprefix(RESET_PATH)
    claims, rest = token.split(".", 1)
    other_user = claims[:-2] + ("Ax" if not claims.endswith("Ax") else "Bx")
    assert client.get(RESET_PATH + token).status_code == 200
    response = client.get(f"{RESET_PATH}{other_user}.{rest}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert client.get(RESET_PATH + "not-a-token-at-all").status_code == 400


def test_the_new_password_must_keep_the_rules_and_be_typed_twice_alike(
        app, client, session, user, mail_sink, smtp):
    link = _emailed_link(app, session, client, mail_sink)
    short = _set_password(client, link, "too short")
    assert short.status_code == 422
    assert "at least 12 and at most 1024 characters" in short.get_data(as_text=True)
    different = _set_password(client, link, NEW_PASSWORD, again=NEW_PASSWORD + "!")
    assert different.status_code == 422
    assert "The two passwords are not the same." in different.get_data(as_text=True)
    assert post_login(client, password=PASSWORD).status_code == 303  # nothing changed
    assert _set_password(client, link).status_code == 303  # and the link still works


def test_a_reset_lifts_a_lockout_and_ends_the_old_sessions(app, client, session, user,
                                                           mail_sink, smtp):
    signed_in_elsewhere = english_client(app)
    assert post_login(signed_in_elsewhere).status_code == 303
    for _ in range(5):
        post_login(client, password="not the password")
    assert _user(session, user.id).locked_until is not None
    link = _emailed_link(app, session, client, mail_sink)
    assert _set_password(client, link).status_code == 303
    reset = _user(session, user.id)
    assert (reset.failed_logins, reset.locked_until) == (0, None)
    assert reset.password_hash.startswith("$argon2id$")
    assert not is_signed_in(signed_in_elsewhere)
    assert post_login(client, password=NEW_PASSWORD).status_code == 303


def test_the_email_is_in_the_language_of_the_page_it_was_asked_on(
        app, client, session, user, mail_sink, smtp):
    link = _emailed_link(app, session, client, mail_sink, lang="sv")
    message = mail_sink.messages[-1]
    assert message["Content-Language"] == "sv" and '<html lang="sv">' in html_of(message)
    assert link.endswith("?lang=sv")


def test_a_job_run_twice_sends_one_email(app, client, session, user, mail_sink, smtp):
    _ask_for_link(client)
    [row] = _reset_rows(session)
    _run_jobs(app, row)
    _run_jobs(app, row)
    assert len(mail_sink.messages) == 1
    assert "password-reset" in everything_in(mail_sink.messages[0])


def test_asking_for_links_from_one_client_is_rate_limited(committed, tmp_path):
    make_staff_user(committed)
    with rate_limited_app(tmp_path, RATE_LIMIT_STAFF_PASSWORD_RESETS="2 per minute") as app:
        client = english_client(app)
        answers = [_ask_for_link(client, email).status_code
                   for email in (EMAIL, "nobody@example.fi", EMAIL)]
        assert answers == [303, 303, 429]
        assert client.get("/staff/password-reset").status_code == 200
    assert len(_reset_rows(committed)) == 1
