"""Evaluate application lines against a ruleset and build the interchange result lines.

There is no refusal: an evaluation either approves eligibility (`eligible_auto`,
tier 1) or sends the file to an officer (`needs_officer`, tier 2 or 3). A
missing or null fact makes its criterion `unknown`, never an error; a fact of
the wrong type makes the line invalid (`{"id": ..., "error": ...}`).

`evaluate` runs the scalar evaluator on one line; `evaluate_batch` runs the
columnar one on many and returns the same result lines.

The legal as-of date (used to pick each parameter value in effect) is the
ruleset's `as_of` fact; the `as_of` argument stands in for it only when the
facts do not carry it.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from passage.rules import expressions
from passage.rules.expressions import Scope, Trace, Value, given_key
from passage.rules.loader import Criterion, RuleSet, Template


class Outcome(enum.StrEnum):
    """What the engine may conclude. Only an officer can refuse, so no member refuses."""

    ELIGIBLE_AUTO = "eligible_auto"
    NEEDS_OFFICER = "needs_officer"


class Result(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a criterion result, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class InvalidLine(ValueError):
    """An input line that does not follow the interchange format."""


_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(raw: Any) -> datetime.date | None:
    if isinstance(raw, str) and _DATE.match(raw):
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    return None


def _periods(name: str, raw: Any, credited: bool) -> list[dict[str, Any]]:
    keys = ("from", "to", "credited") if credited else ("from", "to")
    shape = "{" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    if not isinstance(raw, list):
        raise InvalidLine(f"fact {name!r} must be a list of {shape}, not {raw!r}")
    periods: list[dict[str, Any]] = []
    for position, item in enumerate(raw):
        where = f"{name}[{position}]"
        if not isinstance(item, dict):
            raise InvalidLine(f"{where} must be an object {shape}, not {item!r}")
        unknown = sorted(str(key) for key in item if key not in keys)
        if unknown:
            raise InvalidLine(f"{where} has unknown key(s) {', '.join(unknown)} (allowed: {shape})")
        period: dict[str, Any] = {}
        for key in ("from", "to"):
            value = _date(item.get(key))
            if value is None:
                raise InvalidLine(f"{where}.{key} is not a date YYYY-MM-DD: {item.get(key)!r}")
            period[key] = value
        if period["to"] < period["from"]:
            raise InvalidLine(f"{where}.to is before {where}.from")
        if credited:
            flag = item.get("credited")
            if not isinstance(flag, bool):
                raise InvalidLine(f"{where}.credited must be true or false, not {flag!r}")
            period["credited"] = flag
        periods.append(period)
    return periods


def _years(name: str, raw: Any) -> list[int]:
    if not isinstance(raw, list):
        raise InvalidLine(f"fact {name!r} must be a list of years, not {raw!r}")
    for position, year in enumerate(raw):
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise InvalidLine(f"{name}[{position}] is not a year: {year!r}")
    return list(raw)


def _fact_value(kind: str, name: str, raw: Any) -> Value:
    if raw is None:
        return None
    if kind in ("periods", "credited_periods"):
        return _periods(name, raw, credited=kind == "credited_periods")
    if kind == "years":
        return _years(name, raw)
    if kind == "date":
        if isinstance(raw, str) and _DATE.match(raw):
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError:
                pass
        raise InvalidLine(f"fact {name!r} must be a date YYYY-MM-DD, not {raw!r}")
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise InvalidLine(f"fact {name!r} must be true or false, not {raw!r}")
    if kind == "int":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise InvalidLine(f"fact {name!r} must be a whole number, not {raw!r}")
    if kind == "number":
        if isinstance(raw, int | float) and not isinstance(raw, bool) and raw == raw:
            return float(raw)
        raise InvalidLine(f"fact {name!r} must be a number, not {raw!r}")
    if kind == "country":
        if isinstance(raw, str) and _COUNTRY.match(raw):
            return raw
        raise InvalidLine(
            f"fact {name!r} must be an ISO 3166-1 alpha-2 code like 'FR', not {raw!r}"
        )
    if isinstance(raw, str):
        return raw
    raise InvalidLine(f"fact {name!r} must be a string, not {raw!r}")


@dataclass(frozen=True)
class _Line:
    id: Any
    category: str | None
    facts: dict[str, Value]


def _read_line(ruleset: RuleSet, line: Any) -> _Line:
    if not isinstance(line, dict):
        raise InvalidLine("a line must be a JSON object")
    program = line.get("program")
    if program != ruleset.program:
        raise InvalidLine(f"program must be {ruleset.program!r}, not {program!r}")
    category = line.get("category")
    if ruleset.categories and category not in ruleset.categories:
        raise InvalidLine(
            f"category must be one of {', '.join(ruleset.categories)}, not {category!r}"
        )
    raw_facts = line.get("facts", {})
    if raw_facts is None:
        raw_facts = {}
    if not isinstance(raw_facts, dict):
        raise InvalidLine("facts must be a JSON object")
    facts = {
        name: _fact_value(kind, name, raw_facts.get(name)) for name, kind in ruleset.facts.items()
    }
    # Whether each fact was sent at all, for rules where an explicit null means "none".
    facts.update({given_key(name): name in raw_facts for name in ruleset.facts})
    if ruleset.categories:
        facts["category"] = category
    return _Line(line.get("id"), category, facts)


def format_value(value: Value) -> str:
    """How a value reads in a criterion's detail."""
    if type(value) is str:
        return value
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "none"
    return str(value)


