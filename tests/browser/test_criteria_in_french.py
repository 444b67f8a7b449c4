"""A French officer reads a triaged file's criteria in Chromium: each criterion's detail
and the title of the law it cites in French, names where the rules keep codes, and the
tracker's view of the file as the client reads it. axe-core checks the page."""

import re

import pytest
from playwright.sync_api import Page, expect

from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import iec_answers
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_french_officer_reads_each_criterion_and_its_citation_in_french(
    page: Page, axe: AxeCheck, settings: object
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    officer = create_skilled_officer(username="emilie", password=PASSWORD)
    device = create_authenticator(officer)
    case = ready_case(answers=iec_answers(funds_cad=1200))  # short of funds: tier 3
    cases.assign_officer(
        case_id=case.public_id, actor=SYSTEM, officer=officer, reasons={}, idempotency_key="give"
    )

    page.goto(SIGN_IN["fr"]["path"])
    sign_in(page, language="fr", username="emilie", password=PASSWORD, device=device)
    page.goto(path("workbench:case", "fr", case_id=case.public_id))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {case.reference}")

    criteria = page.get_by_role("table", name=re.compile("Chaque critère des règles"))
    funds = criteria.get_by_role("row").filter(has_text="Preuve de fonds au moins égale au minimum")
    expect(funds).to_contain_text("1200 $ CA\u00a0; minimum 2500 $ CA")
    expect(funds).to_contain_text("Non satisfait")
    expect(funds.get_by_role("link")).to_have_text(
        "Instructions d\u2019exécution de programme d\u2019EIC\u00a0: "
        "exigences d\u2019admissibilité (preuve de fonds)"
    )
    country = criteria.get_by_role("row").filter(has_text="pays partenaire")
    expect(country).to_contain_text("France offre\u00a0: Permis vacances-travail")
    expect(country.get_by_role("link")).to_have_text(
        "Expérience internationale Canada\u00a0: admissibilité selon le pays"
    )
    table = criteria.inner_text()
    for code in ("working-holiday", "funds_cad", "CAD 1200", "IEC program delivery"):
        assert code not in table, code
    expect(page.get_by_role("main")).to_contain_text(
        "Expérience internationale Canada \u2013 Permis vacances-travail"
    )

    # The tracker's view of the file, as the client reads it, is in French too.
    client_view = page.get_by_role("complementary", name="Ce que voit le client")
    expect(client_view).to_contain_text("Expérience internationale Canada")
    axe(page)
