"""Nothing is acknowledged until the bytes are whole. On every path that stores a file
(an API submission, a draft upload, a draft submission, an answer to a document request,
a message attachment) a failing disk answers 503 with Retry-After (JSON on the API, the
page in both languages in the portal), writes nothing in the database and leaves nothing
at the final key; the same request sent again once the disk is back succeeds."""

import base64
import errno
import hashlib
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.status import Step
from passage.conversations.models import Message, Thread
from passage.intake.catalogue import load_programs
from passage.intake.models import Application, Document, DraftDocument
from passage.intake.storage import DurableFileSystemStorage
from tests.builders import api_application, create_user, pdf_of_size
from tests.conversations.builders import case_with_applicant, start
from tests.intake.faults import (
    assert_unavailable_json,
    assert_unavailable_page,
    fill_the_disk,
    key_of,
    os_error,
    portal_client,
    stored_files,
)
from tests.intake.test_drafts import filled_draft
from tests.tracker.builders import ask_for_documents, officer_in, worked_case
from tests.workbench.builders import create_skilled_officer

pytestmark = pytest.mark.django_db

# Bytes no builder stores first: a file already whole at its key is not written again.
DOCUMENT = pdf_of_size(30_000, "Nothing acknowledged until the bytes are whole")
SHA = hashlib.sha256(DOCUMENT).hexdigest()
LANGUAGES = ["en", "fr"]


@pytest.fixture(autouse=True)
def _programs(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    load_programs()


def upload(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DOCUMENT, content_type="application/pdf")


def address(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_an_api_submission_on_a_failing_disk_is_a_503_and_the_retry_is_a_201(monkeypatch):
    token = issue_api_token(user=create_user(Role.APPLICANT), name="phone")
    body = api_application(
        documents=[
            {
                "kind": "passport",
                "filename": "passport.pdf",
                "content_base64": base64.b64encode(DOCUMENT).decode(),
            }
        ]
    )
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "storage-503"}

    def send():
        return Client().post(
            "/api/v1/applications",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    with monkeypatch.context() as patch:
        fill_the_disk(patch)
        refused = send()

    assert_unavailable_json(refused)
    assert not Application.objects.exists()
    assert not Case.objects.exists()
    assert stored_files() == []
    accepted = send()
    assert accepted.status_code == 201
    assert Document.objects.get().storage_key == key_of(SHA)
    assert stored_files() == [key_of(SHA)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_upload_on_a_failing_disk_is_the_503_page(monkeypatch, language):
    person = create_user()
    draft = filled_draft(person)
    DraftDocument.objects.filter(draft=draft).delete()
    before = stored_files()
    fill_the_disk(monkeypatch)

    response = portal_client(person).post(
        address("intake:documents", language, draft_id=draft.public_id),
        {"document-passport": upload("passport.pdf"), "action": "later"},
    )

    assert_unavailable_page(response, language)
    assert not DraftDocument.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_submission_whose_documents_cannot_be_read_is_the_503_page(monkeypatch, language):
    person = create_user()
    draft = filled_draft(person)

    def unreadable(self, name, mode="rb"):
        raise os_error(errno.EIO)

    monkeypatch.setattr(DurableFileSystemStorage, "_open", unreadable)

    response = portal_client(person).post(
        address("intake:check", language, draft_id=draft.public_id), {"declaration": "yes"}
    )

    assert_unavailable_page(response, language)
    assert not Case.objects.exists()
    assert not Application.objects.exists()
    draft.refresh_from_db()
    assert draft.case is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_documents_sent_to_an_officer_on_a_failing_disk_are_the_503_page(monkeypatch, language):
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    events = CaseEvent.objects.filter(case=case).count()
    before = stored_files()
    fill_the_disk(monkeypatch)

    response = portal_client(case.application.applicant).post(
        address("tracker:documents", language, case_id=case.public_id),
        {"request": request.pk, "idempotency_key": uuid.uuid4().hex, "documents": upload()},
    )

    assert_unavailable_page(response, language)
    assert not Document.objects.filter(kind=f"request-{request.pk}").exists()
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None
    assert CaseEvent.objects.filter(case=case).count() == events
    assert stored_files() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_message_with_a_file_on_a_failing_disk_is_the_503_page(monkeypatch, language):
    case, applicant = case_with_applicant()
    before = stored_files()
    fill_the_disk(monkeypatch)

    response = portal_client(applicant).post(
        address("conversations:list", language, case_id=case.public_id),
        {
            "subject": "My bank statement",
            "body": "Here it is.",
            "attachment": upload("statement.pdf"),
            "idempotency_key": uuid.uuid4().hex,
        },
    )

    assert_unavailable_page(response, language)
    assert not Thread.objects.exists()
    assert not Message.objects.exists()
    assert stored_files() == before


def test_a_reply_with_a_file_on_a_failing_disk_is_the_503_page(monkeypatch):
    case, applicant = case_with_applicant()
    message = start(case, create_skilled_officer())  # an IEC officer: the file is theirs to read
    before = stored_files()
    fill_the_disk(monkeypatch)

    response = portal_client(applicant).post(
        address(
            "conversations:thread", "en", case_id=case.public_id, thread_id=message.thread.public_id
        ),
        {"body": "Here it is.", "attachment": upload(), "idempotency_key": uuid.uuid4().hex},
    )

    assert_unavailable_page(response, "en")
    assert Message.objects.count() == 1
    assert stored_files() == before
