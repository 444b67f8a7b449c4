"""A ruleset prepared once for evaluating lines (its plan): how each fact is checked,
and each criterion's test and detail as functions; and how a value reads in a detail."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from passage.rules import expressions
from passage.rules.expressions import Evaluation, Fact, Node, Scalar, Value, given_key
from passage.rules.facts import checker
from passage.rules.ruleset import RuleSet, Template


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


class Step(NamedTuple):
    """A criterion ready for the scalar path."""

    id: str
    applies_to: tuple[str, ...] | None
    when: Scalar
    detail: Callable[[Evaluation], str]
    citation: str
    layout: str  # the detail as a format string, for values computed elsewhere


class Plan(NamedTuple):
    """What the scalar path needs of a ruleset, prepared once."""

    checkers: tuple[tuple[str, Callable[[str, Any], Value]], ...]
    fact_names: tuple[str, ...]
    given_keys: tuple[str, ...]
    parameters: dict[str, expressions.ParameterValues]
    steps: tuple[Step, ...]
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


_PLANS: dict[int, tuple[RuleSet, Plan]] = {}
_PLANS_LIMIT = 64


def plan_of(ruleset: RuleSet) -> Plan:
    """The ruleset's plan, made on first use and kept for the next lines."""
    known = _PLANS.get(id(ruleset))
    if known is not None and known[0] is ruleset:
        return known[1]
    kinds = {**ruleset.facts, **({"category": "string"} if ruleset.categories else {})}
    plan = Plan(
        checkers=tuple((name, checker(kind)) for name, kind in ruleset.facts.items()),
        fact_names=tuple(ruleset.facts),
        given_keys=tuple(given_key(name) for name in ruleset.facts),
        parameters=ruleset.parameter_values,
        steps=tuple(
            Step(
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
