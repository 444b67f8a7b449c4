"""A question flow as data: its pages, their questions, the conditions that show them,
and the example answers of the flow (read from questions.yaml by
`passage.programs.questions`)."""

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from passage.rules.dates import age

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
