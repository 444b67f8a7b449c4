"""A client answers a document request from the tracker."""

import uuid

import pytest

from passage.cases.errors import (
    IdempotencyConflict,
    InvalidRequest,
    NotPermitted,
    TransitionNotAllowed,
)
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.status import EventKind, PartyRole, Step, StepState
from passage.intake.models import Document
from passage.tracker.services import answer_document_request
from tests.builders import MINIMAL_PDF, create_user, refuse, submit_case
from tests.tracker.builders import (
    add_party,
    ask_for_documents,
    officer_in,
    revoked_representative,
    worked_case,
)

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
CORRUPT_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"  # cut off before %%EOF


@pytest.fixture
def waiting():
    """A file whose medical step waits on the applicant's documents."""
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    return case, request


def answer(person, case, request, files=None, key="answer-1"):
    return answer_document_request(
        person=person,
        case_id=case.public_id,
        request_id=request.pk,
        files=files if files is not None else [("medical.pdf", MINIMAL_PDF)],
        idempotency_key=key,
    )


def stored_files(tmp_path) -> list:
    media = tmp_path / "media" / "documents"
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_answering_attaches_the_documents_answers_the_request_and_resumes_the_step(waiting):
    case, request = waiting
    applicant = case.application.applicant

    result = answer(applicant, case, request)

    assert result.replayed is False
    (document,) = Document.objects.filter(
        application=case.application, kind=f"request-{request.pk}"
    )
    assert document.filename == "medical.pdf"
    assert document.content_type == "application/pdf"
    request.refresh_from_db()
    assert request.answered_at is not None
    case.refresh_from_db()
    assert case.medical == StepState.IN_PROGRESS
    event = CaseEvent.objects.filter(case=case).latest("sequence")
    assert event.kind == EventKind.DOCUMENTS_RECEIVED
    assert event.actor_id == applicant.pk
    assert event.payload["request"] == request.pk
    assert event.payload["documents"][0]["filename"] == "medical.pdf"


def test_a_replay_returns_the_first_answer_and_adds_nothing(waiting):
    case, request = waiting
    applicant = case.application.applicant
    first = answer(applicant, case, request)

    again = answer(applicant, case, request)

    assert again.replayed is True
    assert again.event.pk == first.event.pk
    assert Document.objects.filter(kind=f"request-{request.pk}").count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENTS_RECEIVED).count() == 1


def test_the_same_key_with_other_files_is_refused(waiting):
    case, request = waiting
    applicant = case.application.applicant
    answer(applicant, case, request)

    with pytest.raises(IdempotencyConflict):
        answer(applicant, case, request, files=[("other.pdf", MINIMAL_PDF + b"\n")])


def test_a_request_already_answered_cannot_be_answered_again_with_a_new_key(waiting):
    case, request = waiting
    applicant = case.application.applicant
    answer(applicant, case, request)

    with pytest.raises(InvalidRequest):
        answer(applicant, case, request, key="answer-2")


@pytest.mark.parametrize(
    "files",
    [
        [("medical.pdf", EXECUTABLE)],
        [("medical.pdf", CORRUPT_PDF)],
        [("good.pdf", MINIMAL_PDF), ("medical.pdf", EXECUTABLE)],
        [],
    ],
    ids=["renamed executable", "corrupt PDF", "one bad file among good ones", "no file"],
)
def test_a_bad_file_saves_nothing_and_leaves_the_request_open(waiting, files, tmp_path):
    case, request = waiting
    events = CaseEvent.objects.filter(case=case).count()
    stored_before = stored_files(tmp_path)

    with pytest.raises(InvalidRequest) as caught:
        answer(case.application.applicant, case, request, files=files)

    assert caught.value.details["errors"]["documents"]
    assert not Document.objects.filter(kind=f"request-{request.pk}").exists()
    assert stored_files(tmp_path) == stored_before
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None
    assert Case.objects.get(pk=case.pk).medical == StepState.WAITING_ON_YOU
    assert CaseEvent.objects.filter(case=case).count() == events


def test_the_error_names_the_file_that_was_refused(waiting):
    case, request = waiting

    with pytest.raises(InvalidRequest) as caught:
        answer(case.application.applicant, case, request, files=[("setup.pdf", EXECUTABLE)])

    assert caught.value.message.startswith("setup.pdf: ")


def test_a_representative_may_answer_for_the_client(waiting):
    case, request = waiting
    representative = add_party(case, PartyRole.REPRESENTATIVE)

    result = answer(representative, case, request)

    assert result.event.actor_role == "representative"


def test_a_revoked_representative_and_another_client_find_no_case(waiting):
    case, request = waiting
    representative = revoked_representative(case)
    other_client = submit_case().application.applicant

    for person in (representative, other_client, create_user()):
        with pytest.raises(Case.DoesNotExist):
            answer(person, case, request, key=uuid.uuid4().hex)

    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None


def test_an_officer_cannot_answer_in_the_clients_place(waiting):
    case, request = waiting

    with pytest.raises(NotPermitted):
        answer(case.assigned_to, case, request)  # the officer who has the file


def test_a_request_of_another_case_cannot_be_answered_through_this_one(waiting):
    case, _ = waiting
    officer = officer_in()
    other = worked_case(officer)
    others_request = ask_for_documents(other, officer)

    with pytest.raises(InvalidRequest):
        answer(case.application.applicant, case, others_request)

    assert DocumentRequest.objects.get(pk=others_request.pk).answered_at is None


def test_a_sponsor_and_their_representative_cannot_answer_for_the_sponsored_persons_exam(waiting):
    case, request = waiting
    sponsor = add_party(case, PartyRole.SPONSOR)
    representative = add_party(case, PartyRole.REPRESENTATIVE, by=sponsor)

    for person in (sponsor, representative):
        with pytest.raises(InvalidRequest):
            answer(person, case, request, key=f"try-{person.pk}")

    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None
    assert not Document.objects.filter(kind=f"request-{request.pk}").exists()


def test_a_replayed_answer_stores_and_scans_nothing_again(waiting, monkeypatch):
    case, request = waiting
    applicant = case.application.applicant
    answer(applicant, case, request)
    scanned = []
    monkeypatch.setattr(
        "passage.intake.scanning.scan", lambda content: scanned.append(content) or None
    )

    replayed = answer(applicant, case, request)

    assert replayed.replayed
    assert scanned == []
    assert Document.objects.filter(kind=f"request-{request.pk}").count() == 1


def test_answering_a_request_closed_by_the_decision_is_refused_before_any_file_is_read(
    tmp_path, monkeypatch
):
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    refuse(case, officer)
    events = CaseEvent.objects.filter(case=case).count()
    stored_before = stored_files(tmp_path)
    checked = []
    monkeypatch.setattr(
        "passage.tracker.services.check_document", lambda upload: checked.append(upload)
    )

    with pytest.raises(TransitionNotAllowed) as refused:
        answer(case.application.applicant, case, request)

    assert refused.value.message == (
        "This request is closed: a decision was made on the application, so we no longer "
        "need these documents."
    )
    assert checked == []
    assert stored_files(tmp_path) == stored_before
    assert not Document.objects.filter(kind=f"request-{request.pk}").exists()
    assert CaseEvent.objects.filter(case=case).count() == events
