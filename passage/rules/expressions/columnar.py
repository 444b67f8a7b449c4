"""Columnar evaluation: an expression compiled to a Polars expression over a column per
fact, agreeing with the scalar evaluator row by row."""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from passage.rules.expressions.nodes import (
    LIST_FUNCTIONS,
    Binary,
    Call,
    ExpressionError,
    Fact,
    ListOf,
    Literal,
    Node,
    Param,
    Unary,
    Value,
    fact_name,
)
from passage.rules.expressions.parameters import ParameterValues
from passage.rules.expressions.parser import walk
from passage.rules.expressions.scalar import given_key, thousands


def polars_type(values: Sequence[Value]) -> pl.DataType:
    """The Polars type holding a parameter's values (lists hold strings)."""
    present = [v for v in values if v is not None]
    if not present:
        return pl.Null()
    if any(isinstance(v, list) for v in present):
        return pl.List(pl.String)
    if present and all(isinstance(v, bool) for v in present):
        return pl.Boolean()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pl.Int64()
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pl.Float64()
    if present and all(isinstance(v, datetime.date) for v in present):
        return pl.Date()
    return pl.String()


def _lit(value: Value) -> pl.Expr:
    if isinstance(value, list):
        return pl.lit(pl.Series([value], dtype=pl.List(pl.String)))
    if isinstance(value, datetime.date):
        return pl.lit(value, dtype=pl.Date)
    if isinstance(value, bool):
        return pl.lit(value, dtype=pl.Boolean)
    if isinstance(value, int):
        return pl.lit(value, dtype=pl.Int64)
    if isinstance(value, float):
        return pl.lit(value, dtype=pl.Float64)
    if isinstance(value, str):
        return pl.lit(value, dtype=pl.String)
    return pl.lit(None)


def _null() -> pl.Expr:
    return pl.lit(None)


def to_polars(
    node: Node,
    parameters: Mapping[str, ParameterValues],
    as_of: pl.Expr,
    computed: Mapping[int, str] | None = None,
) -> pl.Expr:
    """Compile an expression to a Polars expression over one column per fact.

    `computed` names, by the `id` of a node, the column that already holds its value
    (see `shared_calls`): the node then reads that column instead of computing it again.
    """
    return _Columnar(parameters, as_of, computed or {}).run(node)


def shared_calls(roots: Sequence[Node]) -> list[list[Call]]:
    """The calls that occur more than once in `roots` (the parse shares equal subtrees, so
    each is one node), in stages: a call only contains calls of earlier stages.

    Polars eliminates most common subexpressions of a query by itself, but not those that
    look a value up in a table (`age`), so the columnar evaluator computes these once.
    """
    counts: dict[int, int] = {}
    calls: dict[int, Call] = {}
    for root in roots:
        for node in walk(root):
            if isinstance(node, Call) and node.name not in ("given", "is_null"):
                counts[id(node)] = counts.get(id(node), 0) + 1
                calls[id(node)] = node
    shared = {key: calls[key] for key, count in counts.items() if count > 1}
    stages: list[list[Call]] = []
    stage_of: dict[int, int] = {}
    for key, call in sorted(shared.items(), key=lambda item: len(walk(item[1]))):
        inner = [stage_of[id(n)] for n in walk(call)[1:] if id(n) in stage_of]
        stage = max(inner, default=-1) + 1
        stage_of[key] = stage
        if stage == len(stages):
            stages.append([])
        stages[stage].append(call)
    return stages


