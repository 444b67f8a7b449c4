"""Sending messages: once per key, only on cases the person may see, whole or not at all,
and with an email to the clients (carrying a link only) when the department writes."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.status import PartyRole
from passage.conversations import services
from passage.conversations.models import Message, MessageAttachment, MessageRead, Thread
from passage.conversations.selectors import case_threads
from passage.outbox.models import OutboxMessage
from tests.builders import MINIMAL_PDF, create_user, jpeg_image
from tests.conversations.builders import add_party, case_with_applicant, reply, revoke, start
from tests.workbench.builders import create_skilled_officer as officer_of_the_office
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


def test_a_client_starts_a_conversation_on_their_case_as_its_applicant() -> None:
    case, applicant = case_with_applicant()

    message = start(case, applicant, body="  When is my interview?  ")

    assert message.thread.case == case
    assert message.thread.subject == "A question"
    assert message.author_role == "applicant"
    assert message.body == "When is my interview?"


def test_sending_again_with_the_same_key_returns_the_first_message() -> None:
    case, applicant = case_with_applicant()
    first = services.start_thread(
        case_id=case.public_id,
        person=applicant,
        subject="Hi",
        body="Hello",
        idempotency_key="k1",
    )

    again = services.start_thread(
        case_id=case.public_id,
        person=applicant,
        subject="Hi",
        body="Hello",
        idempotency_key="k1",
    )

    assert again.replayed
    assert not first.replayed
    assert again.message == first.message
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_reply_sent_twice_with_its_key_is_posted_once() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant)
    officer = officer_of_the_office()

    first = reply(message, officer, body="We received it.", idempotency_key="r1")
    again = reply(message, officer, body="We received it.", idempotency_key="r1")

    assert first == again
    assert message.thread.messages.count() == 2
    assert OutboxMessage.objects.filter(template="new_message").count() == 1


def test_the_same_key_with_another_message_is_a_conflict() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant, idempotency_key="k1")

    with pytest.raises(IdempotencyConflict):
        reply(message, applicant, body="Something else", idempotency_key="k1")
    with pytest.raises(IdempotencyConflict):
        start(case, applicant, body="Another body", idempotency_key="k1")
    assert Message.objects.count() == 1


def test_an_empty_message_is_refused_with_the_field_to_fix() -> None:
    case, applicant = case_with_applicant()

    with pytest.raises(InvalidRequest) as refused:
        start(case, applicant, body="   ", subject="")

    assert refused.value.details["errors"] == {
        "body": "Enter a message.",
        "subject": "Enter a subject.",
    }
    assert not Thread.objects.exists()


def test_a_file_is_stored_with_its_message() -> None:
    case, applicant = case_with_applicant()

    message = start(
        case, applicant, attachments=[services.Attachment("../bank statement.pdf", MINIMAL_PDF)]
    )

    attachment = message.attachments.get()
    assert attachment.filename == "bank statement.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(MINIMAL_PDF)
    with default_storage.open(attachment.storage_key, "rb") as handle:
        assert handle.read() == MINIMAL_PDF


def test_a_bad_file_refuses_the_whole_message_and_saves_nothing() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant)
    stored_before = _stored_files()

    with pytest.raises(InvalidRequest) as refused:
        reply(
            message,
            applicant,
            attachments=[
                services.Attachment("good.pdf", MINIMAL_PDF),
                services.Attachment("script.exe", b"MZ\x90\x00 not a document"),
            ],
        )

    assert "script.exe" in refused.value.details["errors"]["attachment"]
    assert "Only PDF, JPEG and PNG files are accepted." in refused.value.message
    assert Message.objects.count() == 1
    assert not MessageAttachment.objects.exists()
    assert _stored_files() == stored_before


def test_a_file_the_virus_check_flags_saves_nothing(settings) -> None:
    case, applicant = case_with_applicant()
    settings.PASSAGE_VIRUS_SCANNER = "tests.conversations.test_services.always_infected"
    stored_before = _stored_files()

    with pytest.raises(InvalidRequest) as refused:
        start(case, applicant, attachments=[services.Attachment("a.jpg", jpeg_image())])

    assert "virus check" in refused.value.message
    assert not Thread.objects.exists()
    assert _stored_files() == stored_before


def test_the_refusal_of_a_bad_file_is_in_french_for_a_french_page() -> None:
    case, applicant = case_with_applicant()
    with translation.override("fr"), pytest.raises(InvalidRequest) as refused:
        start(case, applicant, attachments=[services.Attachment("a.txt", b"plain text")])

    assert "PDF, JPEG" in refused.value.message
    assert "Only PDF" not in refused.value.message


def test_a_revoked_representative_finds_nothing() -> None:
    case, _applicant = case_with_applicant()
    representative = add_party(case)
    message = start(case, representative)
    assert message.author_role == PartyRole.REPRESENTATIVE

    revoke(case, representative)

    with pytest.raises(Thread.DoesNotExist):
        reply(message, representative)
    with pytest.raises(Case.DoesNotExist):
        start(case, representative)
    with pytest.raises(Thread.DoesNotExist):
        services.mark_read(thread_id=message.thread.public_id, person=representative)


def test_another_clients_case_is_not_found() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant)
    stranger = create_user(Role.APPLICANT)

    with pytest.raises(Case.DoesNotExist):
        start(case, stranger)
    with pytest.raises(Thread.DoesNotExist):
        reply(message, stranger)
    with pytest.raises(Case.DoesNotExist):
        start(Case(public_id=uuid.uuid4()), stranger)


def test_a_thread_under_another_case_is_not_found() -> None:
    case, applicant = case_with_applicant()
    other_case, _ = case_with_applicant()
    message = start(case, applicant)

    with pytest.raises(Thread.DoesNotExist):
        reply(message, officer_of_the_office(), case_id=other_case.public_id)


def test_staff_who_do_not_work_files_cannot_write() -> None:
    case, _applicant = case_with_applicant()
    analyst = create_user(Role.ANALYST)

    with pytest.raises(NotPermitted):
        start(case, analyst)


def test_an_officer_writing_queues_a_link_only_email_to_each_active_client(settings) -> None:
    settings.PASSAGE_SITE_URL = "https://passage.example"
    case, applicant = case_with_applicant(preferred_language="fr")
    representative = add_party(case, preferred_language="en")
    revoked = add_party(case)
    revoke(case, revoked)
    officer = officer_of_the_office()

    message = start(case, officer, body="Please send your bank statement.")

    emails = OutboxMessage.objects.filter(template="new_message").order_by("to_email")
    assert {(e.to_email, e.language) for e in emails} == {
        (applicant.email, "fr"),
        (representative.email, "en"),
    }
    thread = message.thread
    for email in emails:
        assert email.case == case
        assert set(email.context) == {"link", "program", "reference_end"}
        assert email.context["reference_end"] == case.reference[-4:]
        assert "bank statement" not in str(email.context)
        with translation.override(email.language):
            path = reverse(
                "conversations:thread",
                kwargs={"case_id": case.public_id, "thread_id": thread.public_id},
            )
        assert path.startswith(f"/{email.language}/")
        assert email.context["link"] == f"https://passage.example{path}"


def test_a_client_writing_queues_no_email() -> None:
    case, applicant = case_with_applicant()

    start(case, applicant)

    assert not OutboxMessage.objects.filter(template="new_message").exists()


def test_a_supervisor_writes_as_supervisor() -> None:
    case, _applicant = case_with_applicant()
    supervisor = create_supervisor()

    assert start(case, supervisor).author_role == "supervisor"


def test_a_reply_moves_the_conversation_forward() -> None:
    case, applicant = case_with_applicant()
    at = clock.now()
    message = start(case, applicant, now=at)

    reply(message, officer_of_the_office(), now=at + timedelta(hours=2))

    message.thread.refresh_from_db()
    assert message.thread.last_message_at == at + timedelta(hours=2)


def test_reading_records_each_message_by_others_once() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    message = start(case, applicant)
    answer = reply(message, officer)
    thread_id = message.thread.public_id
    at = clock.now()

    assert services.mark_read(thread_id=thread_id, person=applicant, now=at) == 1
    assert services.mark_read(thread_id=thread_id, person=applicant, now=at) == 0

    read = MessageRead.objects.get()
    assert (read.message, read.person, read.read_at) == (answer, applicant, at)


def test_messages_cannot_be_changed_or_deleted() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant)

    message.body = "Edited"
    with pytest.raises(ValueError, match="cannot change"):
        message.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        message.delete()


def always_infected(content: bytes) -> str | None:
    return "EICAR test signature"


def _stored_files() -> list[str]:
    try:
        folders, _ = default_storage.listdir("documents")
    except FileNotFoundError:
        return []
    return [
        name for folder in folders for name in default_storage.listdir(f"documents/{folder}")[1]
    ]


def test_a_supervisor_looking_over_a_conversation_does_not_mark_it_read_for_the_client():
    case, applicant = case_with_applicant()
    question = start(case, applicant)
    supervisor = create_supervisor()

    assert services.mark_read(thread_id=question.thread.public_id, person=supervisor) == 0

    assert not MessageRead.objects.filter(message=question).exists()


def test_a_sponsor_reads_only_the_conversations_on_the_sponsors_side():
    case, applicant = case_with_applicant()
    sponsor = add_party(case, PartyRole.SPONSOR)
    officer = officer_of_the_office()
    with_applicant = start(case, officer, subject="Medical exam")
    with_sponsor = start(case, sponsor, subject="My income")

    seen_by_sponsor = [
        t.subject for t in case_threads(person=sponsor, case_id=case.public_id).threads
    ]
    seen_by_applicant = [
        t.subject for t in case_threads(person=applicant, case_id=case.public_id).threads
    ]
    assert seen_by_sponsor == ["My income"]
    assert seen_by_applicant == ["Medical exam"]
    with pytest.raises(Thread.DoesNotExist):
        reply(with_applicant, sponsor)
    assert with_sponsor.thread.audience == "sponsor"
    # The officer's message went only to the applicant's side.
    assert not OutboxMessage.objects.filter(to_email=sponsor.email).exists()
