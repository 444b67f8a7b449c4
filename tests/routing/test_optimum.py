"""The yardstick itself: on tiny instances, no plan at all is cheaper than `optimum`."""

import itertools
from collections import Counter

from hypothesis import given, settings

from passage.routing import DEFAULT_POLICY, optimum
from tests.routing.builders import Instance, assignment_cost, can_take, check_plan, instances


def brute_force_cost(instance: Instance) -> int:
    policy = DEFAULT_POLICY
    choices = [
        [None]
        + [
            officer
            for officer in instance.officers
            if officer.capacity > 0 and can_take(officer, case)
        ]
        for case in instance.cases
    ]
    best = None
    for plan in itertools.product(*choices):
        per_officer = Counter(officer.officer_id for officer in plan if officer is not None)
        if any(
            count > officer.capacity
            for officer in instance.officers
            if (count := per_officer[officer.officer_id])
        ):
            continue
        per_office = Counter(officer.office for officer in plan if officer is not None)
        limits = instance.office_capacity or {}
        if any(count > limits.get(office, count) for office, count in per_office.items()):
            continue
        cost = sum(
            policy.unassigned_cost(case.age_days)
            if officer is None
            else assignment_cost(officer, case, policy)
            for case, officer in zip(instance.cases, plan, strict=True)
        )
        best = cost if best is None else min(best, cost)
    assert best is not None
    return best


@settings(max_examples=30, deadline=None)
@given(instances(max_cases=5, max_officers=3))
def test_no_plan_is_cheaper_than_the_optimum(instance: Instance) -> None:
    plan = optimum(instance.cases, instance.officers, instance.office_capacity)
    check_plan(plan, instance.cases, instance.officers, instance.office_capacity, DEFAULT_POLICY)
    assert plan.total_cost == brute_force_cost(instance)


@settings(max_examples=30, deadline=None)
@given(instances())
def test_the_optimum_keeps_every_rule(instance: Instance) -> None:
    plan = optimum(instance.cases, instance.officers, instance.office_capacity)
    check_plan(plan, instance.cases, instance.officers, instance.office_capacity, DEFAULT_POLICY)
