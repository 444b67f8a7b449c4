"""A small, safe expression language for eligibility criteria.

Expressions are parsed by a tokenizer and a Pratt parser into a tree; nothing is
ever handed to `eval`. The grammar, loosest binding first:

    or  ·  and  ·  not  ·  == != < <= > >= in, not in  ·  + -  ·  * /  ·  unary -

Operands are literals (`12`, `2.5`, `"FR"`, `true`, `false`, `null`,
`date("2014-08-01")`, lists `["a", "b"]`), fact names, parameters
(`param.minimum_funds`, or indexed by a key: `param.maximum_age[citizenship]`)
and calls to the functions of `FUNCTIONS`.

Logic has three values: a null operand makes a comparison or an arithmetic
result null, `and` and `or` follow Kleene's rules (false and null is false,
true or null is true), and `is_null(x)` is the only way to test for null.
Each tree is evaluated two ways that must agree: `evaluate` on one set of
facts (returning a trace of the facts and parameter values used) and
`to_polars` as a Polars expression over a column per fact.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import polars as pl

from passage.rules import dates, presence

Value: TypeAlias = Any
"""A runtime value: None, bool, int, float, str, datetime.date or a list of those."""


class ExpressionError(ValueError):
    """An expression that cannot be parsed or does not fit the ruleset."""


# ---------------------------------------------------------------------------
# Tree


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Fact:
    name: str


@dataclass(frozen=True)
class Param:
    name: str
    index: Node | None = None


@dataclass(frozen=True)
class ListOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node: TypeAlias = Literal | Fact | Param | ListOf | Unary | Binary | Call

FUNCTIONS: dict[str, int] = {
    "age": 2,
    "years_before": 2,
    "years_after": 2,
    "days_between": 2,
    "days_before": 2,
    "days_after": 2,
    "min": 2,
    "max": 2,
    "floor": 1,
    "thousands": 1,
    "if": 3,
    "days_present": 3,
    "days_present_before": 5,
    "tax_years_in_window": 3,
    "is_null": 1,
    "given": 1,
    "date": 1,
}
"""The named pure functions and their number of arguments.

