import base64
import json

import pytest

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import MINIMAL_PDF, create_program, create_user

pytestmark = pytest.mark.django_db

BODY = {
    "program": "iec",
    "category": "working-holiday",
    "given_name": "Kenji",
    "family_name": "Sato",
    "date_of_birth": "2000-02-29",
    "citizenship": "JP",
    "email": "kenji@example.com",
    "preferred_language": "en",
    "answers": {"funds_cad": 4200},
    "documents": [
        {
            "kind": "passport",
            "filename": "passport.pdf",
            "content_base64": base64.b64encode(MINIMAL_PDF).decode(),
        }
    ],
}


@pytest.fixture
def token():
    create_program("iec")
    return issue_api_token(user=create_user(Role.APPLICANT), name="phone")


def post(client, token, body=BODY, key="11111111-2222-3333-4444-555555555555"):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/applications", json.dumps(body), content_type="application/json", headers=headers
    )


def test_submitting_returns_201_with_a_reference(client, token):
    response = post(client, token)

    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference
    assert body["case_id"] == str(case.public_id)
    assert body["status"] == "received"


def test_a_replay_answers_the_same_and_says_it_is_a_replay(client, token):
    first = post(client, token)

    second = post(client, token)

    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(client, token):
    post(client, token)

    response = post(client, token, body={**BODY, "family_name": "Satō"})

    assert response.status_code == 422
    assert "already used" in response.json()["detail"]


def test_a_submission_without_an_idempotency_key_is_refused(client, token):
    response = post(client, token, key=None)

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_wrong_date_gets_a_clear_error_and_nothing_is_saved(client, token):
    response = post(client, token, body={**BODY, "date_of_birth": "2001-02-29"})

    assert response.status_code == 422
    assert "date_of_birth" in json.dumps(response.json())
    assert not Case.objects.exists()


@pytest.mark.parametrize("code", ["XX", "ZZ", "UK"])
def test_a_citizenship_that_is_no_iso_country_is_a_422_naming_the_field(client, token, code):
    response = post(client, token, body={**BODY, "citizenship": code})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "citizenship": "Enter a country as its ISO 3166-1 two-letter code, such as FR or JP."
    }
    assert not Case.objects.exists()


def test_a_citizenship_in_small_letters_is_kept_in_capitals(client, token):
    response = post(client, token, body={**BODY, "citizenship": "gb"})

    assert response.status_code == 201
    assert Case.objects.get().application.citizenship == "GB"


def test_a_file_that_is_not_base64_is_explained(client, token):
    document = {**BODY["documents"][0], "content_base64": "%%% not base64 %%%"}

    response = post(client, token, body={**BODY, "documents": [document]})

    assert response.status_code == 422
    assert response.json()["errors"] == {"documents[0]": "The file content is not valid base64."}


def test_a_renamed_executable_is_refused_with_its_name(client, token):
    document = {
        "kind": "passport",
        "filename": "passport.pdf",
        "content_base64": base64.b64encode(b"MZ\x90\x00\x03").decode(),
    }

    response = post(client, token, body={**BODY, "documents": [document]})

    assert response.status_code == 422
    assert "passport.pdf" in response.json()["errors"]["documents[0]"]


def test_anonymous_and_bad_tokens_are_401(client, token):
    assert post(client, "psg_not-a-real-token").status_code == 401
    anonymous = client.post("/api/v1/applications", "{}", content_type="application/json")
    assert anonymous.status_code == 401


def test_the_openapi_document_describes_both_endpoints():
    # The document is for verified staff only (tests/web/test_security_headers.py).
    client = signed_in_with_mfa(create_user(Role.OFFICER))
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/applications" in paths
    assert "/api/v1/cases/{case_id}" in paths
