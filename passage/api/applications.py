"""Submitting applications."""

import base64
import binascii

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router

from passage.api.schemas import ApplicationIn, ErrorOut, SubmissionOut
from passage.cases.errors import InvalidRequest
from passage.intake.documents import DocumentUpload
from passage.intake.services import submit_application

router = Router(tags=["applications"])


@router.post(
    "",
    response={201: SubmissionOut, 400: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit an application",
)
def submit(
    request: HttpRequest,
    response: HttpResponse,
    body: ApplicationIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", max_length=255),
) -> tuple[int, SubmissionOut]:
    """Submit an application and get its case reference. Replaying the same request with
    the same Idempotency-Key returns the same case (header `Idempotent-Replayed: true`);
    the same key with a different body is a 422."""
    documents = []
    for index, document in enumerate(body.documents):
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest(
                "A document is not valid base64.",
                errors={f"documents[{index}]": "content_base64 is not valid base64."},
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
    if submission.replayed:
        response["Idempotent-Replayed"] = "true"
    case = submission.case
    return 201, SubmissionOut(
        case_id=case.public_id,
        reference=case.reference,
        status=case.status,
        received_at=case.received_at,
    )
