"""Reads of cases, always scoped by the person asking. A case they may not see does not
exist for them: the caller turns `Case.DoesNotExist` into a 404."""

from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from passage.accounts.models import User
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.status import Step


def cases_visible_to(person: User) -> QuerySet[Case]:
    """Department staff see every case; a client sees the cases they are an active party to."""
    if not person.is_active:
        return Case.objects.none()
    if person.is_department_staff:
        return Case.objects.all()
    active_party = CaseParty.objects.filter(
        case=OuterRef("pk"), person=person, revoked_at__isnull=True
    )
    return Case.objects.filter(Exists(active_party))


def get_case(*, person: User, case_id: UUID) -> Case:
    """One case the person may see, or Case.DoesNotExist."""
    return cases_visible_to(person).select_related("program").get(public_id=case_id)


STATUS_COLUMNS = (
    "id",
    "public_id",
    "reference",
    "status",
    "status_changed_at",
    "received_at",
    "decided_at",
    "version",
    "program__code",
    *[column for step in Step for column in (step.value, f"{step.value}_changed_at")],
)
EVENT_COLUMNS = ("sequence", "kind", "actor_role", "occurred_at", "payload", "ruleset_version")


def case_status(*, person: User, case_id: UUID, recent_events: int = 20) -> dict[str, Any]:
    """The status of a case with its steps and its latest events, as plain values.

    This is the hot path of the tracker: two narrow queries, no model instances.
    """
    row: dict[str, Any] = cases_visible_to(person).values(*STATUS_COLUMNS).get(public_id=case_id)
    row["recent_events"] = list(
        CaseEvent.objects.filter(case_id=row.pop("id"))
        .order_by("-sequence")
        .values(*EVENT_COLUMNS)[:recent_events]
    )
    return row


def case_events(
    *, person: User, case_id: UUID, after_sequence: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Events of a case the person may see, oldest first, after a sequence number."""
    case_pk = cases_visible_to(person).values_list("pk", flat=True).get(public_id=case_id)
    return list(
        CaseEvent.objects.filter(case_id=case_pk, sequence__gt=after_sequence)
        .order_by("sequence")
        .values(*EVENT_COLUMNS)[:limit]
    )
