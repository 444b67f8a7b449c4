"""Question flows as data: read `programs/<program>/questions.yaml` strictly.

A flow is a list of pages; each page asks one thing (one question, or a small group
that is one thing). Every question says how its answer is kept: `field` names a typed
field of the application (`given_name`, `date_of_birth`…), `fact` names the interchange
fact the program's rules read. A page or question may be shown only for some answers
(`show_if: {answer: …, in: […]}`) or for some ages on the day of the application
(`show_if: {age_of: date_of_birth, from: 18, to: 54}`). Checking is strict: an unknown
key, a missing key, a condition on a question asked later, or a fact name given twice
is an error that names the file and line, as `passage/rules/loader.py` does for rules.

A flow may carry an `example:`, the answers of a person who meets every criterion and
the day they are judged on; tests and browser journeys fill in the pages from it.
"""

import copy
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from passage.rules.dates import age
from passage.rules.loader import RuleSetError, read_yaml

FLOW_FILE = "questions.yaml"

QUESTION_TYPES = (
    "text",
    "email",
    "date",
    "number",
    "yes-no",
    "choice",
    "country",
    "periods",
    "years",
    "people",
)
# A `people` question asks these of each person; `options` add their relationship.
PERSON_FIELDS = ("given_name", "family_name", "date_of_birth")
MAX_PEOPLE = 30
# The typed fields of an application (`submit_application`'s keyword arguments).
CORE_FIELDS = (
    "category",
    "given_name",
    "family_name",
    "date_of_birth",
    "citizenship",
    "email",
    "preferred_language",
)
_CORE_TYPES = {
    "category": ("choice",),
    "given_name": ("text",),
    "family_name": ("text",),
    "date_of_birth": ("date",),
    "citizenship": ("country",),
    "email": ("email",),
    "preferred_language": ("choice",),
}


class FlowError(ValueError):
    """A questions.yaml that is not valid; the message reads `FILE:LINE: what is wrong`."""


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Shown when the answer to `question` equals `equals` or is one of `one_of`."""

    question: str
    one_of: tuple[Any, ...]

    def holds(self, answers: dict[str, Any], on: datetime.date | None = None) -> bool:
        return question_answered(answers, self.question) and answers[self.question] in self.one_of


@dataclass(frozen=True)
class AgeCondition:
    """Shown when the age, in completed years on the day `on`, of the person born on the
    date answered to `question` is from `minimum` to `maximum` (both included; either
    may be open). Nobody's age is known before that date is answered: not shown."""

    question: str
    minimum: int | None = None
    maximum: int | None = None

    def holds(self, answers: dict[str, Any], on: datetime.date | None = None) -> bool:
        if on is None:
            raise ValueError(f"the age of {self.question!r} needs the day it is taken on")
        if not question_answered(answers, self.question):
            return False
        years = age(datetime.date.fromisoformat(answers[self.question]), on)
        if self.minimum is not None and years < self.minimum:
            return False
        return self.maximum is None or years <= self.maximum


ShowIf = Condition | AgeCondition


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Text
    hint: Text | None = None
    required: bool = True
    field: str | None = None
    fact: str | None = None
    # The fact's value when the question is not shown (e.g. `[]` for no absences).
    fact_if_hidden: Any = None
    has_fact_if_hidden: bool = False
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    past: bool = False
    future: bool = False
    after: str | None = None
    credited: Text | None = None  # periods: a check box "this absence counts as time in Canada"
    max_length: int = 200
    show_if: ShowIf | None = None
    # people: the name of one row ("Child"), the add button, the relationship's legend
    # (asked when there are `options`) and the most rows the list takes.
    row: Text | None = None
    add: Text | None = None
    relationship: Text | None = None
    max_rows: int = 0

    def option_label(self, value: Any, language: str) -> str | None:
        for option in self.options:
            if option.value == value:
                return option.label.get(language)
        return None


@dataclass(frozen=True)
class Page:
    id: str
    title: Text
    questions: tuple[Question, ...]
    show_if: ShowIf | None = None


@dataclass(frozen=True)
class FlowExample:
    """The `example:` of a questions.yaml: complete answers, keyed by question id in the
    shape the flow stores them, of a person who meets every criterion on `submitted_on`.
    `answers` is read-only; `answers_copy()` gives a copy to change."""

    submitted_on: datetime.date
    answers: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(copy.deepcopy(dict(self.answers))))

    def answers_copy(self) -> dict[str, Any]:
        return copy.deepcopy(dict(self.answers))


