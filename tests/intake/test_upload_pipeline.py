"""Every way a file comes in (an application sent to the API, a draft's upload, an answer
to a document request, a message attachment) goes through the one pipeline: checked, then
through the virus-scan hook, then stored. A file the scanner refuses is refused on every
path, and the refused request leaves nothing: no row and no file on disk."""

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.test import Client

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.cases.status import Step
from passage.conversations import services as conversations
from passage.conversations.models import MessageAttachment
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from passage.intake.documents import DocumentUpload, check_document, stored_for_request
from passage.intake.models import Document, DraftDocument
from passage.intake.storage import document_key
from passage.tracker.services import answer_document_request
from tests.builders import (
    MINIMAL_PDF,
    api_application,
    create_program,
    create_user,
    one_page_pdf,
)
from tests.intake.test_drafts import filled_draft
from tests.tracker.builders import ask_for_documents, officer_in, worked_case

pytestmark = pytest.mark.django_db

SCANNED: list[bytes] = []
CLEAN_PDF = MINIMAL_PDF
# Bytes no other file of the test database has: a request is the first to store them.
NEW_PDF = one_page_pdf(content=b"BT /F1 12 Tf 72 720 Td (Sent once, then refused) Tj ET")


def recording_scanner(content: bytes) -> str | None:
    """A scanner that finds every file clean and remembers what it was shown."""
    SCANNED.append(content)
    return None


def refusing_scanner(content: bytes) -> str | None:
    return "Eicar-Test-Signature"


@pytest.fixture(autouse=True)
def _fresh_record():
    SCANNED.clear()


def stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return sorted(path for path in root.rglob("*") if path.is_file() and path.name != ".lock")


Send = Callable[[], object]


def through_the_api(content: bytes = CLEAN_PDF) -> Send:
    """Ready to post an application with one document; the sender gives the answer."""
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT, username="api"), name="phone")
    body = api_application(
        documents=[
            {
                "kind": "passport",
                "filename": "passport.pdf",
                "content_base64": base64.b64encode(content).decode(),
            }
        ]
    )
    return lambda: Client().post(
        "/api/v1/applications",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "upload-1"},
    )


def through_a_draft(content: bytes = CLEAN_PDF) -> Send:
    load_programs()
    person = create_user(username="drafter")
    draft = filled_draft(person)
    DraftDocument.objects.filter(draft=draft).delete()
    return lambda: drafts.add_document(
        person=person,
        draft_id=draft.public_id,
        kind="passport",
        filename="passport.pdf",
        content=content,
    )


def through_a_document_request(content: bytes = CLEAN_PDF) -> Send:
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    return lambda: answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=request.pk,
        files=[("medical.pdf", content)],
        idempotency_key="answer-1",
    )


def through_a_message(content: bytes = CLEAN_PDF) -> Send:
    case = worked_case(officer_in())
    return lambda: conversations.start_thread(
        case_id=case.public_id,
        person=case.application.applicant,
        subject="My passport",
        body="Here it is.",
        attachments=[conversations.Attachment("passport.pdf", content)],
        idempotency_key="thread-1",
    )


PATHS = [through_a_draft, through_a_document_request, through_a_message]


def test_every_path_passes_each_file_through_the_scanner(settings):
    sends = [prepare() for prepare in (through_the_api, *PATHS)]
    settings.PASSAGE_VIRUS_SCANNER = "tests.intake.test_upload_pipeline.recording_scanner"

    for send in sends:
        send()

    assert SCANNED == [CLEAN_PDF] * 4


def test_an_application_sent_to_the_api_with_a_refused_file_leaves_nothing(settings):
    send = through_the_api()
    settings.PASSAGE_VIRUS_SCANNER = "tests.intake.test_upload_pipeline.refusing_scanner"
    before = stored_files()

    response = send()

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "documents[0]": "passport.pdf: The virus check found a threat in this file, so it "
        "was not accepted. Upload a clean copy."
    }
    assert not Case.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize("prepare", PATHS, ids=lambda prepare: prepare.__name__)
def test_every_other_path_refuses_the_file_and_stores_nothing(settings, prepare):
    send = prepare()
    settings.PASSAGE_VIRUS_SCANNER = "tests.intake.test_upload_pipeline.refusing_scanner"
    before_files, before_documents = stored_files(), Document.objects.count()

    with pytest.raises(InvalidRequest, match="virus check"):
        send()

    assert stored_files() == before_files
    assert Document.objects.count() == before_documents
    assert not DraftDocument.objects.exists()


# Where each path writes the rows that refer to its files.
ROW_WRITES = {
    "through_the_api": (Document, "bulk_create"),
    "through_a_draft": (DraftDocument, "create"),
    "through_a_document_request": (Document, "bulk_create"),
    "through_a_message": (MessageAttachment, "bulk_create"),
}


@pytest.mark.parametrize("prepare", [through_the_api, *PATHS], ids=lambda prepare: prepare.__name__)
def test_a_request_that_fails_after_storing_its_files_leaves_none_of_them(
    settings, monkeypatch, prepare
):
    send = prepare(NEW_PDF)
    before = stored_files()
    model, method = ROW_WRITES[prepare.__name__]

    def lost_database(*args: object, **kwargs: object) -> None:
        raise IntegrityError("the database went away while the rows were written")

    monkeypatch.setattr(model.objects, method, lost_database)
    try:
        response = send()
    except IntegrityError:
        pass
    else:
        assert getattr(response, "status_code", 500) >= 400

    assert stored_files() == before


def test_an_application_refused_for_a_reused_key_leaves_its_new_file_nowhere():
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT, username="api"), name="phone")
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "same-key"}
    first = Client().post(
        "/api/v1/applications", json.dumps(api_application()), "application/json", headers=headers
    )
    assert first.status_code == 201
    before = stored_files()
    other = api_application(
        given_name="Someone",
        documents=[
            {
                "kind": "passport",
                "filename": "passport.pdf",
                "content_base64": base64.b64encode(CLEAN_PDF).decode(),
            }
        ],
    )

    refused = Client().post(
        "/api/v1/applications", json.dumps(other), "application/json", headers=headers
    )

    assert refused.status_code == 422
    assert "idempotency key" in refused.json()["detail"].lower()
    assert stored_files() == before


def test_a_file_another_request_has_taken_meanwhile_stays_when_a_request_fails():
    load_programs()
    draft = filled_draft(create_user(username="drafter"))
    checked = check_document(DocumentUpload("passport", "passport.pdf", NEW_PDF))
    assert not isinstance(checked, str)

    def a_request_that_fails_after_another_took_the_file() -> None:
        with stored_for_request([checked]) as [(_document, key)]:
            # Another request, for the same bytes, records its row before this one fails.
            DraftDocument.objects.create(
                draft=draft,
                kind="passport",
                filename="passport.pdf",
                content_type=checked.content_type,
                size=len(NEW_PDF),
                sha256=checked.sha256,
                storage_key=key,
                uploaded_at=draft.updated_at,
            )
            raise RuntimeError("this request fails after the other one took the file")

    with pytest.raises(RuntimeError):
        a_request_that_fails_after_another_took_the_file()

    assert default_storage.open(document_key(checked.sha256)).read() == NEW_PDF
