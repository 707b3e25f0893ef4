"""The public map's data (clusters, or reports one by one) and its list view."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import request

from feedbackgis.api import api_blueprint
from feedbackgis.extensions import db
from feedbackgis.i18n import request_language
from feedbackgis.schemas.public_map import (
    ClusteredMapOut,
    MapQueryIn,
    PointMapOut,
    ReportListQueryIn,
    ReportPageOut,
    listed_report_view,
)
from feedbackgis.services.public_map.map_view import ClusteredMap, public_map_view
from feedbackgis.services.public_map.report_list import public_report_list

map_query_in = MapQueryIn()
list_query_in = ReportListQueryIn()
clustered_out = ClusteredMapOut()
points_out = PointMapOut()
page_out = ReportPageOut()
# Everyone sees the same map: shared caches may keep an answer for half a minute.
PUBLIC_FOR_30_SECONDS = "public, max-age=30"


@api_blueprint.get("/map/reports")
def map_reports():  # noqa: ANN201
    view = public_map_view(db.session, map_query_in.load(request.args), datetime.now(UTC))
    body = clustered_out.dump(view) if isinstance(view, ClusteredMap) else points_out.dump(view)
    return body, 200, {"Cache-Control": PUBLIC_FOR_30_SECONDS}


@api_blueprint.get("/reports")
def list_reports():  # noqa: ANN201
    page = public_report_list(db.session, list_query_in.load(request.args), datetime.now(UTC))
    language = request_language()
    body = page_out.dump({
        "page": page.page, "page_size": page.page_size, "pages": page.pages,
        "total": page.total, "total_exact": page.total_exact,
        "reports": [listed_report_view(r, language) for r in page.reports],
    })
    return body, 200, {"Cache-Control": PUBLIC_FOR_30_SECONDS, "Vary": "Accept-Language"}
