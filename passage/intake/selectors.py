"""Reads for the applicant portal, scoped by the person asking."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from passage.accounts.models import User
from passage.cases.models import CaseParty
from passage.cases.status import CaseStatus, PartyRole


@dataclass(frozen=True)
class SubmittedApplication:
    reference: str
    program: str
    status: str
    received_at: datetime
    role: str
    case_id: UUID


def submitted_applications(*, person: User, language: str) -> list[SubmittedApplication]:
    """Every case the person is an active party to (as applicant, sponsor or authorised
    representative), whatever channel it came through, the latest first."""
    parties = (
        CaseParty.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("case__program")
        .order_by("-case__received_at")
    )
    return [
        SubmittedApplication(
            reference=party.case.reference,
            program=party.case.program.name(language),
            status=str(CaseStatus(party.case.status).label),
            received_at=party.case.received_at,
            role=str(PartyRole(party.role).label),
            case_id=party.case.public_id,
        )
        for party in parties
    ]
