import json

import pytest

from passage.accounts.roles import Role
from tests.accounts.builders import api_token
from tests.builders import create_user
from tests.triage.test_triage_command import ELIGIBLE, SHORT_OF_FUNDS

pytestmark = pytest.mark.django_db


def post(client, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/triage", json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_api_answers_the_same_result_lines_as_the_command(client):
    token = api_token(create_user(Role.ANALYST), "notebook")

    response = post(client, [ELIGIBLE, SHORT_OF_FUNDS, {"id": "x", "program": "?"}], token)

    assert response.status_code == 200
    results = response.json()
    assert [r.get("outcome") for r in results] == ["eligible_auto", "needs_officer", None]
    assert "unknown program" in results[2]["error"]


def test_triage_needs_credentials(client):
    assert post(client, [ELIGIBLE]).status_code == 401


def test_a_body_that_is_not_a_list_is_a_422(client):
    token = api_token(create_user(Role.ANALYST), "notebook")

    assert post(client, {"lines": []}, token).status_code == 422
