"""`flows.state.evaluate`, one evaluation of a draft's answers, says what the engine's
functions say one by one: for each program's flow, with its answers whole, cut short
after each page, and with a required answer left empty."""

import datetime
from typing import Any

import pytest

from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.intake.flows.state import evaluate
from passage.programs.questions import Flow
from tests.intake.flows.answers import ANSWERS

ON = datetime.date(2026, 3, 2)


def answer_sets(flow: Flow, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The whole answers, those of the first pages only, and each answer emptied."""
    sets = [answers, {}]
    for count in range(1, len(flow.pages)):
        asked = {question.id for page in flow.pages[:count] for question in page.questions}
        sets.append({key: value for key, value in answers.items() if key in asked})
    sets += [{**answers, key: ""} for key in answers]
    return sets


@pytest.mark.parametrize("program", sorted(ANSWERS))
def test_one_evaluation_says_what_the_engine_says(program: str) -> None:
    flow = flow_for(program)
    assert flow is not None
    for answers in answer_sets(flow, ANSWERS[program]):
        state = evaluate(flow, answers, on=ON)

        assert state.kept == engine.current_answers(flow, answers, on=ON)
        assert state.visible_pages == engine.visible_pages(flow, answers, on=ON)
        assert state.incomplete_pages == engine.incomplete_pages(flow, answers, on=ON)
        for page in flow.pages:
            assert state.shows(page) == engine.is_shown(flow, page, answers, on=ON)
            if state.shows(page):
                assert state.previous(page) == engine.previous_page(
                    flow, answers, before=page.id, on=ON
                )
                assert list(state.questions_of(page)) == [
                    question
                    for question in page.questions
                    if engine.question_shown(flow, question, answers, on=ON)
                ]
            else:
                assert state.questions_of(page) == ()
                assert state.previous(page) is None