`if(condition, then, otherwise)` is null when the condition is null.
`thousands(n)` writes a whole number with a comma every three digits, for details.
`days_present`, `days_present_before` and `tax_years_in_window` take list facts
(periods, years) and count days as `passage.rules.presence` documents.
"""

_LIST_FUNCTIONS: dict[str, Callable[..., int]] = {
    "days_present": presence.days_present,
    "days_present_before": presence.days_present_before,
    "tax_years_in_window": presence.tax_years_in_window,
}

# ---------------------------------------------------------------------------
# Tokenizer

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d[\d_]*(?:\.\d+)?)
      | (?P<string>"[^"\\]*"|'[^'\\]*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, name, keyword, op, end
    text: str
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.lastgroup is None:
            stripped = len(source[position:]) - len(source[position:].lstrip())
            where = position + stripped
            raise ExpressionError(f"unexpected character {source[where]!r} at column {where + 1}")
        kind = match.lastgroup
        text = match.group(kind)
        start = match.start(kind)
        if kind == "name" and text in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Token(kind, text, start))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# ---------------------------------------------------------------------------
# Parser (Pratt)

_BINARY_POWER = {
    "or": 1,
    "and": 2,
    "==": 4,
    "!=": 4,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "in": 4,
    "not in": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
}
_NOT_POWER = 3
_NEGATE_POWER = 7


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.position = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.position + offset, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        token = self.advance()
        if token.text != text or token.kind == "string":
            found = token.text or "the end"
            raise ExpressionError(
                f"expected {text!r} at column {token.position + 1}, found {found!r}"
            )

    def parse(self) -> Node:
        node = self.expression(0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r} at column {token.position + 1}")
        return node

    def binary_operator(self) -> str | None:
        token = self.peek()
        if token.kind == "keyword" and token.text == "not" and self.peek(1).text == "in":
            return "not in"
        if token.kind in ("keyword", "op") and token.text in _BINARY_POWER:
            return token.text
        return None

    def expression(self, minimum_power: int) -> Node:
        left = self.prefix()
        while True:
            operator = self.binary_operator()
            if operator is None:
                return left
            power = _BINARY_POWER[operator]
            if power <= minimum_power:
                return left
            self.advance()
            if operator == "not in":
                self.advance()
            right = self.expression(power)
            if power == 4 and self.binary_operator() in _COMPARISONS:
                token = self.peek()
                raise ExpressionError(
                    f"comparisons cannot be chained (column {token.position + 1}); use 'and'"
                )
            left = Binary(operator, left, right)

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            text = token.text.replace("_", "")
            return Literal(float(text) if "." in text else int(text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "keyword":
            if token.text in ("true", "false"):
                return Literal(token.text == "true")
            if token.text == "null":
                return Literal(None)
            if token.text == "not":
                return Unary("not", self.expression(_NOT_POWER))
        if token.kind == "op":
            if token.text == "-":
                return Unary("-", self.expression(_NEGATE_POWER))
            if token.text == "(":
                inner = self.expression(0)
                self.expect(")")
                return inner
            if token.text == "[":
                return ListOf(tuple(self.arguments("]")))
        if token.kind == "name":
            return self.name(token)
        found = token.text or "the end"
        raise ExpressionError(f"unexpected {found!r} at column {token.position + 1}")

    def arguments(self, closing: str) -> list[Node]:
        items: list[Node] = []
        if self.peek().text == closing and self.peek().kind == "op":
            self.advance()
            return items
        while True:
            items.append(self.expression(0))
            token = self.advance()
            if token.text == closing and token.kind == "op":
                return items
            if token.text != ",":
                found = token.text or "the end"
                raise ExpressionError(
                    f"expected ',' or {closing!r} at column {token.position + 1}, found {found!r}"
                )

    def name(self, token: _Token) -> Node:
        if token.text == "param":
            self.expect(".")
            name = self.advance()
            if name.kind != "name":
                raise ExpressionError(f"expected a parameter name at column {name.position + 1}")
            index: Node | None = None
            if self.peek().text == "[" and self.peek().kind == "op":
                self.advance()
                index = self.expression(0)
                self.expect("]")
            return Param(name.text, index)
        if self.peek().text == "(" and self.peek().kind == "op":
            self.advance()
            if token.text not in FUNCTIONS:
                known = ", ".join(sorted(FUNCTIONS))
                raise ExpressionError(f"unknown function {token.text!r} (known: {known})")
            args = self.arguments(")")
            if len(args) != FUNCTIONS[token.text]:
                raise ExpressionError(
                    f"{token.text}() takes {FUNCTIONS[token.text]} argument(s), got {len(args)}"
                )
            if token.text == "date":
                return _date_literal(args[0])
            if token.text == "given" and not isinstance(args[0], Fact):
                raise ExpressionError("given() takes the name of a fact")
            return Call(token.text, tuple(args))
        return Fact(token.text)


_COMPARISONS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}


def _date_literal(argument: Node) -> Literal:
    if not isinstance(argument, Literal) or not isinstance(argument.value, str):
        raise ExpressionError('date() takes a literal "YYYY-MM-DD" string')
    try:
        return Literal(datetime.date.fromisoformat(argument.value))
    except ValueError:
        raise ExpressionError(f"date({argument.value!r}) is not a YYYY-MM-DD date") from None


def parse(source: str) -> Node:
    """Parse an expression into its tree, or raise `ExpressionError` saying where it is wrong.

    Equal subtrees of all parsed expressions are one and the same object, so that one
    evaluation can remember a value by its node (a detail reusing its criterion's values).
    """
    return _intern(_Parser(source).parse())


_INTERNED: dict[tuple[Any, ...], Node] = {}


def _intern(node: Node) -> Node:
    key: tuple[Any, ...]
    if isinstance(node, Literal):
        key = ("literal", type(node.value), node.value)
    elif isinstance(node, Fact):
        key = ("fact", node.name)
    elif isinstance(node, Param):
        index = _intern(node.index) if node.index is not None else None
        node = Param(node.name, index)
        key = ("param", node.name, id(index))
    elif isinstance(node, ListOf):
        node = ListOf(tuple(_intern(item) for item in node.items))
        key = ("list", *map(id, node.items))
    elif isinstance(node, Unary):
        node = Unary(node.op, _intern(node.operand))
        key = ("unary", node.op, id(node.operand))
    elif isinstance(node, Binary):
        node = Binary(node.op, _intern(node.left), _intern(node.right))
        key = ("binary", node.op, id(node.left), id(node.right))
    else:
        node = Call(node.name, tuple(_intern(arg) for arg in node.args))
        key = ("call", node.name, *map(id, node.args))
    return _INTERNED.setdefault(key, node)


def facts_used(node: Node) -> set[str]:
    """The names of the facts an expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Fact)}


