"""Evaluate application lines against a ruleset and build the interchange result lines.

There is no refusal: an evaluation either approves eligibility (`eligible_auto`,
tier 1) or sends the file to an officer (`needs_officer`, tier 2 or 3). A
missing or null fact makes its criterion `unknown`, never an error; a fact of
the wrong type makes the line invalid (`{"id": ..., "error": ...}`).

`evaluate` runs the scalar evaluator on one line; `evaluate_batch` runs the
columnar one on many (`passage.rules.batch`) and returns the same result lines.

The legal as-of date (used to pick each parameter value in effect) is the
ruleset's `as_of` fact; the `as_of` argument stands in for it only when the
facts do not carry it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from passage.rules import expressions
from passage.rules.batch import (
    RESULT_DTYPE,
    criterion_values,
    evaluate_batch,
    evaluate_frame,
    facts_frame,
)
from passage.rules.expressions import Trace, Value
from passage.rules.facts import InvalidLine
from passage.rules.lines import Outcome, Result, assemble, invalid, read_line
from passage.rules.plan import format_value, plan_of
from passage.rules.ruleset import RuleSet, applies

# Evaluation's public names: the scalar path here, the columnar one (`batch`), the
# result types (`lines`) and how a value reads in a detail (`plan`).
__all__ = [
    "RESULT_DTYPE",
    "Explanation",
    "Outcome",
    "Result",
    "criterion_values",
    "evaluate",
    "evaluate_batch",
    "evaluate_frame",
    "explain",
    "facts_frame",
    "format_value",
]


def _result(value: Value, criterion_id: str) -> Result:
    if value is None:
        return Result.UNKNOWN
    if not isinstance(value, bool):
        raise TypeError(f"criterion {criterion_id!r} gave {value!r}, not true or false")
    return Result.PASS if value else Result.FAIL


def _as_of(
    ruleset: RuleSet, facts: dict[str, Value], fallback: datetime.date | None
) -> datetime.date | None:
    value = facts.get(ruleset.as_of)
    return value if isinstance(value, datetime.date) else fallback


@dataclass(frozen=True)
class Explanation:
    """One criterion's scalar evaluation: its result, its detail and what it read."""

    criterion: str
    result: Result
    detail: str
    trace: Trace

    def __init__(self, criterion: str, result: Result, detail: str, trace: Trace) -> None:
        # Written by hand (the generated one sets each field through object.__setattr__):
        # one is made per criterion of every line explained.
        fields = self.__dict__
        fields["criterion"] = criterion
        fields["result"] = result
        fields["detail"] = detail
        fields["trace"] = trace


def explain(
    ruleset: RuleSet, line: dict[str, Any], as_of: datetime.date | None = None
) -> list[Explanation]:
    """Evaluate each applicable criterion of one valid line with a trace of facts and parameters."""
    plan = plan_of(ruleset)
    read = read_line(ruleset, line, plan)
    evaluation = expressions.Evaluation.of(
        read.facts, plan.parameters, _as_of(ruleset, read.facts, as_of)
    )
    explanations = []
    category = read.category
    for criterion, applies_to, when, detail, _, _ in plan.steps:
        if not applies(applies_to, category):
            continue
        # One evaluation for the whole line, a trace per criterion.
        trace = Trace()
        evaluation.record(trace)
        value = when(evaluation)
        result = (
            _RESULTS[value]
            if value is None or value is True or value is False
            else _result(value, criterion)
        )
        explanations.append(Explanation(criterion, result, detail(evaluation), trace))
    return explanations


_RESULTS: dict[Value, Result] = {None: Result.UNKNOWN, True: Result.PASS, False: Result.FAIL}
_TEXT: dict[Result, str] = {result: result.value for result in Result}


def evaluate(
    ruleset: RuleSet, line: dict[str, Any], as_of: datetime.date | None = None
) -> dict[str, Any]:
    """The result line for one input line (scalar evaluator)."""
    plan = plan_of(ruleset)
    try:
        read = read_line(ruleset, line, plan)
    except InvalidLine as error:
        return invalid(line, error)
    # The result line carries no trace: every criterion records into one scratch trace.
    evaluation = expressions.Evaluation.of(
        read.facts, plan.parameters, _as_of(ruleset, read.facts, as_of)
    )
    category = read.category
    criteria = []
    for criterion, applies_to, when, detail, citation, _ in plan.steps:
        if not applies(applies_to, category):
            continue
        value = when(evaluation)
        result = (
            _RESULTS[value]
            if value is None or value is True or value is False
            else _result(value, criterion)
        )
        criteria.append(
            {
                "id": criterion,
                "result": _TEXT[result],
                "detail": detail(evaluation),
                "citation": citation,
            }
        )
    pulled_out = [
        (rule_id, tier)
        for rule_id, tier, applies_to, when in plan.pull_out
        if applies(applies_to, category) and when(evaluation) is True
    ]
    return assemble(ruleset, read, criteria, pulled_out)
