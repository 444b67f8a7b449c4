"""Client email, received: kept whole first, then read, linked, acknowledged and queued.

`receive_email` is what the SMTP receiver and the IMAP fetcher call for each message. It
returns once the message is committed (the SMTP receiver answers 250 only then), and reads
it at once; if reading is cut short (the process dies, the database goes away), the
message stays `received` and `read_waiting_emails` (`passage mail process`, on a
schedule) reads it later. The same Message-ID received twice is kept once."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parseaddr
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from passage import clock, idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case, CaseParty
from passage.cases.parties import client_scope
from passage.cases.selectors import cases_visible_to
from passage.cases.status import OPEN_STATUSES, PartyRole
from passage.continuity.models import Outage
from passage.conversations.services import start_thread
from passage.correspondence.models import Category, EmailAction, InboundEmail, MailAttachment
from passage.correspondence.teams import team_for
from passage.errors import Conflict, NotFound
from passage.intake import scanning
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    check_document,
    read_whole,
    stored_for_request,
)
from passage.mailtriage.authentication import sender_verified
from passage.mailtriage.automatic import not_to_answer
from passage.mailtriage.parsing import ParsedEmail, parse, printable
from passage.mailtriage.triage import triage
from passage.outbox.links import absolute_url, sign_in_url
from passage.outbox.services import queue_email
from passage.resilience import is_outage
from passage.tracker.services import answer_document_request

logger = logging.getLogger(__name__)
ATTACHMENT_KIND = "email-attachment"
ACKNOWLEDGEMENT_WINDOW = timedelta(days=1)
TOO_MANY = "more than %(limit)s attachments: not checked or kept"
# The longest address an email can be sent to (RFC 5321's path limit, and the outbox's).
MAX_ADDRESS = 254


def receive_email(
    raw: bytes, *, channel: str, envelope_sender: str | None = None, now: datetime | None = None
) -> InboundEmail:
    """Keep one message whole, with its parsed headers, text and checked attachments, in
    one transaction, then read it. Never refuses a message for what it contains: a
    malformed one is kept with its problems. The same Message-ID returns the first. A
    message over PASSAGE_MAIL_MAX_BYTES (one fetched over IMAP: the SMTP receiver refuses
    it before) is kept by its headers alone, and says so."""
    at = now or clock.now()
    raw, too_large = _within_limit(raw)
    parsed = parse(raw)
    if too_large:
        parsed.problems.append(too_large)
    envelope_sender = printable(envelope_sender or "")[:320]
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
                envelope_sender=envelope_sender,
                sender=parsed.sender[:320],
                sender_name=parsed.sender_name[:320],
                sender_verified=sender_verified(
                    parsed, authserv_id=settings.PASSAGE_MAIL_AUTHSERV_ID
                ),
                recipients=parsed.recipients[:50],
                subject=parsed.subject,
                sent_at=parsed.sent_at,
                raw=raw,
                cut_to_headers=bool(too_large),
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


def _within_limit(raw: bytes) -> tuple[bytes, str]:
    """The message, or its headers alone with a problem saying why when it is too large."""
    limit = settings.PASSAGE_MAIL_MAX_BYTES
    if len(raw) <= limit:
        return raw, ""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    headers = raw[: min(end if end >= 0 else limit, limit)]
    megabytes = len(raw) / (1024 * 1024)
    return headers + b"\r\n\r\n", (
        f"larger than the limit ({megabytes:.1f} MB): only its headers were kept"
    )


def _checked_attachments(
    parsed: ParsedEmail,
) -> tuple[list[CheckedDocument], list[dict[str, str]]]:
    """The attachments that pass the upload checks and the virus scan (each once), and
    the others, each named with the reason it was refused."""
    accepted: list[CheckedDocument] = []
    refused: list[dict[str, str]] = []
    limit = settings.PASSAGE_MAIL_MAX_ATTACHMENTS
    for attachment in parsed.attachments[limit:]:
        refused.append(
            {"filename": attachment.filename[:255], "reason": TOO_MANY % {"limit": limit}}
        )
    for attachment in parsed.attachments[:limit]:
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
    """Read a kept message once: what a machine wrote on its own is set aside unanswered;
    a list message or a reply to our own mail goes to a person unanswered; a person's is
    classified, linked to a case when the sender is a party to it, acknowledged in the
    language they wrote in (unless they were already acknowledged too often today), and
    put in its team's queue."""
    at = now or clock.now()
    email = InboundEmail.objects.select_for_update().get(pk=email_id)
    if email.state != InboundEmail.State.RECEIVED:
        return email
    parsed = parsed or parse(bytes(email.raw))
    unanswered = not_to_answer(
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
    if unanswered is not None and unanswered.set_aside:
        email.state, email.not_acknowledged = InboundEmail.State.AUTOMATED, unanswered.reason
    else:
        email.state = InboundEmail.State.OPEN
        _link(email)
        if email.category == Category.TECHNICAL_PROBLEM:
            email.outage = _outage_at(email.received_at)
        if unanswered is None:
            _acknowledge(email, at)
        else:
            # A person reads it first, whatever the classifier's confidence; no answer.
            email.not_acknowledged, email.route = unanswered.reason, InboundEmail.Route.PERSON
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
    try:
        validate_email(email.sender)
        if len(email.sender) > MAX_ADDRESS:
            raise ValidationError("too long")
    except ValidationError:
        email.not_acknowledged = "the sender's address cannot be written to"
        return
    _one_sender_at_a_time(email.sender)
    already = InboundEmail.objects.filter(
        sender=email.sender, acknowledged_at__gte=at - ACKNOWLEDGEMENT_WINDOW
    ).count()
    if already >= settings.PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY:
        email.not_acknowledged = "acknowledgement limit for this sender reached"
        return
    language = email.language or "en"
    template = "mail_too_large" if email.cut_to_headers else "mail_received"
    queue_email(
        kind=template,
        to_email=email.sender,
        language=language,
        template=template,
        context={
            "link": sign_in_url(language=language),
            "status_link": _status_url(language),
            **(
                {"megabytes": settings.PASSAGE_MAIL_MAX_BYTES // (1024 * 1024)}
                if email.cut_to_headers
                else {}
            ),
        },
        now=at,
    )
    email.acknowledged_at = at


def _one_sender_at_a_time(sender: str) -> None:
    """Hold a lock on the sender until the transaction ends, so that two messages read
    at once cannot both find the sender under their daily limit. SQLite's transactions
    already take the one write lock when they begin (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"mail-ack:{sender}"])


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
    """Read every kept message that was not read yet, oldest first; return how many were
    read. One that fails is logged and left for the next pass; a database outage ends the
    pass."""
    waiting = list(
        InboundEmail.objects.filter(state=InboundEmail.State.RECEIVED)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    read = 0
    for email_id in waiting:
        try:
            read_email(email_id, now=now)
        except Exception as error:
            if is_outage(error):
                raise
            # One email that cannot be read must not hold up those behind it.
            logger.exception("Email %s could not be read", email_id)
        else:
            read += 1
    return read


# What officers do with an email. Each action is one transaction on the locked email,
# recorded as an `EmailAction`; the same key from the same officer returns the email as
# the first request left it.

STANDARD_REPLIES = ("how-to-check-status", "how-to-send-documents", "general-information")


class EmailNotFound(NotFound):
    """No such email, or not one the person may handle."""


def may_handle_email(person: User) -> bool:
    """Officers and supervisors read and answer client email."""
    return person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)


def handled_by(person: User) -> QuerySet[InboundEmail]:
    """The email a person may read and act on: for officers and supervisors, every email
    but those linked to a case outside their reach (another office's, or one they have a
    conflict of interest with); for anyone else, none."""
    if not may_handle_email(person):
        return InboundEmail.objects.none()
    return InboundEmail.objects.filter(
        Q(case__isnull=True) | Q(case__in=cases_visible_to(person).values("pk"))
    )


def _act(
    person: User,
    email_id: UUID,
    kind: str,
    key: str,
    at: datetime | None,
    details: dict[str, object],
    change: Callable[[InboundEmail, datetime], dict[str, object] | None],
) -> InboundEmail:
    """Lock the email, replay or refuse a used key, refuse a closed email, apply `change`
    (which may add details) and record the action."""
    if not may_handle_email(person):
        raise NotPermitted(_("Only officers and supervisors handle client email."))
    idempotency.check_key(key, error=InvalidRequest)
    now = at or clock.now()
    with transaction.atomic():
        try:
            email = (
                handled_by(person)
                .select_for_update()
                .get(
                    public_id=email_id,
                    state__in=(InboundEmail.State.OPEN, InboundEmail.State.CLOSED),
                )
            )
        except InboundEmail.DoesNotExist:
            raise EmailNotFound(_("No such email.")) from None
        earlier = EmailAction.objects.filter(actor=person, idempotency_key=key).first()
        if earlier is not None:
            if earlier.email_id != email.pk or earlier.kind != kind:
                raise IdempotencyConflict(
                    _("This idempotency key was already used for another action.")
                )
            return email
        if email.state == InboundEmail.State.CLOSED:
            raise Conflict(_("This email is closed."))
        added = change(email, now) or {}
        email.save()
        EmailAction.objects.create(
            email=email,
            kind=kind,
            actor=person,
            at=now,
            details={**details, **added},
            idempotency_key=key,
        )
        return email


def correct_category(
    *,
    person: User,
    email_id: UUID,
    category: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> InboundEmail:
    """Set the email's category as the officer reads it (kept as a label for the next
    training); it moves to that category's team."""
    if category not in Category.values:
        raise InvalidRequest(_("Choose a category."), errors={"category": _("Choose a category.")})

    def change(email: InboundEmail, _at: datetime) -> dict[str, object]:
        before = email.final_category
        email.corrected_category, email.corrected_by = category, person
        email.team = team_for(category)
        return {"from": before}

    return _act(
        person,
        email_id,
        EmailAction.Kind.CATEGORY_CORRECTED,
        idempotency_key,
        now,
        {"to": category},
        change,
    )


def answer_in_messages(
    *, person: User, email_id: UUID, body: str, idempotency_key: str, now: datetime | None = None
) -> InboundEmail:
    """Answer through the linked case's secure messages: the client gets a link-only
    email, and the answer stays with the case. The email is closed."""

    def change(email: InboundEmail, at: datetime) -> dict[str, object]:
        if email.case is None:
            raise Conflict(_("This email is linked to no case: answer it with a standard reply."))
        _check_reach(person, email)
        _check_side(email)
        posted = start_thread(
            case_id=email.case.public_id,
            person=person,
            subject=_reply_subject(email),
            body=body,
            idempotency_key=f"email-answer:{idempotency_key}",
            now=at,
        )
        _close(email, person, at)
        return {"thread": str(posted.message.thread.public_id)}

    return _act(
        person, email_id, EmailAction.Kind.ANSWERED_IN_MESSAGES, idempotency_key, now, {}, change
    )


def _reply_subject(email: InboundEmail) -> str:
    with translation.override(email.language or "en"):
        return translation.gettext("Your email of %(day)s") % {
            "day": email.received_at.astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE))
            .date()
            .isoformat()
        }


