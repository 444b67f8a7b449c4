"""A question's form inputs: their text from a stored answer (to fill the form in
again), and the rows of people and of periods that the inputs hold."""

import datetime
from collections.abc import Mapping
from typing import Any

from passage.programs.flow import Question

MAX_PERIODS = 60


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
