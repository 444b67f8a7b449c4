"""The OpenAPI document names every error answer a client may meet, in the one error
shape, on every operation: a client generated from it handles them all."""

from typing import Any

import pytest

from passage.api.urls import api

ERROR_SHAPE = {"$ref": "#/components/schemas/ErrorOut"}
EVERY_OPERATION = (401, 413, 429, 503)
WRITES = (400, 422)


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def error_schema(operation: dict[str, Any], status: int) -> dict[str, Any] | None:
    answer = operation["responses"].get(status) or operation["responses"].get(str(status))
    if answer is None:
        return None
    return answer["content"]["application/json"]["schema"]


def test_the_document_has_the_write_and_read_operations_of_the_api():
    methods = {(method, path) for method, path, _ in operations()}

    assert ("post", "/api/v1/applications") in methods
    assert ("post", "/api/v1/triage") in methods
    assert ("get", "/api/v1/cases/{case_id}") in methods


@pytest.mark.parametrize(("method", "path", "operation"), operations())
def test_every_operation_lists_the_common_errors_in_the_error_shape(method, path, operation):
    statuses = EVERY_OPERATION + (WRITES if method in ("post", "put", "patch", "delete") else ())

    missing = [status for status in statuses if error_schema(operation, status) != ERROR_SHAPE]

    assert missing == [], f"{method.upper()} {path}"


@pytest.mark.parametrize(("method", "path", "operation"), operations())
def test_too_many_requests_and_unavailable_say_when_to_try_again(method, path, operation):
    for status in (429, 503):
        headers = operation["responses"][status]["headers"]
        assert headers["Retry-After"]["schema"]["type"] == "integer", f"{method} {path} {status}"
