"""From flows to a plan: which case goes to which officer, and why.

A solver says which cases wait and how many cases of each group go to each officer.
Cases of one group are interchangeable to officers, so within a group the oldest cases
(then the lowest ids) get the cheapest officers. The same input always gives the same
plan, whatever the order of the cases and officers in it.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from passage.routing.candidates import Candidates, load_costs
from passage.routing.instance import BoolArray, Instance, IntArray
from passage.routing.model import (
    Assignment,
    RoutingPlan,
    RoutingPolicy,
    Unassigned,
    UnassignedReason,
)

WAITING = -1


def waiting_tie_breaks(instance: Instance) -> IntArray:
    """For each case, what leaving it waiting adds to break ties: the lower its id (the
    earlier the file), the more, so that of two otherwise equal plans the one that
    places the earlier files wins."""
    count = len(instance.cases)
    return np.arange(count - 1, -1, -1, dtype=np.int64)


def place_cases(
    instance: Instance,
    candidates: Candidates,
    entry_flow: IntArray,
    waiting: BoolArray,
) -> IntArray:
    """The officer (index) of each case, or WAITING.

    `entry_flow[i]` is how many cases of the entry's group go to the entry's officer;
    `waiting` marks the cases left unassigned. Within a group, the oldest cases (then the
    lowest ids) get the cheapest officers (then the lowest officer ids).
    """
    officer_of_case = np.full(len(instance.cases), WAITING, dtype=np.int64)
    placed = np.flatnonzero(~waiting)
    placed = placed[
        np.lexsort(
            (
                instance.case_ids[placed],
                -instance.case_ages[placed],
                instance.case_group[placed],
            )
        )
    ]
    slots = np.repeat(candidates.officer, entry_flow)
    if len(slots) != len(placed) or not np.array_equal(
        np.repeat(candidates.group, entry_flow), instance.case_group[placed]
    ):
        raise RuntimeError("the flows do not balance group by group")
    officer_of_case[placed] = slots
    return officer_of_case


def build_plan(
    method: str,
    instance: Instance,
    policy: RoutingPolicy,
    candidates: Candidates,
    officer_of_case: IntArray,
    *,
    arcs: int = 0,
    build_seconds: float = 0.0,
    solve_seconds: float = 0.0,
    started: float,
    stats: dict[str, Any] | None = None,
) -> RoutingPlan:
    """Assignments and unassigned cases with their reasons, and the pinned cases left
    with their officer, checked against every hard constraint (a violation is a bug and
    raises).

    Assignments of the same group to the same officer share the nested parts of their
    reasons (requirements, cost, candidates, policy): treat reasons as read-only.
    """
    _check_capacities(instance, officer_of_case)
    load = load_costs(instance, policy).tolist()
    policy_reasons = policy.as_dict()
    considered = candidates.considered.tolist()
    eligible = candidates.eligible.tolist()
    qualified = candidates.qualified.tolist()
    pairs: dict[tuple[int, int], tuple[dict[str, Any], int]] = {}
    assignments: list[Assignment] = []
    unassigned: list[Unassigned] = []
    total = 0
    base, per_day = policy.unassigned_base, policy.unassigned_per_day
    for case_id, age, group, officer in zip(
        instance.case_ids.tolist(),
        instance.case_ages.tolist(),
        instance.case_group.tolist(),
        officer_of_case.tolist(),
        strict=True,
    ):
        waiting_cost = base + per_day * age
        if officer == WAITING:
            reason: UnassignedReason = "no-capacity" if qualified[group] else "no-eligible-officer"
            unassigned.append(Unassigned(case_id, reason, eligible[group]))
            total += waiting_cost
            continue
        pair = pairs.get((group, officer))
        if pair is None:
            counts = {"eligible": eligible[group], "considered": considered[group]}
            pair = pairs[group, officer] = _pair_reasons(
                method, instance, policy, group, officer, load[officer], counts, policy_reasons
            )
        shared, cost = pair
        reasons = {**shared, "age_days": age, "unassigned_cost": waiting_cost}
        if case_id in instance.released:
            reasons["pin_released"] = instance.released[case_id]
        assignments.append(
            Assignment(case_id, instance.officers[officer].officer_id, cost, reasons)
        )
        total += cost
    return RoutingPlan(
        method=method,
        assignments=assignments,
        unassigned=unassigned,
        total_cost=total,
        pinned=list(instance.pinned),
        released=dict(instance.released),
        arcs=arcs,
        build_seconds=build_seconds,
        solve_seconds=solve_seconds,
        plan_seconds=time.perf_counter() - started,
        stats={
            "cases": len(instance.cases),
            "officers": len(instance.officers),
            "pinned": len(instance.pinned),
        }
        | (stats or {}),
    )


def _pair_reasons(
    method: str,
    instance: Instance,
    policy: RoutingPolicy,
    group: int,
    officer_index: int,
    load_cost: int,
    candidates: dict[str, int],
    policy_reasons: dict[str, int],
) -> tuple[dict[str, Any], int]:
    requirements, offices, excluded = instance.groups[group]
    officer = instance.officers[officer_index]
    if officer.officer_id in excluded:
        raise RuntimeError(f"officer {officer.officer_id} is excluded from these cases")
    details = []
    above = 0
    for skill, minimum in requirements:
        level = officer.skills.get(skill, 0)
        if level < minimum:
            raise RuntimeError(f"officer {officer.officer_id} lacks {skill} at {minimum}")
        above += level - minimum
        details.append({"skill": skill, "minimum": minimum, "proficiency": level})
    if offices is not None and officer.office not in offices:
        raise RuntimeError(f"officer {officer.officer_id}'s office is not eligible")
    overqualification = policy.overqualification * above
    cost = overqualification + load_cost
    reasons: dict[str, Any] = {
        "method": method,
        "requirements": details,
        "office": officer.office,
        "eligible_offices": sorted(offices) if offices is not None else None,
        "officer_load": officer.load,
        "cost": {"overqualification": overqualification, "load": load_cost, "total": cost},
        "candidates": candidates,
        "policy": policy_reasons,
    }
    return reasons, cost


def _check_capacities(instance: Instance, officer_of_case: IntArray) -> None:
    taken = officer_of_case[officer_of_case != WAITING]
    per_officer = np.bincount(taken, minlength=len(instance.officers))
    if np.any(per_officer > instance.capacity):
        raise RuntimeError("an officer would get more cases than their capacity")
    per_office = np.bincount(instance.officer_office[taken], minlength=len(instance.offices))
    if np.any(per_office > instance.office_limit):
        raise RuntimeError("an office would get more cases than its capacity")
