"""Passage's router: one min-cost flow over groups of identical cases.

The network, node by node:

    group of identical cases (supplies its number of cases)
      -> officer          cost of one case of the group, capacity the officer's room
      -> office           capacity the officer's room
      -> sink             capacity the office's budget
    group -> sink         one arc per case of the group: capacity 1, the cost of
                          leaving that case unassigned (and its tie-break)

Only which cases wait depends on the case; which officers a group's placed cases go to
does not. So this network has the same optimum as the case-by-case one, with a few
thousand nodes instead of a hundred thousand, and `plan.place_cases` hands each group's
officers to its placed cases.

Each group starts with its `candidates_per_case` cheapest eligible officers (more if
their room does not cover the group). After each solve, node potentials price the
officers left out: if giving some group one of them would lower the cost, those arcs
join and the network is solved again. When no left-out arc would help, the plan is
optimal over every eligible officer, as if none had been left out.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

import numpy as np

from passage.routing.candidates import Candidates, cheapest, eligible_candidates
from passage.routing.flow import Network, Solution, add_officers_and_offices, potentials, solve
from passage.routing.instance import BoolArray, Instance, IntArray, prepare
from passage.routing.model import DEFAULT_POLICY, Officer, OpenCase, RoutingPlan, RoutingPolicy
from passage.routing.plan import build_plan, place_cases, waiting_tie_breaks

# Pricing adds arcs each round and stops when none helps; this only bounds the rounds.
MAX_ROUNDS = 20


def rebalance(
    cases: Iterable[OpenCase],
    officers: Iterable[Officer],
    office_capacity: Mapping[str, int] | None = None,
    policy: RoutingPolicy = DEFAULT_POLICY,
) -> RoutingPlan:
    """Assign open cases to officers at minimum total cost.

    Hard constraints: only eligible officers (room, skills at their minimums, an
    eligible office), never more cases than an officer's capacity or an office's
    (`office_capacity`; an office missing from it is limited only by its officers).
    Cost: see `RoutingPolicy`; ties go to the plan that places the earlier files.
    """
    started = time.perf_counter()
    instance = prepare(cases, officers, office_capacity)
    every = eligible_candidates(instance, policy)
    keep = cheapest(every, policy.candidates_per_case, instance)
    tie_breaks = waiting_tie_breaks(instance)
    build_seconds = time.perf_counter() - started
    solve_seconds = 0.0
    rounds = 0
    while True:
        rounds += 1
        building = time.perf_counter()
        kept = every.only(keep)
        network, to_officers, to_waiting, supplies = _network(instance, policy, kept, tie_breaks)
        build_seconds += time.perf_counter() - building
        solution = solve(network, supplies)
        build_seconds += solution.load_seconds
        solve_seconds += solution.solve_seconds
        pricing = time.perf_counter()
        helping = _left_out_that_help(instance, every, keep, solution)
        solve_seconds += time.perf_counter() - pricing
        if not helping.any() or rounds == MAX_ROUNDS:
            break
        keep |= helping

    placing = time.perf_counter()
    officer_of_case = place_cases(
        instance, kept, solution.flows[to_officers], solution.flows[to_waiting] > 0
    )
    return build_plan(
        "rebalance",
        instance,
        policy,
        kept,
        officer_of_case,
        arcs=network.arcs,
        build_seconds=build_seconds,
        solve_seconds=solve_seconds,
        started=placing,
        stats={
            "groups": len(instance.groups),
            "nodes": solution.nodes,
            "eligible_pairs": len(every.officer),
            "candidate_arcs": len(kept.officer),
            "rounds": rounds,
            "proven_optimal": not helping.any(),
            "tie_broken": solution.tie_broken,
        },
    )


def _network(
    instance: Instance, policy: RoutingPolicy, kept: Candidates, tie_breaks: IntArray
) -> tuple[Network, slice, slice, IntArray]:
    groups = len(instance.groups)
    network = Network()
    to_officers = network.add(
        kept.group,
        groups + kept.officer,
        np.minimum(instance.capacity[kept.officer], instance.group_sizes[kept.group]),
        kept.cost,
    )
    sink = add_officers_and_offices(network, instance, first_officer=groups)
    to_waiting = network.add(
        instance.case_group,
        np.full(len(instance.cases), sink, dtype=np.int64),
        np.ones(1, dtype=np.int64),
        policy.unassigned_base + policy.unassigned_per_day * instance.case_ages,
        tie_breaks,
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:groups] = instance.group_sizes
    supplies[sink] = -len(instance.cases)
    return network, to_officers, to_waiting, supplies


def _left_out_that_help(
    instance: Instance,
    every: Candidates,
    keep: BoolArray,
    solution: Solution,
) -> BoolArray:
    """The left-out candidates whose arc would have a negative reduced cost."""
    helping = np.zeros(len(keep), dtype=np.bool_)
    left_out = np.flatnonzero(~keep)
    if not len(left_out):
        return helping
    potential = potentials(solution)
    groups = len(instance.groups)
    group = every.group[left_out]
    # Group -> officer arcs carry no tie-break: their weight is cost x scale.
    reduced = (
        every.cost[left_out] * solution.scale
        + potential[group]
        - potential[groups + every.officer[left_out]]
    )
    helping[left_out[reduced < 0]] = True
    return helping
