"""GET /api/v1/cases/{id}/tracker: the tracker page's model as JSON."""

import uuid

import pytest
from django.core.cache import cache

from passage import clock
from passage.api.schemas import (
    DocumentsDueOut,
    EstimateOut,
    HistoryLineOut,
    TrackerOut,
    TrackerStepOut,
)
from passage.cases.status import PartyRole, Step
from passage.tracker.selectors import tracker_view
from tests.accounts.builders import api_token
from tests.builders import create_user
from tests.tracker.builders import (
    add_party,
    ask_for_documents,
    officer_in,
    revoked_representative,
    worked_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def get(client, person, case_id, language="en"):
    token = api_token(person, "phone")
    return client.get(
        f"/api/v1/cases/{case_id}/tracker",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
    )


def test_the_api_returns_what_the_page_model_holds(client):
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    applicant = case.application.applicant

    response = get(client, applicant, case.public_id)

    assert response.status_code == 200
    body = response.json()
    model = tracker_view(
        person=applicant, case_id=case.public_id, now=clock.now(), language="en"
    ).as_json()
    for field in ("status", "status_label", "steps", "estimate", "documents_due", "history"):
        assert body[field] == model[field], field
    assert body["documents_due"][0]["request_id"] == request.pk
    assert body["documents_due"][0]["time_zone"] == "America/Vancouver"
    assert body["estimate"]["inquiry_date"] is not None
    texts = [line["text"] for line in body["history"]]
    assert "The file was assigned to an officer" not in texts
    assert "An officer added a note" not in texts


def test_the_answer_has_exactly_the_fields_and_types_the_api_documents(client):
    # The endpoint serialises the view's dataclasses directly, not through TrackerOut,
    # so this is what keeps the published OpenAPI schema true.
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.MEDICAL)

    body = get(client, case.application.applicant, case.public_id).json()

    TrackerOut.model_validate(body, strict=False)
    nested = {
        "steps": TrackerStepOut,
        "documents_due": DocumentsDueOut,
        "history": HistoryLineOut,
    }
    assert set(body) == set(TrackerOut.model_fields)
    assert set(body["estimate"]) == set(EstimateOut.model_fields)
    for name, schema in nested.items():
        assert body[name], name
        for item in body[name]:
            assert set(item) == set(schema.model_fields), name


def test_the_api_speaks_french_when_asked(client):
    case = worked_case()

    body = get(client, case.application.applicant, case.public_id, "fr").json()

    assert body["program_name"] == "Expérience internationale Canada"
    assert body["status_label"] == "En cours d\u2019examen"


def test_a_sponsor_gets_only_the_eligibility_step(client):
    case = worked_case()
    sponsor = add_party(case, PartyRole.SPONSOR)

    body = get(client, sponsor, case.public_id).json()

    assert [step["step"] for step in body["steps"]] == ["eligibility"]


def test_a_case_one_may_not_see_answers_exactly_like_a_missing_case(client):
    case = worked_case()
    revoked = revoked_representative(case)

    for person in (create_user(), revoked):
        hidden = get(client, person, case.public_id)
        absent = get(client, person, uuid.uuid4())
        assert hidden.status_code == absent.status_code == 404
        assert hidden.content == absent.content
        assert hidden["Content-Type"] == absent["Content-Type"]


def test_the_tracker_needs_a_token(client):
    case = worked_case()

    response = client.get(f"/api/v1/cases/{case.public_id}/tracker")

    assert response.status_code == 401
