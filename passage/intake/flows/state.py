"""A draft's answers evaluated once against its flow, on a day: the answers that count,
the pages shown and the questions shown on each, and which pages are not complete.

The engine's functions (`engine.visible_pages`, `engine.question_shown`,
`engine.page_complete`…) each evaluate the answers anew; a page that asks many of these
questions (check your answers asks them of every question) evaluates them once here and
reads the rest from the result. The answers are the engine's: `engine.current_answers`.
Like the engine, this touches neither a database nor a request.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from passage.intake.flows import engine
from passage.programs.questions import Flow, Page, Question, question_answered


@dataclass(frozen=True)
class PageState:
    """A page that is shown, with the questions shown on it."""

    page: Page
    questions: tuple[Question, ...]
    # Every question shown has an answer (a required one, a non-empty answer).
    complete: bool


@dataclass(frozen=True)
class FlowState:
    """What the answers give on the day in `flow`: `kept`, the answers that count
    (`engine.current_answers`), and `pages`, the pages shown, in the flow's order."""

    flow: Flow
    kept: dict[str, Any]
    pages: tuple[PageState, ...]

    @property
    def visible_pages(self) -> list[Page]:
        return [shown.page for shown in self.pages]

    @property
    def incomplete_pages(self) -> list[Page]:
        return [shown.page for shown in self.pages if not shown.complete]

    def shows(self, page: Page) -> bool:
        return any(shown.page.id == page.id for shown in self.pages)

    def questions_of(self, page: Page) -> tuple[Question, ...]:
        """The questions shown on a page; none for a page that is not shown."""
        return next((shown.questions for shown in self.pages if shown.page.id == page.id), ())

    def previous(self, page: Page) -> Page | None:
        """The page shown before this one; None for the first, or one not shown."""
        ids = [shown.page.id for shown in self.pages]
        if page.id not in ids or ids.index(page.id) == 0:
            return None
        return self.pages[ids.index(page.id) - 1].page


def evaluate(flow: Flow, answers: dict[str, Any], *, on: datetime.date | None = None) -> FlowState:
    """The flow's state for these answers on the day `on` (see the module's docstring)."""
    kept = engine.current_answers(flow, answers, on=on)
    pages = []
    for page in flow.pages:
        if page.show_if is not None and not page.show_if.holds(kept, on):
            continue
        questions = tuple(
            question
            for question in page.questions
            if question.show_if is None or question.show_if.holds(kept, on)
        )
        complete = all(
            question.id in answers
            and (not question.required or question_answered(answers, question.id))
            for question in questions
        )
        pages.append(PageState(page=page, questions=questions, complete=complete))
    return FlowState(flow=flow, kept=kept, pages=tuple(pages))
