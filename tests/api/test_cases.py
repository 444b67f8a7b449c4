import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from passage.accounts.roles import Role
from passage.cases.models import CaseParty
from passage.cases.status import CaseStatus, PartyRole
from tests.accounts.builders import api_token
from tests.builders import case_in_status, create_office, create_officer, create_user

pytestmark = pytest.mark.django_db


def get(client, token, path):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_an_applicant_reads_the_status_steps_and_history_of_their_case(client):
    case = case_in_status(CaseStatus.IN_REVIEW)
    token = api_token(case.application.applicant, "phone")

    response = get(client, token, f"/api/v1/cases/{case.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert (body["status"], body["status_label"]) == ("in_review", "In review")
    assert [step["step"] for step in body["steps"]] == [
        "eligibility",
        "background",
        "medical",
        "biometrics",
    ]
    assert body["recent_events"][0]["description"] == "An officer review started"
    assert body["recent_events"][-1]["kind"] == "application.submitted"


def test_the_status_is_worded_in_french_for_a_french_request(client):
    case = case_in_status(CaseStatus.RECEIVED)
    token = api_token(case.application.applicant, "phone")

    response = client.get(
        f"/api/v1/cases/{case.public_id}",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "fr"},
    )

    assert response.json()["status_label"] == "Reçue"


def test_the_events_endpoint_pages_through_the_history_in_order(client):
    officer = create_officer()
    case = case_in_status(CaseStatus.APPROVED, officer=officer)
    token = api_token(officer, "desk")

    first = get(client, token, f"/api/v1/cases/{case.public_id}/events?limit=3").json()
    rest = get(client, token, f"/api/v1/cases/{case.public_id}/events?after=3").json()

    sequences = [e["sequence"] for e in first + rest]
    assert sequences == list(range(1, case.last_event_sequence + 1))
    assert "payload" not in first[0]


@pytest.mark.parametrize("path", ["/api/v1/cases/{id}", "/api/v1/cases/{id}/events"])
def test_a_person_unrelated_to_a_case_gets_404_exactly_as_for_a_missing_case(client, path):
    case = case_in_status(CaseStatus.TRIAGE)
    stranger = api_token(create_user(Role.APPLICANT), "phone")

    response = get(client, stranger, path.format(id=case.public_id))
    missing = get(client, stranger, path.format(id="00000000-0000-4000-8000-000000000000"))

    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/{id}", "/api/v1/cases/{id}/events", "/api/v1/cases/{id}/tracker"]
)
def test_staff_of_another_office_get_404_exactly_as_for_a_missing_case(client, path):
    officer = create_officer()  # of Ottawa
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    montreal = create_office("montreal")
    elsewhere = [
        api_token(create_user(Role.OFFICER, office=montreal), "desk"),
        api_token(create_user(Role.SUPERVISOR, office=montreal), "desk"),
    ]

    own = get(client, api_token(officer, "desk"), path.format(id=case.public_id))
    assert own.status_code == 200
    for token in elsewhere:
        response = get(client, token, path.format(id=case.public_id))
        missing = get(client, token, path.format(id="00000000-0000-4000-8000-000000000000"))
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content


def test_a_revoked_representative_gets_404_from_the_next_request(client):
    case = case_in_status(CaseStatus.RECEIVED)
    representative = create_user(Role.REPRESENTATIVE)
    party = CaseParty.objects.create(
        case=case, person=representative, role=PartyRole.REPRESENTATIVE, granted_at=timezone.now()
    )
    token = api_token(representative, "office")
    assert get(client, token, f"/api/v1/cases/{case.public_id}").status_code == 200

    party.revoked_at = timezone.now()
    party.save()

    assert get(client, token, f"/api/v1/cases/{case.public_id}").status_code == 404


def test_the_session_of_a_signed_in_person_also_authenticates(client):
    case = case_in_status(CaseStatus.RECEIVED)
    client.force_login(case.application.applicant)

    assert client.get(f"/api/v1/cases/{case.public_id}").status_code == 200


def test_a_token_request_makes_no_session(client):
    case = case_in_status(CaseStatus.IN_REVIEW)
    token = api_token(case.application.applicant, "phone")

    response = get(client, token, f"/api/v1/cases/{case.public_id}")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
