"""Appending to a case's event log. Only services call this, inside their transaction."""

from datetime import datetime
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from passage.cases.actors import SystemActor
from passage.cases.chain import current_key, event_hash, normalise_payload
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
    hold_the_log_open(connections[router.db_for_write(CaseEvent)])
    actor_id = None if isinstance(actor, SystemActor) else actor.pk  # type: ignore[attr-defined]
    payload = normalise_payload(payload)
    sequence = case.last_event_sequence + 1
    key = current_key()
    digest = event_hash(
        key=key,
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
        hash_key=key.key_id,
    )
    case.last_event_sequence = sequence
    case.last_event_hash = digest
    case.version += 1
    return event


# A lock number of Passage's own (PostgreSQL advisory locks are per database): writers of
# the log hold it shared until they commit; a checkpoint takes it alone for a moment.
LOG_LOCK = 0x7061_7373_6C6F67  # "passlog"


def hold_the_log_open(connection: BaseDatabaseWrapper) -> None:
    """Mark this transaction as one writing to the event log (PostgreSQL; SQLite has one
    writer at a time anyway), so that a checkpoint waits for it to commit before it reads
    how far the log goes (`checkpoints.committed_through`). It needs no privilege on the
    log, which the role Passage runs as does not have beyond reading and appending."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOG_LOCK])
