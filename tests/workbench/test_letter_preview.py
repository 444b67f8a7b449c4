"""An officer reads the letter a decision sends before sending it: the decision form shows
the letter first, in both languages, and records the decision only with the letter the
officer read; a decision changed after its preview is shown again."""

import re
import uuid

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.letters.models import DecisionLetter
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import case_in_status, create_officer
from tests.letters.builders import with_letter_read
from tests.tracker.builders import text_of

pytestmark = pytest.mark.django_db


def decision_url(case: Case, language: str = "en") -> str:
    files = "dossiers" if language == "fr" else "files"
    workbench = "espace-de-travail" if language == "fr" else "workbench"
    return f"/{language}/{workbench}/{files}/{case.public_id}/decision/"


def refusal(case: Case, **fields: object) -> dict[str, object]:
    case.refresh_from_db()
    return {
        "idempotency_key": uuid.uuid4().hex,
        "expected_version": case.version,
        "decision": "refuse",
        "reasons": "Funds below the required minimum.",
        "legal_grounds": "IRPR 200(1)(b)",
        **fields,
    }


@pytest.fixture
def officer() -> User:
    return create_officer()


@pytest.fixture
def case(officer: User) -> Case:
    return case_in_status(CaseStatus.IN_REVIEW, officer=officer)


def test_asking_for_the_letter_shows_it_in_both_languages_and_decides_nothing(officer, case):
    page = signed_in_with_mfa(officer).post(decision_url(case), refusal(case, preview="1"))

    text = text_of(page.content)
    assert page.status_code == 200
    assert "The letter this decision sends" in text
    assert "Why your application is refused" in text
    assert "Motifs du refus" in text
    assert text.count("Funds below the required minimum.") >= 2
    assert "Send the decision and its letter" in text
    assert "Error:" not in text
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    assert not DecisionLetter.objects.exists()


def test_the_decision_goes_with_the_letter_the_officer_read(officer, case):
    client = signed_in_with_mfa(officer)

    response = client.post(decision_url(case), with_letter_read(refusal(case)))

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REFUSED
    letter = DecisionLetter.objects.get(case=case)
    assert "Funds below the required minimum." in letter.body_en


def test_a_decision_sent_without_reading_its_letter_shows_the_letter_first(officer, case):
    page = signed_in_with_mfa(officer).post(decision_url(case), refusal(case))

    assert page.status_code == 422
    assert "Read the letter this decision sends before you send it" in text_of(page.content)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_reasons_changed_after_the_preview_show_the_letter_again(officer, case):
    read = with_letter_read(refusal(case))
    changed = {**read, "reasons": "Another reason entirely."}

    page = signed_in_with_mfa(officer).post(decision_url(case), changed)

    assert page.status_code == 422
    assert "Another reason entirely." in text_of(page.content)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    # The form shown again carries the digest of the letter now shown: sending it decides.
    digest = re.search(r'name="letter_digest" value="([0-9a-f]{64})"', page.content.decode())
    assert digest is not None
    assert digest.group(1) == with_letter_read(changed)["letter_digest"]


def test_a_refusal_without_reasons_is_refused_before_any_letter(officer, case):
    page = signed_in_with_mfa(officer).post(decision_url(case), refusal(case, reasons=""))

    assert page.status_code == 422
    assert "Give the reasons for the refusal." in text_of(page.content)
    assert "The letter this decision sends" not in text_of(page.content)


def test_the_preview_is_in_french_on_a_french_page(officer, case):
    page = signed_in_with_mfa(officer).post(decision_url(case, "fr"), refusal(case, preview="1"))

    text = text_of(page.content)
    assert "La lettre que cette décision envoie" in text
    assert "Envoyer la décision et sa lettre" in text


def test_a_decided_file_links_to_its_letter(officer, case):
    client = signed_in_with_mfa(officer)
    client.post(decision_url(case), with_letter_read(refusal(case)))
    letter = DecisionLetter.objects.get(case=case)

    page = client.get(f"/en/workbench/files/{case.public_id}/")

    assert f"/letters/{letter.public_id}/" in page.content.decode()
