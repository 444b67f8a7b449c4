"""Submission of a paper form: a clerk keys in (or confirms the read-back of) a form a
client mailed or handed in, and it becomes a case like any other application, filed on
the day it was received, with the scan kept as a document of the case."""

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from passage import idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.accounts.services import create_person
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.intake.documents import DocumentUpload, VirusFound, stored_for_request
from passage.intake.services import (
    SUBMISSION_REPLAYS,
    Submission,
    _check_documents,
    _request_hash,
    _validate,
    _write,
)

# The kind of document the scan of a paper form is kept as.
PAPER_FORM_DOCUMENT = "paper-form"


def submit_paper_application(
    *,
    clerk: User,
    program_code: str,
    fields: dict[str, Any],
    answers: dict[str, Any],
    scan: DocumentUpload,
    received_at: datetime,
    event_details: dict[str, Any],
    idempotency_key: str,
) -> Submission:
    """Make a case of a paper form, filed at `received_at` (the day it came by mail or to
    the counter, not the day it is keyed). The client is the person with the form's email
    address when they have an account, else a new account without a password that they
    can claim with that address; a form without one makes an account reached on paper.

    Only officers and supervisors key forms in. The same key and request return the first
    case; nothing is written when validation fails. The caller keeps a form from being
    filed twice (one scan, one case) and sends the receipt."""
    if not (clerk.has_role(Role.OFFICER) or clerk.has_role(Role.SUPERVISOR)):
        raise NotPermitted(_("Only intake staff can file a paper form."))
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    typed = {
        "program": program_code,
        "category": fields.get("category", ""),
        "given_name": str(fields["given_name"]).strip(),
        "family_name": str(fields["family_name"]).strip(),
        "date_of_birth": fields["date_of_birth"],
        "citizenship": str(fields.get("citizenship", "")).strip().upper(),
        "email": str(fields.get("email", "")).strip(),
        "preferred_language": fields.get("preferred_language") or "en",
        "answers": answers,
    }
    checked = _check_documents([scan])
    request_hash = _request_hash(typed, checked)
    program = _validate(typed, received_at, paper=True)
    try:
        with stored_for_request(checked) as stored, transaction.atomic():
            # The client filed it, by mail or at the counter: the application and its
            # first event are theirs, and the clerk who keyed it is named in the event.
            # (A clerk recorded as the submitter could never work the file afterwards.)
            client = _client_for(typed)

            def write() -> Submission:
                case = _write(
                    client,
                    client,
                    program,
                    typed,
                    stored,
                    idempotency_key,
                    request_hash,
                    received_at,
                    event_details={"channel": "paper", "keyed_by": clerk.pk, **event_details},
                    confirm_by_email=False,
                )
                return Submission(case=case, replayed=False)

            return SUBMISSION_REPLAYS.write(
                write, actor=client, key=idempotency_key, request_hash=request_hash
            )
    except VirusFound:
        raise InvalidRequest(
            _("The scan could not be accepted."),
            errors={"scan": _("The file was refused by the virus check.")},
        ) from None


def _client_for(fields: dict[str, Any]) -> User:
    """The client account the paper application belongs to (see submit_paper_application)."""
    email = fields["email"]
    if email:
        existing = (
            User.objects.filter(email__iexact=email, is_active=True)
            .exclude(groups__name__in=[Role.OFFICER, Role.SUPERVISOR, Role.ANALYST])
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
    return create_person(
        username=f"paper-{uuid.uuid4().hex[:20]}",
        email=email,
        password=None,
        roles=[Role.APPLICANT],
        first_name=fields["given_name"][:150],
        last_name=fields["family_name"][:150],
        preferred_language=fields["preferred_language"],
    )
