"""Submitting applications."""

import base64
import binascii

from django.db import Error
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Header, Router

from passage import clock
from passage.api.auth import SUBMISSION_AUTH, UncheckedToken
from passage.api.responses import json_response
from passage.api.schemas import (
    ERROR_DETAILS,
    WRITE_ERRORS,
    ApplicationIn,
    ErrorOut,
    ReceiptOut,
    SubmissionOut,
)
from passage.cases.errors import InvalidRequest
from passage.continuity.spool import spool_enabled
from passage.continuity.spool.intake import spool_submission
from passage.intake.documents import DocumentUpload
from passage.intake.services import submit_application
from passage.resilience import is_outage

router = Router(tags=["applications"])


@router.post(
    "",
    response={201: SubmissionOut, 202: ReceiptOut, 409: ErrorOut, **WRITE_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Submit an application",
    auth=SUBMISSION_AUTH,
)
def submit(
    request: HttpRequest,
    body: ApplicationIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[!-~]+$"
    ),
) -> HttpResponse:
    """Submit an application and get its case reference. Replaying the same request with
    the same Idempotency-Key returns the same case (header `Idempotent-Replayed: true`);
    the same key with a different body is a 422, and no key at all a 400.

    While the database is out of reach the submission is kept in the intake spool and
    answered 202 with a receipt number and the time received; the case is made, with
    that time as its filing time, once the database is back, and its reference is sent
    by email. The same key sent again never makes a second case."""
    documents = _documents(body)
    if isinstance(request.auth, UncheckedToken):  # type: ignore[attr-defined]
        return _spooled(body, idempotency_key, token_digest=request.auth.digest)  # type: ignore[attr-defined]
    try:
        submission = submit_application(
            submitter=request.user,  # type: ignore[arg-type]
            program_code=body.program,
            category=body.category,
            given_name=body.given_name,
            family_name=body.family_name,
            date_of_birth=body.date_of_birth,
            citizenship=body.citizenship,
            email=body.email,
            preferred_language=body.preferred_language,
            answers=body.answers,
            documents=documents,
            idempotency_key=idempotency_key,
        )
    except Error as error:
        if not (is_outage(error) and spool_enabled()):
            raise
        # The person was known before the database went: keep who, to file it as theirs.
        return _spooled(body, idempotency_key, submitter_id=request.user.pk)
    case = submission.case
    # The fields of SubmissionOut, in its order, serialised directly: the same bytes as
    # validating them against the schema first, for less work.
    out = {
        "case_id": case.public_id,
        "reference": case.reference,
        "status": str(case.status),
        "received_at": case.received_at,
    }
    response = json_response(out, status=201)
    if submission.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _documents(body: ApplicationIn) -> list[DocumentUpload]:
    documents = []
    for index, document in enumerate(body.documents):
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest(
                _("A document could not be accepted."),
                errors={f"documents[{index}]": _("The file content is not valid base64.")},
            ) from None
        documents.append(DocumentUpload(document.kind, document.filename, content))
    return documents


def _spooled(
    body: ApplicationIn,
    idempotency_key: str,
    *,
    submitter_id: int | None = None,
    token_digest: str | None = None,
) -> HttpResponse:
    """Keep the submission in the intake spool and answer 202 with its receipt."""
    received = spool_submission(
        application=body.model_dump(mode="json"),
        idempotency_key=idempotency_key,
        now=clock.now(),
        submitter_id=submitter_id,
        token_digest=token_digest,
    )
    with translation.override(body.preferred_language):
        page = reverse("receipts:receipt", kwargs={"receipt": received.receipt})
    out = {
        "receipt": received.receipt,
        "received_at": received.received_at,
        "status": "received",
        "receipt_url": page,
    }
    response = json_response(out, status=202)
    response["Location"] = page
    return response
