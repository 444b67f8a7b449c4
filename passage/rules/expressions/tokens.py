"""The tokenizer: an expression's source text as a list of tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from passage.rules.expressions.nodes import ExpressionError

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
class Token:
    """One token of an expression and the index in the source where it starts."""

    kind: str  # number, string, name, keyword, op, end
    text: str
    position: int


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, then an `end` token; `ExpressionError` at a character that
    starts no token."""
    tokens: list[Token] = []
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
        tokens.append(Token(kind, text, start))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens
