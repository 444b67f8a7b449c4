"""The flow engine: which page comes next, what one page's answers are and whether they
are valid, and what a finished set of answers becomes on submission.

Answers are kept in their interchange shape (dates as `YYYY-MM-DD`, yes/no as booleans,
periods as `[{from, to}]`, people as `[{given_name, family_name, date_of_birth,
relationship}]`), keyed by question id, so that the facts are the answers
renamed. Nothing here touches a database or a request; errors are codes with values,
which `passage.intake.flows.messages` words in the reader's language. How each type of
question is checked is in `checks.py`; a question's form inputs are in `inputs.py`.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from passage.intake.flows.checks import (
    EARLIEST_YEAR,
    PERSON_NAME_LENGTH,
    FieldError,
    field_error,
    parse_question,
)
from passage.intake.flows.inputs import (
    MAX_PERIODS,
    answer_inputs,
    people_rows,
    period_rows,
    without_row,
)
from passage.programs.flow import Flow, Page, Question, question_answered

# The engine's functions, with the answer checks (`checks`) and the form inputs (`inputs`)
# that importers take from here.
__all__ = [
    "EARLIEST_YEAR",
    "MAX_PERIODS",
    "PERSON_NAME_LENGTH",
    "FieldError",
    "PageResult",
    "SubmittedAnswers",
    "answer_inputs",
    "answers_of_submission",
    "current_answers",
    "first_unanswered",
    "incomplete_pages",
    "is_shown",
    "next_page",
    "page_complete",
    "parse_page",
    "people_rows",
    "period_rows",
    "previous_page",
    "question_shown",
    "submission",
    "visible_pages",
    "without_row",
]


@dataclass
class PageResult:
    values: dict[str, Any]
    errors: list[FieldError]
    # What the person typed, to show it again next to the errors.
    raw: dict[str, str]

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SubmittedAnswers:
    """What a finished set of answers gives `submit_application`: the typed fields of the
    application and the answers as stored (the result of submitting is
    `intake.services.Submission`)."""

    fields: dict[str, Any]
    answers: dict[str, Any]


def is_shown(
    flow: Flow, page: Page, answers: dict[str, Any], *, on: datetime.date | None = None
) -> bool:
    """Whether the page is asked given the answers; `on` is the day of the application,
    which conditions on an age need."""
    return page.show_if is None or page.show_if.holds(current_answers(flow, answers, on=on), on)


def question_shown(
    flow: Flow, question: Question, answers: dict[str, Any], *, on: datetime.date | None = None
) -> bool:
    return question.show_if is None or question.show_if.holds(
        current_answers(flow, answers, on=on), on
    )


def current_answers(
    flow: Flow, answers: dict[str, Any], *, on: datetime.date | None = None
) -> dict[str, Any]:
    """The answers that still count: those of pages and questions shown given the answers
    before them. An answer to a question that a later change hid is kept in the draft
    (changing back brings it back) but counts for nothing."""
    kept: dict[str, Any] = {}
    for page in flow.pages:
        if page.show_if is not None and not page.show_if.holds(kept, on):
            continue
        for question in page.questions:
            if question.show_if is not None and not question.show_if.holds(kept, on):
                continue
            if question.id in answers:
                kept[question.id] = answers[question.id]
    return kept


def visible_pages(
    flow: Flow, answers: dict[str, Any], *, on: datetime.date | None = None
) -> list[Page]:
    kept = current_answers(flow, answers, on=on)
    return [page for page in flow.pages if page.show_if is None or page.show_if.holds(kept, on)]


def next_page(
    flow: Flow, answers: dict[str, Any], after: str, *, on: datetime.date | None = None
) -> Page | None:
    """The page shown after `after`, or None when the next thing is checking the answers."""
    pages = visible_pages(flow, answers, on=on)
    ids = [page.id for page in pages]
    if after not in ids:
        return first_unanswered(flow, answers, on=on)
    index = ids.index(after)
    return pages[index + 1] if index + 1 < len(pages) else None


def previous_page(
    flow: Flow, answers: dict[str, Any], before: str, *, on: datetime.date | None = None
) -> Page | None:
    pages = visible_pages(flow, answers, on=on)
    ids = [page.id for page in pages]
    if before not in ids:
        return None
    index = ids.index(before)
    return pages[index - 1] if index > 0 else None


def page_complete(
    flow: Flow, page: Page, answers: dict[str, Any], *, on: datetime.date | None = None
) -> bool:
    kept = current_answers(flow, answers, on=on)
    for question in page.questions:
        if question.show_if is not None and not question.show_if.holds(kept, on):
            continue
        if question.id not in answers:
            return False
        if question.required and not question_answered(answers, question.id):
            return False
    return True


def first_unanswered(
    flow: Flow, answers: dict[str, Any], *, on: datetime.date | None = None
) -> Page | None:
    """Where a person resumes: the first page shown that is not complete, or None."""
    for page in visible_pages(flow, answers, on=on):
        if not page_complete(flow, page, answers, on=on):
            return page
    return None


def parse_page(
    flow: Flow,
    page: Page,
    data: Mapping[str, str],
    answers: dict[str, Any],
    *,
    today: datetime.date,
) -> PageResult:
    """Read one page's inputs (`data` maps input names to text) and check them."""
    result = PageResult(values={}, errors=[], raw={})
    data, unsafe = _without_control_characters(data)
    for question in page.questions:
        if not question_shown(flow, question, answers, on=today):
            continue
        value, errors = parse_question(
            question, data, result.raw, {**answers, **result.values}, today
        )
        if _inputs_of(question, unsafe):
            # What was typed is shown again without the characters, and not saved.
            errors = [field_error(question, "control_character")]
        result.errors.extend(errors)
        if not errors:
            result.values[question.id] = value
    return result