@dataclass(frozen=True)
class Flow:
    program: str
    pages: tuple[Page, ...]
    # Facts that take the day of submission (e.g. the examination date of a PR card).
    submission_date_facts: tuple[str, ...] = ()
    example: FlowExample | None = None
    source: str = field(default="", compare=False)

    def page(self, page_id: str) -> Page | None:
        return next((page for page in self.pages if page.id == page_id), None)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for page in self.pages for question in page.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def facts(self) -> set[str]:
        """Every fact the flow can produce."""
        named = {question.fact for question in self.questions if question.fact}
        return named | set(self.submission_date_facts)


def question_answered(answers: dict[str, Any], question_id: str) -> bool:
    return question_id in answers and answers[question_id] not in (None, "", [])


def load_flow(path: Path) -> Flow:
    """Load and check one questions.yaml; raise FlowError naming the file and line."""
    try:
        document = read_yaml(path)
    except RuleSetError as error:
        raise FlowError(str(error)) from None
    return _Reader(path).flow(document)


_QUESTION_KEYS = (
    "hint",
    "required",
    "field",
    "fact",
    "fact_if_hidden",
    "options",
    "min",
    "max",
    "integer",
    "past",
    "future",
    "after",
    "credited",
    "max_length",
    "show_if",
    "row",
    "add",
    "relationship",
    "max_rows",
)
_PEOPLE_KEYS = ("row", "add", "relationship", "max_rows")


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


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, Question] = {}
        self.facts: set[str] = set()
        self.fields: set[str] = set()

    def fail(self, line: int, message: str) -> FlowError:
        return FlowError(f"{self.path}:{line}: {message}")

    def mapping(
        self, value: Any, line: int, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Any:
        if not isinstance(value, dict) or not hasattr(value, "key_lines"):
            raise self.fail(line, f"{what} must be a mapping")
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.fail(
                    value.key_lines[key], f"unknown key {key!r} in {what} (allowed: {allowed})"
                )
        for key in required:
            if key not in value:
                raise self.fail(getattr(value, "line", line), f"{what} is missing {key!r}")
        return value

    def line(self, mapping: Any, key: str) -> int:
        return int(mapping.key_lines.get(key, mapping.line))

    def identifier(self, mapping: Any, key: str, what: str) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not value.replace("_", "a").replace("-", "a").isalnum():
            raise self.fail(self.line(mapping, key), f"{what}.{key} must be a name, not {value!r}")
        return value

    def text(self, value: Any, line: int, what: str) -> Text:
        entry = self.mapping(value, line, what, ("en", "fr"), ())
        for language in ("en", "fr"):
            if not isinstance(entry[language], str) or not entry[language].strip():
                raise self.fail(self.line(entry, language), f"{what}.{language} must be text")
        return Text(en=entry["en"].strip(), fr=entry["fr"].strip())

    def boolean(self, mapping: Any, key: str, what: str, default: bool) -> bool:
        if key not in mapping:
            return default
        if not isinstance(mapping[key], bool):
            raise self.fail(self.line(mapping, key), f"{what}.{key} must be true or false")
        return bool(mapping[key])

    def flow(self, document: Any) -> Flow:
        top = self.mapping(
            document,
            1,
            "the flow",
            ("program", "pages"),
            ("description", "submission_date_facts", "example"),
        )
        program = self.identifier(top, "program", "the flow")
        raw_pages = top["pages"]
        if not isinstance(raw_pages, list) or not raw_pages:
            raise self.fail(self.line(top, "pages"), "pages must be a non-empty list")
        pages: list[Page] = []
        page_ids: set[str] = set()
        for raw in raw_pages:
            page = self.page(raw, getattr(raw_pages, "line", 1))
            if page.id in page_ids:
                raise self.fail(raw.line, f"page {page.id!r} is listed twice")
            page_ids.add(page.id)
            pages.append(page)
        dated = top.get("submission_date_facts", [])
        if not isinstance(dated, list) or not all(isinstance(name, str) for name in dated):
            raise self.fail(
                self.line(top, "submission_date_facts"), "submission_date_facts: a list of names"
            )
        for name in dated:
            if name in self.facts:
                raise self.fail(
                    self.line(top, "submission_date_facts"), f"fact {name!r} is also a question"
                )
        for name in ("given_name", "family_name", "date_of_birth", "citizenship", "email"):
            if name not in self.fields:
                raise self.fail(1, f"no question gives the application field {name!r}")
        example = (
            self.example(top["example"], self.line(top, "example")) if "example" in top else None
        )
        return Flow(
            program=program,
            pages=tuple(pages),
            submission_date_facts=tuple(dated),
            example=example,
            source=str(self.path),
        )

    def example(self, raw: Any, line: int) -> FlowExample:
        """`example: {submitted_on: YYYY-MM-DD, answers: {question id: answer}}`, each
        answer in the shape its question's type is stored in."""
        entry = self.mapping(raw, line, "the example", ("submitted_on", "answers"), ())
        day = entry["submitted_on"]
        if not _is_iso_date(day):
            raise self.fail(
                self.line(entry, "submitted_on"),
                f"example.submitted_on must be a date (YYYY-MM-DD), not {day!r}",
            )
        answers = entry["answers"]
        if not isinstance(answers, dict) or not hasattr(answers, "key_lines") or not answers:
            raise self.fail(
                self.line(entry, "answers"), "example.answers must map question ids to answers"
            )
        for question_id, value in answers.items():
            at = self.line(answers, question_id)
            if question_id not in self.seen:
                raise self.fail(
                    at, f"example.answers: {question_id!r} is not a question of the flow"
                )
            self.example_answer(self.seen[question_id], value, at)
        return FlowExample(
            submitted_on=datetime.date.fromisoformat(day), answers=_plain(dict(answers))
        )

    def example_answer(self, question: Question, value: Any, line: int) -> None:
        """Check that `value` has the shape `question`'s answers are stored in (the flow's
        own checks, such as `past` or `min`, are the engine's: a test runs them)."""
        what = f"example.answers.{question.id}"
        if value is None:
            if question.required:
                raise self.fail(line, f"{what}: the question is required, not null")
            return
        if question.type in _ANSWER_SHAPES:
            shape, fits = _ANSWER_SHAPES[question.type]
            if not fits(value):
                raise self.fail(line, f"{what} must be {shape}, not {value!r}")
            return
        if question.type == "choice":
            values = [option.value for option in question.options]
            if value not in values:
                raise self.fail(line, f"{what} must be one of {', '.join(values)}, not {value!r}")
            return
        if not isinstance(value, list):
            raise self.fail(line, f"{what} must be a list")
        for row in value:
            if question.type == "periods":
                self.example_period(question, row, line, what)
            else:
                self.example_person(question, row, line, what)

    def example_period(self, question: Question, row: Any, line: int, what: str) -> None:
        """`{from, to}`, and `credited` (true or false) when the question has it."""
        credited = ("credited",) if question.credited is not None else ()
        row = self.mapping(
            row, getattr(row, "line", line), f"a period of {what}", ("from", "to", *credited), ()
        )
        for key in ("from", "to"):
            if not _is_iso_date(row[key]):
                raise self.fail(self.line(row, key), f"{what}: {key} must be a date (YYYY-MM-DD)")
        if credited and not isinstance(row["credited"], bool):
            raise self.fail(self.line(row, "credited"), f"{what}: credited must be true or false")

    def example_person(self, question: Question, row: Any, line: int, what: str) -> None:
        """`{given_name, family_name, date_of_birth}`, and `relationship` (one of the
        options) when the question has options."""
        relationship = ("relationship",) if question.options else ()
        keys = (*PERSON_FIELDS, *relationship)
        row = self.mapping(row, getattr(row, "line", line), f"a person of {what}", keys, ())
        for key in ("given_name", "family_name"):
            if not isinstance(row[key], str) or not row[key].strip():
                raise self.fail(self.line(row, key), f"{what}: {key} must be text")
        if not _is_iso_date(row["date_of_birth"]):
            raise self.fail(
                self.line(row, "date_of_birth"),
                f"{what}: date_of_birth must be a date (YYYY-MM-DD)",
            )
        values = [option.value for option in question.options]
        if relationship and row["relationship"] not in values:
            raise self.fail(
                self.line(row, "relationship"),
                f"{what}: relationship must be one of {', '.join(values)}",
            )

    def page(self, raw: Any, line: int) -> Page:
        entry = self.mapping(raw, line, "a page", ("id", "title", "questions"), ("show_if",))
        page_id = self.identifier(entry, "id", "the page")
        what = f"page {page_id!r}"
        title = self.text(entry["title"], self.line(entry, "title"), f"{what}.title")
        show_if = self.condition(entry, what)
        raw_questions = entry["questions"]
        if not isinstance(raw_questions, list) or not raw_questions:
            raise self.fail(self.line(entry, "questions"), f"{what}.questions must be a list")
        # Questions on one page may not depend on each other: the page is sent in one go.
        questions = tuple(self.question(item, what) for item in raw_questions)
        for question in questions:
            self.seen[question.id] = question
        return Page(id=page_id, title=title, questions=questions, show_if=show_if)

    def condition(self, entry: Any, what: str) -> ShowIf | None:
        if "show_if" not in entry:
            return None
        line = self.line(entry, "show_if")
        raw = entry["show_if"]
        if isinstance(raw, dict) and "age_of" in raw:
            return self.age_condition(raw, line, what)
        raw = self.mapping(raw, line, f"{what}.show_if", ("answer",), ("equals", "in"))
        name = raw["answer"]
        if name not in self.seen:
            raise self.fail(line, f"{what}.show_if: {name!r} is not a question on an earlier page")
        if ("equals" in raw) == ("in" in raw):
            raise self.fail(line, f"{what}.show_if needs exactly one of 'equals' or 'in'")
        values = (raw["equals"],) if "equals" in raw else raw["in"]
        if not isinstance(values, list | tuple) or not values:
            raise self.fail(line, f"{what}.show_if.in must be a non-empty list")
        asked = self.seen[name]
        if asked.options:
            allowed = {option.value for option in asked.options}
            for value in values:
                if value not in allowed:
                    raise self.fail(line, f"{what}.show_if: {value!r} is not an option of {name!r}")
        return Condition(question=name, one_of=tuple(values))

    def age_condition(self, raw: Any, line: int, what: str) -> AgeCondition:
        """`{age_of: <a date question>, from: 18, to: 54}`: ages in completed years on the
        day the application is made, both bounds included."""
        raw = self.mapping(raw, line, f"{what}.show_if", ("age_of",), ("from", "to"))
        line = getattr(raw, "line", line)
        name = raw["age_of"]
        asked = self.seen.get(name) if isinstance(name, str) else None
        if asked is None or asked.type != "date":
            raise self.fail(
                self.line(raw, "age_of"),
                f"{what}.show_if.age_of must name a date asked on an earlier page, not {name!r}",
            )
        if "from" not in raw and "to" not in raw:
            raise self.fail(line, f"{what}.show_if needs 'from', 'to' or both with 'age_of'")
        bounds: dict[str, int | None] = {}
        for key in ("from", "to"):
            value = raw.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150
            ):
                raise self.fail(
                    self.line(raw, key), f"{what}.show_if.{key} must be an age in whole years"
                )
            bounds[key] = value
        low, high = bounds["from"], bounds["to"]
        if low is not None and high is not None and low > high:
            raise self.fail(line, f"{what}.show_if: 'from' ({low}) is after 'to' ({high})")
        return AgeCondition(question=name, minimum=low, maximum=high)

    def question(self, raw: Any, page_what: str) -> Question:
        line = getattr(raw, "line", 1)
        entry = self.mapping(
            raw, line, f"a question of {page_what}", ("id", "type", "label"), _QUESTION_KEYS
        )
        question_id = self.identifier(entry, "id", "the question")
        what = f"question {question_id!r}"
        if question_id in self.seen:
            raise self.fail(entry.line, f"{what} is asked twice")
        kind = entry["type"]
        if kind not in QUESTION_TYPES:
            raise self.fail(
                self.line(entry, "type"),
                f"{what}.type {kind!r} is not one of {', '.join(QUESTION_TYPES)}",
            )
        label = self.text(entry["label"], self.line(entry, "label"), f"{what}.label")
        hint = (
            self.text(entry["hint"], self.line(entry, "hint"), f"{what}.hint")
            if "hint" in entry
            else None
        )
        core = entry.get("field")
        if core is not None:
            if core not in CORE_FIELDS:
                raise self.fail(
                    self.line(entry, "field"),
                    f"{what}.field {core!r} is not one of {', '.join(CORE_FIELDS)}",
                )
            if kind not in _CORE_TYPES[core]:
                raise self.fail(
                    self.line(entry, "type"),
                    f"{what}: the field {core!r} needs type {_CORE_TYPES[core][0]}",
                )
            if core in self.fields:
                raise self.fail(self.line(entry, "field"), f"{what}: field {core!r} is given twice")
            self.fields.add(core)
        fact = entry.get("fact")
        if fact is not None:
            if not isinstance(fact, str) or not fact.replace("_", "a").isalnum():
                raise self.fail(self.line(entry, "fact"), f"{what}.fact must be a fact name")
            if fact in self.facts:
                raise self.fail(self.line(entry, "fact"), f"{what}: fact {fact!r} is given twice")
            self.facts.add(fact)
        if "fact_if_hidden" in entry and fact is None:
            raise self.fail(
                self.line(entry, "fact_if_hidden"), f"{what}: fact_if_hidden needs a fact"
            )
        options: list[Option] = []
        if kind == "choice" or (kind == "people" and "options" in entry):
            raw_options = entry.get("options")
            if not isinstance(raw_options, list) or not raw_options:
                raise self.fail(entry.line, f"{what}: a choice needs a list of options")
            for item in raw_options:
                option = self.mapping(
                    item,
                    getattr(item, "line", entry.line),
                    f"{what} option",
                    ("value", "label"),
                    (),
                )
                value = option["value"]
                if not isinstance(value, str):
                    raise self.fail(option.line, f"{what}: an option value must be text (quote it)")
                options.append(
                    Option(
                        value=value, label=self.text(option["label"], option.line, f"{what} option")
                    )
                )
        elif "options" in entry:
            raise self.fail(
                self.line(entry, "options"), f"{what}: only a choice or people have options"
            )
        after = entry.get("after")
        if after is not None:
            earlier = self.seen.get(after)
            if earlier is None or earlier.type != "date":
                raise self.fail(
                    self.line(entry, "after"),
                    f"{what}.after must name a date asked on an earlier page",
                )
        if kind != "date" and any(key in entry for key in ("past", "future", "after")):
            raise self.fail(entry.line, f"{what}: past, future and after are for dates")
        if kind not in ("number", "years") and any(
            key in entry for key in ("min", "max", "integer")
        ):
            raise self.fail(entry.line, f"{what}: min, max and integer are for numbers")
        for key in ("min", "max"):
            if key in entry and (
                isinstance(entry[key], bool) or not isinstance(entry[key], int | float)
            ):
                raise self.fail(self.line(entry, key), f"{what}.{key} must be a number")
        credited = None
        if "credited" in entry:
            if kind != "periods":
                raise self.fail(self.line(entry, "credited"), f"{what}: credited is for periods")
            credited = self.text(
                entry["credited"], self.line(entry, "credited"), f"{what}.credited"
            )
        people = self.people(entry, what, kind, bool(options))
        max_length = entry.get("max_length", 200)
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
            raise self.fail(
                self.line(entry, "max_length"), f"{what}.max_length must be a whole number"
            )
        return Question(
            id=question_id,
            type=kind,
            label=label,
            hint=hint,
            required=self.boolean(entry, "required", what, kind not in ("periods", "years")),
            field=core,
            fact=fact,
            fact_if_hidden=entry.get("fact_if_hidden"),
            has_fact_if_hidden="fact_if_hidden" in entry,
            options=tuple(options),
            minimum=entry.get("min"),
            maximum=entry.get("max"),
            integer=self.boolean(entry, "integer", what, False),
            past=self.boolean(entry, "past", what, False),
            future=self.boolean(entry, "future", what, False),
            after=after,
            credited=credited,
            max_length=max_length,
            show_if=self.condition(entry, what),
            **people,
        )

    def people(self, entry: Any, what: str, kind: str, has_options: bool) -> dict[str, Any]:
        """The keys of a `people` question: `row` and `add` texts, the `relationship`
        legend that goes with `options`, and `max_rows`."""
        if kind != "people":
            for key in _PEOPLE_KEYS:
                if key in entry:
                    raise self.fail(self.line(entry, key), f"{what}: {key} is for people")
            return {}
        for key in ("row", "add", "max_rows"):
            if key not in entry:
                raise self.fail(entry.line, f"{what}: a people question needs {key!r}")
        if has_options != ("relationship" in entry):
            raise self.fail(
                entry.line, f"{what}: relationship and options go together (both or neither)"
            )
        max_rows = entry["max_rows"]
        if not isinstance(max_rows, int) or isinstance(max_rows, bool):
            max_rows = 0
        if not 1 <= max_rows <= MAX_PEOPLE:
            raise self.fail(
                self.line(entry, "max_rows"),
                f"{what}.max_rows must be a whole number from 1 to {MAX_PEOPLE}",
            )
        texts = {
            key: self.text(entry[key], self.line(entry, key), f"{what}.{key}")
            for key in ("row", "add", "relationship")
            if key in entry
        }
        return {**texts, "max_rows": max_rows}
