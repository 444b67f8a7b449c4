"""One spooled submission as the spool keeps it: everything the replayer needs to file it
as the API would have, and to check who sent it once the database can say."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson


class DamagedRecord(ValueError):
    """Bytes that are not a whole spooled record."""


@dataclass(frozen=True)
class SpooledRecord:
    """A submission received while the database was out of reach.

    `token_digest` is the SHA-256 of the bearer token as the accounts app stores it
    (`ApiToken.hash`), checked at replay; `submitter_id` is the person when the request
    could already say who it was (a session, or a token checked before the outage).
    `application` is the request's body as sent, documents in base64."""

    receipt: str
    received_at: datetime
    idempotency_key: str
    application: dict[str, Any]
    submitter_id: int | None = None
    token_digest: str | None = None

    def encode(self) -> bytes:
        """The record as one line of JSON (no newline inside)."""
        return orjson.dumps(
            {
                "receipt": self.receipt,
                "received_at": self.received_at.isoformat(),
                "idempotency_key": self.idempotency_key,
                "submitter_id": self.submitter_id,
                "token_digest": self.token_digest,
                "application": self.application,
            }
        )

    @classmethod
    def decode(cls, data: bytes) -> "SpooledRecord":
        """Read a record `encode` wrote; DamagedRecord for anything else."""
        try:
            fields = orjson.loads(data)
            return cls(
                receipt=str(fields["receipt"]),
                received_at=datetime.fromisoformat(fields["received_at"]),
                idempotency_key=str(fields["idempotency_key"]),
                application=dict(fields["application"]),
                submitter_id=fields.get("submitter_id"),
                token_digest=fields.get("token_digest"),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise DamagedRecord(str(error)) from None
