"""Every program of `programs/` that has a question flow and is open for applications,
applied to in Chromium with the example of its own questions.yaml: a signed-in applicant
fills in each page (by question type), uploads the required documents of the checklist,
checks the answers, submits and sees the confirmation with the case's reference. axe-core
checks every page. A new program is covered by its YAML files alone; the per-program
tests (test_apply_iec.py…) go into what only that program does."""

import pytest
from playwright.sync_api import Page, expect

from passage.intake.catalogue import document_checklist
from tests.browser.apply import answer_up_to, prepare_applicant, sign_in_from_the_programs
from tests.browser.conftest import AxeCheck
from tests.intake.flows.answers import ANSWERS, BUNDLES, answers_for, programs_with_a_flow
from tests.intake.journeys import check_answers_segment, declare_and_submit, start_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN = programs_with_a_flow(open_only=True)


def kinds_of_answer(program: str) -> int:
    """How many types of question the program's example answers."""
    flow = BUNDLES[program].flow
    assert flow is not None
    return len({question.type for question in flow.questions if question.id in ANSWERS[program]})


# Every program in English; in French, the one whose example fills the most types of
# question (each journey takes some twenty seconds: the file stays near two minutes).
JOURNEYS = [(program, "en") for program in OPEN] + [(max(OPEN, key=kinds_of_answer), "fr")]


@pytest.mark.parametrize(("program", "language"), JOURNEYS)
def test_an_applicant_applies_with_the_programs_example_and_is_given_a_reference(
    page: Page, axe: AxeCheck, settings: object, program: str, language: str
) -> None:
    prepare_applicant(settings, username="applicant")
    answers = answers_for(program)
    if "preferred_language" in answers:
        answers["preferred_language"] = language

    sign_in_from_the_programs(page, language=language, username="applicant")
    axe(page)
    draft = start_application(page, program=program, language=language)

    # Every page, then the documents, up to checking the answers.
    answer_up_to(
        page,
        program=program,
        answers=answers,
        page_id=check_answers_segment(language),
        check=axe,
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text(answers["family_name"])
    for item in document_checklist(program):
        if item.required:
            expect(main).to_contain_text(f"{item.kind}.pdf")
    axe(page)

    declare_and_submit(page)
    expect(page.locator(".gc-reference")).to_be_visible()
    axe(page)
    draft.refresh_from_db()
    assert draft.case is not None
    expect(page.locator(".gc-reference")).to_have_text(draft.case.reference)
    assert draft.case.program.code == program
    assert draft.case.application.documents.count() == sum(
        1 for item in document_checklist(program) if item.required
    )