def walk(node: Node) -> list[Node]:
    """Every node of the tree, the root first."""
    children: tuple[Node, ...]
    if isinstance(node, Param):
        children = (node.index,) if node.index is not None else ()
    elif isinstance(node, ListOf | Call):
        children = node.items if isinstance(node, ListOf) else node.args
    elif isinstance(node, Unary):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    else:
        children = ()
    result: list[Node] = [node]
    for child in children:
        result.extend(walk(child))
    return result


# ---------------------------------------------------------------------------
# Parameters as the evaluators see them


@dataclass(frozen=True)
class Timeline:
    """Values of one parameter (or one key of it) by the date they took effect, oldest first."""

    changes: tuple[tuple[datetime.date, Value], ...]

    def at(self, on: datetime.date) -> tuple[Value, datetime.date | None]:
        value: Value = None
        effective: datetime.date | None = None
        for start, candidate in self.changes:
            if start <= on:
                value, effective = candidate, start
        return value, effective


@dataclass(frozen=True)
class ParameterValues:
    """A parameter's timeline, or one timeline per key (country, province) with a default."""

    name: str
    timeline: Timeline | None = None
    by_key: Mapping[str, Timeline] | None = None
    default: Value = None

    @property
    def keyed(self) -> bool:
        return self.by_key is not None

    def at(self, on: datetime.date | None, key: Value = None) -> tuple[Value, datetime.date | None]:
        """The value in effect on `on` (for `key`) and the date it took effect."""
        if on is None:
            return None, None
        if self.by_key is None:
            assert self.timeline is not None
            return self.timeline.at(on)
        if key is None:
            return None, None
        timeline = self.by_key.get(key)
        value, effective = timeline.at(on) if timeline is not None else (None, None)
        if value is None:
            return self.default, None
        return value, effective

    def change_dates(self) -> list[datetime.date]:
        timelines = [self.timeline] if self.by_key is None else list(self.by_key.values())
        return sorted({start for t in timelines if t is not None for start, _ in t.changes})


# ---------------------------------------------------------------------------
# Scalar evaluation with a trace


@dataclass
class Trace:
    """The facts and parameter values an evaluation read, in the order it read them."""

    facts: dict[str, Value] = field(default_factory=dict)
    parameters: list[dict[str, Value]] = field(default_factory=list)


def given_key(fact: str) -> str:
    """Where a line records whether it carried a fact at all, even as null. No fact name
    can contain a colon, so this never collides with one."""
    return f"given:{fact}"


def _fact_name(node: Node) -> str:
    assert isinstance(node, Fact)  # the parser accepts nothing else in given()
    return node.name


@dataclass(frozen=True)
class Scope:
    """What an expression is evaluated against: facts, parameters and the legal as-of date."""

    facts: Mapping[str, Value]
    parameters: Mapping[str, ParameterValues]
    as_of: datetime.date | None


def evaluate(node: Node, scope: Scope, trace: Trace | None = None) -> Value:
    """Evaluate an expression on one set of facts; record what it read in `trace`."""
    return Evaluation(scope).run(node, trace if trace is not None else Trace())


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "age": dates.age,
    "years_before": dates.years_before,
    "years_after": dates.years_after,
    "days_between": dates.days_between,
    "days_before": lambda date, days: date - datetime.timedelta(days=days),
    "days_after": lambda date, days: date + datetime.timedelta(days=days),
    "min": min,
    "max": max,
    "floor": math.floor,
    "thousands": lambda number: _thousands(number),
    **_LIST_FUNCTIONS,
}


