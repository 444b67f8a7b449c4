"""Min-cost flow networks: arcs collected as numpy arrays, solved by OR-Tools.

Every routing network ends the same way: officer -> office (capacity: the officer's
room) -> sink (capacity: the office's budget), so no officer and no office ever takes
more than it can.

Many plans often share the minimum cost (two cases of the same age competing for the
same slot at the same cost, say), and which one a solver returns depends on how the
network was laid out. So that the plan depends on the cases alone, `solve` breaks such
ties by a second, smaller cost (the tie-break: which case should wait first) and checks
that doing so gave up nothing of the policy's cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from passage.routing.instance import Instance, IntArray

# Costs, scaled for the tie-break, must stay well inside what the solver accepts: it
# multiplies them by the number of nodes, and sums them over the flow.
COST_LIMIT = 1 << 61


@dataclass(slots=True)
class Network:
    """Arcs collected in blocks; each block's arcs keep their order."""

    tails: list[IntArray] = field(default_factory=list)
    heads: list[IntArray] = field(default_factory=list)
    capacities: list[IntArray] = field(default_factory=list)
    costs: list[IntArray] = field(default_factory=list)
    tie_breaks: list[IntArray] = field(default_factory=list)
    arcs: int = 0

    def add(
        self,
        tails: IntArray,
        heads: IntArray,
        capacities: IntArray,
        costs: IntArray,
        tie_breaks: IntArray | None = None,
    ) -> slice:
        """Add arcs (dropping none) and return where their flows will be.

        `tie_breaks` (>= 0, default 0) only decide between plans of equal cost.
        """
        count = len(tails)
        self.tails.append(tails)
        self.heads.append(heads)
        self.capacities.append(np.broadcast_to(capacities, (count,)))
        self.costs.append(np.broadcast_to(costs, (count,)))
        zero = np.zeros(1, dtype=np.int64)
        self.tie_breaks.append(
            np.broadcast_to(zero if tie_breaks is None else tie_breaks, (count,))
        )
        first = self.arcs
        self.arcs += count
        return slice(first, self.arcs)


@dataclass(frozen=True, slots=True)
class Solution:
    """The flow on every arc, in the order the arcs were added, and the solver's time.

    `weights` are the unit costs the flow is optimal for: cost x `scale` + tie-break
    when `tie_broken`, else the costs alone (`scale` 1). `potentials` needs them.
    """

    flows: IntArray
    cost: int
    load_seconds: float
    solve_seconds: float
    tie_broken: bool
    tails: IntArray
    heads: IntArray
    capacities: IntArray
    weights: IntArray
    scale: int
    nodes: int


def solve(network: Network, supplies: IntArray) -> Solution:
    """A minimum-cost flow (node i supplies `supplies[i]`; negative: demands) and, among
    those, one of least tie-break; raise if the solver does not reach an optimum.

    The network is solved twice: on its costs, then on cost x scale + tie-break with a
    scale above any single tie-break, so that one exchange of cases never outweighs a
    unit of cost. If the second plan costs exactly the optimum, it is the optimum of
    least tie-break; otherwise the scale grows while the solver can take it, and at
    worst the first plan stands.
    """
    if not network.arcs:
        if np.any(supplies):
            raise RuntimeError("supplies but no arcs: the network has no feasible flow")
        empty = np.zeros(0, dtype=np.int64)
        return Solution(empty, 0, 0.0, 0.0, True, empty, empty, empty, empty, 1, len(supplies))
    tails = np.concatenate(network.tails).astype(np.int64)
    heads = np.concatenate(network.heads).astype(np.int64)
    capacities = np.concatenate(network.capacities).astype(np.int64)
    costs = np.concatenate(network.costs).astype(np.int64)
    tie_breaks = np.concatenate(network.tie_breaks).astype(np.int64)

    load_seconds = solve_seconds = 0.0
    best: IntArray | None = None
    optimum = 0
    scale = 1
    largest_cost = int(np.abs(costs).max())
    largest_tie_break = int(tie_breaks.max())
    total_supply = int(supplies[supplies > 0].sum())
    while True:
        started = time.perf_counter()
        solver = min_cost_flow.SimpleMinCostFlow()
        weights = costs if best is None else costs * scale + tie_breaks
        solver.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), capacities, weights
        )
        solver.set_nodes_supplies(
            np.arange(len(supplies), dtype=np.int32), supplies.astype(np.int64)
        )
        loaded = time.perf_counter()
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"the min-cost flow solver stopped with status {status!r}")
        flows = np.asarray(solver.flows(np.arange(len(tails), dtype=np.int32)), dtype=np.int64)
        load_seconds += loaded - started
        solve_seconds += time.perf_counter() - loaded
        if best is None:
            best, optimum = flows, int(solver.optimal_cost())
        elif int(flows @ costs) == optimum:
            return Solution(
                flows, optimum, load_seconds, solve_seconds, True,
                tails, heads, capacities, weights, scale, len(supplies),
            )  # fmt: skip
        if largest_tie_break == 0:
            break
        scale *= largest_tie_break + 1
        largest_scaled = largest_cost * scale + largest_tie_break
        if largest_scaled * (len(supplies) + 1) >= COST_LIMIT or (
            largest_scaled * max(1, total_supply) >= COST_LIMIT
        ):
            break
    return Solution(
        best, optimum, load_seconds, solve_seconds, largest_tie_break == 0,
        tails, heads, capacities, costs, 1, len(supplies),
    )  # fmt: skip


def potentials(solution: Solution) -> IntArray:
    """Node potentials that prove the flow optimal: on every arc that could still carry
    more flow, weight + potential(tail) - potential(head) >= 0, and on every arc that
    carries flow, weight + potential(tail) - potential(head) <= 0.

    They are shortest distances in the residual network (arcs with room left, and arcs
    with flow turned around with negated weights) from a root joined to every node at
    no cost, found by Bellman-Ford, relaxing only the arcs out of nodes that moved in
    the last round.
    """
    room = solution.flows < solution.capacities
    used = solution.flows > 0
    tails = np.concatenate([solution.tails[room], solution.heads[used]])
    heads = np.concatenate([solution.heads[room], solution.tails[used]])
    weights = np.concatenate([solution.weights[room], -solution.weights[used]])
    distance = np.zeros(solution.nodes, dtype=np.int64)
    moved = np.ones(solution.nodes, dtype=np.bool_)
    for _ in range(solution.nodes + 1):
        out = moved[tails]
        if not out.any():
            return distance
        better = distance.copy()
        np.minimum.at(better, heads[out], distance[tails[out]] + weights[out])
        moved = better < distance
        distance = better
    raise RuntimeError("the residual network has a negative cycle: the flow is not optimal")


def add_officers_and_offices(network: Network, instance: Instance, first_officer: int) -> int:
    """Add officer -> office -> sink arcs; officers are nodes `first_officer` onwards,
    offices follow them, and the sink is the node after the offices (returned)."""
    officers = len(instance.officers)
    first_office = first_officer + officers
    sink = first_office + len(instance.offices)
    with_room = np.flatnonzero(instance.capacity > 0)
    network.add(
        first_officer + with_room,
        first_office + instance.officer_office[with_room],
        instance.capacity[with_room],
        np.zeros(1, dtype=np.int64),
    )
    network.add(
        first_office + np.arange(len(instance.offices), dtype=np.int64),
        np.full(len(instance.offices), sink, dtype=np.int64),
        instance.office_limit,
        np.zeros(1, dtype=np.int64),
    )
    return sink
