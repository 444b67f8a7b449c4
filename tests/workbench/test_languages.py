"""A French officer reads a triaged file in French: each criterion's detail and citation,
the category, the answers, the documents and why the file is theirs, with no code of the
rules or the department left where a name belongs."""

import html
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from passage.accounts.models import Office
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case, CaseEvent
from passage.cases.status import EventKind, Step
from passage.tracker.services import answer_document_request
from tests.builders import MINIMAL_PDF, iec_answers
from tests.tracker.builders import ask_for_documents
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case
from tests.workbench.test_views import case_url, signed_in

pytestmark = pytest.mark.django_db

# Codes a person must never read where their name belongs: a category, a fact, an office,
# a document request's file kind, an assessment's outcome.
CODES = ("working-holiday", "funds_cad", "invitation_date", "ottawa", "needs_officer")


def text_of(page: str) -> str:
    """What a person reads: the page without its tags, spaces collapsed (keeping the
    no-break spaces French typography puts before ":" and ";")."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def routed_file_with_documents_sent() -> tuple[Case, object]:
    """An IEC file short of funds, routed to an Ottawa officer for their skill, that asked
    for documents the client sent."""
    officer = create_skilled_officer(office="ottawa")
    Office.objects.filter(code="ottawa").update(
        name_en="Ottawa Processing Office", name_fr="Bureau de traitement d\u2019Ottawa"
    )
    case = ready_case(answers=iec_answers(funds_cad=1200))
    cases.assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={
            "method": "min-cost flow",
            "office": "ottawa",
            "requirements": [{"skill": "iec/working-holiday", "minimum": 3, "proficiency": 3}],
        },
        idempotency_key="route",
    )
    request = ask_for_documents(case, officer, Step.ELIGIBILITY)
    answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=request.pk,
        files=[("bank-statement.pdf", MINIMAL_PDF)],
        idempotency_key=uuid.uuid4().hex,
    )
    return Case.objects.get(pk=case.pk), officer


def test_a_french_case_page_gives_each_criterion_detail_and_citation_in_french():
    case, officer = routed_file_with_documents_sent()

    text = text_of(signed_in(officer).get(case_url(case, "fr")).content.decode())

    assert "1200 $ CA\u00a0; minimum 2500 $ CA" in text
    assert "offre d\u2019emploi\u00a0: non" not in text  # not a Working Holiday criterion
    assert "assuré jusqu\u2019au 2027-01-31\u00a0; séjour jusqu\u2019au 2027-01-12" in text
    assert "Instructions d\u2019exécution de programme d\u2019EIC" in text
    assert "(preuve de fonds)" in text
    assert "Expérience internationale Canada\u00a0: admissibilité selon le pays" in text
    assert "CAD 1200; minimum CAD 2500" not in text
    assert "IEC program delivery instructions" not in text


def test_a_french_case_page_names_what_it_shows_instead_of_its_codes():
    case, officer = routed_file_with_documents_sent()

    text = text_of(signed_in(officer).get(case_url(case, "fr")).content.decode())

    assert "Expérience internationale Canada \u2013 Permis vacances-travail" in text
    assert "Fonds en dollars canadiens" in text  # the answer, named by its question
    assert "Bureau de traitement d\u2019Ottawa" in text  # the office, by its French name
    assert "Permis vacances-travail" in text
    assert "Medical exam report (demandé pour l\u2019étape" in text  # the documents sent
    assert "Résultat\u00a0: Doit être examiné par un agent" in text  # in the history
    for code in CODES:
        assert code not in text, code
    assert not re.search(r"\brequest-\d+", text)
    assert not re.search(r"\biec\b(?!@)", text)  # the program, but for the ruleset version


def test_an_assessment_recorded_before_the_french_was_kept_still_reads_on_a_french_page():
    case, officer = routed_file_with_documents_sent()
    recorded = CaseEvent.objects.get(case=case, kind=EventKind.TRIAGE_ASSESSED).payload
    # As assessments were recorded before: the interchange's English detail only, and
    # each citation as {title, href}.
    older = {
        **recorded,
        "criteria": [
            {
                "id": criterion["id"],
                "result": criterion["result"],
                "detail": criterion["detail"],
                "citation": {
                    "title": criterion["citation"]["title"],
                    "href": criterion["citation"]["href"],
                },
            }
            for criterion in recorded["criteria"]
        ],
    }
    cases.record_assessment(
        case_id=case.public_id,
        assessment=older,
        risk_area="",
        blind_review=False,
        idempotency_key="an-older-record",
    )

    text = text_of(signed_in(officer).get(case_url(case, "fr")).content.decode())

    assert "CAD 1200; minimum CAD 2500" in text  # the English it kept
    assert "Instructions d\u2019exécution de programme d\u2019EIC" in text  # from the rules


def test_a_french_queue_names_each_files_category():
    case, officer = routed_file_with_documents_sent()

    text = text_of(signed_in(officer).get("/fr/espace-de-travail/").content.decode())

    assert case.reference in text
    assert "Permis vacances-travail" in text
    assert "working-holiday" not in text


def test_a_french_supervisor_reads_officers_offices_and_skills_by_their_names():
    _case, _officer = routed_file_with_documents_sent()
    supervisor = create_supervisor("ottawa")

    with translation.override("fr"):
        address = reverse("workbench:officers")
    text = text_of(signed_in(supervisor).get(address).content.decode())

    assert "Bureau de traitement d\u2019Ottawa" in text
    assert "Programme Expérience internationale Canada (3)" in text
    assert "Langue Français (3)" in text
    assert not re.search(r"\b(iec|ottawa)\b", text)
