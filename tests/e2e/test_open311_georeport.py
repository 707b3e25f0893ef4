"""A round trip with a third-party Open311 client (`georeport` from PyPI) against the served
app: the services, a service definition, the requests and one request, in JSON and XML."""
from __future__ import annotations

import pytest
from georeport import GeoReport
from sqlalchemy.orm import Session

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import CategoryQuestion, QuestionOption
from tests.e2e.support import LiveServer
from tests.integration.factories import make_category, make_party, make_report


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_and_requests(
        live_server: LiveServer, seed_session: Session, fmt: str) -> None:
    party = make_party(seed_session, "Puistoyksikkö")
    category = make_category(seed_session, "bench")
    category.questions.append(CategoryQuestion(
        code="colour", kind=QuestionKind.CHOICE, required=True, position=1,
        prompt_fi="Väri", prompt_sv="Färg", prompt_en="Colour",
        options=[QuestionOption(key="green", label_fi="Vihreä", label_sv="Grön",
                                label_en="Green", position=1)]))
    report = make_report(seed_session, category, party=party, description="Penkki rikki",
                         contact={"email": "piilossa@example.fi"})
    seed_session.commit()
    client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="feedbackgis.example",
                       output_format=fmt)

    services = client.get_service_list()
    # xmltodict gives one <service> as a dict, several as a list.
    service = services[0] if isinstance(services, list) else services
    assert service["service_code"] == "bench"
    assert service["service_name"] == "bench fi"
    assert str(service["metadata"]).lower() == "true"

    definition = client.get_service_definition("bench")
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"]
    assert attribute["code"] == "colour"
    assert attribute["datatype"] == "singlevaluelist"
    value = attribute["values"][0] if fmt == "json" else attribute["values"]["value"]
    assert (value["key"], value["name"]) == ("green", "Vihreä")

    listed = client.get_service_requests(status="open")
    request = listed[0] if isinstance(listed, list) else listed
    assert request["service_request_id"] == str(report.id)
    assert request["agency_responsible"] == "Puistoyksikkö"

    one = client.get_service_request(str(report.id))
    assert one["description"] == "Penkki rikki"
    assert one["status"] == "open"
    assert "piilossa" not in repr(one) + repr(listed)