def send_standard_reply(
    *, person: User, email_id: UUID, reply: str, idempotency_key: str, now: datetime | None = None
) -> InboundEmail:
    """Send one of the standard replies, in both languages (the client's first), to the
    sender; it says nothing of any case. The email is closed."""
    if reply not in STANDARD_REPLIES:
        raise InvalidRequest(_("Choose a reply."), errors={"reply": _("Choose a reply.")})

    def change(email: InboundEmail, at: datetime) -> None:
        language = email.language or "en"
        queue_email(
            kind="mail_reply",
            to_email=email.sender,
            language=language,
            template="mail_reply",
            context={
                "topic": reply,
                "other_language": "fr" if language == "en" else "en",
                "link": sign_in_url(language=language),
            },
            now=at,
        )
        _close(email, person, at)

    return _act(
        person,
        email_id,
        EmailAction.Kind.STANDARD_REPLY,
        idempotency_key,
        now,
        {"reply": reply},
        change,
    )


def add_documents_to_request(
    *,
    person: User,
    email_id: UUID,
    request_id: int,
    idempotency_key: str,
    now: datetime | None = None,
) -> InboundEmail:
    """Add the email's accepted attachments to the linked case's open document request,
    as the client's answer to it (they sent them), in one action."""

    def change(email: InboundEmail, at: datetime) -> dict[str, object]:
        client = _sending_party(email)
        attachments = list(email.attachments.all())
        if email.case is None or client is None or not attachments:
            raise Conflict(
                _("Only the attachments of an email linked to its sender's case can be added.")
            )
        _check_reach(person, email)
        if email.sender_verified is False:
            raise Conflict(
                _(
                    "The sender's address was not verified: "
                    "the attachments cannot be filed as theirs."
                )
            )
        if not client.is_active:
            raise Conflict(_("The sender's account is closed: their documents cannot be added."))
        files = [(item.filename, _stored(item.storage_key, item.sha256)) for item in attachments]
        answer_document_request(
            person=client,
            case_id=email.case.public_id,
            request_id=request_id,
            files=files,
            idempotency_key=f"email-documents:{email.pk}:{request_id}",
            now=at,
        )
        return {"files": [item.filename for item in attachments]}

    details: dict[str, object] = {"request": request_id}
    return _act(
        person, email_id, EmailAction.Kind.DOCUMENTS_ADDED, idempotency_key, now, details, change
    )


