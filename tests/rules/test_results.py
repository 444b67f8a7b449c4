import datetime
from pathlib import Path

import pytest

from passage.rules import Outcome, evaluate, evaluate_batch, explain, load_ruleset
from passage.rules.loader import RuleSet
from tests.rules.builders import IEC_RULES, MINIMAL_RULES, create_iec_line


@pytest.fixture(scope="module")
def iec() -> RuleSet:
    return load_ruleset(IEC_RULES)


def results_of(answer: dict[str, object]) -> dict[str, str]:
    criteria = answer["criteria"]
    assert isinstance(criteria, list)
    return {c["id"]: c["result"] for c in criteria}


def test_no_outcome_can_be_a_refusal() -> None:
    assert {o.value for o in Outcome} == {"eligible_auto", "needs_officer"}
    assert not any("refus" in o.name.lower() or "reject" in o.name.lower() for o in Outcome)


def test_a_file_that_passes_every_criterion_is_eligible_at_tier_1(iec: RuleSet) -> None:
    answer = evaluate(iec, create_iec_line())
    assert answer["outcome"] == "eligible_auto"
    assert answer["tier"] == 1
    assert answer["ruleset"] == "iec@2025-01-01"
    assert set(results_of(answer).values()) == {"pass"}


def test_the_detail_gives_the_values_used(iec: RuleSet) -> None:
    answer = evaluate(iec, create_iec_line())
    [age] = [c for c in answer["criteria"] if c["id"] == "age-in-range"]
    assert age["detail"] == "29 on 2026-01-12; range 18-35 for FR"
    assert "https://www.canada.ca/" in age["citation"]


def test_criteria_that_do_not_apply_to_the_category_are_left_out(iec: RuleSet) -> None:
    answer = evaluate(iec, create_iec_line("working-holiday", job_offer=None))
    assert "job-offer" not in results_of(answer)
    assert "post-secondary-enrolment" not in results_of(answer)
    assert answer["outcome"] == "eligible_auto"


def test_a_missing_fact_is_unknown_never_a_crash(iec: RuleSet) -> None:
    # previous_participations is optional: absent, none is declared (the contract).
    required = [fact for fact in create_iec_line()["facts"] if fact != "previous_participations"]
    for fact in required:
        line = create_iec_line("international-coop")
        del line["facts"][fact]
        answer = evaluate(iec, line)
        assert answer["outcome"] == "needs_officer", fact
        assert "unknown" in results_of(answer).values(), fact
        assert answer == evaluate_batch(iec, [line])[0]


def test_only_unknowns_give_tier_2_and_a_failure_gives_tier_3(iec: RuleSet) -> None:
    assert evaluate(iec, create_iec_line(funds_cad=None))["tier"] == 2
    assert evaluate(iec, create_iec_line(funds_cad=100))["tier"] == 3
    assert evaluate(iec, create_iec_line(funds_cad=100, stay_until=None))["tier"] == 3


def test_a_country_without_an_arrangement_fails_the_country_test(iec: RuleSet) -> None:
    answer = evaluate(iec, create_iec_line(citizenship="US"))
    assert results_of(answer)["partner-country-category"] == "fail"
    assert answer["outcome"] == "needs_officer"


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "pass"), (1, "unknown"), (2, "unknown"), (3, "fail")]
)
def test_participations_without_a_recorded_cap_are_judged_against_the_range_of_caps(
    iec: RuleSet, count: int, expected: str
) -> None:
    answer = evaluate(iec, create_iec_line(previous_participations=count))
    assert results_of(answer)["participations-below-cap"] == expected


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"funds_cad": "3000"}, "fact 'funds_cad' must be a number"),
        ({"accompanying_dependants": "no"}, "must be true or false"),
        ({"date_of_birth": "2003-02-29"}, "must be a date YYYY-MM-DD"),
        ({"citizenship": "FRA"}, "ISO 3166-1 alpha-2"),
        ({"previous_participations": 1.5}, "must be a whole number"),
        ({"job_offer": 1}, "must be true or false"),
    ],
)
def test_a_fact_of_the_wrong_type_makes_the_line_invalid(
    iec: RuleSet, facts: dict[str, object], message: str
) -> None:
    line = create_iec_line(**facts)
    answer = evaluate(iec, line)
    assert answer == {"id": "line-1", "error": answer["error"]}
    assert message in answer["error"]
    assert evaluate_batch(iec, [line]) == [answer]


def test_a_line_for_another_program_or_category_is_invalid(iec: RuleSet) -> None:
    assert (
        "program must be 'iec'" in evaluate(iec, {**create_iec_line(), "program": "eta"})["error"]
    )
    line = {**create_iec_line(), "category": "tourism"}
    assert "category must be one of" in evaluate(iec, line)["error"]
    assert evaluate(iec, ["not", "an", "object"]) == {  # type: ignore[arg-type]
        "id": None,
        "error": "a line must be a JSON object",
    }


def test_a_batch_keeps_the_input_order_and_its_invalid_lines(iec: RuleSet) -> None:
    lines = [
        create_iec_line(),
        {**create_iec_line(funds_cad="x"), "id": "bad"},
        {**create_iec_line(citizenship="JP"), "id": "jp"},
    ]
    answers = evaluate_batch(iec, lines)
    assert [a["id"] for a in answers] == ["line-1", "bad", "jp"]
    assert answers == [evaluate(iec, line) for line in lines]


def test_the_as_of_override_only_stands_in_for_a_missing_as_of_fact(iec: RuleSet) -> None:
    line = create_iec_line(invitation_date=None)
    override = datetime.date(2026, 1, 12)
    answer = evaluate(iec, line, as_of=override)
    assert results_of(answer)["minimum-funds"] == "pass"
    assert results_of(evaluate(iec, line))["minimum-funds"] == "unknown"
    assert evaluate_batch(iec, [line], as_of=override) == [answer]


def test_explain_traces_the_parameters_used_with_their_effective_dates(iec: RuleSet) -> None:
    [age] = [e for e in explain(iec, create_iec_line()) if e.criterion == "age-in-range"]
    assert {
        "name": "maximum_age",
        "key": "FR",
        "value": 35,
        "effective": datetime.date(2025, 1, 1),
    } in age.trace.parameters


def test_a_pull_out_rule_sends_a_passing_file_to_an_officer(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        MINIMAL_RULES
        + "tiering:\n  pull_out:\n    - id: large-amount\n"
        + "      label: {en: Large amount, fr: Montant élevé}\n"
        + "      when: amount > 1000\n      tier: 3\n",
        encoding="utf-8",
    )
    ruleset = load_ruleset(path)
    line = {"id": "1", "program": "demo", "facts": {"day": "2024-05-01", "amount": 5000}}
    answer = evaluate(ruleset, line)
    assert answer["outcome"] == "needs_officer"
    assert answer["tier"] == 3
    assert answer["pulled_out"] == ["large-amount"]
    assert evaluate_batch(ruleset, [line]) == [answer]


def test_a_criterion_that_is_not_true_or_false_is_an_error_on_both_paths(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(MINIMAL_RULES.replace("when: amount >= param.floor", "when: amount + 1"))
    ruleset = load_ruleset(path)
    line = {"id": "1", "program": "demo", "facts": {"day": "2024-05-01", "amount": 5}}
    with pytest.raises(TypeError, match="not true or false"):
        evaluate(ruleset, line)
    with pytest.raises(TypeError, match="not true or false"):
        evaluate_batch(ruleset, [line])
