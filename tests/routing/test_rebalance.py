"""Passage's router against the optimum and the rules every plan must keep."""

import dataclasses
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings

from passage.routing import (
    DEFAULT_POLICY,
    Officer,
    OpenCase,
    RoutingPlan,
    RoutingPolicy,
    greedy_oldest_first,
    optimum,
    rebalance,
)
from tests.routing.builders import Instance, check_plan, instances

NO_PRUNING = dataclasses.replace(DEFAULT_POLICY, candidates_per_case=1_000)
ONE_CANDIDATE = dataclasses.replace(DEFAULT_POLICY, candidates_per_case=1)


def placed(plan: RoutingPlan) -> set[int]:
    return {assignment.case_id for assignment in plan.assignments}


def run(
    method: Callable[..., RoutingPlan], instance: Instance, policy: RoutingPolicy = DEFAULT_POLICY
) -> RoutingPlan:
    return method(instance.cases, instance.officers, instance.office_capacity, policy)


@settings(max_examples=50, deadline=None)
@given(instances())
def test_an_officer_never_gets_more_cases_than_their_capacity(instance: Instance) -> None:
    # check_plan also holds every office to its capacity, every assignment to the
    # skills and offices, and recomputes each cost and reason from the input.
    for policy in (DEFAULT_POLICY, ONE_CANDIDATE):
        plan = run(rebalance, instance, policy)
        check_plan(plan, instance.cases, instance.officers, instance.office_capacity, policy)


@settings(max_examples=50, deadline=None)
@given(instances())
def test_with_enough_candidates_rebalance_is_the_optimum_case_for_case(
    instance: Instance,
) -> None:
    best = run(optimum, instance, NO_PRUNING)
    plan = run(rebalance, instance, NO_PRUNING)
    assert plan.total_cost == best.total_cost
    assert placed(plan) == placed(best)


@settings(max_examples=30, deadline=None)
@given(instances(max_cases=60, max_officers=12))
def test_starting_from_few_candidates_still_reaches_the_optimum(instance: Instance) -> None:
    best = run(optimum, instance, ONE_CANDIDATE)
    plan = run(rebalance, instance, ONE_CANDIDATE)
    check_plan(plan, instance.cases, instance.officers, instance.office_capacity, ONE_CANDIDATE)
    # The target is 1% of the optimum; pricing the officers left out makes it exact.
    assert plan.total_cost <= 1.01 * best.total_cost
    assert plan.total_cost == best.total_cost
    assert placed(plan) == placed(best)
    assert plan.stats["proven_optimal"]


@settings(max_examples=30, deadline=None)
@given(instances())
def test_the_same_cases_give_the_same_plan_in_any_order(instance: Instance) -> None:
    first = run(rebalance, instance)
    shuffled = random.Random(len(instance.cases)).sample(instance.cases, len(instance.cases))
    again = rebalance(shuffled, instance.officers[::-1], instance.office_capacity)
    assert again.assignments == first.assignments
    assert again.unassigned == first.unassigned


@settings(max_examples=50, deadline=None)
@given(instances())
def test_an_older_case_never_waits_while_an_identical_younger_one_is_placed(
    instance: Instance,
) -> None:
    plan = run(rebalance, instance)
    taken = placed(plan)
    by_id = {case.case_id: case for case in instance.cases}
    for unassigned in plan.unassigned:
        waiting = by_id[unassigned.case_id]
        for case_id in taken:
            other = by_id[case_id]
            if (sorted(other.requirements), other.eligible_offices, other.excluded_officers) == (
                sorted(waiting.requirements),
                waiting.eligible_offices,
                waiting.excluded_officers,
            ):
                assert (other.age_days, -other.case_id) > (waiting.age_days, -waiting.case_id)


def test_the_older_of_two_identical_cases_gets_the_only_slot() -> None:
    officer = Officer(1, "north", {"iec/standard": 3}, capacity=1)
    younger = OpenCase(1, (("iec/standard", 2),), age_days=10)
    older = OpenCase(2, (("iec/standard", 2),), age_days=11)
    for method in (rebalance, optimum, greedy_oldest_first):
        plan = method([younger, older], [officer])
        assert [a.case_id for a in plan.assignments] == [2]
        assert plan.unassigned[0].case_id == 1
        assert plan.unassigned[0].reason == "no-capacity"


def test_of_two_cases_of_the_same_age_the_earlier_file_gets_the_only_slot() -> None:
    officer = Officer(1, "north", {"iec/standard": 3, "eta/standard": 3}, capacity=1)
    cases = [
        OpenCase(8, (("iec/standard", 2),), age_days=5),
        OpenCase(7, (("eta/standard", 2),), age_days=5),
    ]
    for method in (rebalance, optimum, greedy_oldest_first):
        assert [a.case_id for a in method(cases, [officer]).assignments] == [7]


def test_an_older_case_wins_the_slot_even_across_groups() -> None:
    officer = Officer(1, "north", {"iec/standard": 4, "en": 5}, capacity=1)
    routine = OpenCase(1, (("iec/standard", 1),), age_days=3)
    harder = OpenCase(2, (("iec/standard", 4), ("en", 3)), age_days=30)
    assert [a.case_id for a in rebalance([routine, harder], [officer]).assignments] == [2]


