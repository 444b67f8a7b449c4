"""The keyed hash chain that makes each case's event log tamper-evident.

Each event's hash is an HMAC-SHA256, under a key held outside the database, of the
previous event's hash and every field of the event in a fixed form. Whoever can write to
the database but does not hold the key cannot make a changed, added or removed event fit
the chain again (`passage audit verify`). Keys are named, so that a new one can take over
while events hashed under the old ones still verify (`PASSAGE_AUDIT_KEYS`).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

# The key used when PASSAGE_AUDIT_KEYS is not set: derived from PASSAGE_SECRET_KEY, which
# is held outside the database too. Deployments set their own (docs/operations.md).
DERIVED_KEY_ID = "derived"
MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class ChainKey:
    key_id: str
    secret: bytes


class AuditKeyError(ValueError):
    """PASSAGE_AUDIT_KEYS cannot be read, or names no key that an event was hashed with."""


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the database (dates become strings)."""
    result: dict[str, Any] = json.loads(canonical_json(payload))
    return result


def chain_keys() -> tuple[ChainKey, ...]:
    """The keys of the chain, the current one first (`PASSAGE_AUDIT_KEYS`, or the key
    derived from the secret key when it is not set)."""
    return _parse_keys(settings.PASSAGE_AUDIT_KEYS, settings.SECRET_KEY)


def current_key() -> ChainKey:
    """The key new events are hashed with."""
    return chain_keys()[0]


def key_named(key_id: str) -> ChainKey:
    """The key with this id, or AuditKeyError when the key ring does not hold it."""
    for key in chain_keys():
        if key.key_id == key_id:
            return key
    raise AuditKeyError(f"no audit key named {key_id!r} in PASSAGE_AUDIT_KEYS")


@cache
def _parse_keys(configured: str, secret_key: str) -> tuple[ChainKey, ...]:
    if not configured.strip():
        derived = hmac.new(secret_key.encode(), b"passage.audit-chain", hashlib.sha256)
        return (ChainKey(DERIVED_KEY_ID, derived.digest()),)
    keys = []
    for entry in configured.split(","):
        key_id, separator, text = entry.strip().partition(":")
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            secret = b""
        if not separator or not key_id or len(key_id) > 16 or len(secret) < MIN_KEY_BYTES:
            raise AuditKeyError(
                "PASSAGE_AUDIT_KEYS holds comma-separated id:hex entries, each id at most 16 "
                f"characters and each key at least {MIN_KEY_BYTES} bytes (64 hex digits)"
            )
        keys.append(ChainKey(key_id, secret))
    return tuple(keys)


def event_hash(*, previous_hash: str, key: ChainKey | None = None, **fields: Any) -> str:
    """HMAC-SHA256, under `key` (by default the current one), of the previous hash and
    every field of the event (`event_body`'s arguments), in a fixed form."""
    message = f"{previous_hash}\n{event_body(**fields)}"
    return hmac.new((key or current_key()).secret, message.encode(), hashlib.sha256).hexdigest()


def event_body(
    *,
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
    """Every field of an event in the fixed form the chain hashes."""
    return canonical_json(
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
