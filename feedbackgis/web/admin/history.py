"""The admin pages' front page, and the whole history of admin changes (removed things
included), newest first, optionally of one kind."""
from __future__ import annotations

from typing import Any

from flask import render_template, request

from feedbackgis.domain.permissions import Action
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import Entity, recent_changes
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin_required
from feedbackgis.web.admin.texts import ENTITY_NAMES

HISTORY_LENGTH = 200


@admin_blueprint.get("/")
@admin_required(Action.MANAGE_CATALOG)
def index() -> Any:
    return render_template("admin/index.html",
                           changes=recent_changes(db.session, limit=10))


@admin_blueprint.get("/history")
@admin_required(Action.MANAGE_CATALOG)
def history() -> Any:
    wanted = request.args.get("entity", "")
    entity = wanted if wanted in {e.value for e in Entity} else None
    return render_template("admin/history.html", entity=entity, entities=ENTITY_NAMES,
                           changes=recent_changes(db.session, entity=entity,
                                                  limit=HISTORY_LENGTH))
