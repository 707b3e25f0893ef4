"""schemathesis against the served API's own OpenAPI document: no server errors, and the
document tells the truth (status codes, content types, response schemas, and invalid input
refused). Every endpoint the document describes is fuzzed, later ones included.

A fixed seed and a bounded number of examples per operation keep the run repeatable and
short; the served app runs on the demo municipality's data, so valid reports get through.

Open311's JSON side (/open311/v2/*.json) is fuzzed too, with the checks that fit a
GeoReport v2 server: no server error, and statuses, content types and bodies as the document
says. Not negative_data_rejection: the spec's clients send parameters the server does not
know (and expect them ignored), so "invalid" input is not always refused there.
"""
from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.api.openapi import build_spec
from feedbackgis.models import Category, Party, Report
from feedbackgis.services.contractor_api.tokens import create_token
from feedbackgis.services.demo.demo_municipality import seed_demo
from feedbackgis.services.open311.api_keys import create_api_key
from tests.integration.factories import make_report

SEED = 20261201
# Status codes seen per operation, for the last test of this file.
ANSWERS: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
EXAMPLES_PER_OPERATION = 60
# The work-order operations: each example is a few database writes, and most of them
# answer the same refusals; fewer examples keep `make test` short.
WORK_ORDER_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection, ignored_auth]
OPEN311_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                  response_schema_conformance]
OPEN311 = "/open311/v2/"
# Open311's operations: most examples of its wide queries and forms are refusals; fewer
# keep the run short (ten operations, about half a minute in all).
OPEN311_EXAMPLES = 30
# No example database: examples an earlier run saved in .hypothesis/ would be replayed
# first and change which cases this seed makes (a run was seen to miss a work order then).
CONFIG = f"""
seed = {SEED}
[generation]
max-examples = {EXAMPLES_PER_OPERATION}
database = "none"

[[operations]]
include-path-regex = "^/api/v1/work-orders"
[operations.generation]
max-examples = {WORK_ORDER_EXAMPLES}

[[operations]]
include-path-regex = "^{OPEN311}"
[operations.generation]
max-examples = {OPEN311_EXAMPLES}
"""


# The document the app serves (test_the_served_document_is_the_one_fuzzed checks that).
# Loaded at collection, so that pytest lists one test per operation.
schema = schemathesis.openapi.from_dict(build_spec(), config=SchemathesisConfig.from_str(CONFIG))


# Random categories and places would be refused (unknown category, outside the service area)
# before a report is ever stored. Every other valid report body gets a demo category, a
# place in the demo municipality and the category's required answer, so the fuzzer also
# drives the path that stores and routes.
DEMO_CATEGORY = "streetlight"
DEMO_PLACE = {"lon": 24.9449, "lat": 60.1779}
DEMO_ANSWERS = {"light_out": True, "number_known": "pole"}


# The contractor API: a token of the demo's lighting contractor, and its work orders
# (made for each test, see demo_municipality), so that the fuzzer gets past the token and
# the "not yours" refusals to the reads and changes themselves.
WORK_ORDERS: dict[str, object] = {"token": "", "ids": [1]}
WORK_ORDER_PARTY = "Valaistus Oy"

# Open311: a key made for each test (the api_key form field of the POSTs), public
# demo reports for requests/{id}.json, and a demo category without required questions
# (attribute[code] is not in the document) and a place in the service area for the POSTs.
OPEN311_DATA: dict[str, object] = {"api_key": "", "ids": [1]}
OPEN311_SERVICE = "pothole"
OPEN311_REQUEST = {"service_code": OPEN311_SERVICE, "lat": DEMO_PLACE["lat"],
                   "long": DEMO_PLACE["lon"]}
# What a valid submission may keep of the fuzzer's body: texts the server stores as given.
OPEN311_KEPT = ("description", "first_name", "last_name", "device_id", "account_id")


@schema.hook
def map_case(context, case):  # noqa: ANN001, ANN201 - schemathesis hook signature
    body = case.body
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    chosen = zlib.crc32(json.dumps(body, sort_keys=True, default=str).encode()) % 2
    if positive and case.path == "/api/v1/reports" and isinstance(body, dict) and chosen:
        case.body = {**body, "category": DEMO_CATEGORY, "location": DEMO_PLACE,
                     "answers": DEMO_ANSWERS}
    if (positive and case.method == "POST" and case.path == f"{OPEN311}requests.json"
            and isinstance(body, dict) and chosen):
        case.body = {**{name: body[name] for name in OPEN311_KEPT if name in body},
                     **OPEN311_REQUEST}
    return case


def _with_open311_key(case) -> None:  # noqa: ANN001
    """The api_key made for this test, as the form field GeoReport v2 names, in three
    quarters of the Open311 POSTs (the rest keep the fuzzer's own key or none: the 403).
    Set just before the call, as the contractor's token is at the call: schemathesis puts
    an auth provider's data in a case before its body is final."""
    body = case.body
    if (case.method == "POST" and case.path.startswith(OPEN311) and isinstance(body, dict)
            and zlib.crc32(repr(body).encode()) % 4):
        case.body = {**body, "api_key": OPEN311_DATA["api_key"]}


