"""One page's checks by type of question: a question's inputs read into its answer in
the interchange shape, or into errors (codes with values) that say why not."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from passage.intake.flows.countries import COUNTRIES
from passage.intake.flows.inputs import people_rows, period_rows
from passage.programs.flow import Question, question_answered

EARLIEST_YEAR = 1900
PERSON_NAME_LENGTH = 100


@dataclass(frozen=True)
class FieldError:
    question: str
    code: str
    # The id of the input the error summary links to.
    anchor: str
    params: dict[str, Any] = field(default_factory=dict)


def parse_question(
    question: Question,
    data: Mapping[str, str],
    raw: dict[str, str],
    answers: dict[str, Any],
    today: datetime.date,
) -> tuple[Any, list[FieldError]]:
    """One question's answer read from the page's inputs, or its errors; `raw` takes the
    text of each input read, to show it again."""
    parser = _PARSERS[question.type]
    return parser(question, data, raw, answers, today)


def field_error(
    question: Question, code: str, anchor: str | None = None, **params: Any
) -> FieldError:
    """An error of the question: its code, the input it links to (by default the
    question's own) and the values its message names."""
    return FieldError(question=question.id, code=code, anchor=anchor or question.id, params=params)


def _single(
    question: Question, data: Mapping[str, str], raw: dict[str, str]
) -> tuple[str, list[FieldError]]:
    text = (data.get(question.id) or "").strip()
    raw[question.id] = text
    if not text and question.required:
        return text, [field_error(question, "required")]
    return text, []


def _parse_text(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return (text or None), errors
    if len(text) > question.max_length:
        return None, [field_error(question, "too_long", limit=question.max_length)]
    if question.type == "email" and not _looks_like_email(text):
        return None, [field_error(question, "email")]
    return text, []


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text and not domain.startswith(".")


def _parse_choice(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    if text not in {option.value for option in question.options}:
        return None, [field_error(question, "choose")]
    return text, []


def _parse_country(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    code = text.upper()
    if code not in COUNTRIES:
        return None, [field_error(question, "country")]
    return code, []


def _parse_yes_no(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, [
            field_error(question, "yes_no", anchor=f"{question.id}-yes")
        ] if errors else []
    if text not in ("yes", "no"):
        return None, [field_error(question, "yes_no", anchor=f"{question.id}-yes")]
    return text == "yes", []


def _parse_number(question, data, raw, answers, today):  # type: ignore[no-untyped-def]
    text, errors = _single(question, data, raw)
    if errors or not text:
        return None, errors
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("$", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None, [field_error(question, "number")]
    if number != number or number in (float("inf"), float("-inf")):
        return None, [field_error(question, "number")]
    if question.integer and not number.is_integer():
        return None, [field_error(question, "whole_number")]
    if question.minimum is not None and number < question.minimum:
        return None, [field_error(question, "minimum", limit=question.minimum)]
    if question.maximum is not None and number > question.maximum:
        return None, [field_error(question, "maximum", limit=question.maximum)]
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
            return None, [field_error(question, "years", latest=today.year)]
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
        return None, [field_error(question, "required", anchor=anchor)] if question.required else []
    if code is not None or day is None:
        return None, [field_error(question, code or "date_real", anchor=anchor)]
    if question.past and day >= today:
        return None, [field_error(question, "date_past", anchor=anchor)]
    if question.future and day <= today:
        return None, [field_error(question, "date_future", anchor=anchor)]
    if question.after and question_answered(answers, question.after):
        earlier = datetime.date.fromisoformat(answers[question.after])
        if day <= earlier:
            return None, [
                field_error(
                    question, "date_after", anchor=anchor, other=question.after, date=earlier
                )
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
                field_error(
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
                field_error(question, "period_real", anchor=f"{prefix}-{end_name}-day", row=row)
            )
            continue
        if end < start:
            errors.append(field_error(question, "period_order", anchor=f"{prefix}-to-day", row=row))
            continue
        if end > today:
            errors.append(
                field_error(question, "period_future", anchor=f"{prefix}-to-day", row=row)
            )
            continue
        period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
        if question.credited is not None:
            period["credited"] = credited
        periods.append(period)
    if errors:
        return None, errors
    if not periods and question.required:
        return None, [field_error(question, "periods_required", anchor=f"{question.id}-0-from-day")]
    ordered = sorted(periods, key=lambda period: period["from"])
    for first, second in pairwise(ordered):
        if second["from"] < first["to"]:
            return None, [
                field_error(question, "period_overlap", anchor=f"{question.id}-0-from-day")
            ]
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
                field_error(
                    question, "people_too_many", anchor=question.id, limit=question.max_rows
                )
            )
        elif row_errors:
            errors.extend(row_errors)
        elif person is not None:
            people.append(person)
    if errors:
        return None, errors
    if not people and question.required:
        return None, [
            field_error(question, "people_required", anchor=f"{question.id}-0-given_name")
        ]
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
        return field_error(question, error_code, anchor=anchor, row=row, field=field_name, **params)

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
