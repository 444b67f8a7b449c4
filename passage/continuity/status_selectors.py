"""Public reads of the outage register, for the status page, its JSON and Atom forms and
its static copy: how each service is doing at an instant, what is going on and planned,
and the history of every outage with its trail. Nothing here is private: anyone may read
the status page, signed in or not. Time is passed in."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.continuity.models import (
    Component,
    Outage,
    OutageKind,
    OutageStatus,
    OutageUpdate,
    ProbeResult,
)
from passage.continuity.models.register import ENDED_STATUSES


class State(StrEnum):
    """How a service is doing, from best to worst."""

    OPERATIONAL = "operational"
    DEGRADED = "degraded"
    MAINTENANCE = "maintenance"
    DOWN = "down"


@dataclass(frozen=True)
class ComponentState:
    """One service and how it is doing now, with the outages that make it so."""

    component: Component
    state: State
    outages: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return str(self.component.label)


@dataclass(frozen=True)
class HistoryEntry:
    """One outage as the status page tells it: the record, its trail of updates (oldest
    first), and how many clients' due dates it moved."""

    outage: Outage
    updates: tuple[OutageUpdate, ...]
    deadlines_moved: int

    @property
    def reference(self) -> str:
        return self.outage.reference


@dataclass(frozen=True)
class StatusReport:
    """Everything the status page shows, as of `at`."""

    at: datetime
    components: tuple[ComponentState, ...]
    incidents: tuple[Outage, ...]
    maintenance_now: tuple[Outage, ...]
    maintenance_ahead: tuple[Outage, ...]
    history: tuple[HistoryEntry, ...]

    @property
    def worst(self) -> State:
        """The worst state of any service: the page's one-line summary."""
        order = list(State)
        return max((c.state for c in self.components), key=order.index, default=State.OPERATIONAL)

    @property
    def updated_at(self) -> datetime | None:
        """When the register last changed, if it ever did."""
        return max((e.outage.updated_at for e in self.history), default=None)


def status_report(at: datetime) -> StatusReport:
    """The status page as of `at`: each service's state, the incidents under way, the
    maintenance under way and announced, and the history of every outage, newest first."""
    outages = list(Outage.objects.all())
    incidents = tuple(o for o in outages if is_ongoing_incident(o, at))
    now = tuple(o for o in outages if is_maintenance_under_way(o, at))
    ahead = tuple(
        sorted((o for o in outages if is_maintenance_ahead(o, at)), key=lambda o: o.starts_at)
    )
    return StatusReport(
        at=at,
        components=component_states(incidents, now, failing_components()),
        incidents=incidents,
        maintenance_now=now,
        maintenance_ahead=ahead,
        history=history(outages),
    )


def is_ongoing_incident(outage: Outage, at: datetime) -> bool:
    """An incident staff recorded or confirmed, or the probes opened (shown with its
    generic text until staff describe it), not withdrawn, started and not over at `at`."""
    return (
        outage.kind == OutageKind.INCIDENT
        and not outage.is_withdrawn
        and (outage.confirmed_at is not None or outage.opened_by_probes)
        and outage.status not in ENDED_STATUSES
        and outage.starts_at <= at
        and (outage.ends_at is None or outage.ends_at > at)
    )


def is_maintenance_under_way(outage: Outage, at: datetime) -> bool:
    """Planned maintenance, not withdrawn nor completed, whose window contains `at`."""
    return (
        outage.kind == OutageKind.PLANNED
        and not outage.is_withdrawn
        and outage.status != OutageStatus.COMPLETED
        and outage.starts_at <= at
        and outage.ends_at is not None
        and at < outage.ends_at
    )


def is_maintenance_ahead(outage: Outage, at: datetime) -> bool:
    """Planned maintenance announced for later than `at`, not withdrawn."""
    return (
        outage.kind == OutageKind.PLANNED
        and not outage.is_withdrawn
        and outage.status != OutageStatus.COMPLETED
        and outage.starts_at > at
    )


def component_states(
    incidents: Iterable[Outage], maintenance: Iterable[Outage], failing: set[str]
) -> tuple[ComponentState, ...]:
    """Each service in the order of `Component`: down under an incident, under
    maintenance during planned work, degraded when its latest probe failed, else
    operational."""
    incidents, maintenance = list(incidents), list(maintenance)
    states = []
    for component in Component:
        down = tuple(o.reference for o in incidents if component.value in o.components)
        planned = tuple(o.reference for o in maintenance if component.value in o.components)
        if down:
            states.append(ComponentState(component, State.DOWN, down))
        elif planned:
            states.append(ComponentState(component, State.MAINTENANCE, planned))
        elif component.value in failing:
            states.append(ComponentState(component, State.DEGRADED))
        else:
            states.append(ComponentState(component, State.OPERATIONAL))
    return tuple(states)


def failing_components() -> set[str]:
    """The services whose latest probe failed."""
    failing = set()
    for component in Component.values:
        latest = ProbeResult.objects.filter(component=component).order_by("-at", "-pk").first()
        if latest is not None and not latest.ok:
            failing.add(component)
    return failing


def history(outages: Iterable[Outage] | None = None) -> tuple[HistoryEntry, ...]:
    """Every outage ever recorded, withdrawn ones included (marked so), newest first,
    each with its updates and the number of due dates it moved."""
    records = list(Outage.objects.all() if outages is None else outages)
    records.sort(key=lambda outage: (outage.starts_at, outage.pk), reverse=True)
    trail: dict[int, list[OutageUpdate]] = {}
    updates = OutageUpdate.objects.filter(outage__in=[o.pk for o in records])
    for update in updates.order_by("at", "pk"):
        trail.setdefault(update.outage_id, []).append(update)
    moved = deadlines_moved()
    return tuple(
        HistoryEntry(
            outage=outage,
            updates=tuple(trail.get(outage.pk, ())),
            deadlines_moved=moved[outage.reference],
        )
        for outage in records
    )


def deadlines_moved() -> Counter[str]:
    """How many due dates each outage moved, by reference: the document requests whose
    `deadline.moved` events name it among their `outages` (a request moved twice by the
    same outage, as it was extended, counts once).

    Counted in Python over the events of that kind rather than with a JSON `contains`
    lookup, which SQLite does not offer; there is about one such event per due date an
    outage touched, so they stay few."""
    moved: dict[str, set[tuple[object, object]]] = {}
    events = CaseEvent.objects.filter(kind=EventKind.DEADLINE_MOVED).values_list(
        "case_id", "payload"
    )
    for case_id, payload in events.iterator():
        if not isinstance(payload, dict):
            continue
        for reference in payload.get("outages") or ():
            moved.setdefault(reference, set()).add((case_id, payload.get("request")))
    return Counter({reference: len(requests) for reference, requests in moved.items()})


def deadlines_moved_by(reference: str) -> int:
    """How many due dates the outage `reference` moved."""
    return deadlines_moved()[reference]
