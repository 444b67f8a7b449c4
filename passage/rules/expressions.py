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
facts (returning a trace of the facts and parameter values used), through the
Python closures `scalar_form` compiles it to once, and `to_polars` as a Polars
expression over a column per fact.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import functools
import math
import operator
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


def parse(source: str, shared: dict[tuple[Any, ...], Node] | None = None) -> Node:
    """Parse an expression into its tree, or raise `ExpressionError` saying where it is wrong.

    Equal subtrees are one and the same object: within the expression, and across every
    expression parsed with the same `shared` table (the loader keeps one per ruleset, so
    that the table lives as long as the ruleset and no longer).
    """
    return _intern(_Parser(source).parse(), {} if shared is None else shared)


def _intern(node: Node, table: dict[tuple[Any, ...], Node]) -> Node:
    key: tuple[Any, ...]
    if isinstance(node, Literal):
        key = ("literal", type(node.value), node.value)
    elif isinstance(node, Fact):
        key = ("fact", node.name)
    elif isinstance(node, Param):
        index = _intern(node.index, table) if node.index is not None else None
        node = Param(node.name, index)
        key = ("param", node.name, id(index))
    elif isinstance(node, ListOf):
        node = ListOf(tuple(_intern(item, table) for item in node.items))
        key = ("list", *map(id, node.items))
    elif isinstance(node, Unary):
        node = Unary(node.op, _intern(node.operand, table))
        key = ("unary", node.op, id(node.operand))
    elif isinstance(node, Binary):
        node = Binary(node.op, _intern(node.left, table), _intern(node.right, table))
        key = ("binary", node.op, id(node.left), id(node.right))
    else:
        node = Call(node.name, tuple(_intern(arg, table) for arg in node.args))
        key = ("call", node.name, *map(id, node.args))
    return table.setdefault(key, node)


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


_REMEMBERED_LOOKUPS = 4096
"""How many look-ups a parameter remembers before it starts afresh (keys come from input)."""


@dataclass(frozen=True)
class ParameterValues:
    """A parameter's timeline, or one timeline per key (country, province) with a default."""

    name: str
    timeline: Timeline | None = None
    by_key: Mapping[str, Timeline] | None = None
    default: Value = None
    # Every date on which one of its values changes: between two of them (a period) each
    # key has one value, so a look-up is remembered by period and key.
    _starts: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)
    _found: dict[tuple[int, Value], tuple[Value, datetime.date | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(self.change_dates()))

    @property
    def keyed(self) -> bool:
        return self.by_key is not None

    def at(self, on: datetime.date | None, key: Value = None) -> tuple[Value, datetime.date | None]:
        """The value in effect on `on` (for `key`) and the date it took effect."""
        if on is None:
            return None, None
        period = bisect.bisect_right(self._starts, on)
        found = self._found.get((period, key))
        if found is None:
            found = self._look_up(on, key)
            if len(self._found) >= _REMEMBERED_LOOKUPS:
                self._found.clear()
            self._found[(period, key)] = found
        return found

    def _look_up(self, on: datetime.date, key: Value) -> tuple[Value, datetime.date | None]:
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


@dataclass(slots=True)
class Trace:
    """The facts and parameter values an evaluation read, in the order it read them."""

    facts: dict[str, Value] = field(default_factory=dict)
    parameters: list[dict[str, Value]] = field(default_factory=list)

    def __init__(
        self,
        facts: dict[str, Value] | None = None,
        parameters: list[dict[str, Value]] | None = None,
    ) -> None:
        # Written by hand, cheaper than the generated one: one is made per criterion of
        # every line explained.
        self.facts = {} if facts is None else facts
        self.parameters = [] if parameters is None else parameters


def given_key(fact: str) -> str:
    """Where a line records whether it carried a fact at all, even as null. No fact name
    can contain a colon, so this never collides with one."""
    return f"given:{fact}"


def _fact_name(node: Node) -> str:
    assert isinstance(node, Fact)
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
    """Several expressions evaluated on one set of facts, recording what each read in the
    trace it is given. A call that counts days over lists of periods is computed once: the
    next expression that needs it (a detail reusing its criterion's) reuses the value, and
    what computing it read is recorded again in that expression's trace."""

    __slots__ = ("as_of", "facts", "memo", "parameters", "read_facts", "read_parameters", "trace")

    def __init__(self, scope: Scope) -> None:
        self.start(scope.facts, scope.parameters, scope.as_of)

    @classmethod
    def of(
        cls,
        facts: Mapping[str, Value],
        parameters: Mapping[str, ParameterValues],
        as_of: datetime.date | None,
    ) -> Evaluation:
        """An evaluation of `facts` (as a `Scope` of the same would give), made directly."""
        evaluation = cls.__new__(cls)
        evaluation.start(facts, parameters, as_of)
        return evaluation

    def start(
        self,
        facts: Mapping[str, Value],
        parameters: Mapping[str, ParameterValues],
        as_of: datetime.date | None,
    ) -> None:
        self.facts = facts
        self.parameters = parameters
        self.as_of = as_of
        self.memo: dict[int, tuple[Value, dict[str, Value], list[dict[str, Value]]]] = {}
        self.record(Trace())

    def record(self, trace: Trace) -> None:
        """Record what the next evaluations read in `trace`."""
        self.trace = trace
        self.read_facts = trace.facts
        self.read_parameters = trace.parameters

    def run(self, node: Node, trace: Trace) -> Value:
        """Evaluate `node`, recording what it read in `trace`."""
        self.record(trace)
        return scalar_form(node)(self)


Scalar: TypeAlias = Callable[[Evaluation], Value]
"""An expression compiled for the scalar evaluator: called with an `Evaluation`, it gives
the value and records the facts and parameters it reads in the evaluation's trace."""

_COMPILED: dict[int, tuple[Node, Scalar]] = {}  # by node; started afresh when full
_COMPILED_LIMIT = 8192


def scalar_form(node: Node) -> Scalar:
    """The scalar form of an expression: nested Python closures, built once per tree.

    Evaluating a closure does what walking the tree would do, in the same order (both
    sides of `and` and `or` are evaluated, so the trace lists every fact they read), with
    no dispatch on the kind of node left at run time.
    """
    known = _COMPILED.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    compiled = _compile(node)
    if len(_COMPILED) >= _COMPILED_LIMIT:
        _COMPILED.clear()
    _COMPILED[id(node)] = (node, compiled)  # the node is kept, so its id stays its own
    return compiled


def _compile(node: Node) -> Scalar:
    if isinstance(node, Literal):
        return _constant(node.value)
    if isinstance(node, Fact):
        return _fact(node.name)
    if isinstance(node, Param):
        return _param(node)
    if isinstance(node, ListOf):
        items = tuple(scalar_form(item) for item in node.items)

        def list_of(e: Evaluation) -> Value:
            return [item(e) for item in items]

        return list_of
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Binary):
        return _binary(node)
    return _call(node)


