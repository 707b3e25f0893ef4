"""schemathesis against the served API's own OpenAPI document: no server errors, and the
document tells the truth (status codes, content types, response schemas, and invalid input
refused). Every endpoint the document describes is fuzzed, later ones included.

A fixed seed and a bounded number of examples per operation keep the run repeatable and
short; the served app runs on the demo municipality's data, so valid reports get through.
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
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from feedbackgis.api.openapi import build_spec
from feedbackgis.services.demo.demo_municipality import seed_demo

SEED = 20261201
# Status codes seen per operation, for the last test of this file.
ANSWERS: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
EXAMPLES_PER_OPERATION = 60
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
CONFIG = f"""
seed = {SEED}
[generation]
max-examples = {EXAMPLES_PER_OPERATION}
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


@schema.hook
def map_case(context, case):  # noqa: ANN001, ANN201 - schemathesis hook signature
    body = case.body
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    chosen = zlib.crc32(json.dumps(body, sort_keys=True, default=str).encode()) % 2
    if positive and case.path == "/api/v1/reports" and isinstance(body, dict) and chosen:
        case.body = {**body, "category": DEMO_CATEGORY, "location": DEMO_PLACE,
                     "answers": DEMO_ANSWERS}
    return case


@pytest.fixture
def demo_municipality(seed_session: Session) -> None:
    seed_demo(seed_session)
    seed_session.commit()


def test_the_served_document_is_the_one_fuzzed(live_server):
    import requests

    assert requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json() == build_spec()


@schema.parametrize()
# The fixtures are data every example may share (the demo municipality, the served app); the
# reports that examples create pile up harmlessly until the table is emptied after the test.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, live_server, demo_municipality):
    response = case.call_and_validate(base_url=live_server.url, checks=CHECKS)
    ANSWERS[(case.method, case.path)][response.status_code] += 1


def test_the_fuzzing_reached_both_the_storing_path_and_the_refusals():
    """Runs after the fuzzing above (pytest keeps the file's order): a fuzzer that only ever
    got refusals would check the error paths alone."""
    submissions = ANSWERS[("POST", "/api/v1/reports")]
    assert submissions[201] > 0 and submissions[422] > 0, dict(submissions)
    assert sum(sum(statuses.values()) for statuses in ANSWERS.values()) >= 7 * 10
