"""Run a program's `scenarios.yaml`: worked examples that analysts read and write.

Each scenario is an input line (category and facts, optionally an `as_of`
override) with the expected outcome, tier, criterion results (a subset is
enough) or, for an invalid line, a substring of the error. Every scenario runs
through both evaluators, which must also agree with each other.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from passage.rules.loader import RuleSet, RuleSetError, _Reader, load_ruleset, read_yaml
from passage.rules.results import evaluate, evaluate_batch
from passage.rules.yaml_lines import LineMapping, LineSequence


@dataclass(frozen=True)
class ScenarioFailure:
    """A scenario whose result differs from what it expects, with where it is written."""

    location: str
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.name}: {self.message}"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()  # an unquoted YAML date reads as the ISO string it stands for
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Scenario:
    """One worked example: an input line and what its evaluation must give."""

    name: str
    location: str
    category: str | None
    facts: dict[str, Any]
    expect: dict[str, Any]
    as_of: datetime.date | None = None
    description: str = ""

    def line(self, program: str) -> dict[str, Any]:
        """The scenario as an interchange input line."""
        return {"id": self.name, "program": program, "category": self.category, "facts": self.facts}


def load_scenarios(path: Path, ruleset: RuleSet) -> tuple[Scenario, ...]:
    """Read and check `scenarios.yaml` for `ruleset`; raise RuleSetError (`FILE:LINE:`)."""
    reader = _Reader(path)
    top = reader.mapping(read_yaml(path), 1, "the scenarios", ("program", "scenarios"))
    if top["program"] != ruleset.program:
        where = top.key_lines["program"]
        raise RuleSetError(f"{path}:{where}: program {top['program']!r} is not {ruleset.program!r}")
    entries = top["scenarios"]
    if not isinstance(entries, LineSequence):
        raise RuleSetError(f"{path}:{top.key_lines['scenarios']}: scenarios must be a list")
    scenarios: list[Scenario] = []
    for entry in entries:
        line_number = entry.line if isinstance(entry, LineMapping) else entries.line
        scenario = reader.mapping(
            entry,
            line_number,
            "a scenario",
            ("name", "facts", "expect"),
            ("description", "category", "as_of"),
        )
        name = str(scenario["name"])
        expect = reader.mapping(
            scenario["expect"],
            scenario.key_lines["expect"],
            f"the expectations of {name!r}",
            (),
        )
        for key in expect:
            if key not in ("outcome", "tier", "criteria", "error"):
                raise reader.fail(expect.key_lines[key], f"unknown expectation {key!r} in {name!r}")
        as_of = None
        if "as_of" in scenario:
            as_of = reader.date(scenario["as_of"], scenario.key_lines["as_of"], "as_of")
        scenarios.append(
            Scenario(
                name=name,
                location=f"{path}:{scenario.line}",
                category=scenario.get("category"),
                facts=_json_value(scenario["facts"]),
                expect=_json_value(dict(expect)),
                as_of=as_of,
                description=str(scenario.get("description") or "").strip(),
            )
        )
    return tuple(scenarios)


def check_scenarios(ruleset: RuleSet, scenarios: tuple[Scenario, ...]) -> list[ScenarioFailure]:
    """Evaluate each scenario on both evaluators; list every difference from what it expects."""
    failures: list[ScenarioFailure] = []
    for scenario in scenarios:
        line = scenario.line(ruleset.program)
        result = evaluate(ruleset, line, scenario.as_of)
        [batch_result] = evaluate_batch(ruleset, [line], scenario.as_of)
        if batch_result != result:
            failures.append(
                ScenarioFailure(
                    scenario.location,
                    scenario.name,
                    f"columnar {batch_result} differs from scalar {result}",
                )
            )
        failures.extend(
            ScenarioFailure(scenario.location, scenario.name, message)
            for message in _compare(scenario.expect, result)
        )
    return failures


def run_scenarios(program_dir: str | Path) -> list[ScenarioFailure]:
    """Evaluate every scenario of `program_dir/scenarios.yaml` against its `rules.yaml`."""
    program_dir = Path(program_dir)
    ruleset = load_ruleset(program_dir / "rules.yaml")
    return check_scenarios(ruleset, load_scenarios(program_dir / "scenarios.yaml", ruleset))


def _compare(expect: dict[str, Any], result: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "error" in expect:
        error = result.get("error")
        if error is None or str(expect["error"]) not in error:
            problems.append(
                f"expected an error containing {expect['error']!r}, got {error or result}"
            )
        return problems
    if "error" in result:
        return [f"unexpected invalid line: {result['error']}"]
    for key in ("outcome", "tier"):
        if key in expect and expect[key] != result[key]:
            problems.append(f"{key}: expected {expect[key]!r}, got {result[key]!r}")
    by_id = {c["id"]: c for c in result["criteria"]}
    for criterion, expected in (expect.get("criteria") or {}).items():
        got = by_id.get(criterion)
        if got is None:
            problems.append(f"criterion {criterion!r} was not evaluated")
        elif got["result"] != expected:
            problems.append(
                f"{criterion}: expected {expected}, got {got['result']} ({got['detail']})"
            )
    return problems
