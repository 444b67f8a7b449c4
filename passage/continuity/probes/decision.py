"""PURE: which incidents the probes open, given what they saw. No Django.

A component's probes are followed as runs of failures in a row: a run starts at the
first failing probe and ends at the next probe that works. A run that has failed on
every probe for at least the threshold (from its first failure to its latest) opens an
incident from its first failure; a run that recovers sooner, or a component that
flaps between working and failing, opens nothing. Runs of several components that
overlap in time open one incident together (a database that is down fails every
component that needs it at once): it starts at the earliest first failure and ends
when the last of them works again, or is open while any still fails."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# A run as the register knows it once reported: its component and first failure.
RunKey = tuple[str, datetime]


@dataclass(frozen=True)
class Result:
    """One probe of one component: when, whether it worked, what failed and how long
    the probe took."""

    component: str
    at: datetime
    ok: bool
    detail: str = ""
    milliseconds: int = 0


@dataclass(frozen=True)
class Run:
    """A component's failures in a row: its first and latest failing probe, what the
    latest said, and the probe that found it working again (None while it fails)."""

    component: str
    first_failure: datetime
    last_failure: datetime
    recovered_at: datetime | None = None
    detail: str = ""

    @property
    def key(self) -> RunKey:
        return (self.component, self.first_failure)

    @property
    def ongoing(self) -> bool:
        return self.recovered_at is None

    @property
    def lasted(self) -> timedelta:
        """How long it has failed on every probe: first failure to latest."""
        return self.last_failure - self.first_failure


@dataclass(frozen=True)
class Incident:
    """What to open in the register: the components, the start (the earliest first
    failure), the end (None while any still fails) and the runs it covers."""

    components: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime | None
    runs: tuple[Run, ...]

    def detail(self) -> str:
        """For staff: each component, since when, and what its latest failure said."""
        return "; ".join(
            f"{run.component}: failing since {run.first_failure.isoformat()}"
            + (f", back at {run.recovered_at.isoformat()}" if run.recovered_at else "")
            + (f" ({run.detail})" if run.detail else "")
            for run in self.runs
        )


def follow(runs: Sequence[Run], result: Result) -> tuple[Run, ...]:
    """A component's runs (oldest first) after one more of its results, which comes
    later than every result before it."""
    latest = runs[-1] if runs else None
    ongoing = latest is not None and latest.ongoing
    if result.ok:
        if latest is not None and ongoing:
            return (*runs[:-1], replace(latest, recovered_at=result.at))
        return tuple(runs)
    if latest is not None and ongoing:
        return (*runs[:-1], replace(latest, last_failure=result.at, detail=result.detail))
    run = Run(result.component, result.at, result.at, None, result.detail)
    return (*runs, run)


def runs_of(results: Iterable[Result]) -> dict[str, tuple[Run, ...]]:
    """Every component's runs of failures, oldest first, from its results in any order
    (results of one component at the same instant keep their given order)."""
    runs: dict[str, tuple[Run, ...]] = {}
    for result in sorted(results, key=lambda result: result.at):
        runs[result.component] = follow(runs.get(result.component, ()), result)
    return runs


def long_enough(run: Run, open_after: timedelta) -> bool:
    """Whether the run has failed on every probe for at least `open_after`."""
    return run.lasted >= open_after


def incidents_to_open(
    runs: Iterable[Run],
    *,
    open_after: timedelta,
    reported: Collection[RunKey] = (),
) -> list[Incident]:
    """The incidents to open for the runs long enough that are not `reported` yet (the
    register already has them), runs that overlap in time together, oldest first."""
    due = sorted(
        (run for run in runs if long_enough(run, open_after) and run.key not in reported),
        key=lambda run: (run.first_failure, run.component),
    )
    groups: list[list[Run]] = []
    for run in due:
        if groups and _overlaps(groups[-1], run):
            groups[-1].append(run)
        else:
            groups.append([run])
    return [_incident(group) for group in groups]


def still_needed(run: Run, *, open_after: timedelta, reported: Collection[RunKey]) -> bool:
    """Whether a watcher must keep remembering the run: it still fails, or it is over,
    long enough and not reported yet (a database that was down)."""
    return run.ongoing or (long_enough(run, open_after) and run.key not in reported)


def current_states(
    runs: Mapping[str, Sequence[Run]], seen: Mapping[str, Result]
) -> dict[str, tuple[bool, datetime | None]]:
    """Each component seen: whether it works now and since when (None: since before
    what is remembered), from its runs and its latest result."""
    states: dict[str, tuple[bool, datetime | None]] = {}
    for component, latest in seen.items():
        last_run = runs[component][-1] if runs.get(component) else None
        if not latest.ok:
            since = last_run.first_failure if last_run and last_run.ongoing else latest.at
            states[component] = (False, since)
        else:
            states[component] = (True, last_run.recovered_at if last_run else None)
    return states


def _end(group: Sequence[Run]) -> datetime | None:
    ends = [run.recovered_at for run in group]
    return None if any(end is None for end in ends) else max(e for e in ends if e is not None)


def _overlaps(group: Sequence[Run], run: Run) -> bool:
    end = _end(group)
    return end is None or run.first_failure <= end


def _incident(group: Sequence[Run]) -> Incident:
    return Incident(
        components=tuple(sorted({run.component for run in group})),
        starts_at=min(run.first_failure for run in group),
        ends_at=_end(group),
        runs=tuple(group),
    )
