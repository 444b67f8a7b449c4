"""Client email received: kept once, read, linked only for a party, acknowledged once in
the client's language, and nothing answered that a machine sent."""

from datetime import timedelta

import pytest

from passage import clock
from passage.cases.reference import damm_check_digit
from passage.correspondence.models import InboundEmail, MailAttachment
from passage.correspondence.services import read_waiting_emails, receive_email
from passage.outbox.delivery import build_message
from passage.outbox.models import OutboxMessage
from tests.builders import create_user, one_page_pdf, submit_case
from tests.continuity.builders import incident
from tests.correspondence.messages import FRENCH_STATUS, client_email

pytestmark = pytest.mark.django_db

SMTP = InboundEmail.Channel.SMTP


def receive(raw: bytes, envelope_sender: str | None = "ana@example.org") -> InboundEmail:
    return receive_email(raw, channel=SMTP, envelope_sender=envelope_sender)


def acknowledgements() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="mail_received"))


def test_a_client_email_is_kept_whole_read_and_acknowledged_in_the_language_it_was_written_in() -> (
    None
):
    raw = client_email(subject="Mon dossier", body=FRENCH_STATUS)
    email = receive(raw)
    assert bytes(email.raw) == raw
    assert email.state == InboundEmail.State.OPEN
    assert (email.language, email.category) == ("fr", "status-enquiry")
    assert email.team == "client-services"
    (ack,) = acknowledgements()
    assert (ack.to_email, ack.language) == ("ana@example.org", "fr")
    sent = build_message(ack)
    assert "Nous avons reçu votre courriel" in sent.subject
    assert "/fr/" in sent.body


def test_the_same_message_delivered_twice_is_kept_and_acknowledged_once() -> None:
    raw = client_email(message_id="<retry@example.org>")
    first, second = receive(raw), receive(raw)
    assert first.pk == second.pk
    assert InboundEmail.objects.count() == 1
    assert len(acknowledgements()) == 1


def test_the_acknowledgement_carries_nothing_of_the_case_even_when_a_reference_is_found() -> None:
    person = create_user(email="ana@example.org")
    case = submit_case(person)
    email = receive(client_email(subject=f"File {case.reference}", body="Any update on my file?"))
    assert email.case == case
    (ack,) = acknowledgements()
    sent = build_message(ack)
    assert case.reference not in sent.subject + sent.body
    assert case.reference[-4:] not in sent.body
    assert ack.case is None


def test_a_reference_links_only_when_the_sender_is_a_party_and_is_otherwise_flagged() -> None:
    case = submit_case(create_user(email="owner@example.org"))
    stranger = receive(
        client_email(sender="someone@example.org", body=f"What is happening with {case.reference}?")
    )
    assert stranger.case is None
    assert stranger.link == InboundEmail.Link.NOT_A_PARTY
    assert stranger.case_reference == case.reference
    owner = receive(
        client_email(sender="Owner@Example.org", body=f"What is happening with {case.reference}?")
    )
    assert owner.case == case
    assert owner.link == InboundEmail.Link.REFERENCE


def test_a_number_whose_check_digit_fails_links_nothing() -> None:
    case = submit_case(create_user(email="owner@example.org"))
    wrong = case.reference[:-1] + str((int(case.reference[-1]) + 1) % 10)
    email = receive(client_email(sender="owner@example.org", body=f"Re {wrong} please"))
    assert email.case_reference == ""
    # No reference: the sender's one open case is linked instead.
    assert (email.case, email.link) == (case, InboundEmail.Link.ONLY_OPEN_CASE)


def test_a_sender_with_two_open_cases_and_no_reference_is_left_unlinked() -> None:
    person = create_user(email="two@example.org")
    submit_case(person)
    submit_case(person)
    email = receive(client_email(sender="two@example.org"))
    assert (email.case, email.link) == (None, InboundEmail.Link.NONE)


@pytest.mark.parametrize(
    ("headers", "envelope_sender"),
    [({"Auto-Submitted": "auto-replied"}, "ana@example.org"), ({}, "")],
)
def test_what_a_machine_wrote_on_its_own_is_kept_in_no_queue_and_never_answered(
    headers: dict[str, str], envelope_sender: str
) -> None:
    email = receive(client_email(headers=headers), envelope_sender=envelope_sender)
    assert email.state == InboundEmail.State.AUTOMATED
    assert email.not_acknowledged
    assert acknowledgements() == []