def _constant(value: Value) -> Scalar:
    def constant(e: Evaluation) -> Value:
        return value

    return constant


def _fact(name: str) -> Scalar:
    def fact(e: Evaluation) -> Value:
        value = e.facts.get(name)
        e.read_facts[name] = value
        return value

    return fact


def _param(node: Param) -> Scalar:
    name = node.name
    if node.index is None:

        def param(e: Evaluation) -> Value:
            value, effective = e.parameters[name].at(e.as_of)
            e.read_parameters.append({"name": name, "value": value, "effective": effective})
            return value

        return param
    if isinstance(node.index, Fact):
        fact = node.index.name

        def param_by_fact(e: Evaluation) -> Value:
            key = e.facts.get(fact)
            e.read_facts[fact] = key
            value, effective = e.parameters[name].at(e.as_of, key)
            e.read_parameters.append(
                {"name": name, "value": value, "effective": effective, "key": key}
            )
            return value

        return param_by_fact
    index = scalar_form(node.index)

    def keyed_param(e: Evaluation) -> Value:
        key = index(e)
        value, effective = e.parameters[name].at(e.as_of, key)
        e.read_parameters.append({"name": name, "value": value, "effective": effective, "key": key})
        return value

    return keyed_param


def _unary(node: Unary) -> Scalar:
    op = node.op
    if op == "not" and isinstance(node.operand, Fact):
        name = node.operand.name

        def fact_negation(e: Evaluation) -> Value:
            value = e.facts.get(name)
            e.read_facts[name] = value
            return None if value is None else not value

        return fact_negation
    operand = scalar_form(node.operand)
    if op == "not":

        def negation(e: Evaluation) -> Value:
            value = operand(e)
            return None if value is None else not value

        return negation

    def minus(e: Evaluation) -> Value:
        value = operand(e)
        return None if value is None else -value

    return minus


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def _binary(node: Binary) -> Scalar:
    op = node.op
    left, right = scalar_form(node.left), scalar_form(node.right)
    if op == "and":

        def both(e: Evaluation) -> Value:
            a, b = left(e), right(e)
            if a is False or b is False:
                return False
            if a is None or b is None:
                return None
            return True

        return both
    if op == "or":

        def either(e: Evaluation) -> Value:
            a, b = left(e), right(e)
            if a is True or b is True:
                return True
            if a is None or b is None:
                return None
            return False

        return either
    if op in ("in", "not in"):
        wanted = op == "in"

        def membership(e: Evaluation) -> Value:
            item, container = left(e), right(e)
            if item is None or container is None:
                return None
            if type(container) is not list:
                container = [member for member in container if member is not None]
            # A null member is never the item: the item is not null.
            return (item in container) is wanted

        return membership
    if op in _COMPARE:
        return _comparison(node, left, right)
    if op in _ARITHMETIC:
        apply = _ARITHMETIC[op]

        def arithmetic(e: Evaluation) -> Value:
            a, b = left(e), right(e)
            if a is None or b is None:
                return None
            return apply(a, b)

        return arithmetic

    def division(e: Evaluation) -> Value:
        a, b = left(e), right(e)
        if a is None or b is None or b == 0:
            return None  # division by zero is unknown, as in the columnar evaluator
        return a / b

    return division


