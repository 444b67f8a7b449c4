"""The columnar path: many lines evaluated column by column with Polars, giving the
result lines the scalar evaluator gives."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from passage.rules import expressions
from passage.rules.expressions import Value, given_key
from passage.rules.facts import InvalidLine
from passage.rules.lines import Line, Result, assemble, invalid, read_line
from passage.rules.plan import format_value, plan_of
from passage.rules.ruleset import RuleSet, applies

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
    valid: list[tuple[int, Line]] = []
    for position, line in enumerate(lines):
        try:
            valid.append((position, read_line(ruleset, line)))
            answers.append(None)
        except InvalidLine as error:
            answers.append(invalid(line, error))
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
        steps = plan_of(ruleset).steps
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
            answers[position] = assemble(ruleset, read, criteria, pulled_out)
    return [answer for answer in answers if answer is not None]
