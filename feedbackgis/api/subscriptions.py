"""Area subscriptions and report followers: both answer 202 and the same body whatever the
address's state, so the API tells nobody who subscribes to what (no account enumeration)."""
from __future__ import annotations

from flask import current_app

from feedbackgis.api import api_blueprint
from feedbackgis.api.requests import json_object_body
from feedbackgis.extensions import db
from feedbackgis.rate_limits import follow_up_limit
from feedbackgis.schemas.subscriptions import AcceptedOut, AreaSubscriptionIn, FollowerIn
from feedbackgis.services.subscriptions.area_subscriptions import subscribe_to_area
from feedbackgis.services.subscriptions.followers import follow_report

subscription_in = AreaSubscriptionIn()
follower_in = FollowerIn()
accepted_out = AcceptedOut()
CONFIRMATION_SENT = {"status": "confirmation_sent"}


@api_blueprint.post("/subscriptions")
@follow_up_limit
def create_subscription():  # noqa: ANN201
    new = subscription_in.load(json_object_body())
    config = current_app.config
    subscribe_to_area(db.session, new, secret_key=config["SECRET_KEY"],
                      metric_srid=config["METRIC_SRID"])
    return accepted_out.dump(CONFIRMATION_SENT), 202


@api_blueprint.post("/reports/<id:report_id>/followers")
@follow_up_limit
def create_follower(report_id: int):  # noqa: ANN201
    data = follower_in.load(json_object_body())
    follow_report(db.session, report_id, data["email"], data["language"],
                  secret_key=current_app.config["SECRET_KEY"])
    return accepted_out.dump(CONFIRMATION_SENT), 202
