"""What an officer may open and act on, in Chromium, in English and in French: a file of
another office is not found, exactly as a missing one; a colleague's file of their own
office opens without its actions, and says why. axe-core checks each page at a phone's, a
tablet's and a desktop's width."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_program, iec_answers
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "not_found": "We cannot find that page",
        "file": "File {reference}",
        "why": "This file is with another officer: only they can act on it. A supervisor "
        "can give it to you.",
        "decide": "Final decision",
        "note": "Add the note",
        "conflict": "Declare a conflict of interest",
    },
    "fr": {
        "not_found": "Nous ne trouvons pas cette page",
        "file": "Dossier {reference}",
        "why": "Ce dossier est confié à un autre agent\u00a0: seule cette personne peut y "
        "agir. Un superviseur peut vous le confier.",
        "decide": "Décision finale",
        "note": "Ajouter la note",
        "conflict": "Déclarer un conflit d\u2019intérêts",
    },
}


def routed(case: Case, officer) -> None:
    cases.assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={},
        idempotency_key=uuid.uuid4().hex,
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_cannot_open_another_offices_file_nor_act_on_a_colleagues(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)  # staff sign in with a second factor
    colleague = create_skilled_officer(first_name="Marc", last_name="Roy")
    create_program("eta", name_en="eTA", processing_offices=["montreal"])
    montreal = ready_case(answers=iec_answers(), program_code="eta")
    theirs = ready_case(answers=iec_answers())
    routed(theirs, colleague)
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)

    # Another office's file: not found, as an address with no file behind it.
    response = page.goto(path("workbench:case", language, case_id=montreal.public_id))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(words["not_found"])
    assert montreal.reference not in page.content()
    axe(page)  # at a phone's, a tablet's and a desktop's width
    missing = page.goto(path("workbench:case", language, case_id=uuid.uuid4()))
    assert missing is not None
    assert missing.status == 404

    # A colleague's file: it opens, says why there is nothing to do, and offers no action
    # but declaring a conflict of interest.
    page.goto(path("workbench:case", language, case_id=theirs.public_id))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words["file"].format(reference=theirs.reference)
    )
    expect(main.locator("#cannot-act")).to_have_text(words["why"])
    expect(main.get_by_role("heading", name=words["decide"])).to_have_count(0)
    expect(main.get_by_role("button", name=words["note"])).to_have_count(0)
    expect(main.get_by_role("button", name=words["conflict"])).to_be_visible()
    axe(page)  # at a phone's, a tablet's and a desktop's width
