"""Linking a case to an account with the application number, the date of birth and a
one-time code emailed to the address on file.

The answer to the first step is the same whether the details matched or not ("if they
match an application, we sent a code"), and a wrong code says only that the code did not
work: nothing tells which detail was wrong. A code is single-use, lasts
PASSAGE_LINK_CODE_MINUTES, allows PASSAGE_LINK_CODE_TRIES tries, and codes are
rate-limited per case, per address and per person asking. The code is derived from the
request's id with the server's secret key: the request keeps a keyed hash of it and the
outbox only the request's id, and the code is made again when the email is sent.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case, CaseParty
from passage.cases.services import grant_access
from passage.cases.status import PartyRole
from passage.outbox.references import UnresolvedSecret, secret_reference
from passage.outbox.services import queue_email
from passage.tracker.models import LinkRequest

CODE_DIGITS = 6
RATE_WINDOW = timedelta(hours=1)


class TooManyRequests(InvalidRequest):
    http_status = 429


@dataclass(frozen=True)
class Linked:
    case: Case
    already: bool


def request_code(
    *, person: User, reference: str, date_of_birth: date, now: datetime | None = None
) -> LinkRequest:
    """Start linking: if the reference and date of birth match a case, email a new code
    to the address on file. Returns the request either way (the caller shows the same
    page). TooManyRequests when the person asked too often; when the case or its address
    received too many codes, nothing is sent and the answer is the same as for details
    that do not match, so that the limit cannot confirm a guessed date of birth."""
    at = now or clock.now()
    if person.is_department_staff:
        raise InvalidRequest(
            _("Department staff cannot link an application to their staff account."),
            errors={"reference": _("Use a personal account to follow your own application.")},
        )
    reference = reference.strip().upper().replace(" ", "")
    since = at - RATE_WINDOW
    with transaction.atomic():
        User.objects.select_for_update().get(pk=person.pk)
        if (
            LinkRequest.objects.filter(person=person, created_at__gte=since).count()
            >= settings.PASSAGE_LINK_REQUESTS_PER_PERSON
        ):
            raise _too_many()
        case = (
            Case.objects.select_related("application")
            .filter(reference=reference, application__date_of_birth=date_of_birth)
            .first()
        )
        request = LinkRequest(
            person=person, created_at=at, expires_at=at + _lifetime(), code_hash=""
        )
        if case is not None and not _case_limited(case, since):
            email = case.application.email.strip().lower()
            request.case = case
            request.email = email
            request.code_hash = _hash(link_code(request.public_id))
            language = case.application.preferred_language
            queue_email(
                kind="case.link_code",
                case=case,
                to_email=case.application.email,
                language=language if language == "fr" else "en",
                template="link_code",
                # The outbox keeps the request's id; the code is made again when it is sent.
                context={
                    "secret": secret_reference("link_code", request.public_id),
                    "minutes": settings.PASSAGE_LINK_CODE_MINUTES,
                },
                now=at,
            )
        request.save()
    return request


def redeem_code(
    *, person: User, request_id: UUID, code: str, now: datetime | None = None
) -> Linked:
    """Finish linking with the emailed code: the person becomes the party the program's
    applications come from (the applicant, or the sponsor of a sponsorship, who then
    sees the sponsorship part only). A wrong, used, expired or exhausted code is the same
    InvalidRequest; so is a code redeemed by someone who acted on the case as a
    representative, whose access only the client's authorisation gives."""
    at = now or clock.now()
    code = "".join(code.split())
    with transaction.atomic():
        linked = _redeem(person, request_id, code, at)
    # Raised after the commit: inside the transaction it would roll back the try it counts.
    if linked is None:
        raise _wrong_code()
    return linked


