"""The signed-in contractor's open work orders (/work/): a map and a list, nearest first when
the phone told its position (?lat=&lon=, sent by static/work/work-list.js after the
browser asked), else the earliest due first. A position that cannot be read is said so
(422) and the list is shown in the order of due dates.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request, url_for
from flask_babel import format_decimal, gettext
from marshmallow import ValidationError

from feedbackgis.extensions import db
from feedbackgis.schemas.work_orders import load_work_order_list_args
from feedbackgis.services.work_orders.listing import WorkOrderList, work_order_list
from feedbackgis.web.staff.inbox_texts import late_text
from feedbackgis.web.staff.session import current_staff_user, login_required
from feedbackgis.web.texts import status_name
from feedbackgis.web.work import work_blueprint
from feedbackgis.web.work.texts import DONE, LOCATION_ERROR


def map_points(listed: WorkOrderList) -> dict[str, Any]:
    """The page's work orders as GeoJSON for the map, their texts ready to show."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point",
                                         "coordinates": [e.row.lon, e.row.lat]},
         "properties": {"id": e.row.id, "category": e.category,
                        "url": url_for("work.order_page", report_id=e.row.id, lang=g.language),
                        "status": gettext("Status: %(status)s", status=status_name(e.row.status)),
                        "late": late_text(e.late_days) if e.late_days is not None else ""}}
        for e in listed.entries if e.row.lon is not None and e.row.lat is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def map_settings() -> dict[str, Any]:
    config = current_app.config
    return {"tile_url": config["MAP_TILE_URL"], "tile_attribution": config["MAP_TILE_ATTRIBUTION"],
            "center_lon": config["MAP_DEFAULT_LON"], "center_lat": config["MAP_DEFAULT_LAT"],
            "zoom": config["MAP_DEFAULT_ZOOM"]}


def distance_text(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return gettext("%(metres)s m away", metres=int(round(metres, -1)))
    return gettext("%(km)s km away", km=format_decimal(metres / 1000, format="#,##0.0"))


def page_url(listed: WorkOrderList, page: int) -> str:
    near = {"lon": f"{listed.near[0]:.5f}", "lat": f"{listed.near[1]:.5f}"} if listed.near else {}
    return url_for("work.orders", page=page, lang=g.language, **near)


@work_blueprint.get("/")
@login_required
def orders() -> Any:
    status, error = 200, None
    try:
        args = load_work_order_list_args(request.args)
    except ValidationError:
        status, error, args = 422, gettext(LOCATION_ERROR), {"near": None, "page": 1}
    listed = work_order_list(db.session, current_staff_user(), language=g.language, **args)
    done = request.args.get("done", "")
    return render_template(
        "work/orders.html", nav_user=current_staff_user(), listed=listed, error=error,
        map_points=map_points(listed), map_settings=map_settings(), late_text=late_text,
        distance_text=distance_text, page_url=page_url,
        done=gettext(DONE[done]) if done in DONE else None), status
