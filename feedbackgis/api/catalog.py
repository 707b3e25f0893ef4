"""What clients need to build a submission form and a map: categories and the service area."""
from __future__ import annotations

import json

from feedbackgis.api import api_blueprint
from feedbackgis.extensions import db
from feedbackgis.i18n import request_language
from feedbackgis.repositories.zones import service_area_geojson
from feedbackgis.schemas.catalog import CategoriesOut, categories_view
from feedbackgis.services.catalog.parties_and_categories import (
    active_categories_with_questions,
)

categories_out = CategoriesOut()


@api_blueprint.get("/categories")
def list_categories():  # noqa: ANN201
    language = request_language()
    categories = active_categories_with_questions(db.session, language)
    return categories_out.dump(categories_view(categories, language))


@api_blueprint.get("/area")
def service_area():  # noqa: ANN201
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": json.loads(geometry)}
        for name, geometry in service_area_geojson(db.session)
    ]
    return {"type": "FeatureCollection", "features": features}, 200, {
        "Cache-Control": "public, max-age=300"
    }
