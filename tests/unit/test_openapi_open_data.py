"""The open data's JSON Schema (2020-12) as OpenAPI 3.0 components: the same constraints in
the older dialect, every $defs entry a component and every reference to one rewritten."""
from __future__ import annotations

import json

from feedbackgis.api.openapi_open_data import SCHEMA_FILE, open_data_schemas


def _walk(shape):  # noqa: ANN001, ANN202
    if isinstance(shape, dict):
        yield shape
        for value in shape.values():
            yield from _walk(value)
    elif isinstance(shape, list):
        for value in shape:
            yield from _walk(value)


def test_every_definition_is_a_component_and_every_reference_points_at_one() -> None:
    source = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schemas = open_data_schemas()
    assert set(schemas) == {"OpenData"} | {"OpenData" + name[0].upper() + name[1:]
                                           for name in source["$defs"]}
    references = [shape["$ref"] for shape in _walk(schemas) if "$ref" in shape]
    assert references
    document = {"components": {"schemas": schemas}}
    for reference in references:  # some point into a definition (its properties)
        target = document
        for step in reference.removeprefix("#/").split("/"):
            target = target[step]
        assert isinstance(target, dict) and target, reference


def test_the_newer_keywords_are_said_the_openapi_30_way() -> None:
    schemas = open_data_schemas()
    shapes = list(_walk(schemas))
    assert not [shape for shape in shapes
                if {"const", "$defs", "$schema", "$id"} & set(shape)]
    assert all(isinstance(shape["type"], str) for shape in shapes
               if isinstance(shape.get("type"), (str, list)))
    top = schemas["OpenData"]["properties"]
    assert top["schema_version"]["enum"] == ["1"]
    assert top["refreshed_at"] == {**top["refreshed_at"], "type": "string", "nullable": True,
                                   "format": "date-time"}
    assert schemas["OpenData"]["required"] == json.loads(
        SCHEMA_FILE.read_text(encoding="utf-8"))["required"]
