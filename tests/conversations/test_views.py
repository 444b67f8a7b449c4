"""The message pages through Django's test client: in English and French, without
JavaScript, the same 404 for a missing and a forbidden case, and staff behind the second
factor."""

import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.conversations import services
from passage.conversations.models import Message, MessageRead, Thread
from passage.outbox.models import OutboxMessage
from tests.accounts.builders import create_authenticator, signed_in_with_mfa
from tests.builders import MINIMAL_PDF, create_user, jpeg_image, png_image
from tests.conversations.builders import add_party, case_with_applicant, revoke, start
from tests.workbench.builders import create_skilled_officer as officer_of_the_office

pytestmark = pytest.mark.django_db


def signed_in(person: User) -> Client:
    if person.must_use_mfa:
        return signed_in_with_mfa(person)
    client = Client()
    client.force_login(person)
    return client


def list_url(case: Case, language: str = "en") -> str:
    with translation.override(language):
        return reverse("conversations:list", kwargs={"case_id": case.public_id})


def thread_url(message: Message, language: str = "en") -> str:
    with translation.override(language):
        return reverse(
            "conversations:thread",
            kwargs={
                "case_id": message.thread.case.public_id,
                "thread_id": message.thread.public_id,
            },
        )


def key_of(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html)
    assert found, "the form carries an idempotency key"
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "back"), [("en", "Back to your application"), ("fr", "Retour à votre demande")]
)
def test_a_clients_messages_lead_back_to_their_application(language: str, back: str) -> None:
    case, applicant = case_with_applicant()

    html = signed_in(applicant).get(list_url(case, language)).content.decode()

    with translation.override(language):
        tracker = reverse("tracker:case", kwargs={"case_id": case.public_id})
    assert f'<a href="{tracker}" class="gc-back-link">{back}</a>' in html


def test_a_client_starts_a_conversation_without_javascript() -> None:
    case, applicant = case_with_applicant()
    client = signed_in(applicant)
    page = client.get(list_url(case))
    assert page.status_code == 200
    assert "New message" in page.text
    assert "There are no messages about this file yet." in page.text

    sent = client.post(
        list_url(case),
        {"subject": "My address", "body": "I moved.", "idempotency_key": key_of(page.text)},
    )

    thread = Thread.objects.get()
    message = thread.messages.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"{thread_url(message)}#message-{message.public_id}"
    shown = client.get(sent["Location"])
    assert "Your message was sent." in shown.text
    assert "I moved." in shown.text


def test_a_double_click_sends_once() -> None:
    case, applicant = case_with_applicant()
    client = signed_in(applicant)
    form = {
        "subject": "Hi",
        "body": "Hello",
        "idempotency_key": key_of(client.get(list_url(case)).text),
    }

    first = client.post(list_url(case), form)
    second = client.post(list_url(case), form)

    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1


def test_an_empty_message_shows_the_error_summary_in_french() -> None:
    case, applicant = case_with_applicant()
    client = signed_in(applicant)

    page = client.post(
        list_url(case, "fr"), {"subject": "", "body": "  ", "idempotency_key": uuid.uuid4().hex}
    )

    assert page.status_code == 422
    assert "gc-error-summary" in page.text
    assert "<title>Erreur" in page.text
    assert not Thread.objects.exists()


def test_a_bad_file_is_refused_beside_its_field_and_nothing_is_sent() -> None:
    case, applicant = case_with_applicant()
    message = start(case, officer_of_the_office())
    client = signed_in(applicant)

    page = client.post(
        thread_url(message),
        {
            "body": "Here it is",
            "attachment": _upload("statement.pdf", b"not really a pdf"),
            "idempotency_key": uuid.uuid4().hex,
        },
    )

    assert page.status_code == 422
    assert "Only PDF, JPEG and PNG files are accepted." in page.text
    assert 'href="#id_attachment"' in page.text
    assert Message.objects.count() == 1