class _Columnar:
    def __init__(
        self,
        parameters: Mapping[str, ParameterValues],
        as_of: pl.Expr,
        computed: Mapping[int, str],
    ) -> None:
        self.parameters = parameters
        self.as_of = as_of
        self.computed = computed

    def run(self, node: Node) -> pl.Expr:
        if self.computed and id(node) in self.computed:
            return pl.col(self.computed[id(node)])
        if isinstance(node, Literal):
            return _lit(node.value)
        if isinstance(node, Fact):
            return pl.col(node.name)
        if isinstance(node, Param):
            return self.param(node)
        if isinstance(node, ListOf):
            raise ExpressionError("a list can only stand on the right of 'in'")
        if isinstance(node, Unary):
            operand = self.run(node.operand)
            return operand.not_() if node.op == "not" else -operand
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def param(self, node: Param) -> pl.Expr:
        parameter = self.parameters[node.name]
        if parameter.by_key is None:
            assert parameter.timeline is not None
            values = [value for _, value in parameter.timeline.changes]
            dtype = polars_type(values)
            chain: Any = None
            for start, value in reversed(parameter.timeline.changes):
                condition = self.as_of >= _lit(start)
                then = _typed(value, dtype)
                chain = (
                    pl.when(condition).then(then)
                    if chain is None
                    else chain.when(condition).then(then)
                )
            if chain is None:
                return _typed(None, dtype)
            return chain.otherwise(_typed(None, dtype))  # type: ignore[no-any-return]
        assert node.index is not None
        all_values = [v for t in parameter.by_key.values() for _, v in t.changes]
        dtype = polars_type([*all_values, parameter.default])
        if not parameter.change_dates():
            # No value for any key: only whether the key is null matters, which needs
            # no string built for it.
            unknown = self.as_of.is_null() | self.is_null(node.index)
            default = _typed(parameter.default, dtype)
            return pl.when(unknown).then(_typed(None, dtype)).otherwise(default)
        keys, periods = _keys_and_periods(parameter)
        table = [
            _value_or_default(parameter, key, start) for start in periods for key in [*keys, None]
        ]
        looked_up = pl.Series(f"param.{node.name}", table, dtype=dtype)
        return pl.lit(looked_up).gather(self.keyed_position(parameter, node.index, keys, periods))

    def keyed_position(
        self,
        parameter: ParameterValues,
        index: Node,
        keys: list[str],
        periods: list[datetime.date | None],
    ) -> pl.Expr:
        """Where each row's value is in a table of the parameter's values laid out by period
        (the first before any change) and key (the last for a key it has no timeline for):
        null when the as-of date or the key is null, as the value is then."""
        # The same expression for every parameter with the same keys: computed once.
        number = _number(self.run(index), keys)
        period: pl.Expr = pl.when(self.as_of.is_not_null()).then(pl.lit(0, dtype=pl.UInt32))
        for position, start in enumerate(periods[1:]):
            reached = (self.as_of >= _lit(start)).cast(pl.UInt32)
            period = reached if position == 0 else period + reached
        return period * (len(keys) + 1) + number

    def is_null(self, node: Node) -> pl.Expr:
        """Whether an expression is null, without computing it where nulls just propagate."""
        if isinstance(node, Literal):
            return pl.lit(node.value is None)
        if isinstance(node, Fact):
            return pl.col(node.name).is_null()
        if isinstance(node, Binary) and node.op in ("+", "-", "*"):
            return self.is_null(node.left) | self.is_null(node.right)
        return self.run(node).is_null()

    def binary(self, node: Binary) -> pl.Expr:
        left = self.run(node.left)
        if node.op in ("in", "not in"):
            found = self.membership(left, node.right)
            return found if node.op == "in" else found.not_()
        right = self.run(node.right)
        op = node.op
        if op == "and":
            return left & right
        if op == "or":
            return left | right
        comparisons: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
        }
        if op in comparisons:
            return comparisons[op](left, right)
        return pl.when(right == 0).then(_null()).otherwise(left / right)

    def membership(self, item: pl.Expr, container: Node) -> pl.Expr:
        if isinstance(container, ListOf):
            if all(isinstance(i, Literal) for i in container.items):
                members = [i.value for i in container.items if isinstance(i, Literal)]
                members = [m for m in members if m is not None]
                found = pl.lit(False)
                for member in members:
                    found = found | (item == _lit(member)).fill_null(False)
                return pl.when(item.is_null()).then(_null()).otherwise(found)
            found = pl.lit(False)
            for element in container.items:
                found = found | (item == self.run(element)).fill_null(False)
            return pl.when(item.is_null()).then(_null()).otherwise(found)
        if isinstance(container, Param) and container.index is not None:
            keyed = self.keyed_membership(item, container)
            if keyed is not None:
                return keyed
        values = self.run(container)
        return (
            pl.when(item.is_null() | values.is_null())
            .then(_null())
            .otherwise(values.list.contains(item))
        )

    def keyed_membership(self, item: pl.Expr, container: Param) -> pl.Expr | None:
        """`item in param.p[key]` for a parameter holding a list per key, without lists.

        Looking the list up and testing it with `list.contains` does list work on every
        row. Instead the answer for each (period, key, member) is worked out once, here,
        into a table of booleans, and each row picks its own: null when the item, the key
        or the as-of date is null (or the key has no list and there is no default), else
        whether the item is in the key's list (in the default list for a key without one).
        """
        parameter = self.parameters[container.name]
        by_key = parameter.by_key
        if by_key is None or container.index is None:
            return None
        values = [v for t in by_key.values() for _, v in t.changes]
        if not all(isinstance(v, list) for v in [*values, parameter.default] if v is not None):
            return None
        lists = [*values, parameter.default or []]
        members = sorted({m for v in lists if v is not None for m in v if m is not None}, key=repr)
        if not all(isinstance(m, str) for m in members):
            return None
        keys, periods = _keys_and_periods(parameter)
        table: list[bool | None] = []
        for start in periods:
            for key in [*keys, None]:
                offered = _value_or_default(parameter, key, start)
                for member in [*members, None]:
                    table.append(
                        None if offered is None else member is not None and member in offered
                    )
        position = self.keyed_position(parameter, container.index, keys, periods)
        number = _number(item, members)
        found = pl.Series(f"param.{container.name} members", table, dtype=pl.Boolean)
        return pl.lit(found).gather(position * (len(members) + 1) + number)

    def call(self, node: Call) -> pl.Expr:
        if node.name == "given":
            return pl.col(given_key(fact_name(node.args[0])))
        args = [self.run(arg) for arg in node.args]
        if node.name == "is_null":
            return args[0].is_null()
        if node.name == "if":
            condition, then, otherwise = args
            return (
                pl.when(condition.is_null())
                .then(_null())
                .when(condition)
                .then(then)
                .otherwise(otherwise)
            )
        if node.name in LIST_FUNCTIONS:
            return _list_call(LIST_FUNCTIONS[node.name], args)
        if node.name in ("min", "max"):
            first, second = args
            pick = pl.min_horizontal if node.name == "min" else pl.max_horizontal
            return (
                pl.when(first.is_null() | second.is_null())
                .then(_null())
                .otherwise(pick(first, second))
            )
        if node.name == "floor":
            return args[0].floor().cast(pl.Int64)
        if node.name == "thousands":
            # Formatting for details only: one Python call per row is fine here.
            return args[0].map_elements(thousands, return_dtype=pl.String)
        if node.name in ("days_before", "days_after"):
            date, days = args
            offset = pl.duration(days=days)
            return date - offset if node.name == "days_before" else date + offset
        if node.name == "age":
            # Completed years as whole-number dates YYYYMMDD: the difference divided by
            # 10,000 (rounding down) is the difference of years, less one before the
            # birthday, since month and day only account for less than 10,000. A date is
            # its 400-year cycle (4,000,000 in YYYYMMDD, so 400 years of age) and its
            # YYYYMMDD within the cycle, all in 32-bit numbers (twice as fast as 64-bit).
            birth, on = args
            birth_cycle, birth_day = _cycle_and_day(birth)
            on_cycle, on_day = _cycle_and_day(on)
            years = (on_cycle - birth_cycle) * 400 + (on_day - birth_day) // 10_000
            return years.cast(pl.Int64)
        if node.name == "days_between":
            start, end = args
            return (end - start).dt.total_days().cast(pl.Int64)
        date, years = args
        if node.name == "years_before":
            years = -years
        year = date.dt.year().cast(pl.Int64) + years.cast(pl.Int64)
        month = date.dt.month()
        day = date.dt.day()
        leap = ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))
        day = pl.when((month == 2) & (day == 29) & leap.not_()).then(28).otherwise(day)
        return pl.date(year, month, day)


