"""The OpenAPI document declares each route's error statuses, in the one JSON error shape.

Every error the API returns is ``{"error": {"code", "message", "details"}}``
(:class:`athar.api.errors.ErrorBody`), validation failures (422) included, so
FastAPI's own ``HTTPValidationError`` must not appear in the document. Real
error responses of the app are checked against the schema the document
declares for their operation and status.
"""

from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.workspace import Workspace
from tests.integration.api.routing import declared_roles, method_routes

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
PASSWORD = "correct horse battery"

# A sample of operations and the exact error statuses each can return.
EXPECTED = {
    ("get", "/api/v1/me"): {401, 403},
    ("get", "/api/v1/log/checkpoint"): set(),
    ("get", "/api/v1/log/checkpoints"): {422},
    ("get", "/api/v1/log/entries/{index}"): {404, 422},
    ("get", "/api/v1/log/proof/consistency"): {404, 422},
    ("post", "/api/v1/log/append"): {401, 403, 409, 422},
    ("post", "/api/v1/log/cosignature"): {400, 404, 422},
    ("get", "/tile/{path}"): {404},
    ("get", "/api/v1/exhibits/{code}"): {401, 403, 404},
    ("post", "/api/v1/exhibits/{code}/events"): {400, 401, 403, 404, 409, 422},
    ("post", "/api/v1/export"): {400, 401, 403, 404, 422},
    ("post", "/api/v1/reports"): {400, 401, 403, 411, 413, 422},
    ("get", "/api/v1/claims"): {401, 403, 422},
    ("get", "/api/v1/incidents/{incident_id}"): {401, 403, 404},
}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("openapi") / "ws")
    app = create_app(ws)
    with TestClient(app) as client:
        accounts = Accounts(ws.log().db)
        client.tokens = {}
        for name, role in (("boss", "admin"), ("watcher", "observer")):
            accounts.add(name, [role], PASSWORD)
            client.tokens[name] = {"Authorization": f"Bearer {accounts.create_token(name, 'tests')}"}
        client.doc = client.get("/api/openapi.json").json()
        client.app_ = app
        yield client


def _operations(doc):
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _errors(operation) -> dict[int, dict]:
    return {int(s): r for s, r in operation["responses"].items() if s[0] in "45"}


def _openapi_path(route_path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route_path)


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_sampled_operations_declare_their_error_statuses(api, method, path):
    errors = _errors(api.doc["paths"][path][method])
    assert set(errors) == EXPECTED[(method, path)]
    for status, response in errors.items():
        assert response["content"] == {"application/json": {"schema": ERROR_REF}}, status
        assert response["description"]


def test_fastapis_validation_error_shape_is_gone(api):
    text = json.dumps(api.doc)
    assert "HTTPValidationError" not in text
    assert "ValidationError" not in api.doc["components"]["schemas"]


def test_every_error_response_uses_the_error_schema(api):
    for method, path, operation in _operations(api.doc):
        for status, response in _errors(operation).items():
            assert response["content"]["application/json"]["schema"] == ERROR_REF, (method, path, status)


def test_operations_with_query_or_body_declare_422(api):
    for method, path, operation in _operations(api.doc):
        validated = ("requestBody" in operation
                     or any(p["in"] != "path" or p["schema"].get("type") != "string"
                            for p in operation.get("parameters", ())))
        if validated:
            assert 422 in _errors(operation), (method, path)


def test_401_and_403_are_declared_exactly_where_a_role_is_required(api):
    checked = 0
    for method, route in method_routes(api.app_):
        operation = api.doc["paths"].get(_openapi_path(route.path), {}).get(method.lower())
        if operation is None:  # a page, not in the document
            continue
        needs_login = declared_roles(route) is not None
        errors = _errors(operation)
        assert (401 in errors, 403 in errors) == (needs_login, needs_login), (method, route.path)
        checked += 1
    assert checked == sum(1 for _ in _operations(api.doc))


