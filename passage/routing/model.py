"""What the router reads (open cases, officers, a policy) and what it returns (a plan)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MIN_PROFICIENCY = 1
MAX_PROFICIENCY = 5

UnassignedReason = Literal["no-eligible-officer", "no-capacity"]
# Why a pinned case's officer could not keep it in this run (see `pins.hold_pinned`).
PinRelease = Literal["officer-on-leave", "officer-unavailable", "officer-excluded"]


@dataclass(frozen=True, slots=True)
class OpenCase:
    """A case waiting for an officer.

    `requirements` are (skill key, minimum proficiency 1..5) pairs that an officer must
    all meet; `eligible_offices` limits the offices that may take the case (None: any);
    `excluded_officers` may never take it (a conflict of interest), whatever their skills.
    `pinned_to` is the officer a person (a supervisor) gave the case to: it stays with
    them, out of the plan, while they can hold it (`pins.hold_pinned`).
    """

    case_id: int
    requirements: tuple[tuple[str, int], ...]
    age_days: int
    eligible_offices: frozenset[str] | None = None
    excluded_officers: frozenset[int] = frozenset()
    pinned_to: int | None = None

    def __post_init__(self) -> None:
        if self.age_days < 0:
            raise ValueError(f"case {self.case_id}: age_days must not be negative")
        for skill, minimum in self.requirements:
            if not MIN_PROFICIENCY <= minimum <= MAX_PROFICIENCY:
                raise ValueError(
                    f"case {self.case_id}: minimum proficiency for {skill!r} must be "
                    f"{MIN_PROFICIENCY}..{MAX_PROFICIENCY}, not {minimum}"
                )


@dataclass(frozen=True, slots=True)
class Officer:
    """An officer who can take cases in this run.

    `skills` maps a skill key to a proficiency 1..5. `capacity` is how many more cases
    they can take now, before the cases pinned to them are counted (the router takes
    those off); an officer with none left, or `on_leave`, is never a candidate, and the
    cases pinned to an officer on leave are routed like any other.
    `load` is the share of their weekly capacity already in use (0..1), pinned cases
    included, which the policy turns into a cost so that work spreads before anyone
    fills up.
    """

    officer_id: int
    office: str
    skills: Mapping[str, int]
    capacity: int
    load: float = 0.0
    on_leave: bool = False

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(f"officer {self.officer_id}: capacity must not be negative")
        if not 0.0 <= self.load <= 1.0:
            raise ValueError(f"officer {self.officer_id}: load must be between 0 and 1")


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """Integer weights of the cost that the router minimises.

    Cost of giving a case to an officer = `overqualification` x (proficiency - minimum),
    summed over the case's requirements, + round(`load` x the officer's load).
    Cost of leaving a case unassigned = `unassigned_base` + `unassigned_per_day` x its age
    in days, so the longer a case has waited, the more it costs to leave it waiting.

    The defaults are chosen so that:

    - leaving a case unassigned (10,000 and up) costs more than any assignment of a case
      with up to 240 requirements (at most 4 x 10 per requirement + 30), so the router
      never leaves a case waiting while an eligible officer has room;
    - one day of waiting (20) weighs as much as two proficiency points of
      overqualification: of two cases competing for one slot, the one that has waited
      d days longer wins unless the other fits that officer more than 2 x d points
      better, and two identical cases always go oldest first;
    - a fully loaded officer (30) costs three points of overqualification more than an
      idle one: load spreads work among equally fitting officers, but does not send an
      expert to a routine file just because they are free.

    `unassigned_per_day` must be at least 1: the cost of waiting strictly grows with age.

    `candidates_per_case` is how many of the cheapest eligible officers `rebalance`
    starts with for each group of identical cases (more if their room does not cover the
    group). It trades nothing but time: officers left out join when pricing shows they
    would lower the cost.
    """

    overqualification: int = 10
    load: int = 30
    unassigned_base: int = 10_000
    unassigned_per_day: int = 20
    candidates_per_case: int = 50

    def __post_init__(self) -> None:
        for name in ("overqualification", "load", "unassigned_base"):
            if getattr(self, name) < 0:
                raise ValueError(f"policy: {name} must not be negative")
        if self.unassigned_per_day < 1:
            raise ValueError("policy: unassigned_per_day must be at least 1")
        if self.candidates_per_case < 1:
            raise ValueError("policy: candidates_per_case must be at least 1")

    def unassigned_cost(self, age_days: int) -> int:
        """What leaving a case of this age unassigned costs."""
        return self.unassigned_base + self.unassigned_per_day * age_days

    def as_dict(self) -> dict[str, int]:
        """The weights, for the reasons stored with each assignment."""
        return asdict(self)


DEFAULT_POLICY = RoutingPolicy()


@dataclass(frozen=True, slots=True)
class Assignment:
    """A case given to an officer, with its cost and why (JSON-serialisable `reasons`)."""

    case_id: int
    officer_id: int
    cost: int
    reasons: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A case left waiting.

    `reason` is "no-eligible-officer" when no officer holds the required skills in an
    eligible office, and "no-capacity" when some do but have no room for it in this run
    (full, on leave, their office's budget spent, or their capacity went to cases that
    had waited longer). `eligible_officers` counts the officers who hold the skills in an
    eligible office and had room at the start of the run.
    """

    case_id: int
    reason: UnassignedReason
    eligible_officers: int


@dataclass(frozen=True, slots=True)
class Pinned:
    """A case left with the officer a person gave it to: not part of the plan's network,
    it takes one of the officer's places and one of their office's."""

    case_id: int
    officer_id: int


@dataclass(frozen=True, slots=True)
class RoutingPlan:
    """The outcome of one routing run.

    `total_cost` is the cost of every assignment plus the unassigned cost of every case
    left waiting, so plans from different methods on the same input compare directly.
    `pinned` are the cases left with the officer a person gave them to (in neither
    `assignments` nor `unassigned`, and costing nothing); `released` says, for each
    pinned case whose officer could not keep it, why, and that case is routed like any
    other (its assignment's reasons say it too, as `pin_released`).
    `build_seconds` covers reading the input and building the network (or the candidate
    lists), `solve_seconds` the solver, `plan_seconds` turning flows into assignments.
    """

    method: str
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    total_cost: int
    pinned: list[Pinned] = field(default_factory=list)
    released: dict[int, PinRelease] = field(default_factory=dict)
    arcs: int = 0
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    plan_seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Wall time of the whole run."""
        return self.build_seconds + self.solve_seconds + self.plan_seconds
