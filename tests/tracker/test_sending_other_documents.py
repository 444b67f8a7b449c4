"""A client sends documents nobody asked for while their application is open: they say
what the documents are, the files join the application under that name, and the officers
of the file read the event; a bad file, a missing description or an ended case sends
nothing."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from passage.cases.status import CaseStatus, EventKind
from passage.intake.document_names import SENT_BY_CLIENT
from passage.intake.models import Document
from tests.builders import MINIMAL_PDF, case_in_status, create_user
from tests.tracker.builders import case_page_url, client_of, text_of
from tests.workbench.builders import ready_case

pytestmark = pytest.mark.django_db


def form(description: str = "My new passport", content: bytes = MINIMAL_PDF) -> dict:
    return {
        "idempotency_key": uuid.uuid4().hex,
        "description": description,
        "documents": SimpleUploadedFile("new-passport.pdf", content, "application/pdf"),
    }


def test_the_client_sends_a_document_nobody_asked_for_and_sees_it_by_its_name():
    case = ready_case()
    client = client_of(case.application.applicant)

    response = client.post(case_page_url("send-other-documents", case), form(), follow=True)

    text = text_of(response.content)
    assert "We received your documents. An officer will look at them." in text
    document = Document.objects.get(application=case.application, kind=SENT_BY_CLIENT)
    assert document.description == "My new passport"
    assert "My new passport" in text
    event = case.events.get(kind=EventKind.DOCUMENTS_SENT)
    assert event.payload["description"] == "My new passport"
    assert event.payload["documents"][0]["filename"] == "new-passport.pdf"


def test_a_document_without_a_description_or_a_file_sends_nothing():
    case = ready_case()
    client = client_of(case.application.applicant)

    without_words = client.post(case_page_url("send-other-documents", case), form(description=""))
    without_file = client.post(
        case_page_url("send-other-documents", case),
        {"idempotency_key": uuid.uuid4().hex, "description": "A letter"},
    )

    assert without_words.status_code == without_file.status_code == 422
    assert "Say what the documents are." in text_of(without_words.content)
    assert "Choose at least one file." in text_of(without_file.content)
    assert not case.events.filter(kind=EventKind.DOCUMENTS_SENT).exists()


def test_a_file_that_is_not_a_document_sends_nothing_and_says_why():
    case = ready_case()

    page = client_of(case.application.applicant).post(
        case_page_url("send-other-documents", case), form(content=b"<html>not a pdf</html>")
    )

    assert page.status_code == 422
    assert "new-passport.pdf:" in text_of(page.content)
    assert not Document.objects.filter(kind=SENT_BY_CLIENT).exists()


def test_a_repeated_send_acts_once():
    case = ready_case()
    client = client_of(case.application.applicant)
    key = uuid.uuid4().hex

    for _ in range(2):
        client.post(case_page_url("send-other-documents", case), {**form(), "idempotency_key": key})

    assert case.events.filter(kind=EventKind.DOCUMENTS_SENT).count() == 1
    assert Document.objects.filter(kind=SENT_BY_CLIENT).count() == 1


def test_an_ended_case_takes_no_more_documents():
    case = case_in_status(CaseStatus.REFUSED)
    client = client_of(case.application.applicant)

    page = client.get(case_page_url("case", case))
    posted = client.post(case_page_url("send-other-documents", case), form())

    assert "Send another document" not in text_of(page.content)
    assert posted.status_code == 422
    assert not Document.objects.filter(kind=SENT_BY_CLIENT).exists()


def test_someone_else_cannot_send_documents_to_a_case():
    case = ready_case()

    response = client_of(create_user()).post(case_page_url("send-other-documents", case), form())

    assert response.status_code == 404
    assert not Document.objects.filter(kind=SENT_BY_CLIENT).exists()
