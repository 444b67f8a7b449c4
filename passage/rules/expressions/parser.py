"""The Pratt parser: source text to a tree whose equal subtrees are one node, and walks
over the tree."""

from __future__ import annotations

import datetime
from typing import Any

from passage.rules.expressions.nodes import (
    FUNCTIONS,
    Binary,
    Call,
    ExpressionError,
    Fact,
    ListOf,
    Literal,
    Node,
    Param,
    Unary,
)
from passage.rules.expressions.tokens import Token, tokenize

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
        self.tokens = tokenize(source)
        self.position = 0

    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.position + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
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

    def name(self, token: Token) -> Node:
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
            expected = FUNCTIONS[token.text]
            if len(args) != expected:
                arguments = "argument" if expected == 1 else "arguments"
                raise ExpressionError(
                    f"{token.text}() takes {expected} {arguments}, got {len(args)}"
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
