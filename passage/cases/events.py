"""Appending to a case's event log. Only services call this, inside their transaction."""

from datetime import datetime
from typing import Any

from passage.cases.actors import SystemActor
from passage.cases.chain import event_hash, normalise_payload
from passage.cases.models import Case, CaseEvent
from passage.cases.status import ActorRole, EventKind


def append_event(
    *,
    case: Case,
    kind: EventKind,
    actor: object,
    actor_role: ActorRole,
    occurred_at: datetime,
    payload: dict[str, Any],
    idempotency_key: str | None,
    ruleset_version: str = "",
) -> CaseEvent:
    """Write the next event of a locked case and advance the case's chain head and version.

    The caller holds the case row lock and saves the case in the same transaction.
    """
    actor_id = None if isinstance(actor, SystemActor) else actor.pk  # type: ignore[attr-defined]
    payload = normalise_payload(payload)
    sequence = case.last_event_sequence + 1
    digest = event_hash(
        previous_hash=case.last_event_hash,
        case_public_id=str(case.public_id),
        sequence=sequence,
        kind=kind.value,
        actor_id=actor_id,
        actor_role=actor_role.value,
        occurred_at=occurred_at,
        payload=payload,
        ruleset_version=ruleset_version,
        idempotency_key=idempotency_key,
    )
    event = CaseEvent.objects.create(
        case=case,
        sequence=sequence,
        kind=kind,
        actor_id=actor_id,
        actor_role=actor_role,
        occurred_at=occurred_at,
        payload=payload,
        ruleset_version=ruleset_version,
        idempotency_key=idempotency_key,
        previous_hash=case.last_event_hash,
        hash=digest,
    )
    case.last_event_sequence = sequence
    case.last_event_hash = digest
    case.version += 1
    return event
