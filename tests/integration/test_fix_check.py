"""The closed loop's services: a fixed report asks "is it fixed?"; "yes" closes it, "no"
reopens it to the same party; late, second and forged answers change nothing; unanswered
checks run out; reopenings count against the party that had fixed it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.fix_check import FIX_CHECK_KEY, Answer, QuestionState
from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import InvalidInput, NotFound, UnsupportedMedia
from feedbackgis.media import PhotoLimits, storage_from_config
from feedbackgis.models import (
    EventKind,
    OutboxMessage,
    Photo,
    PhotoKind,
    Report,
    ReportEvent,
    StaffUser,
)
from feedbackgis.services.reports.fix_answers import (
    AnswerLink,
    PhotoUpload,
    answer_fixed,
    answer_not_fixed,
    find_question,
    fix_check_token,
)
from feedbackgis.services.reports.fix_check import end_expired_fix_checks
from feedbackgis.services.reports.status import change_status, change_status_by_staff
from feedbackgis.services.staff.reopenings import reopenings_by_party
from tests.photo_files import camera_jpeg

from .factories import SECRET_KEY, make_category, make_follower, make_party, make_report

HELSINKI = "Europe/Helsinki"


def _fixed(session, *, party=None, days=14, **extra):
    """An assigned report of `party`, late and escalated, then marked fixed."""
    party = party or make_party(session, emails=["valot@example.fi"])
    report = make_report(session, make_category(session), party=party,
                         contact={"email": "aino@example.fi"}, **extra)
    report.due_at = datetime.now(UTC) - timedelta(days=30)
    report.escalation_level = 2
    report.work_order_nonce = "old-nonce"
    session.flush()
    change_status(session, report.id, ReportStatus.FIXED, actor="Valot Oy", fix_check_days=days)
    return report


def _reporter_link(report, token=None) -> AnswerLink:
    return AnswerLink("reporter", report.id,
                      token or fix_check_token(SECRET_KEY, report.follow_up_nonce))


def _follower_link(follower) -> AnswerLink:
    return AnswerLink("follower", follower.id, fix_check_token(SECRET_KEY, follower.token_nonce))


def _topics(session) -> list[str]:
    return list(session.scalars(select(OutboxMessage.topic).order_by(OutboxMessage.id)))


def _events(session, report) -> list[ReportEvent]:
    return list(session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                                .order_by(ReportEvent.id)))


def test_entering_fixed_opens_a_check_of_the_configured_days_and_asks_the_residents(session):
    before = datetime.now(UTC)
    report = _fixed(session, days=3)
    assert before + timedelta(days=3) <= report.fix_check_until <= datetime.now(UTC) + timedelta(days=3)
    [fixed] = [e for e in _events(session, report) if e.to_status is ReportStatus.FIXED]
    assert datetime.fromisoformat(fixed.data[FIX_CHECK_KEY]) == report.fix_check_until
    assert "report.fix_check_started" in _topics(session)
    question = find_question(session, SECRET_KEY, _reporter_link(report))
    assert question.state is QuestionState.OPEN and question.answer is None


def test_staff_reopening_a_fixed_report_ends_its_check(session):
    report = _fixed(session)
    user = StaffUser(email="admin@example.fi", role=Role.ADMIN)
    session.add(user)
    session.flush()
    change_status_by_staff(session, report.id, "in_progress", staff_user=user)
    assert report.fix_check_until is None
    assert find_question(session, SECRET_KEY, _reporter_link(report)).state is QuestionState.CLOSED


def test_yes_confirms_the_fix_closes_the_report_and_ends_its_work_order_link(session):
    report = _fixed(session)
    question = answer_fixed(session, SECRET_KEY, _reporter_link(report))
    assert (question.state, question.answer) == (QuestionState.ANSWERED, Answer.FIXED)
    assert (report.status, report.fix_check_until, report.reopen_count) == (
        ReportStatus.CLOSED, None, 0)
    assert report.work_order_nonce is None
    confirmed = _events(session, report)[-1]
    assert (confirmed.kind, confirmed.from_status, confirmed.to_status, confirmed.is_public) == (
        EventKind.FIX_CONFIRMED, ReportStatus.FIXED, ReportStatus.CLOSED, True)
    assert confirmed.data == {"by": "reporter"} and confirmed.note is None
    assert _topics(session)[-1] == "report.fix_confirmed"


def test_no_reopens_to_the_same_party_with_a_new_due_date_and_counts_against_it(session):
    party = make_party(session, "Valot Oy", emails=["valot@example.fi"])
    report = _fixed(session, party=party)
    question = answer_not_fixed(session, SECRET_KEY, _reporter_link(report),
                                text="  Still dark <b>at night</b>  ", time_zone=HELSINKI)
    assert (question.state, question.answer) == (QuestionState.ANSWERED, Answer.NOT_FIXED)
    assert (report.status, report.assigned_party_id) == (ReportStatus.IN_PROGRESS, party.id)
    assert report.due_at > datetime.now(UTC) and report.escalation_level == 0
    assert (report.reopen_count, report.fix_check_until) == (1, None)
    assert report.work_order_nonce not in (None, "old-nonce")
    reopened = _events(session, report)[-1]
    assert (reopened.kind, reopened.from_status, reopened.to_status, reopened.is_public) == (
        EventKind.REOPENED, ReportStatus.FIXED, ReportStatus.IN_PROGRESS, True)
    # The resident's words are for staff and the party: not a public note.
    assert reopened.note is None
    assert reopened.data == {"by": "reporter", "party_id": party.id,
                             "text": "Still dark <b>at night</b>"}
    assert _topics(session)[-1] == "report.reopened"


def test_a_second_answer_changes_nothing_and_is_told_as_already_answered(session):
    report = _fixed(session)
    answer_not_fixed(session, SECRET_KEY, _reporter_link(report), time_zone=HELSINKI)
    events, topics = len(_events(session, report)), len(_topics(session))
    for second in (answer_fixed(session, SECRET_KEY, _reporter_link(report)),
                   answer_not_fixed(session, SECRET_KEY, _reporter_link(report))):
        assert (second.state, second.answer) == (QuestionState.ANSWERED, Answer.NOT_FIXED)
    assert (report.status, report.reopen_count) == (ReportStatus.IN_PROGRESS, 1)
    assert (len(_events(session, report)), len(_topics(session))) == (events, topics)


def test_after_another_residents_answer_the_question_is_closed_to_the_rest(session):
    report = _fixed(session)
    follower = make_follower(session, report, "seuraaja@example.fi")
    answer_fixed(session, SECRET_KEY, _follower_link(follower))
    late = answer_not_fixed(session, SECRET_KEY, _reporter_link(report))
    assert (late.state, late.answer) == (QuestionState.CLOSED, None)
    assert report.status is ReportStatus.CLOSED and report.reopen_count == 0


def test_once_the_time_has_run_out_no_answer_is_taken(session):
    report = _fixed(session, days=2)
    later = report.fix_check_until + timedelta(seconds=1)
    assert answer_not_fixed(session, SECRET_KEY, _reporter_link(report),
                            now=later).state is QuestionState.CLOSED
    assert answer_fixed(session, SECRET_KEY, _reporter_link(report),
                        now=later).state is QuestionState.CLOSED
    assert (report.status, report.reopen_count) == (ReportStatus.FIXED, 0)


def test_a_follower_answers_through_their_own_link_and_is_named_by_id_only(session):
    report = _fixed(session)
    follower = make_follower(session, report, "seuraaja@example.fi", language="sv")
    question = answer_not_fixed(session, SECRET_KEY, _follower_link(follower))
    assert question.language == "sv" and question.answer is Answer.NOT_FIXED
    assert _events(session, report)[-1].data == {
        "by": "follower", "follower_id": follower.id, "party_id": report.assigned_party_id}
    assert report.status is ReportStatus.IN_PROGRESS
    # The reporter's own question is now closed: someone answered it.
    assert find_question(session, SECRET_KEY, _reporter_link(report)).state is QuestionState.CLOSED


def test_forged_foreign_and_unknown_links_are_not_found(session):
    report = _fixed(session)
    other = _fixed(session)
    unconfirmed = make_follower(session, report, confirmed=False)
    follow_up = AnswerLink("reporter", report.id,
                           fix_check_token(SECRET_KEY, report.follow_up_nonce)[:-1] + "x")
    links = [
        _reporter_link(report, token="forged"),
        _reporter_link(report, token=fix_check_token(SECRET_KEY, other.follow_up_nonce)),
        _reporter_link(report, token=fix_check_token("another secret", report.follow_up_nonce)),
        follow_up, _reporter_link(report, token="ääkköset"), _reporter_link(report, token="x" * 500),
        AnswerLink("reporter", 2_000_000_000, fix_check_token(SECRET_KEY, report.follow_up_nonce)),
        _follower_link(unconfirmed),
        AnswerLink("somebody", report.id, fix_check_token(SECRET_KEY, report.follow_up_nonce)),
    ]
    for link in links:
        with pytest.raises(NotFound):
            find_question(session, SECRET_KEY, link)
        with pytest.raises(NotFound):
            answer_fixed(session, SECRET_KEY, link)
    assert report.status is ReportStatus.FIXED


@pytest.mark.parametrize("text", ["x" * 1001, "Still \x00 dark"])
def test_a_text_too_long_or_with_a_nul_is_refused_and_nothing_is_answered(session, text):
    report = _fixed(session)
    with pytest.raises(InvalidInput) as refused:
        answer_not_fixed(session, SECRET_KEY, _reporter_link(report), text=text)
    assert refused.value.field == "text"
    session.rollback()
    assert report.status is ReportStatus.FIXED


@pytest.fixture
def photos(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return storage_from_config(app.config), PhotoLimits.from_config(app.config)


def test_the_photo_of_a_no_is_kept_with_the_report_without_its_metadata(session, photos):
    storage, limits = photos
    report = _fixed(session)
    answer_not_fixed(session, SECRET_KEY, _reporter_link(report),
                     photo=PhotoUpload(camera_jpeg(), storage, limits))
    photo = session.scalars(select(Photo)).one()
    assert (photo.report_id, photo.kind) == (report.id, PhotoKind.FOLLOW_UP)
    assert _events(session, report)[-1].data["photo_id"] == photo.id
    stored = storage.get(photo.image_key)
    assert b"Exif" not in stored and b"TestPhone" not in stored


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_answered(session, photos):
    storage, limits = photos
    report = _fixed(session)
    with pytest.raises(UnsupportedMedia):
        answer_not_fixed(session, SECRET_KEY, _reporter_link(report),
                         photo=PhotoUpload(b"<html>no photo</html>", storage, limits))
    session.rollback()
    assert report.status is ReportStatus.FIXED
    assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_a_photo_sent_to_a_closed_question_is_not_stored(session, photos):
    storage, limits = photos
    report = _fixed(session)
    answer_fixed(session, SECRET_KEY, _reporter_link(report))
    answer_not_fixed(session, SECRET_KEY, _reporter_link(report),
                     photo=PhotoUpload(camera_jpeg(), storage, limits))
    assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_checks_that_ran_out_end_in_batches_and_their_reports_stay_fixed(session):
    expired = [_fixed(session, days=1) for _ in range(5)]
    running = _fixed(session, days=10)
    later = datetime.now(UTC) + timedelta(days=2)
    assert end_expired_fix_checks(session, later, batch_size=2) == 5
    session.expire_all()
    assert all((r.status, r.fix_check_until) == (ReportStatus.FIXED, None) for r in expired)
    assert running.fix_check_until is not None
    assert end_expired_fix_checks(session, later, batch_size=2) == 0
    assert answer_fixed(session, SECRET_KEY, _reporter_link(expired[0])).state is QuestionState.CLOSED


def test_reopenings_count_against_the_party_that_had_fixed_it(session):
    first, second = make_party(session, "Ensimmäinen Oy"), make_party(session, "Toinen Oy")
    for party, times in ((first, 2), (second, 1)):
        for _ in range(times):
            answer_not_fixed(session, SECRET_KEY, _reporter_link(_fixed(session, party=party)))
    again = _fixed(session, party=first)
    answer_not_fixed(session, SECRET_KEY, _reporter_link(again))
    change_status(session, again.id, ReportStatus.FIXED, actor="Ensimmäinen Oy")
    answer_not_fixed(session, SECRET_KEY, _reporter_link(again))
    assert again.reopen_count == 2
    again.assigned_party_id = second.id  # given to another party later: still the first's
    session.flush()
    rows = [(row.party, row.reopenings, row.reports) for row in reopenings_by_party(session)]
    assert rows == [("Ensimmäinen Oy", 4, 3), ("Toinen Oy", 1, 1)]
    handler = StaffUser(email="h@example.fi", role=Role.HANDLER, party_id=second.id, active=True)
    manager = StaffUser(email="m@example.fi", role=Role.MANAGER, active=True)
    assert [row.party for row in reopenings_by_party(session, user=handler)] == ["Toinen Oy"]
    assert len(reopenings_by_party(session, user=manager)) == 2
    assert reopenings_by_party(session, datetime.now(UTC) + timedelta(hours=1)) == []


def test_the_cli_lists_reopenings_per_party(app, session):
    party = make_party(session, "Valot Oy")
    answer_not_fixed(session, SECRET_KEY, _reporter_link(_fixed(session, party=party)))
    result = app.test_cli_runner().invoke(args=["reports", "reopenings", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["Valot", "Oy", "1", "1"]


def test_the_hourly_job_ends_the_checks_that_ran_out(app, session):
    from feedbackgis.jobs.maintenance import end_unanswered_fix_checks

    report = _fixed(session)
    report.fix_check_until = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    with app.app_context():
        assert end_unanswered_fix_checks() == 1
        assert end_unanswered_fix_checks() == 0
    # The job's session was the app's own (this one): read the report again.
    fresh = session.get(Report, report.id, populate_existing=True)
    assert (fresh.status, fresh.fix_check_until) == (ReportStatus.FIXED, None)