def test_a_reply_with_a_pdf_is_downloaded_as_an_attachment_of_its_type() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    message = start(case, officer)
    client = signed_in(applicant)

    client.post(
        thread_url(message),
        {
            "body": "Here it is",
            "attachment": _upload("statement.pdf", MINIMAL_PDF),
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    page = signed_in(officer).get(thread_url(message))
    link = re.search(r'href="([^"]+/messages/files/[^"]+)"', page.text)
    assert link, "the officer's page links to the file"
    download = signed_in(officer).get(link.group(1))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert signed_in(create_user()).get(link.group(1)).status_code == 404


@pytest.mark.parametrize(
    ("sent_as", "content", "served_as"),
    [
        pytest.param("report.exe", MINIMAL_PDF, 'attachment; filename="report.pdf"', id="pdf"),
        pytest.param(
            "relevé bancaire.jpeg",
            jpeg_image(),
            "attachment; filename*=utf-8''relev%C3%A9%20bancaire.jpg",
            id="jpeg",
        ),
        pytest.param("scan", png_image(), 'attachment; filename="scan.png"', id="png"),
    ],
)
def test_a_file_is_downloaded_under_the_extension_of_its_checked_type_and_kept_off_the_site(
    sent_as: str, content: bytes, served_as: str
) -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant, attachments=[services.Attachment(sent_as, content)])
    attachment = message.attachments.get()
    with translation.override("en"):
        url = reverse(
            "conversations:attachment",
            kwargs={"case_id": case.public_id, "attachment_id": attachment.public_id},
        )

    download = signed_in(officer_of_the_office()).get(url)

    assert download.status_code == 200
    assert download["Content-Disposition"] == served_as
    assert download["Content-Type"] == attachment.content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert {"no-store", "private"} <= {
        directive.strip() for directive in download["Cache-Control"].split(",")
    }
    assert b"".join(download.streaming_content) == content


def test_a_damaged_saved_copy_is_never_served_and_the_reader_is_told() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant, attachments=[services.Attachment("scan.pdf", MINIMAL_PDF)])
    attachment = message.attachments.get()
    with default_storage.open(attachment.storage_key, "wb") as stored:
        stored.write(MINIMAL_PDF[:20])  # cut short, as a full disk once left files
    with translation.override("en"):
        url = reverse(
            "conversations:attachment",
            kwargs={"case_id": case.public_id, "attachment_id": attachment.public_id},
        )

    answer = signed_in(officer_of_the_office()).get(url, follow=True)

    assert answer.redirect_chain == [(thread_url(message), 302)]
    assert "The saved copy of “scan.pdf” is damaged and cannot be opened." in answer.text


def test_opening_a_conversation_marks_it_read_and_shows_the_receipt() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    message = start(case, officer, body="Please send your passport.")

    page = signed_in(applicant).get(thread_url(message))

    assert "Please send your passport." in page.text
    assert "Read by you" in page.text
    assert MessageRead.objects.filter(message=message, person=applicant).exists()
    officer_page = signed_in(officer).get(thread_url(message))
    assert "Read by the client on" in officer_page.text


def test_clients_never_see_the_officers_name() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office(first_name="Léa", last_name="Tremblay")
    message = start(case, officer)

    page = signed_in(applicant).get(thread_url(message))

    assert "Tremblay" not in page.text
    assert "Officer" in page.text


def test_missing_and_forbidden_cases_answer_the_same_404() -> None:
    case, applicant = case_with_applicant()
    message = start(case, applicant)
    stranger = signed_in(create_user())
    missing_case = Case(public_id=uuid.uuid4())

    answers = [
        stranger.get(list_url(case)),
        stranger.get(list_url(missing_case)),
        stranger.get(thread_url(message)),
        stranger.post(thread_url(message), {"body": "x", "idempotency_key": "k"}),
        signed_in(applicant).get(list_url(missing_case)),
    ]

    assert {answer.status_code for answer in answers} == {404}
    # The same page but for what differs by design: the address asked for (in the
    # language toggle), who is signed in, CSRF tokens and the Content Security Policy's nonce.
    pages = {
        re.sub(
            r'(href="/(?:en|fr)/[^"]*")|(name="csp-nonce" content="[^"]+")'
            r'|(Signed in as <strong>[^<]*</strong>)|(value="[A-Za-z0-9]{64}")',
            "MASKED",
            answer.content.decode(),
        )
        for answer in answers
    }
    assert len(pages) == 1


def test_a_revoked_representative_gets_404() -> None:
    case, _applicant = case_with_applicant()
    representative = add_party(case)
    message = start(case, representative)
    revoke(case, representative)

    assert signed_in(representative).get(thread_url(message)).status_code == 404


def test_staff_must_pass_the_second_factor() -> None:
    case, _applicant = case_with_applicant()
    officer = officer_of_the_office()
    create_authenticator(officer)
    client = Client()
    client.force_login(officer)

    page = client.get(list_url(case))

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa"))
    assert signed_in_with_mfa(officer).get(list_url(case)).status_code == 200


def test_staff_who_do_not_work_files_get_404() -> None:
    case, _applicant = case_with_applicant()

    assert signed_in(create_user(Role.ANALYST)).get(list_url(case)).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in() -> None:
    case, _applicant = case_with_applicant()

    page = Client().get(list_url(case))

    assert page.status_code == 302
    assert "next=" in page["Location"]


def test_an_officer_posts_and_the_client_is_emailed() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    client = signed_in(officer)
    page = client.get(list_url(case, "fr"))

    client.post(
        list_url(case, "fr"),
        {
            "subject": "Documents",
            "body": "Envoyez votre passeport.",
            "idempotency_key": key_of(page.text),
        },
    )

    assert Message.objects.get().author_role == "officer"
    assert OutboxMessage.objects.get(template="new_message").to_email == applicant.email


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
