"""Every transition through change_status, as the state machine says, with its automatic
answer; the staff's door (change_status_by_staff); what going back to triage clears."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ALLOWED_TRANSITIONS, STAFF_CHOSEN, ReportStatus
from feedbackgis.errors import Conflict, Forbidden, InvalidInput, NotFound
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import EventKind, OutboxMessage, ReportEvent, StaffUser
from feedbackgis.services.catalog.response_templates import TemplateFields, create_template
from feedbackgis.services.reports.status import change_status, change_status_by_staff

from .factories import make_category, make_party, make_report

TEXTS = {"fi": "Ilmoitus #{id} ({category}): tila vaihtui.",
         "sv": "Anmälan #{id} ({category}): status ändrad.",
         "en": "Report #{id} ({category}): the status changed."}
PAIRS = [(current, target) for current in ReportStatus for target in ReportStatus]


def _ids(pairs):
    return [f"{current}->{target}" for current, target in pairs]


def _report_in(session, status, *, language="fi", email="aino@example.fi", category=None):
    """A report set directly to `status` (no events), its reporter reachable by `email`."""
    category = category or make_category(session)
    report = make_report(session, category, party=make_party(session), language=language,
                         contact={"email": email} if email else None)
    report.status = status
    session.flush()
    return report


def _auto_template(session, status, *, category=None, **texts):
    texts = {f"text_{language}": texts.get(language, TEXTS[language]) for language in LANGUAGES}
    return create_template(session, TemplateFields(
        status=status.value, category=category.code if category else None,
        title=f"Auto {status}", auto_response=True, **texts))


def _outbox(session):
    return [(m.topic, m.payload) for m in session.scalars(select(OutboxMessage))]


def _events(session, report):
    return session.scalar(select(func.count()).select_from(ReportEvent)
                          .where(ReportEvent.report_id == report.id))


def _staff(session, role=Role.ADMIN, party=None, name="Hanna Käsittelijä"):
    number = session.scalar(select(func.count()).select_from(StaffUser))
    user = StaffUser(email=f"{role}{number}@example.fi", role=role, name=name,
                     party_id=party.id if party else None)
    session.add(user)
    session.flush()
    return user


ALLOWED = [pair for pair in PAIRS if pair[1] in ALLOWED_TRANSITIONS[pair[0]]]
REFUSED = [pair for pair in PAIRS if pair not in ALLOWED]


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=_ids(ALLOWED))
def test_an_allowed_transition_answers_the_reporter_with_the_template_in_their_language(
        session, current, target):
    language = LANGUAGES[ALLOWED.index((current, target)) % len(LANGUAGES)]
    report = _report_in(session, current, language=language)
    template = _auto_template(session, target)
    event = change_status(session, report.id, target, actor="staff", public=False)
    name = report.category.name(language)
    assert report.status is target
    assert (event.from_status, event.to_status, event.is_public) == (current, target, True)
    assert event.note == TEXTS[language].format(id=report.id, category=name)
    assert event.data["auto_response_template_id"] == template.id
    ids = {"report_id": report.id, "event_id": event.id}
    # Fixed also asks "is it fixed?" (an email that carries the answer itself).
    asked = [("report.fix_check_started", ids)] if target is ReportStatus.FIXED else []
    assert _outbox(session) == [("report.status_changed", ids), *asked]


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=_ids(REFUSED))
def test_a_refused_transition_leaves_the_report_and_its_events_as_they_were(
        session, current, target):
    report = _report_in(session, current)
    _auto_template(session, target)
    with pytest.raises(Conflict) as refused:
        change_status(session, report.id, target, actor="staff", note="Ei näin")
    assert f"'{current}'" in refused.value.message and f"'{target}'" in refused.value.message
    session.expire_all()
    assert report.status is current
    assert _events(session, report) == 0
    assert _outbox(session) == []


def test_without_a_template_an_internal_change_stays_internal_and_tells_nobody(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          public=False)
    assert (event.is_public, event.note, event.data) == (False, None, {})
    assert _outbox(session) == []


def test_a_public_note_staff_wrote_wins_over_the_template(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    _auto_template(session, ReportStatus.IN_PROGRESS)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          note="Asentaja tulee tiistaina.")
    assert (event.is_public, event.note) == (True, "Asentaja tulee tiistaina.")
    assert "auto_response_template_id" not in event.data
    assert _outbox(session) == [("report.status_changed",
                                 {"report_id": report.id, "event_id": event.id})]


def test_an_internal_note_stays_internal_beside_the_public_automatic_answer(session):
    report = _report_in(session, ReportStatus.ASSIGNED, language="sv")
    _auto_template(session, ReportStatus.WAITING)
    event = change_status(session, report.id, ReportStatus.WAITING, actor="staff",
                          note="Sisäinen: odotetaan urakoitsijan tarjousta", public=False)
    assert event.is_public and event.note.startswith(f"Anmälan #{report.id}")
    [note] = [e for e in report.events if e.kind is EventKind.NOTE]
    assert (note.note, note.is_public) == ("Sisäinen: odotetaan urakoitsijan tarjousta", False)
    assert [m.payload["event_id"] for m in session.scalars(select(OutboxMessage))] == [event.id]


def test_an_anonymous_report_gets_no_automatic_answer(session):
    report = _report_in(session, ReportStatus.ASSIGNED, email=None)
    _auto_template(session, ReportStatus.IN_PROGRESS)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          public=False)
    assert (event.is_public, event.note) == (False, None)
    assert _outbox(session) == []


def test_the_categorys_own_automatic_answer_wins_over_the_every_category_one(session):
    category = make_category(session)
    report = _report_in(session, ReportStatus.ASSIGNED, category=category, language="en")
    _auto_template(session, ReportStatus.FIXED, en="For every category.")
    own = _auto_template(session, ReportStatus.FIXED, category=category,
                         en="Fixed: your {category} report #{id}. {{Thanks}}")
    event = change_status(session, report.id, ReportStatus.FIXED, actor="staff")
    assert event.note == f"Fixed: your {category.name_en} report #{report.id}. {{Thanks}}"
    assert event.data["auto_response_template_id"] == own.id


def test_back_in_triage_the_report_loses_its_party_person_and_due_date(session):
    report = _report_in(session, ReportStatus.IN_PROGRESS)
    handler = _staff(session, Role.HANDLER, party=report.assigned_party)
    due = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    party_id, zone_id = report.assigned_party_id, report.assigned_zone_id
    report.assigned_user_id, report.due_at, report.escalation_level = handler.id, due, 1
    session.flush()
    event = change_status(session, report.id, ReportStatus.TRIAGE, actor="staff")
    session.expire_all()
    assert (report.assigned_party_id, report.assigned_zone_id, report.assigned_user_id,
            report.due_at, report.escalation_level) == (None, None, None, None, 0)
    assert event.data == {"cleared_assignment": {
        "party_id": party_id, "zone_id": zone_id, "user_id": handler.id,
        "due_at": due.isoformat(), "escalation_level": 1}}


def test_other_moves_keep_the_party_person_and_due_date(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    due = datetime.now(UTC) + timedelta(days=5)
    report.due_at = due
    event = change_status(session, report.id, ReportStatus.WAITING, actor="staff")
    session.expire_all()
    assert report.assigned_party_id is not None and report.due_at == due
    assert event.data == {}


def test_staff_change_names_the_user_in_the_event(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    user = _staff(session)
    event = change_status_by_staff(session, report.id, "in_progress", staff_user=user,
                                   note="Työ alkaa")
    assert (event.staff_user_id, event.actor, event.to_status) == (
        user.id, "Hanna Käsittelijä", ReportStatus.IN_PROGRESS)
    unnamed = _staff(session, Role.MANAGER, name=None)
    assert change_status(session, report.id, ReportStatus.WAITING, actor=unnamed.email,
                         staff_user=unnamed).staff_user_id == unnamed.id


OWN_ACTION = [(current, target) for current, target in ALLOWED if target not in STAFF_CHOSEN]


@pytest.mark.parametrize(("current", "target"), OWN_ACTION, ids=_ids(OWN_ACTION))
def test_staff_cannot_pick_a_status_that_comes_with_its_own_action(session, current, target):
    report = _report_in(session, current)
    with pytest.raises(InvalidInput) as refused:
        change_status_by_staff(session, report.id, target, staff_user=_staff(session))
    assert refused.value.field == "status" and refused.value.message
    session.expire_all()
    assert report.status is current and _events(session, report) == 0


def test_staff_get_a_conflict_for_a_move_the_state_machine_refuses(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    with pytest.raises(Conflict):
        change_status_by_staff(session, report.id, ReportStatus.CLOSED,
                               staff_user=_staff(session))
    with pytest.raises(InvalidInput):
        change_status_by_staff(session, report.id, "no_such_status",
                               staff_user=_staff(session))


def test_staff_who_may_not_see_or_change_the_report_are_refused(session):
    report = _report_in(session, ReportStatus.ASSIGNED)
    other_party = _staff(session, Role.HANDLER, party=make_party(session))
    with pytest.raises(NotFound):
        change_status_by_staff(session, report.id, "in_progress", staff_user=other_party)
    moderator = _staff(session, Role.MODERATOR)
    with pytest.raises(Forbidden):
        change_status_by_staff(session, report.id, "in_progress", staff_user=moderator)
    own = _staff(session, Role.CONTRACTOR, party=report.assigned_party, name="Urakoitsija")
    assert change_status_by_staff(session, report.id, "in_progress",
                                  staff_user=own).to_status is ReportStatus.IN_PROGRESS
