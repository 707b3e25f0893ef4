"""Open reports near a pin: the report form asks before sending "is it one of these?", so a
resident can follow an existing report instead of sending the same one again."""
from __future__ import annotations

from flask import current_app, request

from feedbackgis.api import api_blueprint
from feedbackgis.extensions import db
from feedbackgis.i18n import request_language
from feedbackgis.repositories.nearby import nearby_open_reports
from feedbackgis.schemas.nearby import NearbyQueryIn, NearbyReportsOut

nearby_query_in = NearbyQueryIn()
nearby_out = NearbyReportsOut()


@api_blueprint.get("/reports/nearby")
def nearby_reports():  # noqa: ANN201
    query = nearby_query_in.load(request.args.to_dict())
    radius = float(current_app.config["DUPLICATE_RADIUS_M"])
    reports = nearby_open_reports(
        db.session, query["lon"], query["lat"], query["category"], radius_m=radius,
        language=request_language())
    # Short: a report published a minute ago should be offered soon.
    return nearby_out.dump({"radius_m": radius, "reports": reports}), 200, {
        "Cache-Control": "public, max-age=30"}
