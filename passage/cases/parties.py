"""Which part of a case a client party sees and acts on.

An applicant, and a representative acting for one, has the whole case. A sponsor, and a
representative acting for one, has the sponsorship part: the steps in SPONSOR_STEPS and
what belongs to them; the other steps concern the sponsored person.
"""

from collections.abc import Iterable
from typing import Any

from passage.cases.models import Case, CaseParty
from passage.cases.status import INTERNAL_EVENT_KINDS, SPONSOR_STEPS, PartyRole, Step

# A person holding several parties on a case acts in the first of these capacities.
CLIENT_PARTY_ORDER = (PartyRole.APPLICANT, PartyRole.SPONSOR, PartyRole.REPRESENTATIVE)


def acting_party(
    *, case: Case, person_id: int, roles: tuple[PartyRole, ...] = CLIENT_PARTY_ORDER
) -> PartyRole | None:
    """The first of `roles` the person holds on the case through an active party, if any."""
    held = set(
        CaseParty.objects.filter(
            case=case, person_id=person_id, role__in=roles, revoked_at__isnull=True
        ).values_list("role", flat=True)
    )
    return next((role for role in roles if role in held), None)


def scope_of(role: str, acts_for: str) -> PartyRole:
    """The part of the case one party row covers."""
    if role == PartyRole.REPRESENTATIVE:
        return PartyRole(acts_for or PartyRole.APPLICANT)
    return PartyRole(role)


def widest_scope(scopes: Iterable[PartyRole]) -> PartyRole | None:
    """The applicant's whole case if any row gives it, else the sponsorship part."""
    found = set(scopes)
    for scope in (PartyRole.APPLICANT, PartyRole.SPONSOR):
        if scope in found:
            return scope
    return None


def client_scope(*, person_id: int, case: Case) -> PartyRole | None:
    """The part of the case the person sees through their active parties, or None."""
    return client_scope_of(person_id=person_id, case_id=case.pk)


def client_scope_of(*, person_id: int, case_id: int) -> PartyRole | None:
    """`client_scope` for a case given by its primary key."""
    rows = CaseParty.objects.filter(
        case_id=case_id, person_id=person_id, revoked_at__isnull=True
    ).values_list("role", "acts_for")
    return widest_scope(scope_of(role, acts_for) for role, acts_for in rows)


def covers_step(scope: PartyRole | None, step: str) -> bool:
    """Whether a party with this scope sees the step and what belongs to it."""
    if scope == PartyRole.APPLICANT:
        return True
    return scope == PartyRole.SPONSOR and Step(step) in SPONSOR_STEPS


def client_sees_event(scope: PartyRole | None, kind: str, payload: dict[str, Any] | None) -> bool:
    """Whether a client party with this scope sees an event of the case: never the
    department's internal work, and of the events about one step only those of the steps
    their scope covers. Every client read (the tracker's page and API, the status and
    history API) applies this one rule."""
    if kind in INTERNAL_EVENT_KINDS:
        return False
    step = (payload or {}).get("step")
    return step is None or covers_step(scope, step)
