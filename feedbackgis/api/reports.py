"""Report submission and the public view of a report."""
from __future__ import annotations

from dataclasses import replace

from flask import current_app, request, url_for

from feedbackgis.api import api_blueprint
from feedbackgis.api.requests import json_object_body
from feedbackgis.domain.figures import device_of
from feedbackgis.extensions import db
from feedbackgis.i18n import request_language
from feedbackgis.rate_limits import submission_limit
from feedbackgis.schemas.reports import (
    PublicReportOut,
    ReportIn,
    SubmittedReportOut,
    report_view,
    without_delivery_fields,
)
from feedbackgis.services.reports.idempotency import HEADER as IDEMPOTENCY_HEADER
from feedbackgis.services.reports.idempotency import IdempotencyKey
from feedbackgis.services.reports.reads import get_public_report, get_report_by_token
from feedbackgis.services.reports.submission import submit_report

report_in = ReportIn()
public_report_out = PublicReportOut()
submitted_out = SubmittedReportOut()


def _follow_up_url(token: str) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}{url_for('web.follow_up', token=token)}"


SUBMIT = "POST /api/v1/reports"  # the operation an Idempotency-Key belongs to


@api_blueprint.post("/reports")
@submission_limit
def create_report():  # noqa: ANN201
    body = json_object_body()
    new_report = replace(report_in.load(body), submitted_from=device_of(request.user_agent.string))
    key = request.headers.get(IDEMPOTENCY_HEADER)
    idempotency = (IdempotencyKey.of_request(key, SUBMIT, without_delivery_fields(body))
                   if key is not None else None)
    submitted = submit_report(
        db.session, new_report, secret_key=current_app.config["SECRET_KEY"],
        time_zone=current_app.config["TIMEZONE"], idempotency=idempotency,
    )
    report = submitted.report
    location = url_for("api.get_report", report_id=report.id, _external=True)
    body = submitted_out.dump({
        "id": report.id,
        **submitted.receipt.as_dict(),
        "follow_up_url": _follow_up_url(submitted.follow_up_token),
        "follow_up_token": submitted.follow_up_token,
        "url": location,
    })
    # The token must not be kept by shared caches. A replay answers as the first did.
    headers = {"Location": location, "Cache-Control": "no-store"}
    if submitted.replayed:
        headers["Idempotent-Replayed"] = "true"
    return body, 201, headers


@api_blueprint.get("/reports/<id:report_id>")
def get_report(report_id: int):  # noqa: ANN201
    report = get_public_report(db.session, report_id)
    return public_report_out.dump(report_view(report, request_language()))


@api_blueprint.get("/follow-up/<token>")
def follow_up_report(token: str):  # noqa: ANN201
    """The reporter's own view through the capability link, published or not."""
    report = get_report_by_token(db.session, token)
    return public_report_out.dump(report_view(report, request_language())), 200, {
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"
    }