# Characters no answer holds and the database cannot always store: the C0 controls but
# tab, line feed and carriage return, and DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_control_characters(data: Mapping[str, str]) -> tuple[dict[str, str], set[str]]:
    """The inputs with control characters taken out, and the names of those that had any."""
    cleaned: dict[str, str] = {}
    unsafe: set[str] = set()
    for name, text in data.items():
        if _CONTROL.search(text):
            unsafe.add(name)
            text = _CONTROL.sub("", text)
        cleaned[name] = text
    return cleaned, unsafe


def _inputs_of(question: Question, names: set[str]) -> bool:
    """Whether any of the input names belongs to the question (its own, or `id-…`)."""
    return any(name == question.id or name.startswith(f"{question.id}-") for name in names)


def incomplete_pages(
    flow: Flow, answers: dict[str, Any], *, on: datetime.date | None = None
) -> list[Page]:
    return [
        page
        for page in visible_pages(flow, answers, on=on)
        if not page_complete(flow, page, answers, on=on)
    ]


def submission(
    flow: Flow, answers: dict[str, Any], *, submitted_on: datetime.date
) -> SubmittedAnswers:
    """The application's typed fields and the answers to store, named after the facts.

    Each fact comes from its question's answer; a question not shown gives its
    `fact_if_hidden` if it has one; facts dated by submission take `submitted_on`.
    Answers without a fact are kept under their question id for the officer."""
    kept = current_answers(flow, answers, on=submitted_on)
    fields: dict[str, Any] = {"category": ""}
    stored: dict[str, Any] = {}
    visible = {page.id for page in visible_pages(flow, answers, on=submitted_on)}
    shown_questions = {
        question.id
        for page in flow.pages
        if page.id in visible
        for question in page.questions
        if question.show_if is None or question.show_if.holds(kept, submitted_on)
    }
    for question in flow.questions:
        shown = question.id in shown_questions
        value = kept.get(question.id)
        if question.field is not None and value is not None:
            fields[question.field] = (
                datetime.date.fromisoformat(value) if question.field == "date_of_birth" else value
            )
        if question.fact is not None:
            if question.id in kept:
                stored[question.fact] = value
            elif not shown and question.has_fact_if_hidden:
                stored[question.fact] = question.fact_if_hidden
        elif question.field is None and question.id in kept:
            stored[question.id] = value
    for name in flow.submission_date_facts:
        stored[name] = submitted_on.isoformat()
    return SubmittedAnswers(fields=fields, answers=stored)


def answers_of_submission(
    flow: Flow, fields: Mapping[str, Any], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers by question id that `submission` made into the application's typed
    `fields` and the `stored` answers: what the person answered, to read it again. A
    question hidden when they applied may come back with its `fact_if_hidden`; reading
    the result through `current_answers` leaves it out again."""
    answers: dict[str, Any] = {}
    for question in flow.questions:
        if question.field is not None and fields.get(question.field) not in (None, ""):
            value = fields[question.field]
            answers[question.id] = value.isoformat() if isinstance(value, datetime.date) else value
        elif question.fact is not None and question.fact in stored:
            answers[question.id] = stored[question.fact]
        elif question.field is None and question.fact is None and question.id in stored:
            answers[question.id] = stored[question.id]
    return answers
