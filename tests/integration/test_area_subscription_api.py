"""POST /api/v1/subscriptions: validation, the one answer, the stored row and its outbox row."""
from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.geo.areas import geodesic_area_m2
from feedbackgis.geo.convert import from_db
from feedbackgis.models import AreaSubscription, OutboxMessage

from .factories import make_service_area

SQUARE = [[24.90, 60.10], [25.00, 60.10], [25.00, 60.20], [24.90, 60.20], [24.90, 60.10]]
ANSWER = {"status": "confirmation_sent"}


@pytest.fixture
def municipality(session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    session.commit()


def _subscribe(client, area, email="mokki@example.fi", language="sv"):
    return client.post("/api/v1/subscriptions",
                       json={"email": email, "language": language, "area": area})


def _polygon(coordinates):
    return {"type": "Polygon", "coordinates": [coordinates]}


def _subscriptions(session):
    return session.scalars(select(AreaSubscription).order_by(AreaSubscription.id)).all()


def _field_errors(response):
    assert response.status_code == 422, response.json
    return response.json["fields"]


def test_a_drawn_area_is_stored_unconfirmed_with_an_outbox_row(client, session, municipality):
    response = _subscribe(client, _polygon(SQUARE), email="Mokki@Example.FI")
    assert (response.status_code, response.json) == (202, ANSWER)
    [subscription] = _subscriptions(session)
    assert subscription.email == "mokki@example.fi"
    assert subscription.language == "sv" and subscription.confirmed_at is None
    assert from_db(subscription.area).equals(shapely.Polygon(SQUARE))
    outbox = session.scalars(select(OutboxMessage)).one()
    assert outbox.topic == "area_subscription.created"
    assert outbox.payload == {"subscription_id": subscription.id}
    # Only hashes of the capability tokens are stored, and no token in the answer.
    assert len(subscription.confirm_token_hash) == 64
    assert subscription.token_nonce not in response.get_data(as_text=True)


def test_a_radius_around_a_point_is_stored_as_a_circle_of_that_size(client, session,
                                                                    municipality):
    area = {"center": {"lon": 24.94, "lat": 60.17}, "radius_m": 2000}
    assert _subscribe(client, area).status_code == 202
    [subscription] = _subscriptions(session)
    circle = from_db(subscription.area)
    assert circle.contains(shapely.Point(24.94, 60.17))
    assert geodesic_area_m2(circle) == pytest.approx(math.pi * 2000**2, rel=0.01)


def test_a_self_intersecting_polygon_is_refused_not_repaired(client, session, municipality):
    bow_tie = [[24.9, 60.1], [25.0, 60.2], [25.0, 60.1], [24.9, 60.2], [24.9, 60.1]]
    fields = _field_errors(_subscribe(client, _polygon(bow_tie)))
    assert "Self-intersection" in fields["area"][0]
    assert _subscriptions(session) == []


def test_an_area_over_2000_square_kilometres_is_refused(client, session, municipality):
    # The whole service area: about 55 km by 56 km.
    big = [[24.5, 60.0], [25.5, 60.0], [25.5, 60.5], [24.5, 60.5], [24.5, 60.0]]
    fields = _field_errors(_subscribe(client, _polygon(big)))
    assert "km²" in fields["area"][0]


def test_an_area_with_more_than_1000_vertices_is_refused(client, session, municipality):
    ring = shapely.Point(24.94, 60.17).buffer(0.01, quad_segs=300).exterior.coords
    fields = _field_errors(_subscribe(client, _polygon([list(c) for c in ring])))
    assert "vertices" in fields["area"][0]


def test_an_area_outside_the_service_area_is_refused(client, session, municipality):
    tampere = [[23.7, 61.4], [23.8, 61.4], [23.8, 61.5], [23.7, 61.5], [23.7, 61.4]]
    fields = _field_errors(_subscribe(client, _polygon(tampere)))
    assert "service area" in fields["area"][0]


def test_a_circle_where_the_metric_crs_cannot_measure_is_refused_not_a_server_error(
    client, session, municipality,
):
    # Found by schemathesis: EPSG:3067 projects 179°E to infinity, and buffering failed.
    fields = _field_errors(_subscribe(client, {"center": {"lon": 179, "lat": 0},
                                               "radius_m": 50}))
    assert "service area" in fields["area"][0]


def test_an_area_crossing_the_service_area_boundary_is_accepted(client, municipality):
    crossing = [[25.4, 60.4], [25.6, 60.4], [25.6, 60.6], [25.4, 60.6], [25.4, 60.4]]
    assert _subscribe(client, _polygon(crossing)).status_code == 202


@pytest.mark.parametrize("radius", [10, 30_000])
def test_a_radius_out_of_range_is_refused_naming_the_field(client, municipality, radius):
    fields = _field_errors(_subscribe(client, {"center": {"lon": 24.94, "lat": 60.17},
                                               "radius_m": radius}))
    assert "area.radius_m" in fields


def test_a_bad_email_is_refused_naming_the_field(client, session, municipality):
    fields = _field_errors(_subscribe(client, _polygon(SQUARE), email="mokki(at)example.fi"))
    assert "email" in fields
    assert _subscriptions(session) == []


def test_the_answer_is_the_same_whatever_the_address_has_subscribed(client, session,
                                                                    municipality):
    answers = [_subscribe(client, _polygon(SQUARE)) for _ in range(5)]
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {
        (202, answers[0].get_data(as_text=True))}
    # Beyond three pending confirmations nothing more is stored or mailed to the address.
    assert len(_subscriptions(session)) == 3
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
    assert _subscribe(client, _polygon(SQUARE), email="toinen@example.fi").status_code == 202
    assert len(_subscriptions(session)) == 4


def test_openapi_document_describes_subscriptions_and_followers(client):
    spec = client.get("/api/v1/openapi.json").json
    assert "202" in spec["paths"]["/api/v1/subscriptions"]["post"]["responses"]
    assert "404" in spec["paths"]["/api/v1/reports/{report_id}/followers"]["post"]["responses"]
    assert set(spec["components"]["schemas"]["AreaSubscriptionIn"]["required"]) == {"email",
                                                                                   "area"}
