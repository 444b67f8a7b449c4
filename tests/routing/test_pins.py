"""Cases a supervisor pinned to an officer: left out of the plan while their officer can
hold them, taking that officer's room and their office's; routed like any other when the
officer is on leave, gone or barred."""

import dataclasses
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passage.routing import (
    DEFAULT_POLICY,
    Officer,
    OpenCase,
    Pinned,
    RoutingPlan,
    greedy_oldest_first,
    optimum,
    rebalance,
)
from tests.routing.builders import Instance, instances

METHODS = [rebalance, optimum, greedy_oldest_first]
IEC = (("iec/standard", 1),)

Method = Callable[..., RoutingPlan]


def officer(officer_id: int, *, capacity: int = 5, office: str = "north", **fields) -> Officer:
    return Officer(
        officer_id=officer_id,
        office=office,
        skills={"iec/standard": 3},
        capacity=capacity,
        **fields,
    )


def case(case_id: int, *, pinned_to: int | None = None, **fields) -> OpenCase:
    return OpenCase(case_id=case_id, requirements=IEC, age_days=1, pinned_to=pinned_to, **fields)


def routed(plan: RoutingPlan) -> set[int]:
    return {a.case_id for a in plan.assignments} | {u.case_id for u in plan.unassigned}


@pytest.mark.parametrize("method", METHODS)
def test_a_pinned_case_is_left_out_of_the_plan_with_its_officer(method: Method) -> None:
    # The optimiser would prefer officer 2 (idle); the supervisor chose officer 1.
    officers = [officer(1, load=1.0), officer(2)]

    plan = method([case(10, pinned_to=1), case(11)], officers)

    assert plan.pinned == [Pinned(case_id=10, officer_id=1)]
    assert routed(plan) == {11}
    assert plan.released == {}
    assert plan.stats["pinned"] == 1


@pytest.mark.parametrize("method", METHODS)
def test_a_pinned_case_stays_whatever_the_officers_skills_or_room(method: Method) -> None:
    novice = Officer(officer_id=1, office="north", skills={}, capacity=0)

    plan = method([case(10, pinned_to=1, eligible_offices=frozenset({"south"}))], [novice])

    assert plan.pinned == [Pinned(case_id=10, officer_id=1)]
    assert plan.assignments == []
    assert plan.unassigned == []
    assert plan.total_cost == 0


@pytest.mark.parametrize("method", METHODS)
def test_pinned_cases_take_their_officers_room_and_their_offices(method: Method) -> None:
    officers = [officer(1, capacity=2), officer(2, capacity=5)]
    cases = [case(10, pinned_to=1), case(11, pinned_to=1), *[case(i) for i in range(20, 24)]]

    plan = method(cases, officers, {"north": 4})

    # Officer 1's two places went to the pinned cases; the office's budget of four kept
    # two for the rest, which officer 2 takes.
    per_officer = Counter(a.officer_id for a in plan.assignments)
    assert per_officer == {2: 2}
    assert [u.reason for u in plan.unassigned] == ["no-capacity", "no-capacity"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("officers", "excluded", "why"),
    [
        ([officer(1, on_leave=True), officer(2)], frozenset(), "officer-on-leave"),
        ([officer(2)], frozenset(), "officer-unavailable"),
        ([officer(1), officer(2)], frozenset({1}), "officer-excluded"),
    ],
    ids=["on-leave", "gone", "conflict"],
)
def test_a_pinned_case_whose_officer_cannot_hold_it_is_routed_and_says_why(
    method: Method, officers: list[Officer], excluded: frozenset[int], why: str
) -> None:
    plan = method([case(10, pinned_to=1, excluded_officers=excluded)], officers)

    assert plan.pinned == []
    assert plan.released == {10: why}
    (assignment,) = plan.assignments
    assert assignment.officer_id == 2
    assert assignment.reasons["pin_released"] == why


@pytest.mark.parametrize("method", METHODS)
def test_an_officer_on_leave_gets_nothing_whatever_their_capacity(method: Method) -> None:
    plan = method([case(10)], [officer(1, capacity=5, on_leave=True)])

    assert [u.reason for u in plan.unassigned] == ["no-capacity"]


@st.composite
def pinned_instances(draw: st.DrawFn) -> Instance:
    """A random instance where some cases are pinned to an officer of it or to one who
    is not among them, and some officers are on leave."""
    instance = draw(instances())
    ids = [o.officer_id for o in instance.officers]
    officers = [dataclasses.replace(o, on_leave=draw(st.booleans())) for o in instance.officers]
    cases = [
        dataclasses.replace(c, pinned_to=draw(st.none() | st.sampled_from([*ids, 999_999])))
        for c in instance.cases
    ]
    return Instance(cases=cases, officers=officers, office_capacity=instance.office_capacity)


@settings(max_examples=50, deadline=None)
@given(pinned_instances())
def test_every_case_is_pinned_or_routed_once_and_no_officer_passes_their_room(
    instance: Instance,
) -> None:
    plans = [
        method(instance.cases, instance.officers, instance.office_capacity, DEFAULT_POLICY)
        for method in METHODS
    ]
    by_id = {o.officer_id: o for o in instance.officers}
    for plan in plans:
        held = Counter(pin.officer_id for pin in plan.pinned)
        kept = [pin.case_id for pin in plan.pinned]
        assert sorted(kept + sorted(routed(plan))) == sorted(c.case_id for c in instance.cases)
        for pin in plan.pinned:
            assert not by_id[pin.officer_id].on_leave
        for officer_id, count in Counter(a.officer_id for a in plan.assignments).items():
            room = by_id[officer_id]
            assert not room.on_leave
            assert count <= max(0, room.capacity - held[officer_id])
        for case_id in plan.released:
            assert case_id in routed(plan)
    # The three methods agree on what stays pinned.
    assert plans[0].pinned == plans[1].pinned == plans[2].pinned
