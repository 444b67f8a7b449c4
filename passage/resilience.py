"""Long-running processes survive outages: a database that restarts, stops or freezes
ends a pass, never the process. A pass that fails waits longer each time (doubling, with
jitter, up to a cap) and the connection is dropped, so the next pass opens a new one."""

import logging
import random
import time
from collections.abc import Callable

from django.db import DatabaseError, Error, InterfaceError, OperationalError, connections
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

BASE_SECONDS = 1.0
CAP_SECONDS = 30.0


def is_outage(error: BaseException | None) -> bool:
    """Whether an error means the database is out of reach (down, restarting, cut off past
    its deadline, read-only) rather than a statement being wrong: the same work can succeed
    later, unchanged."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # A read-only database (a standby not yet promoted, a full disk) answers with an error
    # class of its own (PostgreSQL: "cannot execute INSERT in a read-only transaction").
    return isinstance(error, DatabaseError) and "read-only" in str(error)


class Backoff:
    """The wait after each failure in a row: 1 s, 2 s, 4 s… up to 30 s, each with ±20%."""

    def __init__(self, base: float = BASE_SECONDS, cap: float = CAP_SECONDS) -> None:
        self.base, self.cap, self.failures = base, cap, 0

    def next(self) -> float:
        wait = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        return wait * random.uniform(0.8, 1.2)  # noqa: S311 - spreads retries; nothing secret

    def reset(self) -> None:
        self.failures = 0


def unavailable_body() -> dict[str, object]:
    """The API's answer, in its one error shape, to a request met by an outage."""
    return {
        "detail": _(
            "The service is briefly unavailable and nothing was saved. "
            "Send the same request again in a few seconds."
        ),
        "errors": {},
    }


def drop_connections() -> None:
    """Close every database connection of this thread, broken or not, quietly."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Error:
            logger.debug("Closing a broken connection failed", exc_info=True)


def log_failed_pass(name: str, error: Error, wait: float) -> None:
    """Say why a pass ended: a warning for an outage, the whole error for anything else."""
    if is_outage(error):
        logger.warning("%s: the database is unavailable (%s); again in %.0f s", name, error, wait)
    else:
        logger.error("%s: a pass failed; again in %.0f s", name, wait, exc_info=error)


def run_every(
    interval: float,
    step: Callable[[], object],
    *,
    name: str,
    sleep: Callable[[float], None] | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> None:
    """Run `step` every `interval` seconds while `keep_going()`; a database error ends the
    pass, logged, and the next one comes after the backoff instead of the interval."""
    pause = sleep or time.sleep
    backoff = Backoff()
    while keep_going():
        try:
            step()
        except Error as error:
            wait = backoff.next()
            log_failed_pass(name, error, wait)
            drop_connections()
            pause(wait)
            continue
        backoff.reset()
        pause(interval)