def test_a_case_nobody_can_take_is_reported_as_having_no_eligible_officer() -> None:
    officers = [
        Officer(1, "north", {"iec/standard": 5}, capacity=3),
        Officer(2, "south", {"eta/standard": 5}, capacity=3),
    ]
    cases = [
        OpenCase(1, (("iec/complex", 1),), age_days=40),  # nobody holds the skill
        OpenCase(2, (("iec/standard", 5),), age_days=40, eligible_offices=frozenset({"south"})),
    ]
    for method in (rebalance, optimum, greedy_oldest_first):
        plan = method(cases, officers)
        assert plan.assignments == []
        assert [(u.case_id, u.reason, u.eligible_officers) for u in plan.unassigned] == [
            (1, "no-eligible-officer", 0),
            (2, "no-eligible-officer", 0),
        ]


def test_a_case_whose_officers_are_full_or_on_leave_waits_for_capacity() -> None:
    officers = [
        Officer(1, "north", {"iec/standard": 5}, capacity=0),
        Officer(2, "north", {"iec/standard": 5}, capacity=1),
    ]
    cases = [OpenCase(1, (("iec/standard", 1),), 9), OpenCase(2, (("iec/standard", 1),), 8)]
    plan = rebalance(cases, officers)
    assert [(a.case_id, a.officer_id) for a in plan.assignments] == [(1, 2)]
    assert [(u.case_id, u.reason, u.eligible_officers) for u in plan.unassigned] == [
        (2, "no-capacity", 1)
    ]


def test_an_office_budget_holds_back_its_officers() -> None:
    officers = [Officer(i, "north", {"en": 3}, capacity=5) for i in (1, 2)]
    cases = [OpenCase(i, (("en", 3),), age_days=i) for i in range(1, 8)]
    plan = rebalance(cases, officers, office_capacity={"north": 3, "south": 0})
    assert sorted(placed(plan)) == [5, 6, 7]


def test_the_cheapest_fitting_officer_takes_the_case_and_experts_stay_free() -> None:
    officers = [
        Officer(1, "north", {"iec/complex": 5}, capacity=1),
        Officer(2, "north", {"iec/complex": 3}, capacity=1),
    ]
    routine = OpenCase(1, (("iec/complex", 2),), age_days=50)
    hard = OpenCase(2, (("iec/complex", 5),), age_days=1)
    plan = rebalance([routine, hard], officers)
    assert {a.case_id: a.officer_id for a in plan.assignments} == {1: 2, 2: 1}
    greedy = greedy_oldest_first([routine, hard], officers)
    assert {a.case_id: a.officer_id for a in greedy.assignments} == {1: 2, 2: 1}


def test_between_equally_fitting_officers_the_less_loaded_one_is_chosen() -> None:
    officers = [
        Officer(1, "north", {"en": 4}, capacity=2, load=0.9),
        Officer(2, "south", {"en": 4}, capacity=2, load=0.1),
    ]
    plan = rebalance([OpenCase(1, (("en", 3),), 0)], officers)
    assert plan.assignments[0].officer_id == 2
    assert plan.assignments[0].cost == 10 + 3


def test_duplicate_ids_are_refused() -> None:
    case = OpenCase(1, (("en", 1),), 0)
    officer = Officer(1, "north", {"en": 1}, 1)
    with pytest.raises(ValueError, match="case 1"):
        rebalance([case, case], [officer])
    with pytest.raises(ValueError, match="officer 1"):
        rebalance([case], [officer, officer])


def test_no_cases_and_no_officers_make_an_empty_plan() -> None:
    for method in (rebalance, optimum, greedy_oldest_first):
        plan = method([], [])
        assert (plan.assignments, plan.unassigned, plan.total_cost) == ([], [], 0)
        lone = method([OpenCase(1, (("en", 1),), 2)], [])
        assert lone.unassigned[0].reason == "no-eligible-officer"
        assert lone.total_cost == DEFAULT_POLICY.unassigned_cost(2)


def test_an_officer_barred_from_a_case_never_gets_it_even_when_only_they_could() -> None:
    officers = [
        Officer(officer_id=1, office="north", skills={"iec/standard": 3}, capacity=5),
        Officer(officer_id=2, office="north", skills={"iec/standard": 5}, capacity=5),
    ]
    barred_from_one = OpenCase(
        case_id=10,
        requirements=(("iec/standard", 3),),
        age_days=1,
        excluded_officers=frozenset({1}),
    )
    barred_from_both = dataclasses.replace(
        barred_from_one, case_id=11, excluded_officers=frozenset({1, 2})
    )

    plan = rebalance([barred_from_one, barred_from_both], officers)

    assert [(a.case_id, a.officer_id) for a in plan.assignments] == [(10, 2)]
    assert [(u.case_id, u.reason) for u in plan.unassigned] == [(11, "no-eligible-officer")]