class Evaluation:
    """Several expressions evaluated on one set of facts, each parameter read and function
    called once: a value computed for one expression is reused by the next (a detail
    reusing its criterion's), and what computing it read is recorded again in the trace."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.trace = Trace()
        self.reads: list[str] = []  # facts read so far, for remembering what a node read
        self.memo: dict[int, tuple[Node, Value, list[str], list[dict[str, Value]]]] = {}

    def run(self, node: Node, trace: Trace) -> Value:
        """Evaluate `node`, recording what it read in `trace`."""
        self.trace = trace
        return self.node(node)

    def node(self, node: Node) -> Value:
        kind = type(node)
        if kind is Fact:
            name = node.name  # type: ignore[union-attr]
            value = self.scope.facts.get(name)
            self.trace.facts[name] = value
            self.reads.append(name)
            return value
        if kind is Literal:
            return node.value  # type: ignore[union-attr]
        if kind is Binary:
            return self.binary(node)  # type: ignore[arg-type]
        if kind is Call:
            return self.remembered(node)
        if kind is Param:
            # A parameter without a key is read at once, an indexed one remembered.
            return self.remembered(node) if node.index is not None else self.param(node)  # type: ignore[union-attr, arg-type]
        if kind is ListOf:
            return [self.node(item) for item in node.items]  # type: ignore[union-attr]
        assert isinstance(node, Unary)
        operand = self.node(node.operand)
        if operand is None:
            return None
        return (not operand) if node.op == "not" else -operand

    def remembered(self, node: Node) -> Value:
        trace = self.trace
        known = self.memo.get(id(node))
        if known is not None and known[0] is node:
            _, value, reads, entries = known
            facts = self.scope.facts
            for name in reads:
                trace.facts[name] = facts.get(name)
            self.reads.extend(reads)
            trace.parameters.extend([dict(entry) for entry in entries])
            return value
        first_read = len(self.reads)
        first_entry = len(trace.parameters)
        value = self.param(node) if type(node) is Param else self.call(node)  # type: ignore[arg-type]
        self.memo[id(node)] = (
            node,
            value,
            self.reads[first_read:],
            [dict(entry) for entry in trace.parameters[first_entry:]],
        )
        return value

    def param(self, node: Param) -> Value:
        parameter = self.scope.parameters[node.name]
        key = self.node(node.index) if node.index is not None else None
        value, effective = parameter.at(self.scope.as_of, key)
        entry: dict[str, Value] = {"name": node.name, "value": value, "effective": effective}
        if node.index is not None:
            entry["key"] = key
        self.trace.parameters.append(entry)
        return value

    def binary(self, node: Binary) -> Value:
        left = self.node(node.left)
        right = self.node(node.right)
        op = node.op
        if op == "and" or op == "or":
            decisive = op == "or"  # true decides `or`, false decides `and`
            if left is decisive or right is decisive:
                return decisive
            if left is None or right is None:
                return None
            return not decisive
        if left is None or right is None:
            return None
        return _apply(op, left, right)

    def call(self, node: Call) -> Value:
        if node.name == "given":
            return self.scope.facts.get(given_key(_fact_name(node.args[0]))) is True
        if node.name == "if":
            condition = self.node(node.args[0])
            if condition is None:
                return None
            return self.node(node.args[1] if condition else node.args[2])
        args = [self.node(arg) for arg in node.args]
        if node.name == "is_null":
            return args[0] is None
        if None in args:
            return None
        return _FUNCTIONS[node.name](*args)


def _apply(op: str, left: Value, right: Value) -> Value:
    if op in ("in", "not in"):
        found = left in [item for item in right if item is not None]
        return found if op == "in" else not found
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return None  # division by zero is unknown, as in the columnar evaluator
    return left / right


# ---------------------------------------------------------------------------
# Columnar evaluation on Polars


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


def to_polars(node: Node, parameters: Mapping[str, ParameterValues], as_of: pl.Expr) -> pl.Expr:
    """Compile an expression to a Polars expression over one column per fact."""
    return _Columnar(parameters, as_of).run(node)


class _Columnar:
    def __init__(self, parameters: Mapping[str, ParameterValues], as_of: pl.Expr) -> None:
        self.parameters = parameters
        self.as_of = as_of

    def run(self, node: Node) -> pl.Expr:
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
        changes = parameter.change_dates()
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
        key = self.run(node.index)
        all_values = [v for t in parameter.by_key.values() for _, v in t.changes]
        dtype = polars_type([*all_values, parameter.default])
        default = _typed(parameter.default, dtype)
        chain = None
        for start in reversed(changes):
            mapping: dict[str, Value] = {}
            for name, timeline in parameter.by_key.items():
                value, _ = timeline.at(start)
                if value is not None:
                    mapping[name] = value
            looked_up = _lookup(key, mapping, dtype, default)
            condition = self.as_of >= _lit(start)
            chain = (
                pl.when(condition).then(looked_up)
                if chain is None
                else chain.when(condition).then(looked_up)
            )
        if chain is None:
            # No value for any key: only whether the key is null matters, which needs
            # no string built for it.
            unknown = self.as_of.is_null() | self.is_null(node.index)
            return pl.when(unknown).then(_typed(None, dtype)).otherwise(default)
        return (  # type: ignore[no-any-return]
            pl.when(self.as_of.is_null() | key.is_null())
            .then(_typed(None, dtype))
            .otherwise(chain.otherwise(default))
        )

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
        row. Instead each (key, member) pair in effect is numbered once, here, and each
        row tests the number of its own pair for membership in that set of integers.
        The result is the same: null when the item, the key or the as-of date is null
        (or the key has no value and there is no default), else whether the item is a
        member of the key's list (of the default list for a key without a value).
        """
        parameter = self.parameters[container.name]
        by_key = parameter.by_key
        if by_key is None or container.index is None:
            return None
        values = [v for t in by_key.values() for _, v in t.changes]
        if not all(isinstance(v, list) for v in [*values, parameter.default] if v is not None):
            return None
        names = sorted({m for v in values if v is not None for m in v if m is not None}, key=repr)
        if not all(isinstance(m, str) for m in names):
            return None
        members = {m: i for i, m in enumerate(names)}
        keys = {k: i for i, k in enumerate(by_key)}
        key = self.run(container.index)
        key_number = key.replace_strict(keys, default=None, return_dtype=pl.Int64)
        member_number = item.replace_strict(members, default=None, return_dtype=pl.Int64)
        width = max(len(members), 1)
        pair = key_number * width + member_number
        default = parameter.default
        if default is None:
            otherwise = _null()
        else:
            present = [m for m in default if m is not None]
            otherwise = item.is_in(present).fill_null(False) if present else pl.lit(False)

        def found_on(start: datetime.date) -> pl.Expr:
            pairs: list[int] = []
            without_value: list[int] = []
            for name, position in keys.items():
                value, _ = by_key[name].at(start)
                if value is None:
                    without_value.append(position)
                else:
                    pairs.extend(position * width + members[m] for m in value if m is not None)
            found = pair.is_in(pairs).fill_null(False)
            if default is not None and not [m for m in default if m is not None]:
                return found  # the default offers nothing: no pair found is false
            keyed = key_number.is_in(without_value).not_().fill_null(False)
            return pl.when(keyed).then(found).otherwise(otherwise)

        chain: Any = pl.when(self.as_of.is_null() | key.is_null() | item.is_null()).then(_null())
        for start in reversed(parameter.change_dates()):
            chain = chain.when(self.as_of >= _lit(start)).then(found_on(start))
        return chain.otherwise(otherwise)  # type: ignore[no-any-return]

    def call(self, node: Call) -> pl.Expr:
        if node.name == "given":
            return pl.col(given_key(_fact_name(node.args[0])))
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
        if node.name in _LIST_FUNCTIONS:
            return _list_call(_LIST_FUNCTIONS[node.name], args)
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
            return args[0].map_elements(_thousands, return_dtype=pl.String)
        if node.name in ("days_before", "days_after"):
            date, days = args
            offset = pl.duration(days=days)
            return date - offset if node.name == "days_before" else date + offset
        if node.name == "age":
            # Completed years as whole-number dates YYYYMMDD: the difference divided by
            # 10,000 (rounding down) is the difference of years, less one before the
            # birthday, since month and day only account for less than 10,000.
            birth, on = args
            return (_yyyymmdd(on) - _yyyymmdd(birth)) // 10_000
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
    return pl.Series(numbers, dtype=pl.Int64)


