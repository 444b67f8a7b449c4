"""The routing input and policy refuse what makes no sense; plans explain themselves."""

import json

import pytest

from passage.routing import (
    DEFAULT_POLICY,
    Officer,
    OpenCase,
    RoutingPolicy,
    greedy_oldest_first,
    optimum,
    rebalance,
)


def test_a_minimum_proficiency_outside_one_to_five_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum proficiency"):
        OpenCase(1, (("en", 0),), age_days=1)
    with pytest.raises(ValueError, match="minimum proficiency"):
        OpenCase(1, (("en", 6),), age_days=1)


def test_negative_ages_capacities_and_loads_above_one_are_refused() -> None:
    with pytest.raises(ValueError, match="age"):
        OpenCase(1, (("en", 1),), age_days=-1)
    with pytest.raises(ValueError, match="capacity"):
        Officer(1, "north", {"en": 3}, capacity=-1)
    with pytest.raises(ValueError, match="load"):
        Officer(1, "north", {"en": 3}, capacity=1, load=1.5)


def test_the_cost_of_waiting_must_grow_with_age() -> None:
    with pytest.raises(ValueError, match="unassigned_per_day"):
        RoutingPolicy(unassigned_per_day=0)
    with pytest.raises(ValueError, match="candidates_per_case"):
        RoutingPolicy(candidates_per_case=0)
    assert DEFAULT_POLICY.unassigned_cost(11) > DEFAULT_POLICY.unassigned_cost(10)


def test_by_default_any_assignment_is_cheaper_than_leaving_the_case_waiting() -> None:
    policy = DEFAULT_POLICY
    requirements = 240
    worst = policy.overqualification * 4 * requirements + policy.load
    assert worst < policy.unassigned_cost(0)


def test_every_assignment_carries_its_reasons_as_json() -> None:
    officers = [Officer(7, "north", {"iec/complex": 5, "fr": 4}, capacity=1, load=0.5)]
    cases = [
        OpenCase(1, (("iec/complex", 3), ("fr", 3)), 40, frozenset({"north", "east"})),
        OpenCase(2, (("iec/complex", 3),), 2),
    ]
    for method in (rebalance, optimum, greedy_oldest_first):
        plan = method(cases, officers)
        [assignment] = plan.assignments
        reasons = json.loads(json.dumps(assignment.reasons))
        assert reasons["requirements"] == [
            {"skill": "fr", "minimum": 3, "proficiency": 4},
            {"skill": "iec/complex", "minimum": 3, "proficiency": 5},
        ]
        assert reasons["office"] == "north"
        assert reasons["eligible_offices"] == ["east", "north"]
        assert reasons["age_days"] == 40
        assert reasons["cost"] == {"overqualification": 30, "load": 15, "total": 45}
        assert assignment.cost == 45
        assert reasons["unassigned_cost"] == 10_000 + 20 * 40
        assert reasons["candidates"] == {"eligible": 1, "considered": 1}
        assert reasons["policy"] == DEFAULT_POLICY.as_dict()
        assert reasons["method"] == plan.method
        assert [(u.case_id, u.reason, u.eligible_officers) for u in plan.unassigned] == [
            (2, "no-capacity", 1)
        ]
        assert plan.total_cost == 45 + 10_000 + 20 * 2
