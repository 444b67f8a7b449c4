"""A client reads the list of the documents they sent for their case, each named by what
it is, and downloads each; a sponsor does not see the answers to a step they do not
follow; no one else reads or downloads them."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.status import PartyRole, Step
from passage.tracker import services
from tests.builders import MINIMAL_PDF, create_user, give_to, same_page_parts
from tests.tracker.builders import ask_for_documents, client_of, officer_in, text_of
from tests.workbench.builders import ready_case

pytestmark = pytest.mark.django_db


def case_url(case, language: str = "en") -> str:
    with translation.override(language):
        return reverse("tracker:case", kwargs={"case_id": case.public_id})


def document_url(case, document_id: int) -> str:
    return reverse(
        "tracker:document", kwargs={"case_id": case.public_id, "document_id": document_id}
    )


def answered(case, step: Step = Step.BIOMETRICS) -> None:
    """An officer asks for documents for `step` and the applicant sends one."""
    officer = officer_in()
    give_to(case, officer)
    request = ask_for_documents(case, officer, step)
    services.answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=request.pk,
        files=[("receipt.pdf", MINIMAL_PDF)],
        idempotency_key=uuid.uuid4().hex,
    )


@pytest.fixture
def case():
    return ready_case()


@pytest.mark.parametrize(("language", "passport"), [("en", "Passport"), ("fr", "Passeport")])
def test_the_client_reads_what_they_sent_named_by_what_it_is(case, language, passport):
    answered(case)

    page = client_of(case.application.applicant).get(case_url(case, language))

    text = text_of(page.content)
    assert passport in text
    assert "passport.pdf" in text
    assert "request-" not in text
    assert "receipt.pdf" in text


def test_the_client_downloads_a_document_they_sent(case):
    document = case.application.documents.get(kind="passport")

    response = client_of(case.application.applicant).get(document_url(case, document.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_sponsor_does_not_see_the_answers_to_a_step_they_do_not_follow(case):
    sponsor = create_user()
    cases.grant_access(
        case_id=case.public_id,
        actor=SYSTEM,
        person=sponsor,
        role=PartyRole.SPONSOR,
        idempotency_key="sponsor",
    )
    answered(case, Step.MEDICAL)
    medical = case.application.documents.get(kind__startswith="request-")

    page = client_of(sponsor).get(case_url(case))
    download = client_of(sponsor).get(document_url(case, medical.pk))

    assert "receipt.pdf" not in text_of(page.content)
    assert download.status_code == 404


def test_someone_else_gets_the_same_404_as_for_a_document_that_does_not_exist(case):
    document = case.application.documents.get(kind="passport")
    stranger = client_of(create_user())

    theirs = stranger.get(document_url(case, document.pk))
    missing = stranger.get(document_url(case, 999_999))

    assert theirs.status_code == missing.status_code == 404
    assert same_page_parts(
        theirs.content.decode().replace(f"/{document.pk}/", "/ID/")
    ) == same_page_parts(missing.content.decode().replace("/999999/", "/ID/"))