def _stored(key: str, sha256: str) -> bytes:
    content = read_whole(key, sha256)
    if content is None:
        raise Conflict(_("An attachment cannot be read from storage now; try again later."))
    return content


def _check_reach(person: User, email: InboundEmail) -> None:
    if email.case_id is None or not cases_visible_to(person).filter(pk=email.case_id).exists():
        raise Conflict(_("The case of this email is outside your reach."))


def _check_side(email: InboundEmail) -> None:
    """Staff write on the side of the case its applications come from: an email from a
    party on the other side (a sponsor, on an applicant's case) is answered otherwise."""
    assert email.case is not None
    submitter_side = PartyRole(email.case.program.submitter_role)
    sender = _sending_party(email)
    if sender is None:
        raise Conflict(_("The sender is not a party to the case: answer with a standard reply."))
    if client_scope(person_id=sender.pk, case=email.case) != submitter_side:
        raise Conflict(
            _("The sender is on the other side of the case: answer with a standard reply.")
        )


def _sending_party(email: InboundEmail) -> User | None:
    if email.case is None:
        return None
    party = (
        CaseParty.objects.filter(
            case=email.case, person__email__iexact=email.sender, revoked_at__isnull=True
        )
        .select_related("person")
        .first()
    )
    return party.person if party else None


def close_email(
    *, person: User, email_id: UUID, idempotency_key: str, now: datetime | None = None
) -> InboundEmail:
    """Close an email that needs nothing more (answered another way, or no request)."""

    def change(email: InboundEmail, at: datetime) -> None:
        _close(email, person, at)

    return _act(person, email_id, EmailAction.Kind.CLOSED, idempotency_key, now, {}, change)


def _close(email: InboundEmail, person: User, at: datetime) -> None:
    email.state, email.closed_at, email.closed_by = InboundEmail.State.CLOSED, at, person
