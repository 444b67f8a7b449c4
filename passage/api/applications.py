"""Submitting applications."""

import base64
import binascii

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router

from passage.api.responses import json_response
from passage.api.schemas import (
    ERROR_DETAILS,
    WRITE_ERRORS,
    ApplicationIn,
    ErrorOut,
    SubmissionOut,
)
from passage.cases.errors import InvalidRequest
from passage.intake.documents import DocumentUpload
from passage.intake.services import submit_application

router = Router(tags=["applications"])


@router.post(
    "",
    response={201: SubmissionOut, 409: ErrorOut, **WRITE_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Submit an application",
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
    the same key with a different body is a 422, and no key at all a 400."""
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
