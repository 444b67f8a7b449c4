"""The shared journey of the browser application tests: sign in, apply from the start to
the confirmation, read the reference, and triage the case."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.intake.catalogue import load_programs
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, sign_in
from tests.builders import create_user, run_queued_tasks
from tests.intake.journeys import answer_until, apply_from_start_to_confirmation, url


def prepare_applicant(settings: object, *, username: str, **fields: Any) -> None:
    """No blind review, the programs loaded, and an applicant who can sign in."""
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    load_programs()
    create_user(username=username, password=PASSWORD, **fields)


def sign_in_from_the_programs(page: Page, *, language: str, username: str) -> None:
    """Open the programs page and sign in; the sign-in page sends the person on."""
    page.goto(url("programs", language))
    sign_in(page, language=language, username=username, password=PASSWORD)


def answer_up_to(
    page: Page,
    *,
    program: str,
    answers: dict[str, Any],
    page_id: str,
    check: Callable[[Page], None],
) -> None:
    """Answer page after page from the answers table until the page `page_id`."""
    answer_until(
        page, program=program, answers=answers, stop=lambda current: current == page_id, check=check
    )


def triage_assessment(case: Case) -> dict[str, Any]:
    """Run the queued triage and return what it assessed for the case."""
    run_queued_tasks()
    return case.events.get(kind=EventKind.TRIAGE_ASSESSED).payload


def apply_and_triage(
    page: Page,
    axe: AxeCheck,
    *,
    program: str,
    language: str,
    answers: dict[str, Any],
    username: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply from the start to the confirmation, check the reference shown, run the
    queued triage and return its assessment and the stored answers."""
    draft = apply_from_start_to_confirmation(
        page,
        program=program,
        language=language,
        answers=answers,
        username=username,
        password=PASSWORD,
        check=axe,
    )

    assert draft.case is not None
    expect(page.locator(".gc-reference")).to_have_text(draft.case.reference)
    assessed = triage_assessment(draft.case)
    stored = draft.case.application.answers.get().answers
    return assessed, stored
