"""Scalar evaluation: an expression on one set of facts, through Python closures compiled
once per tree, with a trace of the facts and parameter values it read."""

from __future__ import annotations

import datetime
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from passage.rules import dates
from passage.rules.expressions.nodes import (
    LIST_FUNCTIONS,
    Binary,
    Call,
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


@dataclass(frozen=True)
class Scope:
    """What an expression is evaluated against: facts, parameters and the legal as-of date."""

    facts: Mapping[str, Value]
    parameters: Mapping[str, ParameterValues]
    as_of: datetime.date | None


def evaluate(node: Node, scope: Scope, trace: Trace | None = None) -> Value:
    """Evaluate an expression on one set of facts; record what it read in `trace`."""
    return Evaluation(scope).run(node, trace if trace is not None else Trace())


def thousands(number: int | float) -> str:
    """A number with a comma every three digits, a whole float written as a whole number."""
    return (
        f"{number:,}" if isinstance(number, int) or not number.is_integer() else f"{int(number):,}"
    )


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
    "thousands": thousands,
    **LIST_FUNCTIONS,
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
_DECIDING: dict[str, bool] = {"and": False, "or": True}
"""Kleene's `and` and `or`: the operand value that decides each whatever the other operand
is, null included (false and null is false, true or null is true)."""


def _binary(node: Binary) -> Scalar:
    op = node.op
    left, right = scalar_form(node.left), scalar_form(node.right)
    if op in _DECIDING:
        deciding = _DECIDING[op]
        undecided = not deciding

        def connective(e: Evaluation) -> Value:
            a, b = left(e), right(e)
            if a is deciding or b is deciding:
                return deciding
            if a is None or b is None:
                return None
            return undecided

        return connective
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
        key = given_key(fact_name(node.args[0]))

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
        one, two = (fact_name(arg) for arg in node.args)

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
    return _remembered(id(node), compiled) if name in LIST_FUNCTIONS else compiled


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
