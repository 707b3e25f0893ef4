"""The work-order API of contractor systems: `Authorization: Bearer <token>` on every route.

A blueprint of its own inside /api/v1, so that no route of it can forget the token: the
check runs before each request. The token's party reads and changes only its own work
orders; another party's report by id is a 404, as is no report at all.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request

from feedbackgis.api import api_blueprint
from feedbackgis.api.photos import MULTIPART_OVERHEAD, _uploaded_bytes
from feedbackgis.api.requests import json_object_body
from feedbackgis.errors import InvalidInput, Unauthorized
from feedbackgis.extensions import csrf, db
from feedbackgis.i18n import request_language
from feedbackgis.photo_responses import jpeg_response
from feedbackgis.schemas.contractor_api import (
    WorkOrderNoteIn,
    WorkOrderNoteOut,
    WorkOrderOut,
    WorkOrderPageOut,
    WorkOrderPhotoOut,
    WorkOrderQueryIn,
    WorkOrderStatusIn,
    photo_view,
    work_order_url,
    work_order_view,
)
from feedbackgis.services.contractor_api import updates
from feedbackgis.services.contractor_api.tokens import ApiClient, authenticate
from feedbackgis.services.contractor_api.work_orders import (
    get_work_order,
    list_work_orders,
    work_order_photo_key,
)
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.reports.idempotency import HEADER as IDEMPOTENCY_HEADER
from feedbackgis.services.reports.idempotency import IdempotencyKey
from feedbackgis.url_converters import register_id_converter

work_orders_blueprint = Blueprint("work_orders", __name__, url_prefix="/work-orders")
work_orders_blueprint.record_once(register_id_converter)
csrf.exempt(work_orders_blueprint)  # a bearer token, never a cookie (see api/__init__.py)

REALM = 'Bearer realm="feedbackgis"'
PRIVATE_MAX_AGE = 300
query_in, status_in, note_in = WorkOrderQueryIn(), WorkOrderStatusIn(), WorkOrderNoteIn()
work_order_out, page_out, note_out = WorkOrderOut(), WorkOrderPageOut(), WorkOrderNoteOut()
photo_out = WorkOrderPhotoOut()
# Work orders are the party's alone: no shared cache may keep them.
PRIVATE = {"Cache-Control": "no-store"}


@work_orders_blueprint.before_request
def _authenticate() -> None:
    scheme, _, bearer = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":  # none at all, or another scheme (Basic ...)
        raise Unauthorized("Send the party's API token as Authorization: Bearer <token>.",
                           challenge=REALM)
    client = authenticate(db.session, bearer.strip())
    if client is None:
        raise Unauthorized("The API token is not valid (mistyped, or revoked).",
                           challenge=f'{REALM}, error="invalid_token"')
    g.api_client = client


def _client() -> ApiClient:
    return g.api_client


def _idempotency(report_id: int, action: str, body: dict) -> IdempotencyKey | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    # A key belongs to one party's one operation on one work order.
    operation = f"POST /api/v1/work-orders/{report_id}/{action} party {_client().party_id}"
    return IdempotencyKey.of_request(key, operation, body)


def _work_order(report_id: int) -> dict:
    work_order = get_work_order(db.session, _client().party_id, report_id)
    return work_order_out.dump(work_order_view(work_order, request_language()))


@work_orders_blueprint.get("", endpoint="list_work_orders")
def list_all():  # noqa: ANN201
    page = list_work_orders(db.session, _client().party_id, query_in.load(request.args))
    language = request_language()
    return page_out.dump({
        "page": page.page, "per_page": page.per_page, "total": page.total,
        "work_orders": [work_order_view(w, language) for w in page.work_orders],
    }), 200, PRIVATE


@work_orders_blueprint.get("/<id:report_id>", endpoint="get_work_order")
def get_one(report_id: int):  # noqa: ANN201
    return _work_order(report_id), 200, PRIVATE


@work_orders_blueprint.post("/<id:report_id>/status")
def set_status(report_id: int):  # noqa: ANN201
    body = json_object_body()
    given = status_in.load(body)
    changed = updates.set_status(db.session, _client(), report_id, given["status"],
                                 note=given.get("note"),
                                 idempotency=_idempotency(report_id, "status", body),
                                 time_zone=current_app.config["TIMEZONE"],
                                 fix_check_days=current_app.config["FIX_CHECK_DAYS"])
    headers = dict(PRIVATE) if changed else {**PRIVATE, "Idempotent-Replayed": "true"}
    return _work_order(report_id), 200, headers


@work_orders_blueprint.post("/<id:report_id>/notes")
def add_note(report_id: int):  # noqa: ANN201
    body = json_object_body()
    given = note_in.load(body)
    event = updates.add_note(db.session, _client(), report_id, given["note"],
                             idempotency=_idempotency(report_id, "notes", body))
    headers = {**PRIVATE, "Location": work_order_url(report_id)}
    return note_out.dump({"id": event.id, "note": event.note, "actor": event.actor,
                          "created_at": event.created_at}), 201, headers


@work_orders_blueprint.post("/<id:report_id>/photos")
def add_photo(report_id: int):  # noqa: ANN201
    limits = PhotoLimits.from_config(current_app.config)
    request.max_content_length = limits.max_bytes + MULTIPART_OVERHEAD
    # Another party's work order is refused before its upload is even read.
    updates.check_takes_photos(db.session, _client(), report_id)
    photo = updates.add_after_photo(db.session, storage_from_config(current_app.config),
                                    _client(), report_id, _uploaded_bytes(limits.max_bytes),
                                    limits)
    view = photo_view(report_id, photo)
    return photo_out.dump(view), 201, {**PRIVATE, "Location": view["url"]}


@work_orders_blueprint.get("/<id:report_id>/photos/<id:photo_id>")
def work_order_photo(report_id: int, photo_id: int) -> Response:
    thumbnail = request.args.get("thumbnail")
    if thumbnail not in (None, "1"):
        raise InvalidInput("Give thumbnail=1 for the thumbnail, or leave it out.",
                           field="thumbnail")
    key = work_order_photo_key(db.session, _client().party_id, report_id, photo_id,
                               thumbnail=thumbnail == "1")
    return jpeg_response(key, public=False, max_age=PRIVATE_MAX_AGE)


api_blueprint.register_blueprint(work_orders_blueprint)
