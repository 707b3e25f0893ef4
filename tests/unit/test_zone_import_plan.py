"""What each feature of a zone file becomes: attribute rules, without a database."""
from __future__ import annotations

import pytest
import shapely

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.crs import crs_from_user_input
from feedbackgis.geo.readers import SourceFeature
from feedbackgis.services.zones.zone_import_plan import (
    FieldMapping,
    describe_by_feature,
    match_field,
    parse_category_codes,
    plan_zone,
    plan_zones,
    refuse_unknown_names,
)
from tests.zone_files import SQUARE_3067

TM35FIN = crs_from_user_input(3067)
BY_FIELDS = FieldMapping(party_field="party", categories_field="cats", priority_field="prio",
                         name_field="name", default_name="alueet")


def _plan(attributes, mapping=BY_FIELDS, geometry=SQUARE_3067, number=1):
    return plan_zone(SourceFeature(number, geometry, attributes), TM35FIN, mapping, 100)


def test_fields_give_party_categories_priority_and_name():
    zone = _plan({"party": " Urakoitsija Oy ", "cats": "lights, roads", "prio": 5, "name": "Itä"})
    assert (zone.party_name, zone.category_codes, zone.priority, zone.name) == (
        "Urakoitsija Oy", ("lights", "roads"), 5, "Itä")
    assert not zone.refused and zone.geometry.geom_type == "MultiPolygon"


@pytest.mark.parametrize(("value", "expected"), [(7, 7), (7.0, 7), ("12", 12), (" -3 ", -3),
                                                 (None, 0), ("", 0)])
def test_priority_field_takes_whole_numbers(value, expected):
    assert _plan({"party": "P", "prio": value}).priority == expected


@pytest.mark.parametrize("value", ["high", 2.5, True])
def test_priority_that_is_not_a_whole_number_is_a_problem(value):
    assert _plan({"party": "P", "prio": value}).problems == (
        f"priority {value!r} is not a whole number",)


@pytest.mark.parametrize(("text", "codes"), [("", None), ("*", None), ("a,*", None),
                                             ("a, b,a", ("a", "b")), (" a ", ("a",))])
def test_category_codes_parse_with_empty_or_star_meaning_every_category(text, codes):
    assert parse_category_codes(text) == codes


def test_missing_party_name_is_a_problem_with_the_field_named():
    assert _plan({"party": "  "}).problems == ("no party in field 'party'",)


def test_zone_without_name_is_named_after_the_file_and_feature_number():
    assert _plan({"party": "P", "name": None}, number=42).name == "alueet #42"


def test_fixed_values_apply_to_every_feature():
    mapping = FieldMapping(party="Kaupunki", categories=("lights",), priority=3)
    zone = _plan({}, mapping=mapping)
    assert (zone.party_name, zone.category_codes, zone.priority) == ("Kaupunki", ("lights",), 3)


def test_geometry_and_attribute_problems_are_all_kept():
    zone = _plan({"party": "", "prio": "x"}, geometry=shapely.Point(1, 1))
    assert len(zone.problems) == 3 and "a Point, not an area" in zone.problems[0]


def test_unknown_party_and_categories_become_problems():
    zone = _plan({"party": "Ghost Oy", "cats": "lights,nope"})
    (checked,) = refuse_unknown_names([zone], known_parties={"P"}, known_categories={"lights"})
    assert checked.problems == ("unknown party 'Ghost Oy'", "unknown category 'nope'")


def test_same_problem_of_several_features_is_listed_once_with_every_number():
    lines = describe_by_feature([(2, "no geometry"), (5, "a Point"), (9, "no geometry")])
    assert lines == ["features 2, 9: no geometry", "feature 5: a Point"]


def test_field_names_match_ignoring_case_as_shapefiles_upper_case_them():
    assert match_field(["NIMI", "URAKOITSIJ"], "nimi") == "NIMI"
    with pytest.raises(InvalidInput, match="no field 'party'; its fields are: NIMI, URAKOITSIJ"):
        match_field(["NIMI", "URAKOITSIJ"], "party")


def test_progress_is_reported_per_hundred_features_and_at_the_end():
    features = [SourceFeature(i, SQUARE_3067, {}) for i in range(1, 251)]
    calls = []
    plan_zones(features, TM35FIN, FieldMapping(party="P"), 100,
               progress=lambda stage, done, total: calls.append((done, total)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
