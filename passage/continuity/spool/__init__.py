"""The intake spool: an API submission that cannot reach the database is made durable
here first, answered with a receipt, and filed as a case by `passage replay_spool` once
the database is back.

Two kinds of spool keep the same records: an append-only journal on this server's disk
(`journal.py`, the default) and a RabbitMQ queue with publisher confirms (`broker.py`) where
several web servers run. `PASSAGE_SPOOL` names the one in use (`current_spool`)."""

from passage.continuity.spool.base import Delivery, Spool, SpoolUnavailable
from passage.continuity.spool.choice import current_spool, spool_enabled

__all__ = ["Delivery", "Spool", "SpoolUnavailable", "current_spool", "spool_enabled"]
