"""The transactional outbox, and the jobs each of its rows set going.

The database, not Redis, is the record of side effects: a row is written in the same
transaction as the change that causes it; the relay enqueues its jobs and notes each of them
in `outbox_job`; the row is done only once every one of its jobs has finished (or failed for
good, with the reason kept). A job that Redis lost (flushed, restarted without persistence,
failed over, evicted) is still `queued` here, so the relay enqueues it again.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.models.base import Base, created_at_column, value_enum


class OutboxTopic(enum.StrEnum):
    """Every side effect there is. Writers and the relay (jobs/relay.py ROUTES) share it."""

    REPORT_SUBMITTED = "report.submitted"
    REPORT_ASSIGNED = "report.assigned"
    REPORT_TRIAGED = "report.triage"
    REPORT_STATUS_CHANGED = "report.status_changed"
    AREA_SUBSCRIPTION_CREATED = "area_subscription.created"
    REPORT_FOLLOWER_CREATED = "report_follower.created"
    # The reporter added information or withdrew the report (through the follow-up link):
    # whoever works on the report is told.
    REPORT_INFORMATION_ADDED = "report.information_added"
    REPORT_WITHDRAWN = "report.withdrawn"
    PHOTO_UPLOADED = "photo.uploaded"
    # A report was given to a person of its party (services/staff/assignment.py).
    REPORT_PERSON_ASSIGNED = "report.person_assigned"
    # An overdue report was escalated one level (1: its party reminded, 2: the manager told);
    # payload report_id and level (services/reports/escalation.py).
    REPORT_ESCALATED = "report.escalated"
    # A staff user asked for a password reset link (the job makes the link as it sends it).
    STAFF_PASSWORD_RESET = "staff.password_reset"  # noqa: S105 - a topic's name
    # Staff answered the resident (a public reply without a change of status).
    REPORT_REPLIED = "report.replied"
    # A duplicate merged into its original: its reporter and followers are told.
    REPORT_MERGED = "report.merged"
    # The closed loop (services/reports/fix_check.py): a report entered FIXED and asks its
    # reporter and followers "is it fixed?" (payload report_id, event_id of the change);
    # a resident confirmed the fix (the report is closed); a resident said it is not fixed
    # (reopened to the same party, which is told). Each carries report_id and event_id.
    REPORT_FIX_CHECK_STARTED = "report.fix_check_started"
    REPORT_FIX_CONFIRMED = "report.fix_confirmed"
    REPORT_REOPENED = "report.reopened"
    # A staff member asked for a file (an export, a heatmap) that a job prepares (payload
    # file_id; services/analytics/prepared_files.py).
    FILE_REQUESTED = "file.requested"
    # A client system's POST requests named a media_url: a job fetches the photo into the
    # photo pipeline (payload report_id; services/open311/submissions.py).
    OPEN311_MEDIA_SUBMITTED = "open311.media_submitted"
    # An admin sends again a report whose Open311 delivery to its party failed (payload
    # report_id, party_id; services/open311/deliveries.py).
    OPEN311_SEND_AGAIN = "open311.send_again"


class OutboxMessage(Base):
    """A side effect recorded in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The relay looks for rows not yet relayed, and `jobs status` for rows not done.
        Index("ix_outbox_unrelayed", "id", postgresql_where=text("relayed_at IS NULL")),
        Index("ix_outbox_not_done", "id", postgresql_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))  # an OutboxTopic value
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
    # When its jobs were first handed to Redis.
    relayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the last of its jobs finished or failed for good.
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)

    jobs: Mapped[list[OutboxJob]] = relationship(
        back_populates="message", order_by="OutboxJob.position", cascade="all, delete-orphan"
    )


class OutboxJobState(enum.StrEnum):
    QUEUED = "queued"  # handed to Redis; running, waiting, retrying, or lost there
    DONE = "done"  # finished
    FAILED = "failed"  # used up its retries; `feedbackgis jobs retry` puts it back


class OutboxJob(Base):
    """One RQ job that an outbox row set going, with everything needed to enqueue it again."""

    __tablename__ = "outbox_job"
    __table_args__ = (
        # The relay's reconciliation looks only at jobs still out in Redis.
        Index("ix_outbox_job_queued", "enqueued_at", postgresql_where=text("state = 'queued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer)  # the route's place among the topic's jobs
    job_id: Mapped[str] = mapped_column(String(100), unique=True)  # RQ's id: outbox-N-i
    queue: Mapped[str] = mapped_column(String(50))
    function: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSONB)
    state: Mapped[OutboxJobState] = mapped_column(
        value_enum(OutboxJobState, "outbox_job_state"), default=OutboxJobState.QUEUED,
        server_default=OutboxJobState.QUEUED.value,
    )
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # 1 when first relayed; each re-enqueue of a job Redis lost adds one.
    enqueue_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)

    message: Mapped[OutboxMessage] = relationship(back_populates="jobs")
