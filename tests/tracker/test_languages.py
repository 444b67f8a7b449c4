"""A French client reads their triaged file's tracker page in French, with names where the
rules and the department keep codes; the rules' assessment, internal, is not on it."""

import html
import re
import uuid

import pytest

from passage.cases.status import Step
from passage.tracker.services import answer_document_request
from tests.builders import MINIMAL_PDF
from tests.tracker.builders import ask_for_documents, officer_in, worked_case
from tests.tracker.test_views import signed_in, url

pytestmark = pytest.mark.django_db

CODES = ("working-holiday", "funds_cad", "vancouver", "eligible_auto", "needs_officer")


def text_of(page: str) -> str:
    """What a person reads: the page without its tags, spaces collapsed (keeping the
    no-break spaces of French typography)."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_a_french_tracker_page_of_a_triaged_file_names_everything_in_french():
    officer = officer_in(office="vancouver")
    case = worked_case(officer)
    answered = ask_for_documents(case, officer, Step.BACKGROUND)
    answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=answered.pk,
        files=[("statement.pdf", MINIMAL_PDF)],
        idempotency_key=uuid.uuid4().hex,
    )
    ask_for_documents(case, officer, Step.MEDICAL)

    page = signed_in(case.application.applicant).get(url("case", "fr", case_id=case.public_id))

    text = text_of(page.content.decode())
    assert page.status_code == 200
    assert "Expérience internationale Canada" in text
    assert "Examen médical" in text
    assert "Nous avons reçu les documents demandés" in text
    for code in CODES:
        assert code not in text, code
    assert not re.search(r"\brequest-\d+", text)
    assert not re.search(r"\biec\b", text)
    # The assessment is the department's: neither its details nor its citations show.
    assert "minimum 2500 $ CA" not in text
    assert "CAD 3000" not in text
    assert "Instructions d\u2019exécution de programme" not in text
