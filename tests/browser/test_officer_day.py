"""An officer's day in Chromium, in English and in French: sign in, take the next file,
read the triage explanation, ask for a document, find eligibility met, finish the other
steps, read the decision letter and approve the file. axe-core checks every page on the
way."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from passage import clock
from passage.cases.models import Case
from passage.cases.status import CaseStatus, StepState
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, sign_in, wait_for_design_system
from tests.builders import iec_answers
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the officer reads and clicks, in each language.
WORDS = {
    "en": {
        "account": "Your account",
        "workbench": "Workbench",
        "queue": "My queue",
        "take": "Take the next file",
        "file": "File {reference}",
        "triage": "Triage explanation",
        "criteria": "Each criterion of ruleset iec@2025-01-01",
        "not_passed": "Not passed",
        "funds": "CAD 1200; minimum CAD 2500",
        "ruleset": "Ruleset version",
        "documents": "Documents to ask for",
        "due": "Due date",
        "request": "Request documents",
        "requested": "Documents requested.",
        "waiting": "Waiting on you",
        "met": "Met",
        "record_eligibility": "Record eligibility",
        "eligible": "Eligibility recorded: requirements met.",
        "steps": ["Background check", "Medical exam", "Biometrics"],
        "completed": "Completed",
        "record_step": "Record the step",
        "approve": "Approve",
        "show_letter": "Show the decision letter",
        "letter": "The letter this decision sends",
        "send_decision": "Send the decision and its letter",
        "approved": "The file was approved.",
        "status": "Decided: approved",
    },
    "fr": {
        "account": "Votre compte",
        "workbench": "Espace de travail",
        "queue": "Ma file d\u2019attente",
        "take": "Prendre le dossier suivant",
        "file": "Dossier {reference}",
        "triage": "Explication du triage",
        "criteria": "Chaque critère des règles iec@2025-01-01",
        "not_passed": "Non satisfait",
        "funds": "1200 $ CA\u00a0; minimum 2500 $ CA",
        "ruleset": "Version des règles",
        "documents": "Documents à demander",
        "due": "Date d\u2019échéance",
        "request": "Demander des documents",
        "requested": "Documents demandés.",
        "waiting": "En attente de votre part",
        "met": "Satisfaites",
        "record_eligibility": "Consigner l\u2019admissibilité",
        "eligible": "Admissibilité consignée\u00a0: exigences satisfaites.",
        "steps": ["Vérification des antécédents", "Examen médical", "Données biométriques"],
        "completed": "Terminée",
        "record_step": "Consigner l\u2019étape",
        "approve": "Approuver",
        "show_letter": "Afficher la lettre de décision",
        "letter": "La lettre que cette décision envoie",
        "send_decision": "Envoyer la décision et sa lettre",
        "approved": "Le dossier a été approuvé.",
        "status": "Décision\u00a0: approuvée",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_takes_a_file_reads_why_asks_for_a_document_and_approves_it(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)  # staff sign in with a second factor
    case = ready_case(answers=iec_answers(funds_cad=1200))  # below the minimum: tier 3
    main = page.get_by_role("main")

    # Sign in, then open the workbench from the header.
    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    page.get_by_role("navigation", name=words["account"]).get_by_role(
        "link", name=words["workbench"]
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["queue"])
    axe(page)

    # Take the next file: it is the one waiting.
    main.get_by_role("button", name=words["take"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words["file"].format(reference=case.reference)
    )
    axe(page)

    # Read the triage explanation: each criterion with its result, detail and citation.
    expect(page.get_by_role("heading", name=words["triage"])).to_be_visible()
    criteria = page.get_by_role("table", name=re.compile(re.escape(words["criteria"])))
    funds = criteria.get_by_role("row").filter(has_text=words["funds"])
    expect(funds).to_contain_text(words["not_passed"])
    expect(funds.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^https://www\.canada\.ca/.+experience-eligibility\.html$")
    )
    expect(main).to_contain_text(words["ruleset"])

    # Ask the client for proof of funds: eligibility now waits on them.
    due_on = (clock.now() + timedelta(days=21)).date().isoformat()
    page.get_by_label(words["documents"]).fill("Bank statement for the last 3 months")
    page.get_by_label(words["due"]).fill(due_on)
    main.get_by_role("button", name=words["request"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["requested"])
    expect(main).to_contain_text(words["waiting"])
    axe(page)

    # The statement arrives and shows enough funds: eligibility is met.
    page.get_by_label(words["met"], exact=True).check()
    main.get_by_role("button", name=words["record_eligibility"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["eligible"])
    axe(page)

    # Background, medical and biometrics, one after the other.
    for step in words["steps"]:
        # The design system redraws the header as each page loads; a click during
        # that redraw can land beside the radio.
        wait_for_design_system(page)
        page.get_by_label(step, exact=True).check()
        page.get_by_label(words["completed"], exact=True).check()
        main.get_by_role("button", name=words["record_step"]).click()
        expect(page.get_by_role("status")).to_contain_text(step)
    axe(page)

    # The final decision. The statement came another way, so the request is still open:
    # the officer confirms that deciding closes it.
    page.get_by_label(words["approve"], exact=True).check()
    page.locator("input[name=close_open_requests]").check()
    main.get_by_role("button", name=words["show_letter"]).click()
    expect(main.get_by_role("heading", name=words["letter"])).to_be_visible()
    axe(page)
    main.get_by_role("button", name=words["send_decision"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["approved"])
    expect(page.locator(".gc-lead")).to_contain_text(words["status"])
    axe(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert case.eligibility == StepState.COMPLETED
    assert case.document_requests.get().items == ["Bank statement for the last 3 months"]
    assert Case.objects.get(pk=case.pk).decided_by.username == "lea"


def test_the_workbench_works_without_javascript(new_page: NewPage, settings: object) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    device = create_authenticator(create_skilled_officer(username="lea", password=PASSWORD))
    case = ready_case(answers=iec_answers(funds_cad=1200))
    page = new_page(javascript=False)
    page.goto("/fr/connexion/?next=/fr/espace-de-travail/")
    sign_in(page, language="fr", username="lea", password=PASSWORD, device=device)

    page.get_by_role("button", name="Prendre le dossier suivant").click()
    page.get_by_label("Note interne").fill("Relevé bancaire demandé par téléphone.")
    page.get_by_role("button", name="Ajouter la note").click()

    expect(page.get_by_role("status")).to_have_text("Note ajoutée.")
    expect(page.get_by_role("main")).to_contain_text("Relevé bancaire demandé par téléphone.")
    assert case.events.filter(payload__text="Relevé bancaire demandé par téléphone.").exists()
