"""Random small routing instances for property tests, and a checker that recomputes every
rule of a plan from the raw input, independently of the routing code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from passage.routing import Officer, OpenCase, RoutingPlan, RoutingPolicy

SKILLS = ["iec/standard", "iec/complex", "eta/standard", "en", "fr"]
OFFICES = ["north", "south", "east"]


@dataclass(frozen=True)
class Instance:
    cases: list[OpenCase]
    officers: list[Officer]
    office_capacity: dict[str, int] | None


requirement_lists = st.lists(
    st.tuples(st.sampled_from(SKILLS), st.integers(1, 5)),
    min_size=1,
    max_size=2,
    unique_by=lambda requirement: requirement[0],
).map(tuple)

office_sets = st.none() | st.frozensets(st.sampled_from([*OFFICES, "west"]), min_size=1)


@st.composite
def officers_(draw: st.DrawFn, max_size: int = 8) -> list[Officer]:
    count = draw(st.integers(1, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    return [
        Officer(
            officer_id=officer_id,
            office=draw(st.sampled_from(OFFICES)),
            skills=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=5)),
            capacity=draw(st.integers(0, 4)),
            load=draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])),
        )
        for officer_id in ids
    ]


@st.composite
def cases_(draw: st.DrawFn, max_size: int = 25) -> list[OpenCase]:
    count = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 100_000), min_size=count, max_size=count, unique=True))
    return [
        OpenCase(
            case_id=case_id,
            requirements=draw(requirement_lists),
            age_days=draw(st.integers(0, 30)),
            eligible_offices=draw(office_sets),
        )
        for case_id in ids
    ]


@st.composite
def instances(draw: st.DrawFn, max_cases: int = 25, max_officers: int = 8) -> Instance:
    office_capacity = draw(
        st.none() | st.dictionaries(st.sampled_from(OFFICES), st.integers(0, 6), max_size=3)
    )
    officers = draw(officers_(max_officers))
    officer_ids = [officer.officer_id for officer in officers]
    # Some cases bar some officers (a conflict of interest), whatever their skills.
    cases = [
        replace(case, excluded_officers=draw(st.frozensets(st.sampled_from(officer_ids))))
        if draw(st.booleans())
        else case
        for case in draw(cases_(max_cases))
    ]
    return Instance(cases=cases, officers=officers, office_capacity=office_capacity)


def can_take(officer: Officer, case: OpenCase) -> bool:
    """Holds every skill at its minimum, in an eligible office, and is not barred from the
    case (room aside)."""
    return (
        all(officer.skills.get(skill, 0) >= minimum for skill, minimum in case.requirements)
        and (case.eligible_offices is None or officer.office in case.eligible_offices)
        and officer.officer_id not in case.excluded_officers
    )


def assignment_cost(officer: Officer, case: OpenCase, policy: RoutingPolicy) -> int:
    above = sum(officer.skills[skill] - minimum for skill, minimum in case.requirements)
    return policy.overqualification * above + round(policy.load * officer.load)


def check_plan(
    plan: RoutingPlan,
    cases: Sequence[OpenCase],
    officers: Sequence[Officer],
    office_capacity: Mapping[str, int] | None,
    policy: RoutingPolicy,
) -> None:
    """Every rule a plan must keep, recomputed from the input."""
    case_by_id = {case.case_id: case for case in cases}
    officer_by_id = {officer.officer_id: officer for officer in officers}
    assigned = [assignment.case_id for assignment in plan.assignments]
    waiting = [unassigned.case_id for unassigned in plan.unassigned]
    assert sorted(assigned + waiting) == sorted(case_by_id), "each case exactly once"

    per_officer = Counter(assignment.officer_id for assignment in plan.assignments)
    for officer_id, count in per_officer.items():
        assert count <= officer_by_id[officer_id].capacity
    per_office = Counter(officer_by_id[officer_id].office for officer_id in per_officer.elements())
    for office, count in per_office.items():
        assert count <= (office_capacity or {}).get(office, count)

    total = 0
    for assignment in plan.assignments:
        case = case_by_id[assignment.case_id]
        officer = officer_by_id[assignment.officer_id]
        assert officer.capacity > 0
        assert can_take(officer, case)
        assert assignment.cost == assignment_cost(officer, case, policy)
        total += assignment.cost
    for unassigned in plan.unassigned:
        case = case_by_id[unassigned.case_id]
        qualified = [officer for officer in officers if can_take(officer, case)]
        assert unassigned.reason == ("no-capacity" if qualified else "no-eligible-officer")
        assert unassigned.eligible_officers == sum(1 for o in qualified if o.capacity > 0)
        total += policy.unassigned_cost(case.age_days)
    assert plan.total_cost == total
