"""The flow engine: which page comes next, what one page's answers are and whether they
are valid, and what a finished set of answers becomes on submission.

Answers are kept in their interchange shape (dates as `YYYY-MM-DD`, yes/no as booleans,
periods as `[{from, to}]`, people as `[{given_name, family_name, date_of_birth,
relationship}]`), keyed by question id, so that the facts are the answers
renamed. Nothing here touches a database or a request; errors are codes with values,
which `passage.intake.flows.messages` words in the reader's language.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from passage.intake.flows.countries import COUNTRIES
from passage.programs.questions import Flow, Page, Question, question_answered

MAX_PERIODS = 60
EARLIEST_YEAR = 1900
PERSON_NAME_LENGTH = 100


@dataclass(frozen=True)
class FieldError:
    question: str
    code: str
    # The id of the input the error summary links to.
    anchor: str
    params: dict[str, Any] = field(default_factory=dict)


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
        value, errors = _parse_question(
            question, data, result.raw, {**answers, **result.values}, today
        )
        if _inputs_of(question, unsafe):
            # What was typed is shown again without the characters, and not saved.
            errors = [_error(question, "control_character")]
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


def answer_inputs(question: Question, value: Any) -> dict[str, str]:
    """The text of each input of a question, from its stored answer (to fill the form)."""
    if value is None:
        return {}
    name = question.id
    if question.type == "date":
        day = datetime.date.fromisoformat(value)
        return {
            f"{name}-day": str(day.day),
            f"{name}-month": str(day.month),
            f"{name}-year": str(day.year),
        }
    if question.type == "yes-no":
        return {name: "yes" if value else "no"}
    if question.type == "years":
        return {name: ", ".join(str(year) for year in value)}
    if question.type == "periods":
        inputs: dict[str, str] = {}
        for index, period in enumerate(value):
            for end in ("from", "to"):
                day = datetime.date.fromisoformat(period[end])
                prefix = f"{name}-{index}-{end}"
                inputs[f"{prefix}-day"] = str(day.day)
                inputs[f"{prefix}-month"] = str(day.month)
                inputs[f"{prefix}-year"] = str(day.year)
            if period.get("credited"):
                inputs[f"{name}-{index}-credited"] = "yes"
        return inputs
    if question.type == "people":
        return _people_inputs(question, value)
    if isinstance(value, float) and value.is_integer():
        return {name: str(int(value))}
    return {name: str(value)}


def _people_inputs(question: Question, people: list[dict[str, Any]]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for index, person in enumerate(people):
        prefix = f"{question.id}-{index}"
        inputs[f"{prefix}-given_name"] = person.get("given_name", "")
        inputs[f"{prefix}-family_name"] = person.get("family_name", "")
        if person.get("date_of_birth"):
            born = datetime.date.fromisoformat(person["date_of_birth"])
            inputs[f"{prefix}-date_of_birth-day"] = str(born.day)
            inputs[f"{prefix}-date_of_birth-month"] = str(born.month)
            inputs[f"{prefix}-date_of_birth-year"] = str(born.year)
        if person.get("relationship"):
            inputs[f"{prefix}-relationship"] = person["relationship"]
    return inputs


def people_rows(question: Question, data: Mapping[str, str]) -> int:
    """How many rows of people the inputs hold (one more than the question takes, at
    most, so that a row too many is seen)."""
    count = 0
    while count <= question.max_rows and any(
        key.startswith(f"{question.id}-{count}-") for key in data
    ):
        count += 1
    return count


def without_row(question: Question, data: Mapping[str, str], index: int) -> dict[str, str]:
    """The inputs with row `index` of a people question taken out, the rows after it
    moved up one (what "Remove" does)."""
    rows = people_rows(question, data)
    kept = dict(data)
    moved: dict[str, str] = {}
    for row in range(rows):
        prefix = f"{question.id}-{row}-"
        for key, value in data.items():
            if not key.startswith(prefix):
                continue
            del kept[key]
            if row != index:
                place = row if row < index else row - 1
                moved[f"{question.id}-{place}-{key[len(prefix) :]}"] = value
    return {**kept, **moved}


def period_rows(question: Question, data: Mapping[str, str]) -> int:
    """How many rows of periods the inputs hold (the form adds one empty row)."""
    count = 0
    while count < MAX_PERIODS and any(
        f"{question.id}-{count}-{end}-{part}" in data
        for end in ("from", "to")
        for part in ("day", "month", "year")
    ):
        count += 1
    return count


def _parse_question(
    question: Question,
    data: Mapping[str, str],
    raw: dict[str, str],
    answers: dict[str, Any],
    today: datetime.date,
) -> tuple[Any, list[FieldError]]:
    parser = _PARSERS[question.type]
    return parser(question, data, raw, answers, today)


def _error(question: Question, code: str, anchor: str | None = None, **params: Any) -> FieldError:
    return FieldError(question=question.id, code=code, anchor=anchor or question.id, params=params)


def _single(
    question: Question, data: Mapping[str, str], raw: dict[str, str]
) -> tuple[str, list[FieldError]]:
    text = (data.get(question.id) or "").strip()
    raw[question.id] = text
    if not text and question.required:
        return text, [_error(question, "required")]
    return text, []


def _parse_text(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return (text or None), errors
    if len(text) > question.max_length:
        return None, [_error(question, "too_long", limit=question.max_length)]
    if question.type == "email" and not _looks_like_email(text):
        return None, [_error(question, "email")]
    return text, []


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text and not domain.startswith(".")


def _parse_choice(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    if text not in {option.value for option in question.options}:
        return None, [_error(question, "choose")]
    return text, []


def _parse_country(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    code = text.upper()
    if code not in COUNTRIES:
        return None, [_error(question, "country")]
    return code, []


def _parse_yes_no(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, [_error(question, "yes_no", anchor=f"{question.id}-yes")] if errors else []
    if text not in ("yes", "no"):
        return None, [_error(question, "yes_no", anchor=f"{question.id}-yes")]
    return text == "yes", []


def _parse_number(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("$", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None, [_error(question, "number")]
    if number != number or number in (float("inf"), float("-inf")):
        return None, [_error(question, "number")]
    if question.integer and not number.is_integer():
        return None, [_error(question, "whole_number")]
    if question.minimum is not None and number < question.minimum:
        return None, [_error(question, "minimum", limit=question.minimum)]
    if question.maximum is not None and number > question.maximum:
        return None, [_error(question, "maximum", limit=question.maximum)]
    return (int(number) if number.is_integer() else number), []


def _parse_years(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors:
        return None, errors
    years: list[int] = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or not EARLIEST_YEAR <= int(part) <= today.year:
            return None, [_error(question, "years", latest=today.year)]
        years.append(int(part))
    return sorted(set(years)), []


def _read_date(
    data: Mapping[str, str], raw: dict[str, str], prefix: str
) -> tuple[datetime.date | None, str | None, bool]:
    """(date, error code, empty) for the day, month and year inputs named `prefix-…`."""
    parts = {}
    for part in ("day", "month", "year"):
        text = (data.get(f"{prefix}-{part}") or "").strip()
        raw[f"{prefix}-{part}"] = text
        parts[part] = text
    if not any(parts.values()):
        return None, None, True
    if not all(parts.values()):
        missing = [part for part in ("day", "month", "year") if not parts[part]]
        return None, f"date_missing_{missing[0]}", False
    digits = all(text.isascii() and text.isdigit() for text in parts.values())
    if not digits or len(parts["year"]) != 4 or len(parts["day"]) > 2 or len(parts["month"]) > 2:
        return None, "date_real", False
    try:
        day = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, "date_real", False
    if day.year < EARLIEST_YEAR:
        return None, "date_real", False
    return day, None, False


def _parse_date(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    anchor = f"{question.id}-day"
    day, code, empty = _read_date(data, raw, question.id)
    if empty:
        return None, [_error(question, "required", anchor=anchor)] if question.required else []
    if code is not None or day is None:
        return None, [_error(question, code or "date_real", anchor=anchor)]
    if question.past and day >= today:
        return None, [_error(question, "date_past", anchor=anchor)]
    if question.future and day <= today:
        return None, [_error(question, "date_future", anchor=anchor)]
    if question.after and question_answered(answers, question.after):
        earlier = datetime.date.fromisoformat(answers[question.after])
        if day <= earlier:
            return None, [
                _error(question, "date_after", anchor=anchor, other=question.after, date=earlier)
            ]
    return day.isoformat(), []


def _parse_periods(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    periods: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index in range(period_rows(question, data)):
        prefix = f"{question.id}-{index}"
        start, start_code, start_empty = _read_date(data, raw, f"{prefix}-from")
        end, end_code, end_empty = _read_date(data, raw, f"{prefix}-to")
        credited = (data.get(f"{prefix}-credited") or "") == "yes"
        if credited:
            raw[f"{prefix}-credited"] = "yes"
        if start_empty and end_empty:
            continue  # an empty row is no period
        row = index + 1
        if start_empty or end_empty:
            end_name = "from" if start_empty else "to"
            errors.append(
                _error(
                    question,
                    f"period_missing_{end_name}",
                    anchor=f"{prefix}-{end_name}-day",
                    row=row,
                )
            )
            continue
        if start_code or end_code or start is None or end is None:
            end_name = "from" if start_code else "to"
            errors.append(
                _error(question, "period_real", anchor=f"{prefix}-{end_name}-day", row=row)
            )
            continue
        if end < start:
            errors.append(_error(question, "period_order", anchor=f"{prefix}-to-day", row=row))
            continue
        if end > today:
            errors.append(_error(question, "period_future", anchor=f"{prefix}-to-day", row=row))
            continue
        period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
        if question.credited is not None:
            period["credited"] = credited
        periods.append(period)
    if errors:
        return None, errors
    if not periods and question.required:
        return None, [_error(question, "periods_required", anchor=f"{question.id}-0-from-day")]
    ordered = sorted(periods, key=lambda period: period["from"])
    for first, second in pairwise(ordered):
        if second["from"] < first["to"]:
            return None, [_error(question, "period_overlap", anchor=f"{question.id}-0-from-day")]
    return ordered, []


def _parse_people(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    people: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index in range(people_rows(question, data)):
        person, row_errors = _parse_person(question, data, raw, index, today)
        if person is None and not row_errors:
            continue  # an empty row is nobody
        if index >= question.max_rows:
            errors.append(
                _error(question, "people_too_many", anchor=question.id, limit=question.max_rows)
            )
        elif row_errors:
            errors.extend(row_errors)
        elif person is not None:
            people.append(person)
    if errors:
        return None, errors
    if not people and question.required:
        return None, [_error(question, "people_required", anchor=f"{question.id}-0-given_name")]
    return people, []


def _parse_person(
    question: Question,
    data: Mapping[str, str],
    raw: dict[str, str],
    index: int,
    today: datetime.date,
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """One row of a people question: the person, or the errors of each field (none and
    no person for an empty row)."""
    prefix = f"{question.id}-{index}"
    texts = {}
    for name in ("given_name", "family_name", "relationship"):
        texts[name] = (data.get(f"{prefix}-{name}") or "").strip()
        raw[f"{prefix}-{name}"] = texts[name]
    born, code, empty = _read_date(data, raw, f"{prefix}-date_of_birth")
    if empty and not any(texts.values()):
        return None, []
    row = index + 1

    def error(field_name: str, error_code: str, anchor: str, **params: Any) -> FieldError:
        return _error(question, error_code, anchor=anchor, row=row, field=field_name, **params)

    errors = []
    for name in ("given_name", "family_name"):
        if not texts[name]:
            errors.append(error(name, f"person_{name}", f"{prefix}-{name}"))
        elif len(texts[name]) > PERSON_NAME_LENGTH:
            errors.append(
                error(name, "person_too_long", f"{prefix}-{name}", limit=PERSON_NAME_LENGTH)
            )
    date_anchor = f"{prefix}-date_of_birth-day"
    if empty:
        errors.append(error("date_of_birth", "person_date_missing", date_anchor))
    elif code is not None or born is None:
        errors.append(error("date_of_birth", f"person_{code or 'date_real'}", date_anchor))
    elif born >= today:
        errors.append(error("date_of_birth", "person_date_past", date_anchor))
    values = [option.value for option in question.options]
    if values and texts["relationship"] not in values:
        anchor = f"{prefix}-relationship-{values[0]}"
        errors.append(error("relationship", "person_relationship", anchor))
    if errors or born is None:
        return None, errors
    person: dict[str, Any] = {
        "given_name": texts["given_name"],
        "family_name": texts["family_name"],
        "date_of_birth": born.isoformat(),
    }
    if values:
        person["relationship"] = texts["relationship"]
    return person, []


_PARSERS: dict[str, Callable[..., tuple[Any, list[FieldError]]]] = {
    "text": _parse_text,
    "email": _parse_text,
    "choice": _parse_choice,
    "country": _parse_country,
    "yes-no": _parse_yes_no,
    "number": _parse_number,
    "years": _parse_years,
    "date": _parse_date,
    "periods": _parse_periods,
    "people": _parse_people,
}


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
