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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl

from passage.rules import expressions
from passage.rules.expressions import Evaluation, Fact, Node, Scalar, Trace, Value, given_key
from passage.rules.facts import InvalidLine, checker
from passage.rules.loader import RuleSet, Template, applies


class Outcome(enum.StrEnum):
    """What the engine may conclude. Only an officer can refuse, so no member refuses."""

    ELIGIBLE_AUTO = "eligible_auto"
    NEEDS_OFFICER = "needs_officer"


class Result(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a criterion result, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class _Line(NamedTuple):
    id: Any
    category: str | None
    facts: dict[str, Value]


def format_value(value: Value) -> str:
    """How a value reads in a criterion's detail."""
    if type(value) is str:
        return value
    formatter = _FORMATTERS.get(type(value))
    if formatter is not None:
        return formatter(value)
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


_FORMATTERS: dict[type, Callable[[Any], str]] = {
    # The usual types, by exact type: the text `format_value` gives, without its tests.
    type(None): lambda value: "missing",
    bool: lambda value: "yes" if value else "no",
    int: str,
    float: lambda value: str(int(value)) if value.is_integer() else str(value),
    datetime.date: datetime.date.isoformat,
    list: lambda value: ", ".join([format_value(v) for v in value]) or "none",
}


def _result(value: Value, criterion_id: str) -> Result:
    if value is None:
        return Result.UNKNOWN
    if not isinstance(value, bool):
        raise TypeError(f"criterion {criterion_id!r} gave {value!r}, not true or false")
    return Result.PASS if value else Result.FAIL


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


def _invalid(line: Any, error: InvalidLine) -> dict[str, Any]:
    return {"id": line.get("id") if isinstance(line, dict) else None, "error": str(error)}


def _as_of(
    ruleset: RuleSet, facts: dict[str, Value], fallback: datetime.date | None
) -> datetime.date | None:
    value = facts.get(ruleset.as_of)
    return value if isinstance(value, datetime.date) else fallback


# ---------------------------------------------------------------------------
# The scalar path: each ruleset compiled once


class _Step(NamedTuple):
    """A criterion ready for the scalar path."""

    id: str
    applies_to: tuple[str, ...] | None
    when: Scalar
    detail: Callable[[Evaluation], str]
    citation: str
    layout: str  # the detail as a format string, for values computed elsewhere


class _Plan(NamedTuple):
    """What the scalar path needs of a ruleset, prepared once."""

    checkers: tuple[tuple[str, Callable[[str, Any], Value]], ...]
    fact_names: tuple[str, ...]
    given_keys: tuple[str, ...]
    parameters: dict[str, expressions.ParameterValues]
    steps: tuple[_Step, ...]
    pull_out: tuple[tuple[str, int, tuple[str, ...] | None, Scalar], ...]


def _shown(node: Node, kinds: dict[str, str]) -> Callable[[Evaluation], str]:
    """A part of a detail: the expression's value as text. A fact is read in place, and
    one of a type whose checked value is a text or a date is written without looking up
    how (`kinds`: the type of each fact; a line's category is a text)."""
    formatters = _FORMATTERS
    if isinstance(node, Fact):
        name = node.name
        kind = kinds.get(name)
        if kind == "date":

            def shown_date(e: Evaluation) -> str:
                value = e.read_facts[name] = e.facts.get(name)
                return "missing" if value is None else value.isoformat()

            return shown_date
        if kind in ("country", "string"):

            def shown_text(e: Evaluation) -> str:
                value = e.read_facts[name] = e.facts.get(name)
                return "missing" if value is None else value

            return shown_text

        def shown_fact(e: Evaluation) -> str:
            value = e.read_facts[name] = e.facts.get(name)
            if type(value) is str:
                return value
            return formatters.get(type(value), format_value)(value)

        return shown_fact
    compiled = expressions.scalar_form(node)

    def shown(e: Evaluation) -> str:
        value = compiled(e)
        if type(value) is str:
            return value
        return formatters.get(type(value), format_value)(value)

    return shown


def _layout(template: Template) -> str:
    """A detail template as a format string: its text, and `{}` for each expression."""
    return "".join(
        part.replace("{", "{{").replace("}", "}}") if isinstance(part, str) else "{}"
        for part in template.parts
    )


def _detail_form(template: Template, kinds: dict[str, str]) -> Callable[[Evaluation], str]:
    """A detail template as one function: the values in the order of the text, put into a
    format string made of the template's text."""
    parts = tuple(_shown(part, kinds) for part in template.parts if not isinstance(part, str))
    fill = _layout(template).format
    if not parts:
        text = fill()
        return lambda e: text
    if len(parts) == 1:
        [a] = parts
        return lambda e: fill(a(e))
    if len(parts) == 2:
        a, b = parts
        return lambda e: fill(a(e), b(e))
    if len(parts) == 3:
        a, b, c = parts
        return lambda e: fill(a(e), b(e), c(e))
    if len(parts) == 4:
        a, b, c, d = parts
        return lambda e: fill(a(e), b(e), c(e), d(e))
    if len(parts) == 5:
        a, b, c, d, f = parts
        return lambda e: fill(a(e), b(e), c(e), d(e), f(e))
    return lambda e: fill(*[part(e) for part in parts])


_PLANS: dict[int, tuple[RuleSet, _Plan]] = {}
_PLANS_LIMIT = 64


def _plan(ruleset: RuleSet) -> _Plan:
    known = _PLANS.get(id(ruleset))
    if known is not None and known[0] is ruleset:
        return known[1]
    kinds = {**ruleset.facts, **({"category": "string"} if ruleset.categories else {})}
    plan = _Plan(
        checkers=tuple((name, checker(kind)) for name, kind in ruleset.facts.items()),
        fact_names=tuple(ruleset.facts),
        given_keys=tuple(given_key(name) for name in ruleset.facts),
        parameters=ruleset.parameter_values,
        steps=tuple(
            _Step(
                id=criterion.id,
                applies_to=criterion.applies_to,
                when=expressions.scalar_form(criterion.when),
                detail=_detail_form(criterion.detail, kinds),
                citation=str(criterion.citation),
                layout=_layout(criterion.detail),
            )
            for criterion in ruleset.criteria
        ),
        pull_out=tuple(
            (rule.id, rule.tier, rule.applies_to, expressions.scalar_form(rule.when))
            for rule in ruleset.tiering.pull_out
        ),
    )
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[id(ruleset)] = (ruleset, plan)  # the ruleset is kept, so its id stays its own
    return plan


def _read_line(ruleset: RuleSet, line: Any, plan: _Plan | None = None) -> _Line:
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
        plan = _plan(ruleset)
    facts: dict[str, Value] = {}
    for name, check in plan.checkers:
        raw = raw_facts.get(name)
        facts[name] = None if raw is None else check(name, raw)
    # Whether each fact was sent at all, for rules where an explicit null means "none".
    facts.update(zip(plan.given_keys, map(raw_facts.__contains__, plan.fact_names), strict=True))
    if ruleset.categories:
        facts["category"] = category
    return _Line(line.get("id"), category, facts)


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
    plan = _plan(ruleset)
    read = _read_line(ruleset, line, plan)
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
    plan = _plan(ruleset)
    try:
        read = _read_line(ruleset, line, plan)
    except InvalidLine as error:
        return _invalid(line, error)
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
    """Per-criterion `pass`/`fail`/`unknown` columns for a DataFrame of facts (columnar path).

    Each column is of the Enum type `RESULT_DTYPE`: its values read as the texts `pass`, `fail`
    and `unknown` (`to_list`, `to_dicts`, comparing with a text), stored as one byte.
    """
    values = criterion_values(ruleset, frame, as_of)
    for criterion, dtype in zip(ruleset.criteria, values.collect_schema().values(), strict=True):
        if dtype not in (pl.Boolean, pl.Null):
            raise TypeError(f"criterion {criterion.id!r} gives {dtype}, not true or false")
    columns = [
        pl.when(pl.col(f"value{i}"))
        .then(_RESULT_VALUES[Result.PASS])
        .when(pl.col(f"value{i}").not_())
        .then(_RESULT_VALUES[Result.FAIL])
        .otherwise(_RESULT_VALUES[Result.UNKNOWN])
        .alias(criterion.id)
        for i, criterion in enumerate(ruleset.criteria)
    ]
    return values.select(columns).collect()


def criterion_values(
    ruleset: RuleSet, frame: pl.DataFrame, as_of: datetime.date | None
) -> pl.LazyFrame:
    """The value of each criterion's test (`value0`, `value1`...) as a lazy query: what
    `evaluate_frame` runs before it makes each value pass, fail or unknown.

    Each is computed once, and what criteria share once: the lazy query eliminates common
    subexpressions, and a call that occurs more than once is computed first, as a column.
    """
    as_of_expr = pl.col(ruleset.as_of)
    if as_of is not None:
        as_of_expr = pl.coalesce(as_of_expr, pl.lit(as_of, dtype=pl.Date))
    parameters = ruleset.parameter_values
    query = frame.lazy()
    computed: dict[int, str] = {}
    for stage in expressions.shared_calls([criterion.when for criterion in ruleset.criteria]):
        names = {id(call): f"shared:{len(computed) + i}" for i, call in enumerate(stage)}
        query = query.with_columns(
            expressions.to_polars(call, parameters, as_of_expr, computed).alias(names[id(call)])
            for call in stage
        )
        computed.update(names)
    return query.select(
        expressions.to_polars(criterion.when, parameters, as_of_expr, computed).alias(f"value{i}")
        for i, criterion in enumerate(ruleset.criteria)
    )


RESULT_DTYPE = pl.Enum([result.value for result in Result])
"""The type of `evaluate_frame`'s columns: `pass`, `fail` or `unknown`, as a Polars Enum
(one byte a row, compared as a number, read back as text)."""
_RESULT_VALUES = {result: pl.lit(result.value, dtype=RESULT_DTYPE) for result in Result}


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
        details: dict[str, list[tuple[Value, ...]]] = {}
        for criterion in ruleset.criteria:
            nodes = [p for p in criterion.detail.parts if not isinstance(p, str)]
            if nodes:
                parts = frame.select(
                    expressions.to_polars(node, parameters, as_of_expr).alias(f"part{i}")
                    for i, node in enumerate(nodes)
                )
                details[criterion.id] = list(parts.iter_rows())
            else:
                details[criterion.id] = [() for _ in valid]
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
        texts = {c.id: results.get_column(c.id).to_list() for c in ruleset.criteria}
        pull_rows = pulls.to_dicts() if pulls is not None else [{} for _ in valid]
        steps = _plan(ruleset).steps
        for row, (position, read) in enumerate(valid):
            category = read.category
            criteria = [
                {
                    "id": step.id,
                    "result": texts[step.id][row],
                    "detail": step.layout.format(*map(format_value, details[step.id][row])),
                    "citation": step.citation,
                }
                for step in steps
                if applies(step.applies_to, category)
            ]
            pulled_out = [
                (rule.id, rule.tier)
                for rule in ruleset.tiering.pull_out
                if applies(rule.applies_to, category) and pull_rows[row][rule.id] is True
            ]
            answers[position] = _assemble(ruleset, read, criteria, pulled_out)
    return [answer for answer in answers if answer is not None]
