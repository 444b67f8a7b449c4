"""Receiving a submission into the spool: the API's way on when the database is out of
reach."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passage.continuity.spool.choice import current_spool
from passage.continuity.spool.receipts import new_receipt
from passage.continuity.spool.records import SpooledRecord


@dataclass(frozen=True)
class Receipt:
    """What the client is told: the receipt number and the time received."""

    receipt: str
    received_at: datetime


def spool_submission(
    *,
    application: dict[str, Any],
    idempotency_key: str,
    now: datetime,
    submitter_id: int | None = None,
    token_digest: str | None = None,
) -> Receipt:
    """Keep a submission durably in the spool and return its receipt. `now` is the time
    received, which becomes the filing time. SpoolUnavailable when the spool cannot keep
    it either (nothing was kept)."""
    if submitter_id is None and token_digest is None:
        raise ValueError("a spooled submission needs a submitter or a token to check")
    record = SpooledRecord(
        receipt=new_receipt(),
        received_at=now,
        idempotency_key=idempotency_key,
        application=application,
        submitter_id=submitter_id,
        token_digest=token_digest,
    )
    current_spool().append(record)
    return Receipt(receipt=record.receipt, received_at=now)
