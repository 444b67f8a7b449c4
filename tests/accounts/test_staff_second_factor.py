"""No staff access of any kind before the second factor: pages (the applicant's and the
tracker's included), the API through the session, and the API through a token."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from tests.accounts.builders import create_authenticator, signed_in_with_mfa
from tests.builders import API_APPLICATION, create_user, submit_case
from tests.workbench.builders import create_skilled_officer

pytestmark = pytest.mark.django_db


def signed_in_without_code(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    "page",
    ["web:home", "intake:programs", "intake:my-applications", "tracker:link", "accounts:account"],
)
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ANALYST])
def test_staff_without_a_second_factor_are_sent_to_set_one_up_from_every_page(page, role):
    response = signed_in_without_code(create_user(role)).get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_staff_whose_session_skipped_the_code_cannot_open_a_tracker_page():
    case = submit_case()
    officer = create_skilled_officer()  # an IEC officer: the case is in their reach
    create_authenticator(officer)

    response = signed_in_without_code(officer).get(
        reverse("tracker:case", kwargs={"case_id": case.public_id})
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_the_second_factor_pages_and_sign_out_stay_open_before_it():
    client = signed_in_without_code(create_user(Role.OFFICER))

    assert client.get(reverse("accounts:mfa")).status_code == 200
    assert client.get(reverse("web:sign-out")).status_code == 200


def test_a_staff_session_without_the_code_reads_no_case_through_the_api():
    case = submit_case()
    officer = create_skilled_officer()  # an IEC officer: the case is in their reach
    create_authenticator(officer)

    response = signed_in_without_code(officer).get(f"/api/v1/cases/{case.public_id}")

    assert response.status_code == 401
    assert signed_in_with_mfa(officer).get(f"/api/v1/cases/{case.public_id}").status_code == 200


def test_a_staff_session_without_the_code_writes_nothing_through_the_api():
    officer = create_user(Role.OFFICER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post("/api/v1/triage", data=[], content_type="application/json")

    assert response.status_code == 401


def test_a_staff_token_works_only_while_the_second_factor_is_enrolled(client: Client):
    case = submit_case()
    officer = create_skilled_officer()
    with pytest.raises(ValueError, match="second factor"):
        issue_api_token(user=officer, name="before")
    device = create_authenticator(officer)
    token = issue_api_token(user=officer, name="after")
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get(f"/api/v1/cases/{case.public_id}", headers=headers).status_code == 200
    device.delete()
    assert client.get(f"/api/v1/cases/{case.public_id}", headers=headers).status_code == 401


def test_a_request_without_credentials_is_a_401_not_a_csrf_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/applications",
        data=API_APPLICATION,
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_signed_in_clients_api_write_without_the_csrf_token_is_still_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(create_user(Role.APPLICANT))

    response = client.post(
        "/api/v1/applications",
        data=API_APPLICATION,
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 403
