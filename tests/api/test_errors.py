import json

import psycopg
import pytest
from django.db import connection

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
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
def test_a_dropped_database_connection_is_a_503_and_the_retry_makes_one_case(client):
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
