"""An input line read and checked against a ruleset, and the result line made of its
criteria's results: the outcome, the tier and the rules that pulled the file out."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

from passage.rules.expressions import Value
from passage.rules.facts import InvalidLine
from passage.rules.plan import Plan, plan_of
from passage.rules.ruleset import RuleSet


class Outcome(enum.StrEnum):
    """What the engine may conclude. Only an officer can refuse, so no member refuses."""

    ELIGIBLE_AUTO = "eligible_auto"
    NEEDS_OFFICER = "needs_officer"


class Result(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a criterion result, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class Line(NamedTuple):
    id: Any
    category: str | None
    facts: dict[str, Value]


def assemble(
    ruleset: RuleSet,
    line: Line,
    criteria: list[dict[str, str]],
    pulled_out: list[tuple[str, int]],
) -> dict[str, Any]:
    results = {c["result"] for c in criteria}
    tiers = [tier for _, tier in pulled_out]
    if Result.FAIL in results:
        tiers.append(ruleset.tiering.on_fail)
    if Result.UNKNOWN in results:
        tiers.append(ruleset.tiering.on_unknown)
    outcome = Outcome.NEEDS_OFFICER if tiers else Outcome.ELIGIBLE_AUTO
    answer: dict[str, Any] = {"id": line.id, "program": ruleset.program}
    if ruleset.categories and line.category is not None:
        answer["category"] = line.category
    answer.update(
        outcome=outcome.value,
        tier=max(tiers) if tiers else 1,
        criteria=criteria,
        ruleset=ruleset.version,
    )
    if pulled_out:
        answer["pulled_out"] = [rule_id for rule_id, _ in pulled_out]
    return answer


def invalid(line: Any, error: InvalidLine) -> dict[str, Any]:
    return {"id": line.get("id") if isinstance(line, dict) else None, "error": str(error)}


def read_line(ruleset: RuleSet, line: Any, plan: Plan | None = None) -> Line:
    if not isinstance(line, dict):
        raise InvalidLine("a line must be a JSON object")
    program = line.get("program")
    if program != ruleset.program:
        raise InvalidLine(f"program must be {ruleset.program!r}, not {program!r}")
    category = line.get("category")
    if category is None and ruleset.category_required:
        raise InvalidLine(
            f"category is required for {ruleset.program}: one of {', '.join(ruleset.categories)}"
        )
    if category is not None and ruleset.categories and category not in ruleset.categories:
        raise InvalidLine(
            f"category must be one of {', '.join(ruleset.categories)}, not {category!r}"
        )
    raw_facts = line.get("facts", {})
    if raw_facts is None:
        raw_facts = {}
    if not isinstance(raw_facts, dict):
        raise InvalidLine("facts must be a JSON object")
    if plan is None:
        plan = plan_of(ruleset)
    facts: dict[str, Value] = {}
    for name, check in plan.checkers:
        raw = raw_facts.get(name)
        facts[name] = None if raw is None else check(name, raw)
    # Whether each fact was sent at all, for rules where an explicit null means "none".
    facts.update(zip(plan.given_keys, map(raw_facts.__contains__, plan.fact_names), strict=True))
    if ruleset.categories:
        facts["category"] = category
    return Line(line.get("id"), category, facts)
