"""Loading a resident's submission: what is accepted and what each error says."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from feedbackgis.schemas.reports import ReportIn
from feedbackgis.services.reports.submission import Contact, NewReport

schema = ReportIn()


def test_lon_lat_location_loads_to_a_new_report():
    new = schema.load({"category": "pothole", "location": {"lon": 24.9, "lat": 60.2},
                       "description": "Kuoppa", "contact": {"email": "a@example.fi"}})
    assert new == NewReport(category="pothole", description="Kuoppa", lon=24.9, lat=60.2,
                            language="fi", contact=Contact(email="a@example.fi"))


def test_geojson_point_with_height_loads_lon_lat():
    new = schema.load({"category": "c", "description": "d",
                       "location": {"type": "Point", "coordinates": [24.9, 60.2, 12.0]}})
    assert (new.lon, new.lat) == (24.9, 60.2)


@pytest.mark.parametrize(("location", "key"), [
    ({"lon": float("nan"), "lat": 60}, "lon"),
    ({"lon": True, "lat": 60}, "lon"),
    ({"lon": 24, "lat": 95}, "lat"),
    ({"type": "Point", "coordinates": [200, 60]}, "lon"),
])
def test_bad_coordinates_are_named(location, key):
    with pytest.raises(ValidationError) as err:
        schema.load({"category": "c", "description": "d", "location": location})
    assert key in err.value.messages["location"]


@pytest.mark.parametrize("location", ["24.9,60.2", [24.9, 60.2], {"x": 1, "y": 2},
                                      {"type": "Point", "coordinates": [1]},
                                      {"lon": 1, "lat": 2, "alt": 3}])
def test_unreadable_location_explains_the_accepted_forms(location):
    with pytest.raises(ValidationError) as err:
        schema.load({"category": "c", "description": "d", "location": location})
    assert "location" in err.value.messages


def test_unknown_language_is_refused():
    with pytest.raises(ValidationError) as err:
        schema.load({"category": "c", "description": "d", "address": "Katu 1", "language": "de"})
    assert "language" in err.value.messages