def _redeem(person: User, request_id: UUID, code: str, at: datetime) -> Linked | None:
    request = (
        LinkRequest.objects.select_for_update(of=("self",))
        .select_related("case__application", "case__program")
        .filter(person=person, public_id=request_id)
        .first()
    )
    if request is None:
        return None
    usable = (
        request.case_id is not None
        and request.used_at is None
        and at < request.expires_at
        and request.tries < settings.PASSAGE_LINK_CODE_TRIES
    )
    if usable:
        request.tries += 1
    if not usable or not hmac.compare_digest(request.code_hash, _hash(code)):
        request.save(update_fields=["tries"])
        return None
    case = request.case
    assert case is not None  # `usable` checked it
    if _acted_as_representative(person, case):
        request.save(update_fields=["tries"])
        return None
    request.used_at = at
    request.save(update_fields=["tries", "used_at"])
    already = CaseParty.objects.filter(case=case, person=person, revoked_at__isnull=True).exists()
    if not already:
        grant_access(
            case_id=case.public_id,
            actor=person,
            person=person,
            role=PartyRole(case.program.submitter_role),
            idempotency_key=f"link:{request.public_id}",
            now=at,
            proven_by_code=True,
        )
    return Linked(case=case, already=already)


def _acted_as_representative(person: User, case: Case) -> bool:
    """Whether the person is or was the case's representative, or filed it for the
    client: the address on file may be theirs, but the case is not."""
    application = case.application
    if application.submitted_by_id == person.pk and application.applicant_id != person.pk:
        return True
    return CaseParty.objects.filter(
        case=case, person=person, role=PartyRole.REPRESENTATIVE
    ).exists()


def _case_limited(case: Case, since: datetime) -> bool:
    """Whether the case, or the address on file for it, received its codes for the hour."""
    recent = LinkRequest.objects.filter(created_at__gte=since)
    email = case.application.email.strip().lower()
    return (
        recent.filter(case=case).count() >= settings.PASSAGE_LINK_CODES_PER_CASE
        or recent.filter(email=email).count() >= settings.PASSAGE_LINK_CODES_PER_ADDRESS
    )


def link_code(request_id: UUID) -> str:
    """The code of a link request: derived from its id with the server's secret key
    (HMAC-SHA256), so it is never stored and only the server can make it. Each 4-byte
    piece of the HMAC stream below the largest multiple of 10**6 gives the code, so every
    code is equally likely (no modulo bias)."""
    space = 10**CODE_DIGITS
    limit = 2**32 - 2**32 % space
    key = settings.SECRET_KEY.encode()
    block = 0
    while True:
        message = f"passage.link-code.derive:{request_id}:{block}".encode()
        digest = hmac.new(key, message, hashlib.sha256).digest()
        for offset in range(0, len(digest), 4):
            value = int.from_bytes(digest[offset : offset + 4], "big")
            if value < limit:
                return f"{value % space:0{CODE_DIGITS}d}"
        block += 1


def code_for(parts: list[str], language: str) -> str:
    """The code of a link email, made when it is sent from its outbox reference (the
    request's id); UnresolvedSecret when the request is gone or matched no case."""
    try:
        (request_id,) = (UUID(part) for part in parts)
    except ValueError:
        raise UnresolvedSecret(f"not a link request id: {':'.join(parts)!r}") from None
    if not LinkRequest.objects.filter(public_id=request_id, case__isnull=False).exists():
        raise UnresolvedSecret("the link request this code was for no longer exists")
    return link_code(request_id)


def _hash(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"passage.link-code:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(minutes=settings.PASSAGE_LINK_CODE_MINUTES)


def _too_many() -> TooManyRequests:
    return TooManyRequests(
        _("You asked for too many codes. Wait an hour, then try again."),
        errors={"reference": _("You asked for too many codes. Wait an hour, then try again.")},
    )


def _wrong_code() -> InvalidRequest:
    return InvalidRequest(
        _("This code does not work. Check it, or ask for a new code."),
        errors={"code": _("This code does not work. Check it, or ask for a new code.")},
    )
