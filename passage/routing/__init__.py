"""The pure routing core: which officer takes which open case.

`rebalance` assigns open cases to officers as one min-cost flow (OR-Tools) over groups
of identical cases; `optimum` solves the textbook case-by-case network as a yardstick
and `greedy_oldest_first` is the simple baseline. Eligibility (skills at a minimum
proficiency, eligible offices, room) is a hard constraint; the cost (overqualification,
officer load, and a cost of leaving a case waiting that grows with its age) is set by a
`RoutingPolicy`. Every assignment carries its reasons, every unassigned case a reason.
A case a person pinned to an officer stays with them, out of the plan, while they can
hold it (`pins.hold_pinned`).

It imports nothing from Django or the rest of Passage.
"""

from passage.routing.greedy import greedy_oldest_first
from passage.routing.model import (
    DEFAULT_POLICY,
    Assignment,
    Officer,
    OpenCase,
    Pinned,
    PinRelease,
    RoutingPlan,
    RoutingPolicy,
    Unassigned,
)
from passage.routing.optimum import optimum
from passage.routing.rebalance import rebalance

__all__ = [
    "DEFAULT_POLICY",
    "Assignment",
    "Officer",
    "OpenCase",
    "PinRelease",
    "Pinned",
    "RoutingPlan",
    "RoutingPolicy",
    "Unassigned",
    "greedy_oldest_first",
    "optimum",
    "rebalance",
]
