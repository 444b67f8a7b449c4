"""The applicant portal's pages evaluate a draft's answers once per request
(`flows.state.evaluate`), however many questions they show; and what the presenters build
for check your answers."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from passage.intake import drafts, presenters
from passage.intake.catalogue import load_programs
from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.intake.flows.state import evaluate
from tests.builders import create_user
from tests.intake.builders import fill_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs():
    load_programs()


def filled(program: str):
    person = create_user()
    draft = drafts.start_draft(person=person, program_code=program)
    draft = fill_draft(person, draft, program)
    client = Client()
    client.force_login(person)
    return draft, client


def evaluations_of(client: Client, url: str) -> int:
    """How many times the engine evaluated the answers while the page was answered."""
    with mock.patch.object(
        engine, "current_answers", wraps=engine.current_answers
    ) as current_answers:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return current_answers.call_count


@pytest.mark.parametrize("program", ["iec", "citizenship", "family-sponsor"])
def test_check_your_answers_evaluates_the_answers_once_whatever_the_number_of_questions(
    program: str,
) -> None:
    draft, client = filled(program)
    flow = flow_for(program)
    assert flow is not None
    assert len(flow.questions) > 3

    url = reverse("intake:check", kwargs={"draft_id": draft.public_id})

    assert evaluations_of(client, url) == 1


def test_a_page_of_questions_and_the_documents_page_evaluate_the_answers_once() -> None:
    draft, client = filled("family-sponsor")
    flow = flow_for("family-sponsor")
    assert flow is not None
    last = evaluate(flow, draft.answers).visible_pages[-1]

    page = reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": last.id})
    documents = reverse("intake:documents", kwargs={"draft_id": draft.public_id})

    assert evaluations_of(client, page) == 1
    assert evaluations_of(client, documents) == 1


def test_check_your_answers_lists_each_question_shown_with_its_page_to_change_it() -> None:
    draft, _client = filled("iec")
    flow = flow_for("iec")
    assert flow is not None
    state = evaluate(flow, draft.answers)

    context = presenters.check_page(draft, state, [], "en")

    shown = [(shown.page.id, question) for shown in state.pages for question in shown.questions]
    assert [row["label"] for row in context["rows"]] == [q.label.en for _page, q in shown]
    assert [row["change_url"] for row in context["rows"]] == [
        presenters.page_url(draft, page_id) + "?change=1" for page_id, _question in shown
    ]
    assert context["back_url"] == presenters.documents_url(draft)
