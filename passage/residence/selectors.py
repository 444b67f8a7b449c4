"""What the residence pages read, scoped by the person asking: a client sees the
confirmations they were invited to or act for; officers and supervisors see the review
queue and any confirmation; nobody else sees anything."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.selectors import cases_visible_to
from passage.residence.errors import ConfirmationNotFound
from passage.residence.models import Confirmation, Ecopr
from passage.residence.states import ConfirmationState


def confirmations_of(person: User) -> "QuerySet[Confirmation]":
    """The confirmations the person acts for, by case and position."""
    return (
        Confirmation.objects.filter(client=person)
        .select_related("case__program", "photo")
        .order_by("case__received_at", "case_id", "position")
    )


def confirmation_for_client(person: User, confirmation_id: UUID) -> Confirmation:
    """One confirmation the person acts for, or ConfirmationNotFound."""
    confirmation = confirmations_of(person).filter(public_id=confirmation_id).first()
    if confirmation is None:
        raise ConfirmationNotFound(_("There is no such confirmation."))
    return confirmation


def is_reviewer(person: User) -> bool:
    """Whether the person reviews confirmations: an officer or a supervisor."""
    return person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)


def _in_reach(person: User) -> "QuerySet[Confirmation]":
    """The confirmations of the cases the officer or supervisor may read (their reach,
    never a case they have a conflict of interest with)."""
    if not is_reviewer(person):
        return Confirmation.objects.none()
    return Confirmation.objects.filter(case__in=cases_visible_to(person))


def review_queue(person: User) -> "QuerySet[Confirmation]":
    """The confirmations ready for review in the person's reach, the longest waiting
    first (officers and supervisors only)."""
    return (
        _in_reach(person)
        .filter(state=ConfirmationState.READY_FOR_REVIEW)
        .select_related("case__program", "photo")
        .order_by("submitted_at", "pk")
    )


def confirmation_for_staff(person: User, confirmation_id: UUID) -> Confirmation:
    """A confirmation in the reach of an officer or a supervisor; ConfirmationNotFound
    otherwise."""
    confirmation = (
        _in_reach(person)
        .filter(public_id=confirmation_id)
        .select_related("case__program", "photo", "confirmed_by", "client")
        .first()
    )
    if confirmation is None:
        raise ConfirmationNotFound(_("There is no such confirmation."))
    return confirmation


def current_ecopr(confirmation: Confirmation) -> Ecopr | None:
    """The latest eCOPR issued to the person."""
    return confirmation.ecoprs.order_by("-issued_at").first()


def revoked_documents() -> list[dict[str, object]]:
    """The public revocation list: each revoked eCOPR by its number and status index."""
    rows = (
        Confirmation.objects.filter(revoked_at__isnull=False)
        .order_by("status_index")
        .values("document_number", "status_index", "revoked_at")
    )
    return [
        {
            "document_number": row["document_number"],
            "status_index": row["status_index"],
            "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None,
        }
        for row in rows
    ]


def is_revoked(document_number: str) -> bool:
    """Whether the eCOPR of that number is on the revocation list."""
    return Confirmation.objects.filter(
        document_number=document_number, revoked_at__isnull=False
    ).exists()


def is_issued(document_number: str) -> bool:
    """Whether the department issued an eCOPR of that number."""
    return Confirmation.objects.filter(document_number=document_number).exists()


@dataclass(frozen=True)
class StageLine:
    """One person's confirmation as the case's tracker shows it to the case's parties."""

    name: str
    state: str
    next_step: str
    due_at: datetime | None


def residence_stage(case_id: UUID, *, now: datetime) -> list[StageLine]:
    """Each person of the approved case becoming a permanent resident: where they stand,
    what is next and by when (no date once it is done). For the case's tracker page,
    which has checked the reader may see the case."""
    from passage.residence.states import CLIENT_EDITABLE, NEXT_STEP

    rows = Confirmation.objects.filter(case__public_id=case_id).order_by("position")
    return [
        StageLine(
            name=f"{row.given_names} {row.family_name}",
            state=str(ConfirmationState(row.state).label),
            next_step=str(NEXT_STEP[ConfirmationState(row.state)]),
            due_at=row.due_at if row.state in CLIENT_EDITABLE else None,
        )
        for row in rows
    ]


def acts_for_residence(person: User, case_id: UUID) -> bool:
    """Whether the person acts for the case's confirmations (took up its invitation)."""
    return Confirmation.objects.filter(case__public_id=case_id, client=person).exists()