@pytest.mark.parametrize("headers", [{"Precedence": "bulk"}, {"List-Id": "<news.example.org>"}])
def test_list_mail_is_read_by_a_person_first_and_never_answered(headers: dict[str, str]) -> None:
    email = receive(client_email(headers=headers))
    assert (email.state, email.route) == (InboundEmail.State.OPEN, InboundEmail.Route.PERSON)
    assert email.not_acknowledged
    assert acknowledgements() == []


def test_our_own_acknowledgement_bounced_back_is_not_answered() -> None:
    email = receive(
        client_email(
            sender="Passage <no-reply@passage.example>", message_id="<outbox-7@passage.example>"
        )
    )
    assert email.state == InboundEmail.State.AUTOMATED
    assert acknowledgements() == []


def test_a_sender_gets_a_few_acknowledgements_a_day_and_no_more(settings: object) -> None:
    settings.PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY = 2  # type: ignore[attr-defined]
    emails = [receive(client_email()) for _ in range(4)]
    assert len(acknowledgements()) == 2
    assert all(email.state == InboundEmail.State.OPEN for email in emails)
    assert "limit" in emails[-1].not_acknowledged


def test_attachments_are_checked_like_uploads_and_the_refused_ones_are_named() -> None:
    email = receive(
        client_email(
            subject="Police certificate",
            body="Please find attached my police certificate.",
            attachments=[
                ("police.pdf", "application/pdf", one_page_pdf()),
                ("virus.exe", "application/octet-stream", b"MZ\x90\x00 not a document"),
            ],
        )
    )
    (kept,) = MailAttachment.objects.filter(email=email)
    assert (kept.filename, kept.content_type) == ("police.pdf", "application/pdf")
    assert [item["filename"] for item in email.refused_attachments] == ["virus.exe"]
    assert "PDF, JPEG and PNG" in email.refused_attachments[0]["reason"]


def test_a_malformed_or_html_only_message_is_kept_with_its_problems_and_still_read() -> None:
    html = receive(
        client_email(html="<p>I moved.</p><p>My new address is 12 Main St, Calgary.</p>")
    )
    assert "12 Main St" in html.text
    assert "<p>" not in html.text
    assert html.problems
    assert html.state == InboundEmail.State.OPEN
    broken = receive(
        b"From: ana@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nhi"
    )
    assert broken.problems
    assert broken.state == InboundEmail.State.OPEN


def test_a_technical_problem_during_a_recorded_outage_is_linked_to_it() -> None:
    now = clock.now()
    outage = incident(now - timedelta(hours=2), None, "uploads", now=now)
    email = receive(
        client_email(
            subject="Upload error",
            body="The upload page gives me an error 502 bad gateway every time I send my passport.",
        )
    )
    assert email.category == "technical-problem"
    assert email.outage == outage


def test_a_message_kept_but_not_read_is_read_by_the_next_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the worker died")

    monkeypatch.setattr("passage.correspondence.services.read_email", crash)
    email = receive(client_email())
    assert email.state == InboundEmail.State.RECEIVED
    monkeypatch.undo()
    assert read_waiting_emails() == 1
    email.refresh_from_db()
    assert email.state == InboundEmail.State.OPEN
    assert len(acknowledgements()) == 1


def test_reference_in_the_test_builders_is_valid() -> None:
    assert damm_check_digit(submit_case().reference[1:]) == 0


def test_a_message_over_the_size_limit_fetched_from_a_mailbox_is_kept_by_its_headers(
    settings: object,
) -> None:
    settings.PASSAGE_MAIL_MAX_BYTES = 20_000  # type: ignore[attr-defined]
    raw = client_email(
        subject="My documents",
        attachments=[("big.pdf", "application/pdf", one_page_pdf() + b"%" + b"x" * 50_000)],
    )
    email = receive_email(raw, channel=InboundEmail.Channel.IMAP)
    assert email.size < 20_000
    assert email.subject == "My documents"
    assert any("only its headers were kept" in problem for problem in email.problems)
    assert email.state == InboundEmail.State.OPEN
    (ack,) = OutboxMessage.objects.filter(template="mail_too_large")
    assert "larger than 0 MB" in build_message(ack).body


def test_attachments_past_the_limit_are_named_and_not_kept(settings: object) -> None:
    settings.PASSAGE_MAIL_MAX_ATTACHMENTS = 2  # type: ignore[attr-defined]
    pdfs = [
        (f"page-{number}.pdf", "application/pdf", one_page_pdf(comment=str(number).encode()))
        for number in range(4)
    ]
    email = receive(client_email(body="My documents.", attachments=pdfs))
    assert MailAttachment.objects.filter(email=email).count() == 2
    assert [item["filename"] for item in email.refused_attachments] == ["page-2.pdf", "page-3.pdf"]