def test_the_error_schema_pins_the_shape(api):
    schemas = api.doc["components"]["schemas"]
    assert set(schemas["ErrorBody"]["required"]) == {"error"}
    detail = schemas["ErrorDetail"]
    assert set(detail["required"]) == set(detail["properties"]) == {"code", "message", "details"}
    assert all(p.get("description") for p in detail["properties"].values())
    assert detail["properties"]["details"]["type"] == "object"


def _call(api, method, url, who=None, headers=None, **kw):
    return api.request(method, url, headers={**api.tokens.get(who, {}), **(headers or {})}, **kw)


REAL_ERRORS = [
    # (method, URL, operation path, who, request keywords, status)
    ("GET", "/api/v1/log/entries/999", "/api/v1/log/entries/{index}", None, {}, 404),
    ("GET", "/api/v1/log/entries/abc", "/api/v1/log/entries/{index}", None, {}, 422),
    ("GET", "/api/v1/log/checkpoints?limit=0", "/api/v1/log/checkpoints", None, {}, 422),
    ("GET", "/api/v1/log/proof/consistency?from=5&to=2", "/api/v1/log/proof/consistency", None, {},
     404),
    ("GET", "/tile/nonsense", "/tile/{path}", None, {}, 404),
    ("POST", "/api/v1/log/cosignature", "/api/v1/log/cosignature", None,
     {"content": b'{"size": \xe9}', "headers": {"content-type": "application/json"}}, 400),
    ("POST", "/api/v1/log/cosignature", "/api/v1/log/cosignature", None, {"json": {}}, 422),
    ("GET", "/api/v1/me", "/api/v1/me", None, {}, 401),
    ("POST", "/api/v1/log/append", "/api/v1/log/append", "watcher", {"content": b"{}"}, 403),
    ("POST", "/api/v1/log/append", "/api/v1/log/append", "boss", {"content": b"{}"}, 422),
    ("GET", "/api/v1/exhibits/NOPE", "/api/v1/exhibits/{code}", "boss", {}, 404),
    ("GET", "/api/v1/claims?from=yesterday", "/api/v1/claims", "boss", {}, 422),
    ("GET", "/api/v1/incidents/inc-0", "/api/v1/incidents/{incident_id}", "boss", {}, 404),
]


@pytest.mark.parametrize(("method", "url", "path", "who", "kw", "status"), REAL_ERRORS,
                         ids=[f"{m} {u} {s}" for m, u, _, _, _, s in REAL_ERRORS])
def test_real_errors_match_the_declared_schema(api, method, url, path, who, kw, status):
    r = _call(api, method, url, who, **kw)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    declared = api.doc["paths"][path][method.lower()]["responses"][str(status)]
    schema = {**declared["content"]["application/json"]["schema"],
              "components": api.doc["components"]}
    jsonschema_rs.validate(schema, r.json())


def test_a_custody_rule_violation_is_a_declared_409(api):
    path = "/api/v1/exhibits/physical"
    first = _call(api, "POST", path, "boss", json={"code": "DUP-1"})
    assert first.status_code == 200, first.text
    r = _call(api, "POST", path, "boss", json={"code": "DUP-1"})
    assert r.status_code == 409, r.text
    declared = api.doc["paths"][path]["post"]["responses"]["409"]
    jsonschema_rs.validate({**declared["content"]["application/json"]["schema"],
                            "components": api.doc["components"]}, r.json())


def test_the_schema_refuses_other_shapes(api):
    schema = {**ERROR_REF, "components": api.doc["components"]}
    assert jsonschema_rs.is_valid(schema, {"error": {"code": "x", "message": "y", "details": {}}})
    assert not jsonschema_rs.is_valid(schema, {"detail": [{"loc": ["query"], "msg": "bad"}]})
    assert not jsonschema_rs.is_valid(schema, {"error": {"code": "x", "message": "y"}})
