"""mySociety's servicerequestupdates: GET (the public updates of requests) and POST (a
system sends an update back).

GET is public (a client's api_key is accepted and ignored, as FixMyStreet sends one). POST
needs an api_key (403 without one, or with a revoked one) and answers the spec's list of one
request_update with our update_id, never empty: our event's id, or "r" and the id of our
record of an update that changed nothing (the same on a repeat, so that FixMyStreet, which
resends an update answered without an id, sends it once). Who may change what is
services/open311/received_updates.py's rule.
"""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Response, current_app, request

from feedbackgis.extensions import db
from feedbackgis.open311.blueprint import open311_blueprint, render_open311
from feedbackgis.rate_limits import open311_key_limit, request_api_key
from feedbackgis.schemas.open311_updates import load_received_update, load_updates_query
from feedbackgis.services.open311.api_keys import PARAMETER, authenticate_api_key
from feedbackgis.services.open311.received_updates import UpdateSender, apply_received_update
from feedbackgis.services.open311.updates import find_updates

ROOT = "service_request_updates"


@open311_blueprint.get("/servicerequestupdates.<fmt>")
def service_request_updates() -> Response:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    query = load_updates_query(request.args, datetime.now(UTC), zone)
    return render_open311(find_updates(db.session, query), ROOT)


@open311_blueprint.post("/servicerequestupdates.<fmt>")
@open311_key_limit
def post_service_request_update() -> Response:
    api_key = authenticate_api_key(db.session, request.form.get(PARAMETER),
                                   stored=request_api_key())
    sender = UpdateSender(api_key_id=api_key.id, party_id=api_key.party_id)
    report_id, update = load_received_update(request.form,
                                             ZoneInfo(current_app.config["TIMEZONE"]))
    applied = apply_received_update(
        db.session, sender, report_id, update, time_zone=current_app.config["TIMEZONE"],
        fix_check_days=current_app.config["FIX_CHECK_DAYS"])
    return render_open311([{"update_id": applied.update_id}], ROOT)
