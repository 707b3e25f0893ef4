"""Duplicates: merge a report into the one it repeats.

The duplicate points to its original (merged_into_id) and leaves the public map; its
public page says where to look instead. Whoever wanted to hear about it hears about the
original from now on: its followers are moved over, and its reporter (when they left an
email) becomes a follower of the original. Both are told (REPORT_MERGED).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action
from feedbackgis.domain.statuses import CLOSED_STATUSES, ReportStatus, check_transition
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import (
    EventKind,
    OutboxTopic,
    Report,
    ReporterContact,
    ReportEvent,
    ReportFollower,
    StaffUser,
)
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.staff.access import actor_name, check_may
from feedbackgis.services.subscriptions.email_confirmation import normalise_email, token_columns
from feedbackgis.services.work_orders.links import end_work_order_link


def merge_report(session: Session, duplicate_id: int, original_id: int, user: StaffUser, *,
                 secret_key: str) -> ReportEvent:
    """Merge duplicate_id into original_id; commits. The duplicate's event comes back."""
    if duplicate_id == original_id:
        raise InvalidInput("A report cannot be merged into itself.", field="original")
    duplicate, original = _lock_both(session, duplicate_id, original_id, user)
    if original.merged_into_id is not None:
        raise InvalidInput(f"Report #{original.id} was itself merged into "
                           f"#{original.merged_into_id}: merge into that one.",
                           field="original")
    if original.status in CLOSED_STATUSES:
        raise InvalidInput(f"Report #{original.id} ended without a fix "
                           f"({original.status}): merge into an open or fixed one.",
                           field="original")
    try:
        check_transition(duplicate.status, ReportStatus.DUPLICATE)
    except ValueError as exc:
        raise Conflict(str(exc), field="status") from exc
    now = datetime.now(UTC)
    moved = _move_followers(session, duplicate, original)
    reporter_follower = _reporter_as_follower(session, duplicate, original, secret_key, now)
    event = ReportEvent(kind=EventKind.MERGED, actor=actor_name(user), staff_user_id=user.id,
                        from_status=duplicate.status, to_status=ReportStatus.DUPLICATE,
                        is_public=True, data={"into": original.id})
    duplicate.events.append(event)
    original.events.append(ReportEvent(
        kind=EventKind.MERGED, actor=actor_name(user), staff_user_id=user.id,
        is_public=False, data={"from": duplicate.id}))
    duplicate.status, duplicate.merged_into_id = ReportStatus.DUPLICATE, original.id
    duplicate.moderation_pending = False
    end_work_order_link(duplicate)  # the work goes on, if at all, on the original
    session.flush()
    record_side_effect(session, OutboxTopic.REPORT_MERGED, report_id=duplicate.id,
                       original_id=original.id, follower_ids=moved,
                       reporter_follower_id=reporter_follower)
    session.commit()
    return event


def _lock_both(session: Session, duplicate_id: int, original_id: int,
               user: StaffUser) -> tuple[Report, Report]:
    # In id order, so two merges of the same pair at once wait rather than deadlock.
    rows = {report.id: report for report in session.scalars(
        select(Report).where(Report.id.in_([duplicate_id, original_id]))
        .order_by(Report.id).with_for_update(of=Report))}
    for report_id, field in ((duplicate_id, "duplicate"), (original_id, "original")):
        if report_id not in rows:
            raise NotFound(f"No report with id {report_id}.", field=field)
        check_may(user, Action.MERGE, rows[report_id])
    return rows[duplicate_id], rows[original_id]


def _move_followers(session: Session, duplicate: Report, original: Report) -> list[int]:
    """The duplicate's followers now follow the original (once per address; a confirmed
    follower stays confirmed); the ids of the confirmed ones, to be told."""
    already = {follower.email: follower for follower in session.scalars(
        select(ReportFollower).where(ReportFollower.report_id == original.id))}
    moved = []
    for follower in session.scalars(select(ReportFollower)
                                    .where(ReportFollower.report_id == duplicate.id)):
        kept = already.get(follower.email)
        if kept is not None:
            kept.confirmed_at = kept.confirmed_at or follower.confirmed_at
            session.delete(follower)
            continue
        follower.report_id = original.id
        already[follower.email] = follower
        if follower.confirmed_at is not None:
            moved.append(follower.id)
    session.flush()
    return moved


def _reporter_as_follower(session: Session, duplicate: Report, original: Report,
                          secret_key: str, now: datetime) -> int | None:
    """The duplicate's reporter, confirmed already (they gave the address for news of the
    same problem), follows the original; the new follower's id, None if there is none."""
    contact = session.get(ReporterContact, duplicate.id)
    if contact is None or not contact.email:
        return None
    # Following it already (perhaps not yet confirmed): confirmed now, by the same address.
    statement = insert(ReportFollower).values(
        report_id=original.id, email=normalise_email(contact.email),
        language=duplicate.language, created_at=now, confirmed_at=now,
        **token_columns(secret_key))
    return session.scalar(statement.on_conflict_do_update(
        index_elements=["report_id", "email"],
        set_={"confirmed_at": func.coalesce(ReportFollower.confirmed_at,
                                            statement.excluded.confirmed_at)})
        .returning(ReportFollower.id))
