"""What every spool offers: keep a record durably, hand back the ones not yet filed, take
note of one filed, and let go of what is no longer needed."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from passage.continuity.spool.records import SpooledRecord
from passage.errors import Unavailable


class SpoolUnavailable(Unavailable):
    """The spool itself could not keep a submission (a full disk, a broker out of reach):
    nothing was kept, and the client is told to send it again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            _(
                "The service is briefly unavailable and nothing was saved. "
                "Send the same request again in a few seconds."
            )
        )
        self.detail = detail


@dataclass(frozen=True)
class Delivery:
    """A record handed to the replayer, with what the spool needs to let go of it."""

    record: SpooledRecord
    tag: Any = None


@dataclass(frozen=True)
class Found:
    """A record the spool still holds, and whether it was noted as filed."""

    record: SpooledRecord
    filed: bool


class Spool(Protocol):
    """The operations the API and the replayer use, whichever spool keeps the records."""

    def append(self, record: SpooledRecord) -> None:
        """Keep `record` durably before returning; SpoolUnavailable if it could not."""

    def pending(self) -> Iterator[Delivery]:
        """The records not yet filed, oldest first."""

    def done(self, delivery: Delivery) -> None:
        """Note that a record was filed (after the database committed it)."""

    def find(self, receipt: str) -> Found | None:
        """The record of a receipt, while the spool still holds it (None if it cannot say)."""

    def compact(self) -> int:
        """Let go of filed records; return how many."""
