"""Every decision and withdrawal issues its letter, in its transaction, once; the letter
an officer previews is the letter the decision sends."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest

from passage import clock
from passage.cases import services as cases
from passage.cases.errors import TransitionNotAllowed
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus, EventKind
from passage.letters import composing
from passage.letters.models import DecisionLetter
from passage.letters.pdf import letter_pdf
from passage.letters.services import letter_it_would_send
from tests.builders import case_in_status, create_officer, refuse, submit_case

pytestmark = pytest.mark.django_db


def reviewed_case(officer):
    """An IEC file in review, routed to `officer`."""
    return case_in_status(CaseStatus.IN_REVIEW, officer=officer)


def test_a_refusal_issues_a_letter_with_the_officers_reasons_in_both_languages():
    officer = create_officer()
    case = reviewed_case(officer)

    refuse(case, officer, reasons="Funds below the minimum.", legal_grounds=["IRPR 200(1)(b)"])

    letter = DecisionLetter.objects.get(case=case)
    event = CaseEvent.objects.get(case=case, kind=EventKind.REFUSED)
    assert letter.event == event
    assert letter.kind == "refusal"
    assert letter.template_version == composing.CURRENT_VERSIONS["refusal"]
    assert "Funds below the minimum." in letter.body_en
    assert "Funds below the minimum." in letter.body_fr
    assert "- IRPR 200(1)(b)" in letter.body_en
    # 60 days for IEC, from the day of the decision where the officer works.
    decided_on = event.occurred_at.astimezone(ZoneInfo("America/Toronto")).date()
    assert letter.respond_by == decided_on + timedelta(days=60)
    assert letter.sha256 == composing.text_digest(letter.body_en, letter.body_fr)
    # Addressed to the applicant, in their language (French, by the application).
    assert "Dear Amélie Poulain," in letter.body_en
    assert letter.language == case.language


def test_an_approval_and_a_withdrawal_each_issue_their_letter():
    approved = case_in_status(CaseStatus.APPROVED)
    withdrawn = case_in_status(CaseStatus.WITHDRAWN)

    assert DecisionLetter.objects.get(case=approved).kind == "approval"
    assert DecisionLetter.objects.get(case=withdrawn).kind == "withdrawal"


def test_a_decision_sent_twice_issues_one_letter():
    officer = create_officer()
    case = reviewed_case(officer)

    refuse(case, officer, idempotency_key="same")
    again = refuse(case, officer, idempotency_key="same")

    assert again.replayed
    assert DecisionLetter.objects.filter(case=case).count() == 1


def test_a_decision_that_fails_leaves_no_letter():
    officer = create_officer()
    case = reviewed_case(officer)

    with pytest.raises(TransitionNotAllowed):
        cases.record_decision(
            case_id=case.public_id, actor=officer, approve=True, idempotency_key="early"
        )

    assert not DecisionLetter.objects.exists()


def test_a_case_open_or_in_review_has_no_letter():
    case = submit_case()

    assert not DecisionLetter.objects.filter(case=case).exists()


def test_the_preview_is_the_letter_the_decision_sends_and_keeps_nothing():
    officer = create_officer()
    case = reviewed_case(officer)
    now = clock.now()

    def decide():
        return refuse(case, officer, reasons="Funds below the minimum.", now=now)

    preview = letter_it_would_send(decide)
    assert preview is not None
    assert not DecisionLetter.objects.exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    decide()

    letter = DecisionLetter.objects.get(case=case)
    assert (letter.body_en, letter.body_fr) == (preview.body_en, preview.body_fr)


def test_a_decision_its_command_would_refuse_has_no_preview():
    officer = create_officer()
    case = reviewed_case(officer)

    with pytest.raises(TransitionNotAllowed):
        letter_it_would_send(
            lambda: cases.record_decision(
                case_id=case.public_id, actor=officer, approve=True, idempotency_key="early"
            )
        )


def test_a_letter_keeps_its_words_when_the_template_changes(monkeypatch):
    officer = create_officer()
    case = reviewed_case(officer)
    refuse(case, officer)
    letter = DecisionLetter.objects.get(case=case)
    issued = (letter.body_en, letter.body_fr, letter.template_version)

    monkeypatch.setitem(composing.CURRENT_VERSIONS, "refusal", 99)
    letter.refresh_from_db()

    assert (letter.body_en, letter.body_fr, letter.template_version) == issued


def test_the_pdf_has_the_clients_language_first_and_the_other_after_it():
    officer = create_officer()
    case = reviewed_case(officer)
    refuse(case, officer, reasons="Funds below the minimum.")
    letter = DecisionLetter.objects.get(case=case)

    reader = pypdf.PdfReader(io.BytesIO(letter_pdf(letter)))

    pages = [page.extract_text() for page in reader.pages]
    first, second = ("Décision sur votre demande", "Decision on your application")
    if letter.language == "en":
        first, second = second, first
    assert first in pages[0]
    assert second in "".join(pages[1:])
    assert "Funds below the minimum." in pages[0]
    assert case.reference in pages[0]


def test_a_withdrawal_closes_the_case_without_asking_for_anything_and_says_so():
    case = case_in_status(CaseStatus.WITHDRAWN)

    letter = DecisionLetter.objects.get(case=case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN
    assert "we will not ask you for anything more" in letter.body_en
