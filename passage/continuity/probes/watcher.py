"""The watcher behind `passage probe`: each pass runs every check once, remembers each
component's runs of failures in memory, keeps the results in the database, and opens an
incident in the register (`services.open_from_probes`) once a component has failed on
every probe for PASSAGE_PROBE_OPEN_AFTER seconds running.

When the database is the thing that is down, the results cannot be written and no
incident can be opened: the watcher keeps both in memory, tells `while_database_down`
what it sees on each pass, and once the database answers again writes the results and
opens the incident with its true start (and its end, if everything is back by then).
A watcher that starts reads the last day of results first, so that a run under way
keeps its start, and asks the register which runs it already has, so that restarting
never opens an incident twice."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import Error, connection

from passage import clock as passage_clock
from passage.continuity import services
from passage.continuity.probes import checks as probe_checks
from passage.continuity.probes import decision, records
from passage.continuity.probes.decision import Result, Run, RunKey
from passage.resilience import drop_connections, is_outage

logger = logging.getLogger(__name__)

# Results kept in memory while the database is down (about ten days of probes).
MAX_PENDING = 100_000
PRUNE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class ComponentState:
    """What the probes see of a component: whether it works, and since when (None:
    since before the watcher remembers)."""

    component: str
    ok: bool
    since: datetime | None


# Called on every pass while the database is down, with each monitored component's
# state; the static status copy registers its writer here when the app starts.
while_database_down: list[Callable[[dict[str, ComponentState]], None]] = []


@dataclass
class PassReport:
    """What one pass did."""

    results: list[Result]
    database_up: bool
    written: int = 0
    opened: list[str] = field(default_factory=list)
    pruned: int = 0


class Watcher:
    """The probes' memory from one pass to the next (see the module's docstring)."""

    def __init__(
        self,
        *,
        checks: Mapping[str, probe_checks.Check] | None = None,
        clock: Callable[[], datetime] | None = None,
        open_after: timedelta | None = None,
        keep: timedelta | None = None,
    ) -> None:
        self.checks = checks
        self.clock = clock or (lambda: passage_clock.now())
        self.open_after = open_after or timedelta(seconds=settings.PASSAGE_PROBE_OPEN_AFTER)
        self.keep = keep or timedelta(days=settings.PASSAGE_PROBE_KEEP_DAYS)
        self.runs: dict[str, tuple[Run, ...]] = {}
        self.seen: dict[str, Result] = {}
        self.reported: set[RunKey] = set()
        self.pending: list[Result] = []
        self.restored = False
        self.last_pruned: datetime | None = None
        # The incidents the probes opened that have no end yet: reference -> components.
        self.open_incidents: dict[str, tuple[str, ...]] = {}

    def probe_once(self) -> PassReport:
        """Run every check, then keep, decide and open what the database allows."""
        global _current
        _current = self
        results = probe_checks.run_checks(self.checks, clock=self.clock)
        self._remember(results)
        report = PassReport(results=results, database_up=_database_answers())
        if report.database_up:
            try:
                self._restore_once()
                report.written = self._write_pending()
                report.opened = self._open_due()
                self._end_recovered()
                report.pruned = self._prune()
            except Error as error:
                if not is_outage(error):
                    raise
                logger.warning("Probes: the database went away during the pass (%s)", error)
                drop_connections()
                report.database_up = False
        if not report.database_up:
            self._tell_database_down()
        self._forget()
        return report

    def current_states(self) -> dict[str, ComponentState]:
        """Each monitored component the probes have seen: working or failing, since when."""
        return {
            component: ComponentState(component, ok, since)
            for component, (ok, since) in decision.current_states(self.runs, self.seen).items()
        }

    def _remember(self, results: list[Result]) -> None:
        for result in results:
            self.runs[result.component] = decision.follow(
                self.runs.get(result.component, ()), result
            )
            self.seen[result.component] = result
        self.pending.extend(results)
        if len(self.pending) > MAX_PENDING:
            dropped = len(self.pending) - MAX_PENDING
            logger.warning("Probes: %d results too old to keep in memory are lost", dropped)
            del self.pending[:dropped]

    def _restore_once(self) -> None:
        """Once, when the database first answers: the runs from the last day's results
        and those not written yet, so that a run under way keeps its true start."""
        if self.restored:
            return
        earlier = records.recent_results(now=self.clock())
        combined = [*earlier, *self.pending]
        self.runs = decision.runs_of(combined)
        for result in combined:
            self.seen[result.component] = result
        self.open_incidents = records.open_probe_incidents()
        self.restored = True

    def _write_pending(self) -> int:
        if not self.pending:
            return 0
        written = records.write_results(self.pending)
        self.pending.clear()
        return written

    def _open_due(self) -> list[str]:
        every_run = [run for runs in self.runs.values() for run in runs]
        due = [
            run
            for run in every_run
            if decision.long_enough(run, self.open_after) and run.key not in self.reported
        ]
        if not due:
            return []
        now = self.clock()
        self.reported.update(run.key for run in due if records.covered(run, now=now))
        opened = []
        for incident in decision.incidents_to_open(
            every_run, open_after=self.open_after, reported=self.reported
        ):
            change = services.open_from_probes(
                components=incident.components,
                starts_at=incident.starts_at,
                ends_at=incident.ends_at,
                detail=incident.detail(),
                now=now,
            )
            self.reported.update(run.key for run in incident.runs)
            if change.outage.ends_at is None:
                self.open_incidents[change.outage.reference] = tuple(incident.components)
            if not change.replayed:
                logger.warning(
                    "Probes opened %s: %s", change.outage.reference, ", ".join(incident.components)
                )
                opened.append(change.outage.reference)
        return opened

    def _end_recovered(self) -> None:
        """Give an end to each incident the probes opened whose components all work
        again: the moment the last of them came back."""
        states = self.current_states()
        for reference, components in list(self.open_incidents.items()):
            seen = [states.get(component) for component in components]
            if any(state is None or not state.ok for state in seen):
                continue
            backs = [state.since for state in seen if state is not None and state.since]
            ended = max(backs) if backs else self.clock()
            if services.end_from_probes(reference=reference, ends_at=ended, now=self.clock()):
                logger.warning("Probes saw the end of %s at %s", reference, ended.isoformat())
            del self.open_incidents[reference]

    def _prune(self) -> int:
        now = self.clock()
        if self.last_pruned is not None and now - self.last_pruned < PRUNE_EVERY:
            return 0
        pruned = records.prune_results(now=now, keep=self.keep)
        self.last_pruned = now
        return pruned

    def _tell_database_down(self) -> None:
        states = self.current_states()
        for tell in while_database_down:
            try:
                tell(states)
            except Exception:  # the probes go on whatever a listener does
                logger.exception("Probes: telling %r that the database is down failed", tell)

    def _forget(self) -> None:
        """Forget the runs nothing needs any more: over, and short or reported."""
        for component, runs in self.runs.items():
            needed = [
                run
                for run in runs[:-1]
                if decision.still_needed(run, open_after=self.open_after, reported=self.reported)
            ]
            self.runs[component] = (*needed, runs[-1]) if runs else ()
        remembered = {run.key for runs in self.runs.values() for run in runs}
        self.reported &= remembered


_current: Watcher | None = None


def current_states() -> dict[str, ComponentState]:
    """The states the watcher running in this process sees (empty before its first pass).
    For the static status copy while the database is down."""
    return {} if _current is None else _current.current_states()


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Error:
        drop_connections()
        return False
    return True
