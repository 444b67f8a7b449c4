"""The obvious heuristic, kept as a baseline: oldest case first, each to its cheapest
eligible officer who (and whose office) still has room."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

import numpy as np

from passage.routing.candidates import eligible_candidates
from passage.routing.instance import prepare
from passage.routing.model import DEFAULT_POLICY, Officer, OpenCase, RoutingPlan, RoutingPolicy
from passage.routing.plan import WAITING, build_plan


def greedy_oldest_first(
    cases: Iterable[OpenCase],
    officers: Iterable[Officer],
    office_capacity: Mapping[str, int] | None = None,
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> RoutingPlan:
    """Cases by age (oldest first, then lowest id), each to the cheapest eligible officer
    with room left (ties: lowest officer id), under the same constraints as `rebalance`."""
    started = time.perf_counter()
    instance = prepare(cases, officers, office_capacity)
    every = eligible_candidates(instance, policy)
    built = time.perf_counter()

    candidate = every.officer.tolist()
    end = every.start[1:].tolist()
    # Room only shrinks, so an officer passed over once is never needed again: each
    # group's pointer into its list only moves forward.
    pointer = every.start[:-1].tolist()
    room = instance.capacity.tolist()
    office_of = instance.officer_office.tolist()
    office_room = instance.office_limit.tolist()
    groups = instance.case_group.tolist()
    officer_of_case = [WAITING] * len(groups)
    for case in np.lexsort((instance.case_ids, -instance.case_ages)).tolist():
        group = groups[case]
        position, last = pointer[group], end[group]
        while position < last and (
            room[candidate[position]] == 0 or office_room[office_of[candidate[position]]] == 0
        ):
            position += 1
        pointer[group] = position
        if position == last:
            continue
        officer = candidate[position]
        room[officer] -= 1
        office_room[office_of[officer]] -= 1
        officer_of_case[case] = officer
    placing = time.perf_counter()
    return build_plan(
        "greedy_oldest_first",
        instance,
        policy,
        every,
        np.array(officer_of_case, dtype=np.int64),
        build_seconds=built - started,
        solve_seconds=placing - built,
        started=placing,
        stats={"groups": len(instance.groups)},
    )
