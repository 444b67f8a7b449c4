"""An error that gives an example of the expected answer gives the example of the hint
next to the field, in both languages."""

import datetime
import re

import pytest
from django.utils import translation

from passage.intake.flows.engine import FieldError
from passage.intake.flows.messages import error_message, format_date
from passage.programs.flow import Flow, Question
from tests.intake.flows.answers import BUNDLES

EXAMPLE = re.compile(r"(?:for example|par exemple),? (.+?)\.?$", re.IGNORECASE)
# The error codes that quote an example, by question type.
CODES = {"date": "date_real", "years": "years", "number": "number"}


def questions_with_an_example() -> list[tuple[str, Flow, Question]]:
    found = []
    for code, bundle in sorted(BUNDLES.items()):
        if bundle.flow is None:
            continue
        for question in bundle.flow.questions:
            hint = question.hint.get("en") if question.hint else ""
            if question.type in CODES and EXAMPLE.search(hint or ""):
                found.append((f"{code}:{question.id}", bundle.flow, question))
    return found


QUESTIONS = questions_with_an_example()


def test_the_programs_have_hints_with_examples_to_check() -> None:
    kinds = {question.type for _name, _flow, question in QUESTIONS}
    assert {"date", "years", "number"} <= kinds


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("name", "flow", "question"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_the_error_quotes_the_example_of_the_hint(
    name: str, flow: Flow, question: Question, language: str
) -> None:
    assert question.hint is not None
    hint = question.hint.get(language)
    found = EXAMPLE.search(hint)
    assert found, f"{name}: the {language} hint gives no example"
    example = found.group(1)
    with translation.override(language):
        message = error_message(
            flow,
            question,
            FieldError(question.id, CODES[question.type], question.id, {"latest": 2026}),
        )

    assert example in message, f"{name}: {message!r} does not quote {example!r}"


def test_a_question_without_an_example_in_its_hint_keeps_the_general_example() -> None:
    flow = BUNDLES["citizenship"].flow
    assert flow is not None
    question = flow.question("became_pr_on")
    assert question is not None
    assert question.hint is None

    with translation.override("en"):
        message = error_message(flow, question, FieldError(question.id, "date_real", question.id))

    assert message == "“Date you became a permanent resident” must be a real date, like 27 3 2007"


def test_the_first_of_the_month_is_written_1er_in_french_answers() -> None:
    with translation.override("fr"):
        assert format_date(datetime.date(2027, 1, 1)) == "1er janvier 2027"
        assert format_date(datetime.date(2027, 1, 2)) == "2 janvier 2027"
    with translation.override("en"):
        assert format_date(datetime.date(2027, 1, 1)) == "1 January 2027"
