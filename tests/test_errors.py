"""One error base at the bottom layer (`passage.errors`): the apps' errors keep their names
and places and belong to a family; the API and the pages answer a family, whatever the
app that raised it."""

import ast
import importlib
import json
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from ninja.errors import HttpError

from passage import errors
from passage.accounts.access import gate
from passage.api.parsing import InvalidBody
from passage.api.urls import api
from passage.urls import urlpatterns as site_urlpatterns

# Each app error, where it is imported from, its family and the status it is answered with.
APP_ERRORS = [
    ("passage.cases.errors", "InvalidRequest", errors.InvalidRequest, 422),
    ("passage.cases.errors", "NotPermitted", errors.Forbidden, 403),
    ("passage.cases.errors", "StaleVersion", errors.Conflict, 409),
    ("passage.cases.errors", "TransitionNotAllowed", errors.Conflict, 409),
    # The IETF draft on the Idempotency-Key header: a key reused for another request is 422.
    ("passage.cases.errors", "IdempotencyConflict", errors.Conflict, 422),
    ("passage.intake.drafts", "DraftNotFound", errors.NotFound, 404),
    ("passage.intake.drafts", "DraftSubmitted", errors.Conflict, 409),
    ("passage.intake.representation", "RepresentationNotFound", errors.NotFound, 404),
    ("passage.intake.storage", "StorageUnavailable", errors.Unavailable, 503),
    ("passage.intake.documents", "VirusFound", errors.InvalidRequest, 422),
    ("passage.tracker.linking", "TooManyRequests", errors.InvalidRequest, 429),
    ("passage.accounts.services", "VerificationError", errors.InvalidRequest, 400),
    ("passage.accounts.services", "PasswordResetError", errors.InvalidRequest, 400),
    ("passage.api.parsing", "InvalidBody", errors.InvalidRequest, 422),
]


def test_the_base_module_imports_nothing() -> None:
    source = Path(errors.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]

    assert not imports


@pytest.mark.parametrize(("module", "name", "family", "status"), APP_ERRORS)
def test_each_app_error_keeps_its_place_and_belongs_to_its_family(
    module: str, name: str, family: type[errors.PassageError], status: int
) -> None:
    error_class = getattr(importlib.import_module(module), name)

    assert issubclass(error_class, family)
    assert error_class.http_status == status


def test_the_case_errors_are_still_case_errors() -> None:
    from passage.cases.errors import CaseError, InvalidRequest, NotPermitted, StaleVersion

    for error_class in (InvalidRequest, NotPermitted, StaleVersion):
        assert issubclass(error_class, CaseError)
    error = InvalidRequest("Give a date.", errors={"date": "Give a date."})
    assert (str(error), error.message, error.details) == (
        "Give a date.",
        "Give a date.",
        {"errors": {"date": "Give a date."}},
    )


def test_the_storage_being_unavailable_is_still_an_os_error() -> None:
    from passage.intake.storage import StorageUnavailable

    error = StorageUnavailable("The disk is full.")

    assert isinstance(error, OSError)
    assert error.message == "The disk is full."


@pytest.mark.parametrize(
    ("family", "status"),
    [
        (errors.InvalidRequest, 422),
        (errors.NotFound, 404),
        (errors.Conflict, 409),
        (errors.Forbidden, 403),
        (errors.Unavailable, 503),
    ],
)
def test_each_family_has_its_status(family: type[errors.PassageError], status: int) -> None:
    assert family.http_status == status
    assert issubclass(family, errors.PassageError)


# --- The API answers a family ----------------------------------------------------------------


def api_answer(error: Exception) -> HttpResponse:
    request = RequestFactory().get("/api/v1/cases/x")
    return api.on_exception(request, error)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.InvalidRequest("Give a date.", errors={"date": "Give a date."}), 422),
        (errors.NotFound("There is no such thing."), 404),
        (errors.Conflict("Someone saved first."), 409),
        (errors.Forbidden("Only an officer can."), 403),
    ],
)
def test_the_api_answers_each_family_with_its_status_and_message(error, status) -> None:
    response = api_answer(error)

    assert response.status_code == status
    assert json.loads(response.content)["detail"] == error.message
    assert json.loads(response.content)["errors"] == error.details.get("errors", {})


def test_the_api_answers_the_unavailable_family_with_503_and_when_to_try_again(settings) -> None:
    from passage.intake.storage import StorageUnavailable

    response = api_answer(StorageUnavailable("The disk is full."))

    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.PASSAGE_RETRY_AFTER_SECONDS)
    assert "The disk" not in json.loads(response.content)["detail"]


def test_the_api_answers_a_body_the_strict_parser_refused_with_its_own_status() -> None:
    refused = InvalidBody(400, "The request body is not valid JSON.", {"body": "at 1"})
    wrapped = HttpError(400, "Cannot parse request body")
    wrapped.__cause__ = refused

    response = api_answer(wrapped)

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "The request body is not valid JSON.",
        "errors": {"body": "at 1"},
    }


# --- The pages answer a family ---------------------------------------------------------------

RAISED = {
    "invalid": errors.InvalidRequest("The date is not right."),
    "not-found": errors.NotFound("There is no such thing."),
    "conflict": errors.Conflict("Someone saved first."),
    "forbidden": errors.Forbidden("Only an officer can do this."),
    "unavailable": errors.Unavailable("The disk is full."),
}


@gate(public=True)
def raising(request: HttpRequest, kind: str) -> HttpResponse:
    raise RAISED[kind]


urlpatterns = [*site_urlpatterns, path("test-errors/<slug:kind>/", raising)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("kind", "status", "shown"),
    [
        ("invalid", 422, "The date is not right."),
        ("conflict", 409, "Someone saved first."),
        ("forbidden", 403, "Only an officer can do this."),
        ("not-found", 404, None),
        ("unavailable", 503, "The service is briefly unavailable"),
    ],
)
def test_a_page_answers_an_error_its_view_left_by_its_family(kind, status, shown) -> None:
    response = Client(raise_request_exception=False).get(f"/test-errors/{kind}/")

    assert response.status_code == status
    if shown is not None:
        assert shown in response.content.decode()
