"""The zones on the admin pages (/admin/zones): every zone on a map and by party, and the
upload of a zone file (web/admin/zone_upload.py: its preview with the routing what-if, then
its import). Everything goes through services/zones/, as `feedbackgis zones` does.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from itertools import groupby
from typing import Any

from flask import current_app, render_template, session
from flask_babel import format_date, gettext

from feedbackgis.domain.permissions import Action
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.admin.audit import Entity, recent_changes
from feedbackgis.services.catalog.listing import all_parties
from feedbackgis.services.zones.listing import ZoneListing, ZoneOnMap, zones_on_map
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin_required
from feedbackgis.web.admin.zone_form import ADD
from feedbackgis.web.map_settings import map_settings

RESULT_KEY = "admin_zone_result"  # the last import's outcome, shown once
# The audit trail's actions on zones (services/zones/zone_audit.py), as the history says.
ACTION_NAMES = {"import": N_("Zones added"), "replace": N_("Zones replaced"),
                "delete": N_("Zones deleted")}
HISTORY_LENGTH = 20
PALETTE_SIZE = 8  # static/admin/zones-map.js's colours, one per party in turn


@admin_blueprint.get("/zones")
@admin_required(Action.MANAGE_CATALOG)
def zones() -> Any:
    return render_zones_page({"mode": ADD}, {})


def render_zones_page(values: Mapping[str, str], errors: Mapping[str, str], status: int = 200,
                      problems: list[str] | None = None) -> Any:
    """The zones page; `values` and `errors` are the upload form's, `problems` the refused
    features of a file of which nothing could be imported."""
    on_map = zones_on_map(db.session)
    listed = [z.zone for z in on_map]
    parties = all_parties(db.session)
    by_party = [(party, list(zones)) for party, zones in groupby(
        sorted(listed, key=lambda z: z.party), key=lambda z: z.party)]
    return render_template(
        "admin/zones.html", by_party=by_party, map_data=map_collection(on_map),
        map_settings=map_settings(), values=values, errors=errors, problems=problems or [],
        parties=parties, party_names={str(p.id): p.name for p in parties},
        zone_action_names={code: gettext(text) for code, text in ACTION_NAMES.items()},
        max_megabytes=current_app.config["ZONE_UPLOAD_MAX_BYTES"] // 1_000_000,
        changes=recent_changes(db.session, entity=Entity.ZONE, limit=HISTORY_LENGTH),
        result=session.pop(RESULT_KEY, None), validity_text=validity_text,
    ), status


def map_collection(on_map: list[ZoneOnMap]) -> dict[str, Any]:
    """The zones as GeoJSON for the map, their popups' texts ready (the page's language)."""
    parties = sorted({z.zone.party for z in on_map})
    colours = {name: index % PALETTE_SIZE for index, name in enumerate(parties)}
    features = [
        {"type": "Feature", "geometry": z.geometry,
         "properties": {"name": z.zone.name, "party": z.zone.party,
                        "colour": colours[z.zone.party],
                        "priority": gettext("Priority: %(priority)s", priority=z.zone.priority),
                        "categories": categories_text(z.zone)}}
        for z in on_map
    ]
    return {"type": "FeatureCollection", "features": features}


def validity_text(zone: ZoneListing) -> str:
    """The days the zone routes reports, both included, in the municipality's calendar."""
    if zone.valid_from is None and zone.valid_to is None:
        return gettext("Always")
    # valid_to is the first instant the zone no longer routes: the day before it is the last.
    last = zone.valid_to - timedelta(microseconds=1) if zone.valid_to else None
    return gettext("%(first)s – %(last)s",
                   first=format_date(zone.valid_from) if zone.valid_from else "",
                   last=format_date(last) if last else "")


def categories_text(zone: ZoneListing) -> str:
    if zone.categories is None:
        return gettext("Every category")
    return gettext("Categories: %(codes)s", codes=", ".join(zone.categories))


def remember_result(file_name: str, imported: int, replaced: int) -> None:
    session[RESULT_KEY] = {"file": file_name, "imported": imported, "replaced": replaced}


# The upload's views (they use the page above).
from feedbackgis.web.admin import zone_upload  # noqa: E402, F401
