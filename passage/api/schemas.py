"""The shapes of API requests and responses."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from ninja import Field, Schema

# Base64 takes four characters for every three bytes.
_MAX_BASE64 = -(-settings.PASSAGE_MAX_DOCUMENT_BYTES // 3) * 4


class DocumentIn(Schema):
    kind: str = Field(description="Checklist item, such as passport or photo.", max_length=60)
    filename: str = Field(max_length=255)
    content_base64: str = Field(
        description="The file's bytes in base64: PDF, JPEG or PNG.", max_length=_MAX_BASE64
    )


class ApplicationIn(Schema):
    program: str = Field(examples=["iec"], max_length=40)
    category: str = Field("", examples=["working-holiday"], max_length=60)
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    date_of_birth: date
    citizenship: str = Field(
        description="ISO 3166-1 alpha-2 code of a real country (GB for the United Kingdom, "
        "not UK); small letters are read as capitals.",
        examples=["FR"],
    )
    email: str = Field(max_length=254)
    preferred_language: str = Field("en", pattern="^(en|fr)$")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="The program's answers: at most PASSAGE_MAX_ANSWERS_BYTES as JSON "
        "(64 KB by default).",
    )
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50)


class SubmissionOut(Schema):
    case_id: UUID
    reference: str
    status: str
    received_at: datetime


class ReceiptOut(Schema):
    """A submission received while the database was out of reach: kept, to be filed."""

    receipt: str
    received_at: datetime
    status: str
    receipt_url: str


class StepOut(Schema):
    step: str
    state: str
    label: str
    changed_at: datetime | None


class EventOut(Schema):
    sequence: int
    kind: str
    description: str
    actor_role: str
    occurred_at: datetime
    ruleset_version: str


class CaseStatusOut(Schema):
    case_id: UUID
    reference: str
    program: str
    status: str
    status_label: str
    status_changed_at: datetime
    received_at: datetime
    decided_at: datetime | None
    version: int
    steps: list[StepOut]
    recent_events: list[EventOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


# The error answers every operation may give, whatever it does: missing or bad credentials,
# a request body too large, too many requests, the database out of reach. Each route merges
# them into its `response`, with READ_ERRORS or WRITE_ERRORS, and takes ERROR_DETAILS as its
# `openapi_extra`; tests/api/test_openapi.py checks that none forgets.
COMMON_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    413: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}
# A read's own: a case one may not see (exactly as a missing one), an id or query that is
# not valid.
READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 404: ErrorOut, 422: ErrorOut}
# A write's own: a body that is not JSON or no Idempotency-Key; a session write without its
# CSRF token, or an action the person may not take; invalid input.
WRITE_ERRORS: dict[int, type[Schema]] = {
    **COMMON_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    422: ErrorOut,
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the same request again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
# What the OpenAPI document says of the common errors, beyond their shape.
ERROR_DETAILS: dict[str, Any] = {
    "responses": {
        401: {"description": "No credentials, or a token or session that does not qualify."},
        413: {"description": "The request body is larger than the API accepts."},
        429: {
            "description": "Too many requests: wait as long as Retry-After says.",
            "headers": _RETRY_AFTER,
        },
        503: {
            "description": "The database or the document storage is briefly out of reach and "
            "nothing was saved: "
            "send the same request again after Retry-After seconds.",
            "headers": _RETRY_AFTER,
        },
    }
}


class TrackerStepOut(Schema):
    step: str
    label: str
    # A step's state, or "not_needed" for one left waiting on the client when the case
    # was decided or withdrawn.
    state: str
    state_label: str
    changed_at: datetime | None
    # What the client does for a step waiting on them; empty when it asks nothing.
    to_do: str


class DocumentsDueOut(Schema):
    request_id: int
    step: str
    step_label: str
    items: list[str]
    message: str
    due_on: date
    time_zone: str
    requested_at: datetime
    # The day the officer set; `due_on` differs from it when outages moved it (named in
    # `outages`). `flagged`: a limit set by law that outages touched without moving it.
    set_due_on: date | None
    outages: list[str]
    flagged: bool


class HistoryLineOut(Schema):
    occurred_at: datetime
    text: str


class EstimateOut(Schema):
    service_standard_days: int
    median_days: int | None
    p80_days: int | None
    sample_size: int
    window_days: int
    inquiry_date: date | None


class TrackerOut(Schema):
    """The client's view of a case: the same model as the tracker page."""

    public_id: UUID
    reference: str
    program: str
    program_name: str
    role: str
    status: str
    status_label: str
    status_explanation: str
    status_changed_at: datetime
    received_at: datetime
    decided_at: datetime | None
    is_open: bool
    steps: list[TrackerStepOut]
    documents_due: list[DocumentsDueOut]
    history: list[HistoryLineOut]
    estimate: EstimateOut
    unread_messages: int
