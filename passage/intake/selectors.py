"""Reads for the applicant portal, scoped by the person asking."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet

from passage.accounts.models import User
from passage.cases.models import CaseParty
from passage.cases.status import CaseStatus, PartyRole
from passage.intake.models import Representation


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


def representatives_of(client: User) -> QuerySet[Representation]:
    """The client's authorisations, active and revoked, the latest first."""
    return Representation.objects.filter(client=client).select_related("representative")


def clients_of(representative: User) -> QuerySet[Representation]:
    """The active authorisations given to a representative, by client name."""
    return (
        Representation.objects.filter(representative=representative, revoked_at__isnull=True)
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "client__email")
    )


def active_client(*, representative: User, representation_id: int) -> User | None:
    """The client of one of the representative's active authorisations, else None."""
    representation = clients_of(representative).filter(pk=representation_id).first()
    return representation.client if representation else None
