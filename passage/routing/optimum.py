"""The yardstick: the textbook min-cost flow, one arc from every case to every eligible
officer, with the same costs as `rebalance` and nothing pruned.

    case (supplies 1) -> officer (cost, capacity 1) -> office -> sink
    case -> sink      (cost of leaving it unassigned, capacity 1)

Its plan is optimal by construction; on 100,000 cases it needs tens of millions of arcs,
which is why Passage routes with `rebalance` and keeps this to measure it against.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

import numpy as np

from passage.routing.candidates import eligible_candidates
from passage.routing.flow import Network, add_officers_and_offices, solve
from passage.routing.instance import prepare
from passage.routing.model import DEFAULT_POLICY, Officer, OpenCase, RoutingPlan, RoutingPolicy
from passage.routing.plan import build_plan, place_cases, waiting_tie_breaks


def optimum(
    cases: Iterable[OpenCase],
    officers: Iterable[Officer],
    office_capacity: Mapping[str, int] | None = None,
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> RoutingPlan:
    """The minimum-cost plan under the same constraints and costs as `rebalance`."""
    started = time.perf_counter()
    instance = prepare(cases, officers, office_capacity)
    every = eligible_candidates(instance, policy)
    count = len(instance.cases)

    # Every case gets its group's full candidate list.
    per_case = every.considered[instance.case_group]
    tails = np.repeat(np.arange(count, dtype=np.int64), per_case)
    offsets = np.cumsum(per_case) - per_case
    entry = np.arange(len(tails), dtype=np.int64) + np.repeat(
        every.start[instance.case_group] - offsets, per_case
    )
    network = Network()
    to_officers = network.add(
        tails, count + every.officer[entry], np.ones(1, dtype=np.int64), every.cost[entry]
    )
    sink = add_officers_and_offices(network, instance, first_officer=count)
    to_waiting = network.add(
        np.arange(count, dtype=np.int64),
        np.full(count, sink, dtype=np.int64),
        np.ones(1, dtype=np.int64),
        policy.unassigned_base + policy.unassigned_per_day * instance.case_ages,
        waiting_tie_breaks(instance),
    )
    del tails
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:count] = 1
    supplies[sink] = -count
    built = time.perf_counter()

    solution = solve(network, supplies)
    placing = time.perf_counter()
    used = solution.flows[to_officers] > 0
    entry_flow = np.bincount(entry[used], minlength=len(every.officer)).astype(np.int64)
    # Which of a group's placed cases went to which of its officers changes nothing; hand
    # them out the way `rebalance` does, so that plans compare case by case.
    officer_of_case = place_cases(instance, every, entry_flow, solution.flows[to_waiting] > 0)
    return build_plan(
        "optimum",
        instance,
        policy,
        every,
        officer_of_case,
        arcs=network.arcs,
        build_seconds=built - started + solution.load_seconds,
        solve_seconds=solution.solve_seconds,
        started=placing,
        stats={
            "groups": len(instance.groups),
            "nodes": sink + 1,
            "tie_broken": solution.tie_broken,
        },
    )