def _render(template: Template, values: Sequence[Value]) -> str:
    iterator = iter(values)
    return "".join(
        part if isinstance(part, str) else format_value(next(iterator)) for part in template.parts
    )


def _result(value: Value, criterion_id: str) -> Result:
    if value is None:
        return Result.UNKNOWN
    if not isinstance(value, bool):
        raise TypeError(f"criterion {criterion_id!r} gave {value!r}, not true or false")
    return Result.PASS if value else Result.FAIL


def _criterion_line(criterion: Criterion, result: Result, detail: str) -> dict[str, str]:
    return {
        "id": criterion.id,
        "result": result.value,
        "detail": detail,
        "citation": str(criterion.citation),
    }


def _assemble(
    ruleset: RuleSet,
    line: _Line,
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
    if ruleset.categories:
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


def _invalid(line: Any, error: InvalidLine) -> dict[str, Any]:
    return {"id": line.get("id") if isinstance(line, dict) else None, "error": str(error)}


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


def explain(
    ruleset: RuleSet, line: dict[str, Any], as_of: datetime.date | None = None
) -> list[Explanation]:
    """Evaluate each applicable criterion of one valid line with a trace of facts and parameters."""
    read = _read_line(ruleset, line)
    return _explain(ruleset, read, _scope(ruleset, read, as_of))


def _scope(ruleset: RuleSet, read: _Line, as_of: datetime.date | None) -> Scope:
    return Scope(read.facts, ruleset.parameter_values, _as_of(ruleset, read.facts, as_of))


def _explain(ruleset: RuleSet, read: _Line, scope: Scope) -> list[Explanation]:
    # One evaluation for the whole line: a detail reuses the values its criterion computed.
    evaluation = expressions.Evaluation(scope)
    explanations = []
    for criterion in ruleset.criteria:
        if not criterion.applies(read.category):
            continue
        trace = Trace()
        result = _result(evaluation.run(criterion.when, trace), criterion.id)
        detail = "".join(
            part if isinstance(part, str) else format_value(evaluation.run(part, trace))
            for part in criterion.detail.parts
        )
        explanations.append(Explanation(criterion.id, result, detail, trace))
    return explanations


def evaluate(
    ruleset: RuleSet, line: dict[str, Any], as_of: datetime.date | None = None
) -> dict[str, Any]:
    """The result line for one input line (scalar evaluator)."""
    try:
        read = _read_line(ruleset, line)
    except InvalidLine as error:
        return _invalid(line, error)
    scope = _scope(ruleset, read, as_of)
    applicable = [c for c in ruleset.criteria if c.applies(read.category)]
    criteria = [
        _criterion_line(criterion, explanation.result, explanation.detail)
        for criterion, explanation in zip(applicable, _explain(ruleset, read, scope), strict=True)
    ]
    pulled_out = [
        (rule.id, rule.tier)
        for rule in ruleset.tiering.pull_out
        if (rule.applies_to is None or read.category in rule.applies_to)
        and expressions.evaluate(rule.when, scope) is True
    ]
    return _assemble(ruleset, read, criteria, pulled_out)


_POLARS_TYPES: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "number": pl.Float64(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "string": pl.String(),
    "country": pl.String(),
    "periods": pl.List(pl.Struct({"from": pl.Date(), "to": pl.Date()})),
    "credited_periods": pl.List(
        pl.Struct({"from": pl.Date(), "to": pl.Date(), "credited": pl.Boolean()})
    ),
    "years": pl.List(pl.Int64()),
}


def facts_frame(ruleset: RuleSet, facts: Sequence[dict[str, Value]]) -> pl.DataFrame:
    """A DataFrame with one typed column per declared fact, from already-checked facts."""
    schema = {name: _POLARS_TYPES[kind] for name, kind in ruleset.facts.items()}
    schema.update({given_key(name): pl.Boolean() for name in ruleset.facts})
    if ruleset.categories:
        schema["category"] = pl.String()
    columns = {name: [row.get(name) for row in facts] for name in schema}
    return pl.DataFrame(columns, schema=schema)


def evaluate_frame(
    ruleset: RuleSet, frame: pl.DataFrame, as_of: datetime.date | None = None
) -> pl.DataFrame:
    """Per-criterion `pass`/`fail`/`unknown` columns for a DataFrame of facts (columnar path)."""
    as_of_expr = pl.col(ruleset.as_of)
    if as_of is not None:
        as_of_expr = pl.coalesce(as_of_expr, pl.lit(as_of, dtype=pl.Date))
    parameters = ruleset.parameter_values
    # Each criterion's value is computed once (and what criteria share, once: the lazy
    # query eliminates common subexpressions), then named pass, fail or unknown.
    values = [
        expressions.to_polars(criterion.when, parameters, as_of_expr).alias(f"value{i}")
        for i, criterion in enumerate(ruleset.criteria)
    ]
    columns = [
        pl.when(pl.col(f"value{i}").is_null())
        .then(pl.lit(Result.UNKNOWN.value))
        .when(pl.col(f"value{i}"))
        .then(pl.lit(Result.PASS.value))
        .otherwise(pl.lit(Result.FAIL.value))
        .alias(criterion.id)
        for i, criterion in enumerate(ruleset.criteria)
    ]
    return frame.lazy().select(values).select(columns).collect()


def evaluate_batch(
    ruleset: RuleSet, lines: Iterable[Any], as_of: datetime.date | None = None
) -> list[dict[str, Any]]:
    """The result lines for many input lines, in order, computed column by column with Polars."""
    lines = list(lines)
    answers: list[dict[str, Any] | None] = []
    valid: list[tuple[int, _Line]] = []
    for position, line in enumerate(lines):
        try:
            valid.append((position, _read_line(ruleset, line)))
            answers.append(None)
        except InvalidLine as error:
            answers.append(_invalid(line, error))
    if valid:
        frame = facts_frame(ruleset, [read.facts for _, read in valid])
        as_of_expr = pl.col(ruleset.as_of)
        if as_of is not None:
            as_of_expr = pl.coalesce(as_of_expr, pl.lit(as_of, dtype=pl.Date))
        parameters = ruleset.parameter_values
        results = evaluate_frame(ruleset, frame, as_of)
        details: dict[str, list[list[Value]]] = {}
        for criterion in ruleset.criteria:
            nodes = [p for p in criterion.detail.parts if not isinstance(p, str)]
            if nodes:
                parts = frame.select(
                    expressions.to_polars(node, parameters, as_of_expr).alias(f"part{i}")
                    for i, node in enumerate(nodes)
                )
                details[criterion.id] = [list(row) for row in parts.iter_rows()]
            else:
                details[criterion.id] = [[] for _ in valid]
        pulls = (
            frame.select(
                expressions.to_polars(rule.when, parameters, as_of_expr)
                .fill_null(False)
                .alias(rule.id)
                for rule in ruleset.tiering.pull_out
            )
            if ruleset.tiering.pull_out
            else None
        )
        result_rows = results.to_dicts()
        pull_rows = pulls.to_dicts() if pulls is not None else [{} for _ in valid]
        for row, (position, read) in enumerate(valid):
            criteria = [
                _criterion_line(
                    criterion,
                    Result(result_rows[row][criterion.id]),
                    _render(criterion.detail, details[criterion.id][row]),
                )
                for criterion in ruleset.criteria
                if criterion.applies(read.category)
            ]
            pulled_out = [
                (rule.id, rule.tier)
                for rule in ruleset.tiering.pull_out
                if (rule.applies_to is None or read.category in rule.applies_to)
                and pull_rows[row][rule.id] is True
            ]
            answers[position] = _assemble(ruleset, read, criteria, pulled_out)
    return [answer for answer in answers if answer is not None]
