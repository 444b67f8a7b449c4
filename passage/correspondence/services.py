"""Client email, received: kept whole first, then read, linked, acknowledged and queued.

`receive_email` is what the SMTP receiver and the IMAP fetcher call for each message. It
returns once the message is committed (the SMTP receiver answers 250 only then), and reads
it at once; if reading is cut short (the process dies, the database goes away), the
message stays `received` and `read_waiting_emails` (`passage mail process`, on a
schedule) reads it later. The same Message-ID received twice is kept once."""

import logging
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.cases.models import Case, CaseParty
from passage.cases.status import OPEN_STATUSES
from passage.continuity.models import Outage
from passage.correspondence.models import Category, InboundEmail, MailAttachment
from passage.correspondence.teams import team_for
from passage.intake import scanning
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    check_document,
    stored_for_request,
)
from passage.mailtriage.automatic import sent_by_a_machine
from passage.mailtriage.parsing import ParsedEmail, parse
from passage.mailtriage.triage import triage
from passage.outbox.links import absolute_url, sign_in_url
from passage.outbox.services import queue_email

logger = logging.getLogger(__name__)
ATTACHMENT_KIND = "email-attachment"
ACKNOWLEDGEMENT_WINDOW = timedelta(days=1)


def receive_email(
    raw: bytes, *, channel: str, envelope_sender: str | None = None, now: datetime | None = None
) -> InboundEmail:
    """Keep one message whole, with its parsed headers, text and checked attachments, in
    one transaction, then read it. Never refuses a message for what it contains: a
    malformed one is kept with its problems. The same Message-ID returns the first."""
    at = now or clock.now()
    parsed = parse(raw)
    earlier = InboundEmail.objects.filter(message_id=parsed.message_id).first()
    if earlier is not None:
        return earlier
    accepted, refused = _checked_attachments(parsed)
    try:
        with stored_for_request(accepted) as stored, transaction.atomic():
            email = InboundEmail.objects.create(
                message_id=parsed.message_id,
                channel=channel,
                received_at=at,
                envelope_sender=envelope_sender or "",
                sender=parsed.sender[:320],
                sender_name=parsed.sender_name[:320],
                recipients=parsed.recipients[:50],
                subject=parsed.subject,
                sent_at=parsed.sent_at,
                raw=raw,
                size=len(raw),
                headers=parsed.headers,
                text=parsed.text,
                problems=parsed.problems,
                refused_attachments=refused,
            )
            MailAttachment.objects.bulk_create(
                MailAttachment(email=email, **document.stored_as(key)) for document, key in stored
            )
    except IntegrityError:
        # The same message arrived at the same moment by another connection.
        return InboundEmail.objects.get(message_id=parsed.message_id)
    try:
        return read_email(email.pk, parsed=parsed, now=at)
    except Exception:  # kept: `passage mail process` reads it on its next pass
        logger.exception("Email %s was kept but could not be read yet", email.pk)
        return email


def _checked_attachments(
    parsed: ParsedEmail,
) -> tuple[list[CheckedDocument], list[dict[str, str]]]:
    """The attachments that pass the upload checks and the virus scan (each once), and
    the others, each named with the reason it was refused."""
    accepted: list[CheckedDocument] = []
    refused: list[dict[str, str]] = []
    for attachment in parsed.attachments:
        checked = check_document(
            DocumentUpload(ATTACHMENT_KIND, attachment.filename, attachment.content)
        )
        if isinstance(checked, str):
            refused.append({"filename": attachment.filename[:255], "reason": checked})
        elif scanning.scan(checked.content) is not None:
            refused.append({"filename": checked.filename, "reason": str(VIRUS_FOUND)})
        elif checked.sha256 not in {document.sha256 for document in accepted}:
            accepted.append(checked)
    return accepted, refused


