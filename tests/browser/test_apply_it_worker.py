"""A software worker applies for an employer-specific work permit under the Software
Development Worker pilot in Chromium, in English and in French. The pilot takes no new
applications (it is kept to replay past files), so the test opens it to exercise its
flow: occupation and province as the rules read them, check, submit and confirmation.
axe-core on every page."""

import pytest
from playwright.sync_api import Page

from passage.intake.models import Program
from tests.browser.apply import apply_and_triage, prepare_applicant
from tests.browser.conftest import AxeCheck
from tests.intake.flows.answers import answers_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_software_worker_applies_and_the_occupation_and_province_are_triaged(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    prepare_applicant(settings, username="ravi")
    Program.objects.filter(code="it-worker").update(is_open=True)
    answers = answers_for("it-worker", preferred_language=language)

    assessed, stored = apply_and_triage(
        page, axe, program="it-worker", language=language, answers=answers, username="ravi"
    )

    # Quebec kept the pilot open: a listed occupation there passes every criterion.
    assert assessed["outcome"] == "eligible_auto"
    assert (stored["occupation"], stored["province"]) == ("software-products-developer", "QC")
