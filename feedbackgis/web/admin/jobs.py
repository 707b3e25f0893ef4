"""Failed jobs on the admin pages: the jobs that used up their retries, with the reason,
and a retry each (services/admin/failed_jobs.py, as `feedbackgis jobs failed` and
`jobs retry`)."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, url_for
from flask_babel import gettext
from redis.exceptions import RedisError

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db, redis_conn
from feedbackgis.i18n import N_
from feedbackgis.services.admin.audit import Entity, recent_changes
from feedbackgis.services.admin.failed_jobs import list_failed_jobs, retry_failed_job
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import text
from feedbackgis.web.admin.texts import done_message

REDIS_DOWN = N_("The job queues cannot be reached just now, so the failed jobs cannot be "
                "listed. Jobs wait in the database meanwhile; try again in a moment.")
NOT_RETRIED = N_("That job is no longer in the failed list: it may have been retried "
                 "already.")


def _page(status: int = 200, error: str | None = None) -> Any:
    try:
        failed = list_failed_jobs(redis_conn.client)
    except RedisError:
        failed, error, status = [], gettext(REDIS_DOWN), 503
    return render_template("admin/jobs.html", jobs=failed, error=error, done=done_message(),
                           changes=recent_changes(db.session, entity=Entity.JOB, limit=20)
                           ), status


@admin_blueprint.get("/jobs")
@admin_required(Action.MANAGE_CATALOG)
def failed_jobs() -> Any:
    return _page()


@admin_blueprint.post("/jobs/retry")
@admin_required(Action.MANAGE_CATALOG)
def retry_job() -> Any:
    try:
        retry_failed_job(db.session, redis_conn.client, text("job"), actor=admin())
    except ServiceError as exc:
        db.session.rollback()
        return _page(404, f"{gettext(NOT_RETRIED)} ({exc.message})")
    except RedisError:
        db.session.rollback()
        return _page(503)
    return redirect(url_for("admin.failed_jobs", done="retried", lang=g.language), 303)