def _comparison(node: Binary, left: Scalar, right: Scalar) -> Scalar:
    """A comparison; a fact or a literal operand is read in place, without a call."""
    compare = _COMPARE[node.op]
    first = node.left.name if isinstance(node.left, Fact) else None
    if isinstance(node.right, Literal) and node.right.value is not None:
        constant = node.right.value
        if first is not None:

            def fact_to_constant(e: Evaluation) -> Value:
                value = e.facts.get(first)
                e.read_facts[first] = value
                return None if value is None else bool(compare(value, constant))

            return fact_to_constant

        def compare_constant(e: Evaluation) -> Value:
            value = left(e)
            return None if value is None else bool(compare(value, constant))

        return compare_constant
    if first is not None and isinstance(node.right, Fact):
        second = node.right.name

        def fact_to_fact(e: Evaluation) -> Value:
            facts, read = e.facts, e.read_facts
            a = read[first] = facts.get(first)
            b = read[second] = facts.get(second)
            if a is None or b is None:
                return None
            return bool(compare(a, b))

        return fact_to_fact
    if first is not None:

        def fact_to_value(e: Evaluation) -> Value:
            a = e.read_facts[first] = e.facts.get(first)
            b = right(e)
            if a is None or b is None:
                return None
            return bool(compare(a, b))

        return fact_to_value

    def comparison(e: Evaluation) -> Value:
        a, b = left(e), right(e)
        if a is None or b is None:
            return None
        return bool(compare(a, b))

    return comparison


def _call(node: Call) -> Scalar:
    name = node.name
    if name == "given":
        key = given_key(_fact_name(node.args[0]))

        def given(e: Evaluation) -> Value:
            return e.facts.get(key) is True

        return given
    args = tuple(scalar_form(arg) for arg in node.args)
    if name == "if":
        condition, then, otherwise = args

        def choice(e: Evaluation) -> Value:
            value = condition(e)
            if value is None:
                return None
            return then(e) if value else otherwise(e)

        return choice
    if name == "is_null":
        [argument] = args

        def is_null(e: Evaluation) -> Value:
            return argument(e) is None

        return is_null
    function = _FUNCTIONS[name]
    if len(args) == 1:
        [only] = args

        def unary_call(e: Evaluation) -> Value:
            value = only(e)
            return None if value is None else function(value)

        compiled: Scalar = unary_call
    elif len(args) == 2 and all(isinstance(arg, Fact) for arg in node.args):
        one, two = (_fact_name(arg) for arg in node.args)

        def call_on_facts(e: Evaluation) -> Value:
            facts, read = e.facts, e.read_facts
            a = read[one] = facts.get(one)
            b = read[two] = facts.get(two)
            if a is None or b is None:
                return None
            return function(a, b)

        compiled = call_on_facts
    elif len(args) == 2:
        first, second = args

        def binary_call(e: Evaluation) -> Value:
            a, b = first(e), second(e)
            if a is None or b is None:
                return None
            return function(a, b)

        compiled = binary_call
    else:

        def call(e: Evaluation) -> Value:
            values = [arg(e) for arg in args]
            if None in values:
                return None
            return function(*values)

        compiled = call
    return _remembered(id(node), compiled) if name in _LIST_FUNCTIONS else compiled


def _remembered(key: int, compute: Scalar) -> Scalar:
    """Compute once per evaluation; replay what computing read into each later trace."""

    def remembered(e: Evaluation) -> Value:
        known = e.memo.get(key)
        if known is not None:
            value, read_facts, read_parameters = known
            e.read_facts.update(read_facts)
            e.read_parameters.extend([dict(entry) for entry in read_parameters])
            return value
        outer_facts, outer_parameters = e.read_facts, e.read_parameters
        facts: dict[str, Value] = {}
        parameters: list[dict[str, Value]] = []
        e.read_facts, e.read_parameters = facts, parameters
        try:
            value = compute(e)
        finally:
            e.read_facts, e.read_parameters = outer_facts, outer_parameters
        outer_facts.update(facts)  # the same keys in the same order as reading them there
        outer_parameters.extend(parameters)
        e.memo[key] = (value, facts, [dict(entry) for entry in parameters])
        return value

    return remembered


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
