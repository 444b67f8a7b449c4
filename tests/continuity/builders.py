"""Outages and the document requests they touch, made through the real services."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from passage.cases import services as cases
from passage.cases.models import DocumentRequest
from passage.cases.status import CaseStatus, Step
from passage.continuity import services as register
from passage.continuity.models import Outage
from tests.builders import case_in_status, create_officer
from tests.workbench.builders import create_supervisor

TORONTO = ZoneInfo("America/Toronto")
# A Wednesday; the Thursday after it is an ordinary business day.
DUE = date(2027, 3, 3)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TORONTO)


def asked(
    *, due_on: date = DUE, statutory: bool = False, officer: object = None
) -> DocumentRequest:
    """An open case whose officer asked the applicant for documents by `due_on`."""
    officer = officer or create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    cases.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=Step.BIOMETRICS,
        items=["Fingerprint receipt"],
        due_on=due_on,
        statutory=statutory,
        idempotency_key=uuid.uuid4().hex,
        now=at(due_on - timedelta(days=20), 9),
    )
    return DocumentRequest.objects.get(case=case)


def incident(start: datetime, end: datetime | None, *components: str, **fields: object) -> Outage:
    return register.record_incident(
        actor=create_supervisor(),
        components=components or ("uploads",),
        starts_at=start,
        ends_at=end,
        texts={"title_en": "Uploads down", "title_fr": "Téléversements en panne"},
        idempotency_key=uuid.uuid4().hex,
        now=fields.pop("now", end or start),  # type: ignore[arg-type]
    ).outage


def answer(request: DocumentRequest, when: datetime) -> None:
    """The applicant answers the request at `when`."""
    cases.receive_documents(
        case_id=request.case.public_id,
        actor=request.case.application.applicant,
        request_id=request.pk,
        documents=[{"filename": "receipt.pdf", "sha256": "0" * 64, "size": 10}],
        idempotency_key=uuid.uuid4().hex,
        attach=lambda case, at: None,
        now=when,
    )
