"""Watching a drill's job queue as it moves, through restarts of its database: files
assessed, who holds the running jobs, jobs not yet done. Read on one connection of its
own, opened again whenever the database dropped it."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import Any

import psycopg

from passage.cases.status import EventKind
from passage.jobs.services import READY, RUNNING
from tests.drills.records import EVENTS, JOBS
from tests.drills.site import Site

POLL = 0.005
WAIT = 30.0


class Watcher:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.connection: psycopg.Connection[Any] | None = None

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.connection is not None:
            self.connection.close()

    def assessed(self) -> int:
        """How many `triage.assessed` events there are."""
        return int(
            self._query(
                f"SELECT count(*) FROM {EVENTS} WHERE kind = %s",  # noqa: S608 - the model's table
                [EventKind.TRIAGE_ASSESSED.value],
            )[0][0]
        )

    def holders(self) -> list[str]:
        """The worker holding each running job."""
        return [
            row[0]
            for row in self._query(
                f"SELECT worker_ids ->> -1 FROM {JOBS} WHERE status = %s",  # noqa: S608 - the model's table
                [RUNNING],
            )
        ]

    def holds(self, worker_id: str) -> bool:
        return worker_id in self.holders()

    def unfinished(self) -> int:
        """How many jobs are waiting or running."""
        return int(
            self._query(
                f"SELECT count(*) FROM {JOBS} WHERE status IN (%s, %s)",  # noqa: S608 - the model's table
                [READY, RUNNING],
            )[0][0]
        )

    def waiting_on_locks(self) -> int:
        """How many connections to the drill's database wait for a lock."""
        return int(
            self._query(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock'",
                [self.site.database],
            )[0][0]
        )

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = WAIT) -> None:
        """Wait until `condition()`; TimeoutError past `seconds`: the drill could not get
        where it wanted, which is not what it checks."""
        if not self.wait_until(condition, seconds):
            raise TimeoutError(
                f"waited {seconds:.0f} s for {what}; running jobs are held by {self.holders()}"
            )

    def wait_until(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Wait until `condition()`, for `seconds` at most; whether it came true."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        return True

    @contextmanager
    def holding_events(self) -> Iterator[None]:
        """Within the block, writing an event waits (reading does not)."""
        holder = self.site.cluster.connect(self.site.database)
        try:
            holder.execute("BEGIN")
            holder.execute(f"LOCK TABLE {EVENTS} IN EXCLUSIVE MODE")
            yield
        finally:
            with suppress(psycopg.OperationalError):  # a restart took the lock with it
                holder.execute("ROLLBACK")
            holder.close()

    def _query(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        for _ in range(100):
            try:
                if self.connection is None or self.connection.closed:
                    self.connection = self.site.cluster.connect(self.site.database)
                return self.connection.execute(sql, params).fetchall()
            except psycopg.OperationalError:
                self.connection = None  # the database restarted under us: again
                time.sleep(0.1)
        raise AssertionError("the drill's database stayed out of reach")
