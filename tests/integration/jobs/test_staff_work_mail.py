"""Staff work end to end: reassignment and merging through the relay, a real worker and the
SMTP sink; what each party, reporter and follower receives."""
from __future__ import annotations

from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.services.reports.merging import merge_report
from feedbackgis.services.reports.reassignment import reassign_to_party
from feedbackgis.services.reports.staff_replies import add_internal_note, reply_to_resident
from feedbackgis.services.staff.users import create_user
from tests.integration.factories import make_category, make_follower, make_party, make_report
from tests.integration.mail_checks import text_of

REPORTER, FOLLOWER = "aino@example.fi", "seuraaja@example.fi"


def _relay_all(app, redis_server) -> int:
    return relay_batch(db.session_factory(), redis_server.client(), app.config)


def test_a_reassigned_report_reaches_the_new_party_and_nobody_else(
        app, committed, redis_server, smtp, mail_sink, drain):
    old = make_party(committed, "Katuyksikkö")
    old.emails = ["katu@city.example.fi"]
    new = make_party(committed, "Puistoyksikkö")
    new.emails = ["puisto@city.example.fi"]
    report = make_report(committed, make_category(committed, "bench"), party=old,
                         contact={"email": REPORTER})
    committed.commit()
    manager = create_user(committed, "manager@city.example.fi", Role.MANAGER, "long password 1")
    reassign_to_party(committed, report.id, new.id, manager)
    assert _relay_all(app, redis_server) == 1
    drain(lambda: len(mail_sink.messages) >= 1)
    [work_order] = mail_sink.messages
    assert work_order["To"] == "puisto@city.example.fi"
    assert f"/staff/reports/{report.id}" in text_of(work_order)
    assert mail_sink.to("katu@city.example.fi") == [] and mail_sink.to(REPORTER) == []


def test_a_reply_is_emailed_to_the_reporter_and_a_note_to_nobody(
        app, committed, redis_server, smtp, mail_sink, drain):
    party = make_party(committed, "Katuyksikkö")
    report = make_report(committed, make_category(committed, "bench"), party=party,
                         contact={"email": REPORTER})
    committed.commit()
    handler = create_user(committed, "kasittelija@city.example.fi", Role.HANDLER,
                          "long password 1", party=party.name)
    add_internal_note(committed, report.id, "Urakoitsija hoitaa ensi viikolla.", handler)
    reply_to_resident(committed, report.id, "Penkki korjataan ensi viikolla.", handler)
    assert _relay_all(app, redis_server) == 1
    drain(lambda: len(mail_sink.messages) >= 1)
    [message] = mail_sink.messages
    assert message["To"] == REPORTER
    assert "Penkki korjataan ensi viikolla." in text_of(message)
    assert "Urakoitsija" not in text_of(message)


def test_merging_tells_the_reporter_and_the_followers_where_the_news_come_from(
        app, committed, redis_server, smtp, mail_sink, drain):
    party = make_party(committed, "Katuyksikkö")
    category = make_category(committed, "bench")
    original = make_report(committed, category, party=party, description="Penkki rikki")
    duplicate = make_report(committed, category, party=party, description="Sama penkki",
                            contact={"email": REPORTER})
    make_follower(committed, duplicate, FOLLOWER)
    committed.commit()
    moderator = create_user(committed, "moderaattori@city.example.fi", Role.MODERATOR,
                            "long password 1")
    merge_report(committed, duplicate.id, original.id, moderator,
                 secret_key=app.config["SECRET_KEY"])
    assert _relay_all(app, redis_server) == 1
    drain(lambda: len(mail_sink.messages) >= 2)
    [to_reporter] = mail_sink.to(REPORTER)
    [to_follower] = mail_sink.to(FOLLOWER)
    for message in (to_reporter, to_follower):
        assert f"#{duplicate.id}" in message["Subject"] and f"#{original.id}" in message["Subject"]
        assert f"/reports/{original.id}" in text_of(message)
        assert "/unsubscribe/" in text_of(message)
    assert "/follow/" in text_of(to_reporter) and "/follow/" not in text_of(to_follower)
    # Idempotent: the job run again sends nothing more.
    from feedbackgis.jobs.notifications import notify_of_merge

    with app.app_context():
        assert notify_of_merge(duplicate.id, original.id, [], None) == 0
    assert len(mail_sink.messages) == 2
