"""The `example:` of a questions.yaml checked: the day and the answers of a person who
meets every criterion, each answer in the shape its question's type is stored in."""

import datetime
from collections.abc import Callable
from typing import Any, Protocol

from passage.programs.flow import PERSON_FIELDS, FlowError, FlowExample, Question


class Reader(Protocol):
    """What the example's checks use of the reader of questions.yaml."""

    seen: dict[str, Question]

    def fail(self, line: int, message: str) -> FlowError: ...

    def mapping(
        self, value: Any, line: int, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Any: ...

    def line(self, mapping: Any, key: str) -> int: ...


def _is_iso_date(value: Any) -> bool:
    """Whether `value` is a date written `YYYY-MM-DD` (YAML dates are read as text)."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# How the answer to each simple type of question is stored: (what it must be, whether
# a value is that). Choices, periods and people are checked against their question.
_ANSWER_SHAPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "text": ("text", lambda value: isinstance(value, str) and bool(value.strip())),
    "email": ("an email address", lambda value: isinstance(value, str) and "@" in value),
    "date": ("a date (YYYY-MM-DD)", _is_iso_date),
    "number": ("a number", _is_number),
    "yes-no": ("true or false", lambda value: isinstance(value, bool)),
    "country": (
        "a country code of two capital letters",
        lambda value: (
            isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()
        ),
    ),
    "years": (
        "a list of years",
        lambda value: isinstance(value, list) and all(map(_is_whole, value)),
    ),
}


def _plain(value: Any) -> Any:
    """The YAML reader's mappings and lists (which remember their lines) as plain ones."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def read_example(reader: Reader, raw: Any, line: int) -> FlowExample:
    """`example: {submitted_on: YYYY-MM-DD, answers: {question id: answer}}`, each
    answer in the shape its question's type is stored in."""
    entry = reader.mapping(raw, line, "the example", ("submitted_on", "answers"), ())
    day = entry["submitted_on"]
    if not _is_iso_date(day):
        raise reader.fail(
            reader.line(entry, "submitted_on"),
            f"example.submitted_on must be a date (YYYY-MM-DD), not {day!r}",
        )
    answers = entry["answers"]
    if not isinstance(answers, dict) or not hasattr(answers, "key_lines") or not answers:
        raise reader.fail(
            reader.line(entry, "answers"), "example.answers must map question ids to answers"
        )
    for question_id, value in answers.items():
        at = reader.line(answers, question_id)
        if question_id not in reader.seen:
            raise reader.fail(at, f"example.answers: {question_id!r} is not a question of the flow")
        _example_answer(reader, reader.seen[question_id], value, at)
    return FlowExample(submitted_on=datetime.date.fromisoformat(day), answers=_plain(dict(answers)))


def _example_answer(reader: Reader, question: Question, value: Any, line: int) -> None:
    """Check that `value` has the shape `question`'s answers are stored in (the flow's
    own checks, such as `past` or `min`, are the engine's: a test runs them)."""
    what = f"example.answers.{question.id}"
    if value is None:
        if question.required:
            raise reader.fail(line, f"{what}: the question is required, not null")
        return
    if question.type in _ANSWER_SHAPES:
        shape, fits = _ANSWER_SHAPES[question.type]
        if not fits(value):
            raise reader.fail(line, f"{what} must be {shape}, not {value!r}")
        return
    if question.type == "choice":
        values = [option.value for option in question.options]
        if value not in values:
            raise reader.fail(line, f"{what} must be one of {', '.join(values)}, not {value!r}")
        return
    if not isinstance(value, list):
        raise reader.fail(line, f"{what} must be a list")
    for row in value:
        if question.type == "periods":
            _example_period(reader, question, row, line, what)
        else:
            _example_person(reader, question, row, line, what)


def _example_period(reader: Reader, question: Question, row: Any, line: int, what: str) -> None:
    """`{from, to}`, and `credited` (true or false) when the question has it."""
    credited = ("credited",) if question.credited is not None else ()
    row = reader.mapping(
        row, getattr(row, "line", line), f"a period of {what}", ("from", "to", *credited), ()
    )
    for key in ("from", "to"):
        if not _is_iso_date(row[key]):
            raise reader.fail(reader.line(row, key), f"{what}: {key} must be a date (YYYY-MM-DD)")
    if credited and not isinstance(row["credited"], bool):
        raise reader.fail(reader.line(row, "credited"), f"{what}: credited must be true or false")


def _example_person(reader: Reader, question: Question, row: Any, line: int, what: str) -> None:
    """`{given_name, family_name, date_of_birth}`, and `relationship` (one of the
    options) when the question has options."""
    relationship = ("relationship",) if question.options else ()
    keys = (*PERSON_FIELDS, *relationship)
    row = reader.mapping(row, getattr(row, "line", line), f"a person of {what}", keys, ())
    for key in ("given_name", "family_name"):
        if not isinstance(row[key], str) or not row[key].strip():
            raise reader.fail(reader.line(row, key), f"{what}: {key} must be text")
    if not _is_iso_date(row["date_of_birth"]):
        raise reader.fail(
            reader.line(row, "date_of_birth"),
            f"{what}: date_of_birth must be a date (YYYY-MM-DD)",
        )
    values = [option.value for option in question.options]
    if relationship and row["relationship"] not in values:
        raise reader.fail(
            reader.line(row, "relationship"),
            f"{what}: relationship must be one of {', '.join(values)}",
        )