def _yyyymmdd(date: pl.Expr) -> pl.Expr:
    """A date as the whole number YYYYMMDD, looked up by its day in the 400-year cycle
    (about twice as fast as taking the year, month and day apart)."""
    days = date.cast(pl.Date).cast(pl.Int64) - _CYCLE_START
    cycles = days // _CYCLE_DAYS
    return cycles * 4_000_000 + 20_000_000 + pl.lit(_cycle_dates()).gather(days % _CYCLE_DAYS)


def _thousands(number: int | float) -> str:
    return (
        f"{number:,}" if isinstance(number, int) or not number.is_integer() else f"{int(number):,}"
    )


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


def _lookup(
    key: pl.Expr, mapping: dict[str, Value], dtype: pl.DataType, default: pl.Expr
) -> pl.Expr:
    if not mapping:
        return default
    if isinstance(dtype, pl.List):
        # replace_strict does not take list values: look the key up by position instead.
        keys = list(mapping)
        position = key.replace_strict(
            {k: i for i, k in enumerate(keys)}, default=None, return_dtype=pl.Int64
        )
        table = pl.lit(pl.Series([[mapping[k] for k in keys]], dtype=pl.List(dtype)))
        return (
            pl.when(position.is_null())
            .then(default)
            .otherwise(table.list.get(position, null_on_oob=True))
        )
    return key.replace_strict(mapping, default=default, return_dtype=dtype)
