"""The greedy baseline: oldest first, cheapest eligible officer with room."""

from hypothesis import given, settings

from passage.routing import DEFAULT_POLICY, Officer, OpenCase, greedy_oldest_first, optimum
from tests.routing.builders import Instance, check_plan, instances


@settings(max_examples=50, deadline=None)
@given(instances())
def test_the_greedy_baseline_keeps_every_rule_and_is_never_better_than_the_optimum(
    instance: Instance,
) -> None:
    plan = greedy_oldest_first(instance.cases, instance.officers, instance.office_capacity)
    check_plan(plan, instance.cases, instance.officers, instance.office_capacity, DEFAULT_POLICY)
    best = optimum(instance.cases, instance.officers, instance.office_capacity)
    assert plan.total_cost >= best.total_cost


def test_the_oldest_case_takes_the_cheapest_officer_first_even_when_that_strands_another() -> None:
    officers = [Officer(1, "north", {"en": 3, "fr": 3}, 1), Officer(2, "north", {"en": 5}, 1)]
    old_english = OpenCase(1, (("en", 3),), age_days=90)
    young_bilingual = OpenCase(2, (("en", 3), ("fr", 3)), age_days=10)
    greedy = greedy_oldest_first([old_english, young_bilingual], officers)
    assert [(a.case_id, a.officer_id) for a in greedy.assignments] == [(1, 1)]
    assert [u.case_id for u in greedy.unassigned] == [2]
    best = optimum([old_english, young_bilingual], officers)
    assert [(a.case_id, a.officer_id) for a in best.assignments] == [(1, 2), (2, 1)]


def test_a_full_office_sends_the_case_to_the_next_office() -> None:
    officers = [Officer(1, "north", {"en": 3}, 5), Officer(2, "south", {"en": 4}, 5)]
    cases = [OpenCase(i, (("en", 3),), age_days=10 - i) for i in range(1, 4)]
    plan = greedy_oldest_first(cases, officers, office_capacity={"north": 1})
    assert [(a.case_id, a.officer_id) for a in plan.assignments] == [(1, 1), (2, 2), (3, 2)]