_CYCLE_DAYS = 146_097  # the Gregorian calendar repeats every 400 years, this many days
_CYCLE_START = (datetime.date(2000, 1, 1) - datetime.date(1970, 1, 1)).days


@functools.cache
def _cycle_dates() -> pl.Series:
    """Each day of the 400 years from 2000-01-01 as the whole number YYYYMMDD - 20000000."""
    numbers = [
        (year - 2000) * 10_000 + month * 100 + day
        for year in range(2000, 2400)
        for month in range(1, 13)
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
    ]
    assert len(numbers) == _CYCLE_DAYS
    return pl.Series("YYYYMMDD in the 400-year cycle", numbers, dtype=pl.Int32)


def _cycle_and_day(date: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """A date as its 400-year cycle from 2000-01-01 (negative before) and its whole number
    YYYYMMDD - 20000000 in that cycle (looked up: about twice as fast as taking the year,
    month and day apart). Both are 32-bit whole numbers, exact for any year of the
    interchange (and millions of years either side)."""
    days = date.cast(pl.Date).to_physical() - _CYCLE_START
    return days // _CYCLE_DAYS, pl.lit(_cycle_dates()).gather(days % _CYCLE_DAYS)


def _number(text: pl.Expr, names: list[str]) -> pl.Expr:
    """The position of each row's text among `names`; `len(names)` for any other text, null
    for null. (A cast to an Enum of the names finds the position about a third faster than
    `replace_strict`, but makes other texts null too.)"""
    if not names:
        return pl.when(text.is_not_null()).then(pl.lit(0, dtype=pl.UInt32))
    # Through text first: an Enum cast would read a whole number as a position.
    position = text.cast(pl.String).cast(pl.Enum(names), strict=False).to_physical()
    return pl.when(text.is_not_null()).then(position.fill_null(len(names)))


def _keys_and_periods(
    parameter: ParameterValues,
) -> tuple[list[str], list[datetime.date | None]]:
    """A keyed parameter's keys, sorted (so that parameters with the same keys number them
    the same way), and the start of each period: None (before any change), then each date
    on which one of its values changes."""
    assert parameter.by_key is not None
    return sorted(parameter.by_key), [None, *parameter.change_dates()]


def _value_or_default(
    parameter: ParameterValues, key: str | None, start: datetime.date | None
) -> Value:
    """The value for `key` (None: a key without a timeline) from `start` (None: before any
    change) to the next change: the default where the key has no value."""
    assert parameter.by_key is not None
    timeline = parameter.by_key.get(key) if key is not None else None
    value = timeline.at(start)[0] if timeline is not None and start is not None else None
    return parameter.default if value is None else value


def _list_call(function: Callable[..., int], args: Sequence[pl.Expr]) -> pl.Expr:
    """A counting function over list columns, applied row by row.

    The periods of a line are a list of structs; counting the days of a union of
    clipped intervals has no practical native Polars expression, so each row
    calls the same pure function as the scalar evaluator (correctness first).
    A null argument gives null, as everywhere else.
    """
    names = [f"arg{i}" for i in range(len(args))]

    def apply(row: dict[str, Value]) -> int | None:
        values = [row[name] for name in names]
        if any(value is None for value in values):
            return None
        return function(*values)

    return pl.struct([arg.alias(name) for arg, name in zip(args, names, strict=True)]).map_elements(
        apply, return_dtype=pl.Int64, skip_nulls=False
    )


def _typed(value: Value, dtype: pl.DataType) -> pl.Expr:
    if isinstance(value, list):
        return pl.lit(pl.Series([value], dtype=dtype))
    return pl.lit(value, dtype=dtype)
