"""What officers do with client email: correct the category (kept as a label, the email
moves team), answer in the case's secure messages (the client gets a link-only email), send
a standard reply in both languages, add attachments to the open document request, close;
each once per key, none on a closed email, none outside the officer's reach."""

import uuid

import pytest

from passage.cases.models import DocumentRequest
from passage.conversations.models import Message
from passage.correspondence import services
from passage.correspondence.models import EmailAction, InboundEmail
from passage.errors import Conflict, Forbidden
from passage.outbox.delivery import build_message
from passage.outbox.models import OutboxMessage
from tests.builders import create_user, one_page_pdf
from tests.correspondence.builders import email_about
from tests.tracker.builders import ask_for_documents, worked_case
from tests.workbench.builders import create_skilled_officer

pytestmark = pytest.mark.django_db


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def officer() -> object:
    return create_skilled_officer(username=f"officer-{uuid.uuid4().hex[:6]}")


def test_a_corrected_category_is_kept_as_a_label_and_moves_the_email_to_its_team(
    officer: object,
) -> None:
    email = email_about(worked_case(officer), body="Any update on my file?")
    assert email.team == "client-services"
    services.correct_category(
        person=officer, email_id=email.public_id, category="complaint", idempotency_key="k1"
    )
    email.refresh_from_db()
    assert (email.category, email.corrected_category, email.final_category) == (
        "status-enquiry",
        "complaint",
        "complaint",
    )
    assert email.team == "client-relations"
    (action,) = EmailAction.objects.filter(email=email)
    assert action.details == {"to": "complaint", "from": "status-enquiry"}


def test_the_same_key_acts_once(officer: object) -> None:
    email = email_about(worked_case(officer))
    for _ in range(2):
        services.correct_category(
            person=officer, email_id=email.public_id, category="other", idempotency_key="same"
        )
    assert EmailAction.objects.filter(email=email).count() == 1


def test_an_answer_goes_to_the_case_s_secure_messages_with_a_link_only_email(
    officer: object,
) -> None:
    case = worked_case(officer)
    email = email_about(case, body="Bonjour, où en est mon dossier ? Ça fait 8 mois.")
    services.answer_in_messages(
        person=officer,
        email_id=email.public_id,
        body="Votre dossier est à l'étape médicale.",
        idempotency_key=key(),
    )
    email.refresh_from_db()
    assert email.state == InboundEmail.State.CLOSED
    message = Message.objects.get(thread__case=case)
    assert message.body == "Votre dossier est à l'étape médicale."
    notice = OutboxMessage.objects.get(template="new_message")
    assert "étape médicale" not in build_message(notice).body


def test_a_standard_reply_goes_in_both_languages_the_client_s_first_with_nothing_of_the_case(
    officer: object,
) -> None:
    case = worked_case(officer)
    email = email_about(case, body="Bonjour, comment envoyer mes documents ? Merci")
    services.send_standard_reply(
        person=officer,
        email_id=email.public_id,
        reply="how-to-send-documents",
        idempotency_key=key(),
    )
    sent = build_message(OutboxMessage.objects.get(template="mail_reply"))
    french, english = (
        sent.body.index("Pour envoyer des documents"),
        sent.body.index("To send documents"),
    )
    assert french < english
    assert case.reference not in sent.subject + sent.body


def test_attachments_are_added_to_the_open_document_request_in_one_action(officer: object) -> None:
    case = worked_case(officer)
    request = ask_for_documents(case, officer)
    email = email_about(
        case,
        body="Please find attached my medical exam report.",
        attachments=[("exam.pdf", "application/pdf", one_page_pdf())],
    )
    services.add_documents_to_request(
        person=officer, email_id=email.public_id, request_id=request.pk, idempotency_key=key()
    )
    request = DocumentRequest.objects.get(pk=request.pk)
    assert request.answered_at is not None
    assert case.application.documents.filter(filename="exam.pdf").exists()


def test_nothing_is_done_on_a_closed_email(officer: object) -> None:
    email = email_about(worked_case(officer))
    services.close_email(person=officer, email_id=email.public_id, idempotency_key=key())
    with pytest.raises(Conflict):
        services.correct_category(
            person=officer, email_id=email.public_id, category="other", idempotency_key=key()
        )


def test_an_email_about_a_case_outside_the_officer_s_reach_does_not_exist_for_them() -> None:
    case = worked_case()
    # Skilled in another program only: the IEC file is not within their reach.
    stranger = create_skilled_officer(("program", "family-sponsorship", 3), username="elsewhere")
    email = email_about(case)
    with pytest.raises(services.EmailNotFound):
        services.answer_in_messages(
            person=stranger, email_id=email.public_id, body="Hello", idempotency_key=key()
        )
    assert not Message.objects.exists()


def test_only_officers_and_supervisors_handle_client_email() -> None:
    email = email_about(worked_case())
    with pytest.raises(Forbidden):
        services.close_email(person=create_user(), email_id=email.public_id, idempotency_key=key())


def test_the_categories_officers_gave_are_written_as_training_data(
    officer: object, tmp_path: object
) -> None:
    from pathlib import Path

    from passage.correspondence.labels import write_labels
    from passage.mailtriage.corpus import labelled

    email = email_about(worked_case(officer), body="Any update? {weird braces}")
    email_about(worked_case(officer), body="Not reviewed yet.")
    services.correct_category(
        person=officer, email_id=email.public_id, category="complaint", idempotency_key=key()
    )
    target = Path(str(tmp_path)) / "labels.jsonl"
    assert write_labels(target) == 1
    (read,) = labelled(target)
    assert (read.category, read.reference) == ("complaint", None)
    assert "(weird braces)" in read.body


def test_attachments_of_a_sender_our_server_could_not_verify_are_not_filed_as_theirs(
    officer: object, settings: object
) -> None:
    settings.PASSAGE_MAIL_AUTHSERV_ID = "mx.passage.example"  # type: ignore[attr-defined]
    case = worked_case(officer)
    request = ask_for_documents(case, officer)
    email = email_about(
        case,
        headers={"Authentication-Results": "mx.passage.example; dmarc=fail"},
        attachments=[("exam.pdf", "application/pdf", one_page_pdf())],
    )
    assert email.sender_verified is False
    with pytest.raises(Conflict):
        services.add_documents_to_request(
            person=officer, email_id=email.public_id, request_id=request.pk, idempotency_key=key()
        )
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None


def test_an_email_from_the_other_side_of_the_case_is_not_answered_in_the_applicant_s_messages(
    officer: object,
) -> None:
    from passage.cases.status import PartyRole
    from passage.correspondence.models import InboundEmail as Email
    from passage.correspondence.services import receive_email
    from tests.conversations.builders import add_party
    from tests.correspondence.messages import client_email

    case = worked_case(officer)
    sponsor = add_party(case, PartyRole.SPONSOR)
    email = receive_email(
        client_email(sender=sponsor.email, body=f"About {case.reference}: we separated."),
        channel=Email.Channel.SMTP,
        envelope_sender=sponsor.email,
    )
    assert email.case == case
    with pytest.raises(Conflict):
        services.answer_in_messages(
            person=officer, email_id=email.public_id, body="Noted.", idempotency_key=key()
        )
    assert not Message.objects.filter(thread__case=case).exists()
