"""GeoReport v2 writes of client systems: POST requests (a report) and tokens/{token}.

POST requests takes a form (application/x-www-form-urlencoded or multipart/form-data) with
the client's `api_key` (a missing, unknown or revoked one is a 403), counted against the
key's rate limit (a 429 with Retry-After, in the errors list). The answer is 200 with the
spec's list of one request: service_request_id, token, service_notice, account_id. An
Idempotency-Key header makes a resend (a phone that lost the answer) get the first answer
instead of a second report, as in the JSON API. Every parameter is read from the form's
body, none from the URL's query string: an api_key there would land in access logs.
"""
from __future__ import annotations

from flask import Response, current_app, g, request, url_for

from feedbackgis.extensions import db
from feedbackgis.open311.blueprint import open311_blueprint, render_open311
from feedbackgis.rate_limits import open311_key_limit, request_api_key
from feedbackgis.schemas.open311_submission import load_request_post
from feedbackgis.services.open311.api_keys import PARAMETER, authenticate_api_key
from feedbackgis.services.open311.submissions import request_of_token, submit_service_request
from feedbackgis.services.reports.idempotency import HEADER as IDEMPOTENCY_HEADER
from feedbackgis.services.reports.idempotency import IdempotencyKey


def _idempotency(api_key_id: int) -> IdempotencyKey | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    # A key is the client system's own: another system's same key is another request.
    body = {name: request.form.getlist(name) for name in request.form if name != PARAMETER}
    return IdempotencyKey.of_request(key, f"POST /open311/v2/requests by key {api_key_id}",
                                     body)


@open311_blueprint.post("/requests.<fmt>")
@open311_key_limit
def post_service_request() -> Response:
    api_key = authenticate_api_key(db.session, request.form.get(PARAMETER),
                                   stored=request_api_key())
    post = load_request_post(request.form)
    created = submit_service_request(
        db.session, post, api_key, secret_key=current_app.config["SECRET_KEY"],
        time_zone=current_app.config["TIMEZONE"], idempotency=_idempotency(api_key.id))
    response = render_open311([created.view()], "service_requests")
    response.headers["Location"] = url_for(
        "open311.service_request", service_request_id=str(created.report_id),
        fmt=g.open311_format, _external=True)
    response.headers["Cache-Control"] = "no-store"
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@open311_blueprint.get("/tokens/<token>.<fmt>")
def token(token: str) -> Response:
    return render_open311([request_of_token(db.session, token)], "service_requests")
