import hashlib
import threading
from datetime import UTC, date, datetime

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.reference import is_valid_reference
from passage.cases.status import CaseStatus, EventKind, PartyRole
from passage.intake.documents import DocumentUpload
from passage.intake.models import Application, Document
from passage.intake.services import submit_application
from passage.outbox.models import OutboxMessage
from tests.builders import (
    MINIMAL_PDF,
    application_fields,
    create_program,
    create_user,
    jpeg_image,
    png_image,
)

pytestmark = pytest.mark.django_db

PNG = png_image()
JPEG = jpeg_image()


@pytest.fixture
def applicant():
    create_program("iec")
    return create_user(Role.APPLICANT)


def submit(applicant, key="key-1", **overrides):
    return submit_application(
        submitter=applicant, idempotency_key=key, **application_fields(**overrides)
    )


def nothing_was_written() -> bool:
    return not (
        Application.objects.exists()
        or Case.objects.exists()
        or CaseEvent.objects.exists()
        or OutboxMessage.objects.exists()
    )


def test_a_submission_writes_the_application_documents_case_first_event_and_email(applicant):
    received = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)

    submission = submit(applicant, now=received)

    case = submission.case
    assert not submission.replayed
    assert is_valid_reference(case.reference)
    assert case.status == CaseStatus.RECEIVED
    assert case.received_at == received
    application = case.application
    assert (application.given_name, application.citizenship) == ("Amélie", "FR")
    assert application.answers.get().answers == {"funds_cad": 3000, "job_offer": False}
    document = Document.objects.get(application=application)
    assert document.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert document.content_type == "application/pdf"
    with default_storage.open(document.storage_key) as stored:
        assert stored.read() == MINIMAL_PDF
    event = CaseEvent.objects.get(case=case)
    assert (event.sequence, event.kind) == (1, EventKind.SUBMITTED)
    assert event.payload["documents"][0]["sha256"] == document.sha256
    assert CaseParty.objects.get(case=case).role == PartyRole.APPLICANT
    email = OutboxMessage.objects.get(case=case)
    assert (email.to_email, email.language) == ("amelie@example.com", "fr")
    assert email.context == {
        "reference": case.reference,
        "link": "http://127.0.0.1:8000/fr/connexion/",
    }


def test_a_replay_returns_the_first_reference_and_writes_nothing_more(applicant):
    first = submit(applicant)

    again = submit(applicant)

    assert again.replayed
    assert again.case.reference == first.case.reference
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_same_key_with_a_different_body_is_rejected(applicant):
    submit(applicant)

    with pytest.raises(IdempotencyConflict):
        submit(applicant, given_name="Amelia")
    assert Case.objects.count() == 1


def test_the_same_key_from_another_person_is_a_separate_submission(applicant):
    submit(applicant)

    other = submit(create_user(Role.APPLICANT))

    assert not other.replayed
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"program_code": "no-such-program"}, "program"),
        ({"category": "holiday"}, "category"),
        ({"given_name": "  "}, "given_name"),
        ({"date_of_birth": date(2090, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth"),
        ({"citizenship": "FRA"}, "citizenship"),
        ({"email": "not-an-address"}, "email"),
        ({"preferred_language": "de"}, "preferred_language"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(applicant, overrides, field):
    with pytest.raises(InvalidRequest) as error:
        submit(applicant, **overrides)

    assert field in error.value.details["errors"]
    assert nothing_was_written()


@pytest.mark.parametrize("code", ["XX", "ZZ", "UK", "F1", "  "])
def test_a_citizenship_that_is_not_an_iso_country_code_is_refused_and_nothing_written(
    applicant, code
):
    with pytest.raises(InvalidRequest) as error:
        submit(applicant, citizenship=code)

    assert error.value.details["errors"]["citizenship"] == (
        "Enter a country as its ISO 3166-1 two-letter code, such as FR or JP."
    )
    assert nothing_was_written()


@pytest.mark.parametrize("value", ["XX", "UK", "fr", 33, ["FR"]])
def test_a_citizenship_answer_for_the_rules_that_is_not_an_iso_code_is_refused(applicant, value):
    with pytest.raises(InvalidRequest) as error:
        submit(applicant, answers={"funds_cad": 3000, "citizenship": value})

    assert list(error.value.details["errors"]) == ["answers.citizenship"]
    assert nothing_was_written()


def test_a_citizenship_answer_may_name_another_real_country_than_the_typed_field(applicant):
    # An eTA's `citizenship` fact is the country of the passport used to travel.
    submission = submit(applicant, citizenship="JP", answers={"citizenship": "FR"})

    assert submission.case.application.answers.get().answers == {"citizenship": "FR"}


@pytest.mark.parametrize(("code", "stored"), [("GB", "GB"), ("JP", "JP"), (" fr ", "FR")])
def test_a_real_country_code_is_accepted_in_either_case_and_kept_in_capitals(
    applicant, code, stored
):
    submission = submit(applicant, citizenship=code)

    assert submission.case.application.citizenship == stored


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 this is a renamed executable", "Only PDF, JPEG and PNG"),
        (b"%PDF-1.4\n1 0 obj <<", "damaged or incomplete"),
        (b"", "empty"),
    ],
)
def test_a_bad_document_is_explained_and_nothing_is_written(applicant, content, message):
    upload = DocumentUpload("passport", "passport.pdf", content)

    with pytest.raises(InvalidRequest) as error:
        submit(applicant, documents=[upload])

    assert message in error.value.details["errors"]["documents[0]"]
    assert "passport.pdf" in error.value.details["errors"]["documents[0]"]
    assert nothing_was_written()


def test_an_oversized_document_is_rejected(applicant, settings):
    settings.PASSAGE_MAX_DOCUMENT_BYTES = 1024
    upload = DocumentUpload("photo", "photo.png", PNG + b"\x00" * 2048)

    with pytest.raises(InvalidRequest, match="could not be accepted") as error:
        submit(applicant, documents=[upload])
    assert "larger than" in error.value.details["errors"]["documents[0]"]


def test_the_type_of_a_document_comes_from_its_bytes_not_its_name(applicant):
    uploads = [
        DocumentUpload("photo", "photo.pdf", JPEG),
        DocumentUpload("photo", "../../etc/passwd.png", PNG),
    ]

    case = submit(applicant, documents=uploads).case

    documents = Document.objects.filter(application=case.application).order_by("id")
    assert [d.content_type for d in documents] == ["image/jpeg", "image/png"]
    assert documents[1].filename == "passwd.png"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_duplicates_make_one_case():
    create_program("iec")
    applicant = create_user(Role.APPLICANT)
    barrier = threading.Barrier(20)
    references: list[str] = []
    replays: list[bool] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            submission = submit(applicant, key="double-click")
            references.append(submission.case.reference)
            replays.append(submission.replayed)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(set(references)) == 1
    assert sorted(replays) == [False] + [True] * 19
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
