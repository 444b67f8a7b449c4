import json

import psycopg
import pytest
from django.db import connection

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from tests.accounts.builders import api_token
from tests.api.test_applications import BODY
from tests.builders import create_program, create_user


def post(client, token, body, key="key-1"):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/applications", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.django_db
def test_a_missing_idempotency_key_is_a_400_that_says_what_to_send(client):
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT), name="phone")

    response = post(client, token, BODY, key=None)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


@pytest.mark.django_db
def test_validation_errors_name_each_field_in_the_common_error_shape(client):
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT), name="phone")
    body = {**BODY, "date_of_birth": "2001-02-29", "documents": [{"kind": "passport"}]}

    response = post(client, token, body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "date_of_birth" in errors
    assert "documents[0].filename" in errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_a_503_and_the_retry_makes_one_case(client, settings):
    settings.PASSAGE_SPOOL = "off"  # with the intake spool on, a submission is kept (202)
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT), name="phone")
    settings = connection.settings_dict
    backend_pid = connection.connection.info.backend_pid
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    dropped = post(client, token, BODY)

    assert dropped.status_code == 503
    assert dropped.headers["Retry-After"] == "5"
    assert "nothing was saved" in dropped.json()["detail"]
    connection.close()  # what Django does at the end of a request on a broken connection
    assert not Case.objects.exists()

    retried = post(client, token, BODY)

    assert retried.status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_method_the_address_does_not_take_is_a_405_in_the_error_shape(client):
    response = client.put("/api/v1/applications", data="{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "detail": "This address does not take PUT; it takes POST.",
        "errors": {},
    }


@pytest.mark.django_db
def test_an_address_with_nothing_behind_it_is_a_404_in_the_error_shape(client):
    response = client.get("/api/v1/nothing-here", headers={"Accept-Language": "fr"})

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_a_server_error_is_a_500_in_the_error_shape(monkeypatch):
    from django.test import Client

    from passage.api import triage

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(triage, "triage_lines", broken)
    token = api_token(create_user(Role.ANALYST), "notebook")
    client = Client(raise_request_exception=False)

    response = client.post(
        "/api/v1/triage",
        data="[]",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 500
    assert response.json()["detail"].startswith("Something went wrong on our side")
