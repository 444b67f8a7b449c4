"""Which spool this site uses (`PASSAGE_SPOOL`): the file journal, a RabbitMQ queue, or
none."""

from functools import cache
from pathlib import Path

from django.conf import settings

from passage.continuity.spool.base import Spool
from passage.continuity.spool.broker import Broker
from passage.continuity.spool.journal import Journal

OFF = "off"
JOURNAL = "journal"


def spool_enabled() -> bool:
    """Whether submissions are spooled when the database is out of reach."""
    return str(settings.PASSAGE_SPOOL).strip().lower() != OFF


def current_spool() -> Spool:
    """The spool `PASSAGE_SPOOL` names: "journal" (in PASSAGE_SPOOL_DIR) or an amqp://
    URL (the queue PASSAGE_SPOOL_QUEUE)."""
    setting = str(settings.PASSAGE_SPOOL).strip()
    if setting.lower() == JOURNAL:
        return _journal(Path(settings.PASSAGE_SPOOL_DIR))
    if setting.startswith(("amqp://", "amqps://")):
        return _broker(setting, settings.PASSAGE_SPOOL_QUEUE)
    raise ValueError(f"PASSAGE_SPOOL must be 'journal', 'off' or an amqp:// URL, not {setting!r}")


@cache
def _journal(folder: Path) -> Journal:
    return Journal(folder)


@cache
def _broker(url: str, queue: str) -> Broker:
    # One per process and setting: each thread keeps its own connection inside it.
    return Broker(url, queue)
