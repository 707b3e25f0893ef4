"""The public map's query parameters are read strictly, as its OpenAPI document says."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from feedbackgis.domain.map_grid import BoundingBox
from feedbackgis.domain.public_map import ReportState
from feedbackgis.schemas.public_map import MapQueryIn, ReportListQueryIn
from feedbackgis.services.public_map.map_view import MapQuery
from feedbackgis.services.public_map.report_list import ReportListQuery, shorten

map_query = MapQueryIn()


def test_a_full_query_loads_to_a_map_query():
    loaded = map_query.load({"bbox": "24.8,60.1,25.1,60.3", "zoom": "12", "lang": "fi",
                             "category": "pothole,streetlight", "state": "open", "days": "30"})
    assert loaded == MapQuery(bbox=BoundingBox(24.8, 60.1, 25.1, 60.3), zoom=12,
                              categories=("pothole", "streetlight"), state=ReportState.OPEN,
                              days=30)


def test_json_numbers_in_every_notation_are_taken():
    loaded = map_query.load({"bbox": "-1.5e-05,0,1E+1,60.25", "zoom": "0"})
    assert loaded.bbox == BoundingBox(-1.5e-05, 0.0, 10.0, 60.25)


@pytest.mark.parametrize(("params", "name"), [
    ({"bbox": " 24.8,60.1,25.1,60.3"}, "bbox"), ({"bbox": "+24.8,60.1,25.1,60.3"}, "bbox"),
    ({"bbox": "24.8,60.1,25.1,60.3,1"}, "bbox"), ({"bbox": "2_4,60.1,25.1,60.3"}, "bbox"),
    ({"bbox": "24.8,60.1,25.1,infinity"}, "bbox"), ({"bbox": "1e999,60.1,25.1,60.3"}, "bbox"),
    ({"zoom": " 3"}, "zoom"), ({"zoom": "+3"}, "zoom"), ({"zoom": "3.0"}, "zoom"),
    ({"zoom": "9" * 40}, "zoom"), ({"days": "7_0"}, "days"),
    ({"category": "a,,b"}, "category"), ({"category": ",".join(["a"] * 51)}, "category"),
])
def test_what_the_document_calls_invalid_is_refused_naming_the_parameter(params, name):
    with pytest.raises(ValidationError) as error:
        map_query.load({"bbox": "24.8,60.1,25.1,60.3", "zoom": "3", **params})
    assert list(error.value.messages) == [name]


def test_the_list_needs_no_bbox_and_starts_at_page_one():
    assert ReportListQueryIn().load({}) == ReportListQuery()


@pytest.mark.parametrize(("text", "shortened"), [
    ("Lyhyt", "Lyhyt"), ("a" * 250, "a" * 199 + "…"), ("sana " * 60, ("sana " * 39)[:-1] + "…"),
])
def test_descriptions_are_shortened_to_200_characters_at_a_word(text, shortened):
    assert shorten(text) == shortened
    assert len(shorten(text)) <= 200
