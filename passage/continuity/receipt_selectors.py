"""Reads for the receipt page: what the spool holds of a receipt first, and what the
database says of it only when the database can be read. Never anything of the case."""

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import Error

from passage.continuity.models import SpooledSubmission
from passage.continuity.spool import current_spool
from passage.resilience import is_outage

logger = logging.getLogger(__name__)


class ReceiptState(StrEnum):
    WAITING = "waiting"  # kept, not yet filed
    FILED = "filed"  # a case was made (or had been, under the same key)
    REFUSED = "refused"  # it could not become a case
    UNKNOWN = "unknown"  # filed, or no longer kept, and the database cannot say now


@dataclass(frozen=True)
class ReceiptStatus:
    receipt: str
    received_at: datetime | None
    state: ReceiptState


def receipt_status(receipt: str) -> ReceiptStatus | None:
    """What may be said of a receipt to whoever holds it, or None for no such receipt.
    A receipt still waiting in the spool is answered from the spool alone."""
    try:
        found = current_spool().find(receipt)
    except OSError:
        logger.warning("The receipt page could not read the spool", exc_info=True)
        found = None
    if found is not None and not found.filed:
        return ReceiptStatus(receipt, found.record.received_at, ReceiptState.WAITING)
    received_at = found.record.received_at if found is not None else None
    try:
        row = (
            SpooledSubmission.objects.filter(receipt=receipt)
            .values_list("received_at", "outcome")
            .first()
        )
    except Error as error:
        if not is_outage(error):
            raise
        # Without the database: a receipt the spool knows, or one it may have let go of.
        return ReceiptStatus(receipt, received_at, ReceiptState.UNKNOWN)
    if row is None:
        return None if found is None else ReceiptStatus(receipt, received_at, ReceiptState.WAITING)
    at, outcome = row
    state = (
        ReceiptState.REFUSED
        if outcome == SpooledSubmission.Outcome.REJECTED
        else ReceiptState.FILED
    )
    return ReceiptStatus(receipt, at, state)
