"""The replayer: each spooled submission becomes a case exactly once, filed at the time it
was received, once the database is back.

For each record, in one transaction: check who sent it (the token's digest against the
tokens as they were at the time received), file it with `submit_application(now=received
at)`, record the receipt (`SpooledSubmission`, unique) and queue the email that gives the
client their reference. Only after the commit does the spool let go of the record (the
journal notes it filed, the broker gets its acknowledgement). A replayer that dies in
between finds the receipt recorded next time and only lets go; the same idempotency key
under another receipt is answered by the first case, without a second email."""

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from passage.accounts.mfa import has_confirmed_device
from passage.accounts.models import ApiToken, User
from passage.cases.models import Case
from passage.continuity.models import SpooledSubmission
from passage.continuity.spool.base import Spool
from passage.continuity.spool.records import SpooledRecord
from passage.continuity.spool.wording import time_received
from passage.errors import PassageError, Unavailable
from passage.intake.documents import DocumentUpload
from passage.intake.services import submit_application
from passage.outbox.links import sign_in_url
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email

logger = logging.getLogger(__name__)

Outcome = SpooledSubmission.Outcome
ALREADY = "already"  # recorded by an earlier pass: only let go of it


@dataclass
class ReplayPass:
    """What one pass did, by outcome."""

    created: int = 0
    replayed: int = 0
    rejected: int = 0
    already: int = 0
    receipts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.replayed + self.rejected + self.already


def replay_pending(spool: Spool, *, clock: Callable[[], datetime]) -> ReplayPass:
    """Replay every record the spool holds that is not yet filed, then compact the spool.
    A database error ends the pass where it is (the caller backs off and tries again)."""
    done = ReplayPass()
    for delivery in spool.pending():
        outcome = replay_record(delivery.record, now=clock())
        spool.done(delivery)  # after the commit: a crash before it only repeats the check
        setattr(done, outcome, getattr(done, outcome) + 1)
        done.receipts.append(delivery.record.receipt)
    if done.total:
        spool.compact()
    return done


def replay_record(record: SpooledRecord, *, now: datetime) -> str:
    """File one record in one transaction and return what became of it: "created",
    "replayed" (its key had made a case already), "rejected", or "already" (an earlier
    pass recorded it). `now` is when it is replayed; the case is filed at the time
    received."""
    try:
        with transaction.atomic():
            if SpooledSubmission.objects.filter(receipt=record.receipt).exists():
                return ALREADY
            return _replay(record, now)
    except IntegrityError:
        # Another replayer recorded the same receipt first; this transaction made nothing.
        if SpooledSubmission.objects.filter(receipt=record.receipt).exists():
            return ALREADY
        raise


def _replay(record: SpooledRecord, now: datetime) -> str:
    submitter, refusal = sender_of(record)
    if submitter is None:
        # Nobody can be held to it: no case, and nothing written to the address it gives.
        _record(record, now, Outcome.REJECTED, detail=refusal)
        return Outcome.REJECTED
    application = record.application
    language = application.get("preferred_language", "en")
    try:
        with transaction.atomic():  # a refusal leaves the outer transaction usable
            submission = submit_application(
                submitter=submitter,
                program_code=application["program"],
                category=application.get("category", ""),
                given_name=application["given_name"],
                family_name=application["family_name"],
                date_of_birth=date.fromisoformat(application["date_of_birth"]),
                citizenship=application["citizenship"],
                email=application["email"],
                preferred_language=language,
                answers=application.get("answers", {}),
                documents=_documents(application),
                idempotency_key=record.idempotency_key,
                now=record.received_at,
            )
    except Unavailable:
        raise  # the document storage cannot write now: the next pass tries again
    except PassageError as refused:
        _record(record, now, Outcome.REJECTED, submitter=submitter, detail=_reason(refused))
        if "email" not in (refused.details.get("errors") or {}):  # type: ignore[operator]
            _email_refusal(record, now)
        return Outcome.REJECTED
    if submission.replayed:
        _record(record, now, Outcome.REPLAYED, submitter=submitter, case=submission.case)
        return Outcome.REPLAYED
    _email_reference(record, submission.case, now)
    _record(record, now, Outcome.CREATED, submitter=submitter, case=submission.case)
    return Outcome.CREATED


def sender_of(record: SpooledRecord) -> tuple[User | None, str]:
    """Who sent a record, or None and why nobody can be: a token must have been valid at
    the time received (issued before, not yet revoked, its person active and, for staff,
    with a second factor), and belong to the person the request named, if it named one."""
    if record.token_digest is None:
        person = (
            User.objects.filter(pk=record.submitter_id, is_active=True).first()
            if record.submitter_id is not None
            else None
        )
        return (person, "") if person else (None, _("The account no longer exists."))
    token = ApiToken.objects.select_related("user").filter(token_hash=record.token_digest).first()
    at = record.received_at
    valid = (
        token is not None
        and token.created_at <= at
        and (token.revoked_at is None or token.revoked_at > at)
        and token.user.is_active
        and (record.submitter_id is None or token.user_id == record.submitter_id)
    )
    if not valid or token is None:
        return None, _("The API token was not valid when the submission was received.")
    if token.user.must_use_mfa and not has_confirmed_device(token.user):
        return None, _("The API token was not valid when the submission was received.")
    return token.user, ""


def _documents(application: dict[str, object]) -> list[DocumentUpload]:
    # The API checked the base64 before spooling.
    return [
        DocumentUpload(d["kind"], d["filename"], base64.b64decode(d["content_base64"]))
        for d in application.get("documents", [])  # type: ignore[attr-defined]
    ]


def _reason(refused: PassageError) -> str:
    errors = refused.details.get("errors") or {}
    listed = "; ".join(f"{name}: {message}" for name, message in dict(errors).items())  # type: ignore[call-overload]
    return f"{refused.message} {listed}".strip()


def _record(
    record: SpooledRecord,
    now: datetime,
    outcome: str,
    *,
    submitter: User | None = None,
    case: Case | None = None,
    detail: str = "",
) -> None:
    SpooledSubmission.objects.create(
        receipt=record.receipt,
        received_at=record.received_at,
        replayed_at=now,
        submitter=submitter,
        idempotency_key=record.idempotency_key,
        case=case,
        outcome=outcome,
        detail=detail,
    )


def _email_reference(record: SpooledRecord, case: Case, now: datetime) -> None:
    """The client's one email for the case: its reference and the time it was received.
    It takes the place of intake's usual confirmation, queued in this same transaction
    and never sent, so that the client gets one email, not two."""
    OutboxMessage.objects.filter(case=case, template="application_received").delete()
    language = _language(record)
    queue_email(
        kind="application.received",
        case=case,
        to_email=record.application["email"],
        language=language,
        template="spool_received",
        context={
            "reference": case.reference,
            "received_at": time_received(record.received_at, language),
            "link": sign_in_url(language=language),
        },
        now=now,
    )


def _email_refusal(record: SpooledRecord, now: datetime) -> None:
    language = _language(record)
    queue_email(
        kind="application.refused_from_spool",
        to_email=str(record.application.get("email", "")),
        language=language,
        template="spool_refused",
        context={
            "received_at": time_received(record.received_at, language),
            "link": sign_in_url(language=language),
        },
        now=now,
    )


def _language(record: SpooledRecord) -> str:
    language = record.application.get("preferred_language")
    return language if language in ("en", "fr") else "en"
