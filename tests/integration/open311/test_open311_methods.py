"""Wrong methods and unknown resources under /open311/v2/: the spec's errors list, in the
format of the path's suffix, with an honest status (405 with Allow; 404), never the JSON
API's error format or an HTML page. And the jurisdiction check every resource shares."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

BASE = "/open311/v2"


def _errors(response, fmt: str) -> list[dict]:
    if fmt == "json":
        assert response.content_type.startswith("application/json")
        return response.get_json()
    assert response.content_type.startswith("text/xml")
    root = ElementTree.fromstring(response.data)
    assert root.tag == "errors"
    return [{"code": int(error.findtext("code")), "description": error.findtext("description")}
            for error in root.findall("error")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["requests", "services", "discovery", "requests/12",
                                  "services/streetlight"])
def test_a_method_the_resource_does_not_take_is_a_405_in_the_spec_errors(
        client: FlaskClient, fmt: str, method: str, path: str) -> None:
    response = client.open(f"{BASE}/{path}.{fmt}", method=method)
    assert response.status_code == 405
    allowed = {name.strip() for name in response.headers["Allow"].split(",")}
    assert "GET" in allowed and method not in allowed
    [error] = _errors(response, fmt)
    assert error["code"] == 405
    assert method in error["description"] and "GET" in error["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_to_a_read_only_resource_is_a_405(client: FlaskClient, fmt: str) -> None:
    response = client.post(f"{BASE}/services.{fmt}", data={"api_key": "x"})
    assert response.status_code == 405
    assert "POST" not in response.headers["Allow"]
    assert _errors(response, fmt)[0]["code"] == 405


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
@pytest.mark.parametrize("path", ["nothing", "services/a/b", "requests/1/extra"])
def test_an_unknown_resource_is_a_404_in_the_format_of_its_suffix(
        client: FlaskClient, fmt: str, method: str, path: str) -> None:
    response = client.open(f"{BASE}/{path}.{fmt}", method=method)
    assert response.status_code == 404
    [error] = _errors(response, fmt)
    assert error["code"] == 404
    assert path in error["description"]


@pytest.mark.parametrize("path", ["", "nothing", "requests.html/x"])
def test_without_a_suffix_of_ours_the_errors_are_json(client: FlaskClient, path: str) -> None:
    response = client.delete(f"{BASE}/{path}")
    assert response.status_code == 404
    assert _errors(response, "json")[0]["code"] == 404


def test_the_rest_of_the_app_keeps_its_own_405(client: FlaskClient) -> None:
    response = client.delete("/api/v1/categories")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_empty_jurisdiction_id_counts_as_not_given(client: FlaskClient, fmt: str) -> None:
    assert client.get(f"{BASE}/services.{fmt}?jurisdiction_id=").status_code == 200
    refused = client.get(f"{BASE}/services.{fmt}?jurisdiction_id=elsewhere.example")
    assert refused.status_code == 404
    [error] = _errors(refused, fmt)
    assert error["code"] == 404 and "jurisdiction_id" in error["description"]
