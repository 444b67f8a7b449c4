"""The tree an expression parses into, and the functions an expression may call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

from passage.rules import presence

Value: TypeAlias = Any
"""A runtime value: None, bool, int, float, str, datetime.date or a list of those."""


class ExpressionError(ValueError):
    """An expression that cannot be parsed or does not fit the ruleset."""


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

LIST_FUNCTIONS: dict[str, Callable[..., int]] = {
    "days_present": presence.days_present,
    "days_present_before": presence.days_present_before,
    "tax_years_in_window": presence.tax_years_in_window,
}
"""The functions over list facts (periods, years): both evaluators call these same ones."""


def fact_name(node: Node) -> str:
    """The name of a fact node (the argument of `given`, which the parser checks is one)."""
    assert isinstance(node, Fact)
    return node.name
