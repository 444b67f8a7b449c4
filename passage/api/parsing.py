"""Reading a JSON request body strictly: what the database could not store, or a reader
could not trust, is refused here with an answer that says where, before any code sees it.

Refused: bodies that are not UTF-8 JSON, numbers that are not finite (`NaN`, `Infinity`,
`1e999`: orjson rejects them, where Python's json module accepts them), lone surrogates
(orjson rejects those too), text holding a NUL character (PostgreSQL cannot store it), and
nesting deeper than any request of the API needs.
"""

from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser

from passage.errors import InvalidRequest

MAX_DEPTH = 32


class InvalidBody(InvalidRequest):
    """A body the API refuses: the status (400 for one that is not JSON, 422 for JSON
    holding what cannot be accepted), a sentence, and the place of each problem."""

    def __init__(self, status: int, detail: str, errors: dict[str, str]) -> None:
        super().__init__(detail, errors=errors)
        self.http_status = status
        self.status = status
        self.detail = detail
        self.errors = errors


class StrictJSONParser(Parser):
    """django-ninja's body parser, strict (see the module's docstring)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json(request.body)


def parse_json(body: bytes) -> Any:
    """The JSON value of a request body, or InvalidBody saying what is wrong and where."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InvalidBody(
            400,
            _("The request body is not valid JSON."),
            {
                "body": _("%(problem)s (at character %(position)s).")
                % {"problem": error.msg, "position": error.pos}
            },
        ) from None
    problem = _first_problem(value, "", 0)
    if problem is not None:
        place, message = problem
        raise InvalidBody(422, _("The request has errors."), {place or "body": message})
    return value


def _first_problem(value: Any, place: str, depth: int) -> tuple[str, str] | None:
    """The first place (`answers.name`, `documents[0].kind`) holding what is refused."""
    if depth > MAX_DEPTH:
        return place, _("Nested too deeply: at most %(depth)s levels.") % {"depth": MAX_DEPTH}
    if isinstance(value, str):
        return (place, _no_nul()) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{place}.{key}" if place else str(key)
            if "\x00" in key:
                return where.replace("\x00", "\\u0000"), _no_nul()
            if (problem := _first_problem(item, where, depth + 1)) is not None:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (problem := _first_problem(item, f"{place}[{index}]", depth + 1)) is not None:
                return problem
    return None


def _no_nul() -> str:
    return _("Remove the NUL character (\\u0000): text cannot hold it.")