def _to_open311_resources(case) -> None:  # noqa: ANN001
    """Half the cases of requests/{id}.json name a public demo report and half of those of
    services/{code}.json a demo service, where the path is valid (as _to_a_work_order)."""
    chosen = zlib.crc32(repr(case.path_parameters).encode() + repr(case.query).encode()) % 4
    if (not case.path.startswith(OPEN311) or not case.path_parameters or case.meta is None
            or chosen < 2 or case.meta.is_negative_at(ParameterLocation.PATH)):
        return
    if "service_request_id" in case.path_parameters:
        ids = OPEN311_DATA["ids"]
        case.path_parameters = {"service_request_id": str(ids[chosen % len(ids)])}
    elif "service_code" in case.path_parameters:
        case.path_parameters = {"service_code": (DEMO_CATEGORY, OPEN311_SERVICE)[chosen % 2]}


def _to_a_work_order(case) -> None:  # noqa: ANN001
    """Half the cases of a work order's path name a seeded work order, where the path is
    valid (done just before the call: a case's negations are not final yet when map_case
    runs). Uploads keep the fuzzer's bodies: a real photo put in them was seen to come
    back in cases meant to be invalid; tests/integration/contractor_api stores photos."""
    chosen = zlib.crc32(repr(case.body).encode() + repr(case.query).encode()) % 4
    if (not case.path.startswith("/api/v1/work-orders/") or case.meta is None or chosen < 2
            or case.meta.is_negative_at(ParameterLocation.PATH)):
        return
    ids = WORK_ORDERS["ids"]
    case.path_parameters = {**(case.path_parameters or {}), "report_id": ids[chosen % 2]}


@schema.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/work-orders")
class WorkOrderToken:
    """The token made for this test (a new one each test: the tables are emptied after)."""

    def get(self, case, context):  # noqa: ANN001, ANN201 - schemathesis auth signature
        return WORK_ORDERS["token"]

    def set(self, case, data, context) -> None:  # noqa: ANN001
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def demo_municipality(seed_session: Session) -> None:
    seed_demo(seed_session)
    party = seed_session.scalar(select(Party).where(Party.name == WORK_ORDER_PARTY))
    category = seed_session.scalar(select(Category).where(Category.code == DEMO_CATEGORY))
    orders = [make_report(seed_session, category, party=party, lon=DEMO_PLACE["lon"],
                          lat=DEMO_PLACE["lat"], contact={"email": "asukas@example.fi"})
              for _ in range(2)]
    seed_session.commit()
    WORK_ORDERS["ids"] = [order.id for order in orders]
    WORK_ORDERS["token"] = create_token(seed_session, party, "Fuzzer").token
    OPEN311_DATA["api_key"] = create_api_key(seed_session, "Fuzzer")
    OPEN311_DATA["ids"] = seed_session.scalars(
        select(Report.id).where(Report.is_public.is_(True)).order_by(Report.id).limit(3)).all()


def test_the_served_document_is_the_one_fuzzed(live_server):
    import requests

    assert requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json() == build_spec()


@schema.parametrize()
# The fixtures are data every example may share (the demo municipality, the served app); the
# reports that examples create pile up harmlessly until the table is emptied after the test.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, live_server, demo_municipality):
    _to_a_work_order(case)
    _to_open311_resources(case)
    _with_open311_key(case)
    checks = OPEN311_CHECKS if case.path.startswith(OPEN311) else CHECKS
    response = case.call_and_validate(base_url=live_server.url, checks=checks)
    ANSWERS[(case.method, case.path)][response.status_code] += 1


def test_the_fuzzing_reached_both_the_storing_path_and_the_refusals():
    """Runs after the fuzzing above (pytest keeps the file's order): a fuzzer that only ever
    got refusals would check the error paths alone."""
    submissions = ANSWERS[("POST", "/api/v1/reports")]
    assert submissions[201] > 0 and submissions[422] > 0, dict(submissions)
    # With the token, past "not yours" to the work orders themselves.
    for method, path, success in (("GET", "/api/v1/work-orders", 200),
                                  ("GET", "/api/v1/work-orders/{report_id}", 200),
                                  ("POST", "/api/v1/work-orders/{report_id}/status", 200),
                                  ("POST", "/api/v1/work-orders/{report_id}/notes", 201)):
        assert ANSWERS[(method, path)][success] > 0, (method, path, dict(ANSWERS[(method, path)]))
    # Open311: past the key to stored requests, to the requests themselves, and refusals.
    for method, path, statuses in (("POST", "requests.json", (200, 400, 403)),
                                   ("GET", "requests.json", (200, 400)),
                                   ("GET", "requests/{service_request_id}.json", (200, 404)),
                                   ("GET", "services/{service_code}.json", (200, 404))):
        seen = ANSWERS[(method, OPEN311 + path)]
        assert all(seen[status] > 0 for status in statuses), (method, path, dict(seen))
    assert ANSWERS[("GET", "/stats.json")][200] > 0, dict(ANSWERS[("GET", "/stats.json")])
    assert sum(sum(statuses.values()) for statuses in ANSWERS.values()) >= 7 * 10
