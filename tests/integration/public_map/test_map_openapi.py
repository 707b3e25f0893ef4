"""The public map's answers are what its OpenAPI document says, clustered or not (the fuzzer
meets mostly empty maps; these meet a city)."""
from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator

from feedbackgis.api.openapi import build_spec

from .test_map_api import city  # noqa: F401 - the fixture

CASES = [
    ("/api/v1/map/reports", {"bbox": "24.8,60.1,25.1,60.26", "zoom": "11"}, "ClusteredMap"),
    ("/api/v1/map/reports", {"bbox": "24.935,60.165,24.945,60.175", "zoom": "16"}, "PointMap"),
    ("/api/v1/reports", {"bbox": "24.8,60.1,25.1,60.26", "lang": "sv"}, "ReportPage"),
]


def _validator(schema: dict) -> OAS30Validator:
    """`schema` with the document's components beside it, where its $refs point."""
    return OAS30Validator({**schema, "components": build_spec()["components"]})


@pytest.mark.parametrize(("path", "params", "shape"), CASES)
def test_each_answer_matches_its_schema_in_the_document_and_is_the_expected_one(
        client, city, path, params, shape):  # noqa: F811
    response = client.get(path, query_string=params)
    assert response.status_code == 200
    documented = build_spec()["paths"][path]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    _validator(documented).validate(response.json)
    _validator({"$ref": f"#/components/schemas/{shape}"}).validate(response.json)
    assert response.json["reports" if shape != "ClusteredMap" else "cells"]