@transaction.atomic
def read_email(
    email_id: int, *, parsed: ParsedEmail | None = None, now: datetime | None = None
) -> InboundEmail:
    """Read a kept message once: a machine's mail is set aside unanswered; a person's is
    classified, linked to a case when the sender is a party to it, acknowledged in the
    language they wrote in (unless they were already acknowledged too often today), and
    put in its team's queue."""
    at = now or clock.now()
    email = InboundEmail.objects.select_for_update().get(pk=email_id)
    if email.state != InboundEmail.State.RECEIVED:
        return email
    parsed = parsed or parse(bytes(email.raw))
    machine = sent_by_a_machine(
        parsed,
        envelope_sender=email.envelope_sender
        if email.channel == InboundEmail.Channel.SMTP
        else None,
        own_addresses=_own_addresses(),
        own_domain=_own_domain(),
    )
    result = triage(email.subject, email.text, threshold=settings.PASSAGE_MAIL_AUTO_THRESHOLD)
    email.language, email.category = result.language, result.category
    email.confidence, email.route = result.confidence, result.route
    email.case_reference = result.case_reference or ""
    email.team = team_for(result.category)
    email.read_at = at
    if machine:
        email.state, email.not_acknowledged = InboundEmail.State.AUTOMATED, machine
    else:
        email.state = InboundEmail.State.OPEN
        _link(email)
        if email.category == Category.TECHNICAL_PROBLEM:
            email.outage = _outage_at(email.received_at)
        _acknowledge(email, at)
    email.save()
    return email


def _link(email: InboundEmail) -> None:
    """Link to the case the email names when the sender is one of its parties (else keep
    the reference, flagged, and link nothing); failing a reference, to the sender's one
    open case."""
    parties = CaseParty.objects.filter(person__email__iexact=email.sender, revoked_at__isnull=True)
    if email.case_reference:
        case = Case.objects.filter(reference=email.case_reference, parties__in=parties).first()
        email.case = case
        email.link = InboundEmail.Link.REFERENCE if case else InboundEmail.Link.NOT_A_PARTY
        return
    open_cases = list(
        Case.objects.filter(parties__in=parties, status__in=OPEN_STATUSES).distinct()[:2]
    )
    if len(open_cases) == 1:
        email.case, email.link = open_cases[0], InboundEmail.Link.ONLY_OPEN_CASE


def _outage_at(at: datetime) -> Outage | None:
    """The outage of the register going on, or ended within the last day, when the email
    came in: what a technical problem most likely is."""
    return (
        Outage.objects.filter(withdrawn_at__isnull=True, starts_at__lte=at)
        .exclude(ends_at__lt=at - timedelta(days=1))
        .order_by("-starts_at")
        .first()
    )


def _acknowledge(email: InboundEmail, at: datetime) -> None:
    already = InboundEmail.objects.filter(
        sender=email.sender, acknowledged_at__gte=at - ACKNOWLEDGEMENT_WINDOW
    ).count()
    if already >= settings.PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY:
        email.not_acknowledged = "acknowledgement limit for this sender reached"
        return
    language = email.language or "en"
    queue_email(
        kind="mail_received",
        to_email=email.sender,
        language=language,
        template="mail_received",
        context={"link": sign_in_url(language=language), "status_link": _status_url(language)},
        now=at,
    )
    email.acknowledged_at = at


def _status_url(language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("status:page"))


def _own_addresses() -> set[str]:
    return {
        parseaddr(address)[1].lower()
        for address in (settings.DEFAULT_FROM_EMAIL, settings.PASSAGE_MAIL_ADDRESS)
        if address
    }


def _own_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2].lower()


def read_waiting_emails(*, now: datetime | None = None, limit: int = 500) -> int:
    """Read every kept message that was not read yet; return how many were read."""
    waiting = list(
        InboundEmail.objects.filter(state=InboundEmail.State.RECEIVED)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in waiting:
        read_email(email_id, now=now)
    return len(waiting)
