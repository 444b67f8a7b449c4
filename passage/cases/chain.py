"""The hash chain that makes each case's event log tamper-evident."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the database (dates become strings)."""
    result: dict[str, Any] = json.loads(canonical_json(payload))
    return result


def event_hash(
    *,
    previous_hash: str,
    case_public_id: str,
    sequence: int,
    kind: str,
    actor_id: int | None,
    actor_role: str,
    occurred_at: datetime,
    payload: dict[str, Any],
    ruleset_version: str,
    idempotency_key: str | None,
) -> str:
    """SHA-256 over the previous hash and every field of the event, in a fixed form."""
    body = canonical_json(
        {
            "case": case_public_id,
            "sequence": sequence,
            "kind": kind,
            "actor": actor_id,
            "actor_role": actor_role,
            # Microseconds, UTC: the precision both PostgreSQL and SQLite keep.
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "payload": payload,
            "ruleset_version": ruleset_version,
            "idempotency_key": idempotency_key,
        }
    )
    return hashlib.sha256(f"{previous_hash}\n{body}".encode()).hexdigest()
