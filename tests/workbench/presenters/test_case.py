"""The case page: the rules' explanation, the answers, documents and requests, who has
the file and why, and its history, for department staff only."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from passage.accounts.models import User
from passage.cases import services as cases
from passage.cases.models import Case
from passage.cases.status import EventKind, Step, StepState
from passage.workbench.models import Leave
from passage.workbench.presenters.case import case_view
from passage.workbench.services import claim_next_case, reassign_cases, route_open_cases
from tests.builders import create_officer, iec_answers
from tests.workbench.builders import (
    claimed_case,
    create_skilled_officer,
    create_supervisor,
    ready_case,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)
DAY = timedelta(days=1)


def test_the_case_view_explains_each_criterion_with_its_citation_and_the_ruleset_version():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW, funds_cad=1200)

    with translation.override("en"):
        view = case_view(person=officer, case_id=case.public_id, now=NOW)

    assessment = view.assessment
    assert assessment is not None
    assert assessment.outcome == "needs_officer"
    assert assessment.ruleset_version == "iec@2025-01-01"
    funds = next(c for c in assessment.criteria if c.id == "minimum-funds")
    assert funds.result == "fail"
    assert funds.result_label == "Not passed"
    assert funds.detail == "CAD 1200; minimum CAD 2500"
    assert funds.citation_title.startswith("IEC program delivery instructions")
    assert funds.citation_href.startswith("https://www.canada.ca/")
    assert funds.label == "Proof of funds of at least the minimum"  # the ruleset's wording
    assert all(criterion.citation_title for criterion in assessment.criteria)


def test_the_case_view_has_the_application_answers_documents_and_requests():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW, funds_cad=1200)
    cases.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=Step.ELIGIBILITY,
        items=["Bank statement"],
        due_on=(NOW + 30 * DAY).date(),
        idempotency_key="ask",
        now=NOW,
    )

    with translation.override("en"):
        view = case_view(person=officer, case_id=case.public_id, now=NOW)

    # Worded as on the check-your-answers page.
    # Each named by its question, as the applicant was asked it.
    answers = {answer.name: answer.value for answer in view.answers}
    assert answers["Funds in Canadian dollars"] == "1,200"
    assert answers["Job offer in Canada"] == "No"
    assert view.answers_version == 1
    assert [(row.name, row.document.filename) for row in view.documents] == [
        ("Passport", "passport.pdf")
    ]
    assert [row.request.items for row in view.document_requests] == [["Bank statement"]]
    assert view.steps[0].state == StepState.WAITING_ON_YOU


def test_the_case_view_hides_the_assessment_of_a_file_in_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW)

    view = case_view(person=officer, case_id=case.public_id, now=NOW)

    assert view.blind_review
    assert view.assessment is None
    assessed = next(e for e in view.history if e.label == EventKind.TRIAGE_ASSESSED.label)
    assert assessed.details == []
    assert not any("needs" in reason for reason in view.assignment.reasons)


def test_the_case_view_says_why_the_officer_has_the_file():
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = claimed_case(officer, received=NOW)

    with translation.override("en"):
        view = case_view(person=officer, case_id=case.public_id, now=NOW)

    assert view.assignment is not None
    assert view.assignment.officer == "Léa Tremblay"
    assert view.assignment.reasons == [
        "Taken by the officer: the oldest waiting file their skills cover."
    ]


def test_a_supervisors_reassignment_gives_its_reason():
    officer, other = create_skilled_officer(), create_skilled_officer()
    case = claimed_case(officer, received=NOW)
    reassign_cases(
        case_ids=[case.public_id],
        officer=other,
        supervisor=create_supervisor(first_name="Robert", last_name="Nadeau"),
        reason="Balancing the load.",
        idempotency_key="move",
    )

    with translation.override("en"):
        view = case_view(person=other, case_id=case.public_id, now=NOW)

    assert view.assignment.reasons == ["Given by Robert Nadeau: Balancing the load."]


def given_to_emilie_by_robert() -> tuple[Case, User, User]:
    """A file waiting in review that Robert Nadeau, a supervisor, gave to Émilie Côté."""
    emilie = create_skilled_officer(first_name="Émilie", last_name="Côté")
    robert = create_supervisor(first_name="Robert", last_name="Nadeau")
    case = ready_case(now=NOW)
    reassign_cases(
        case_ids=[case.public_id],
        officer=emilie,
        supervisor=robert,
        reason="covering sick leave",
        idempotency_key="move",
        now=NOW,
    )
    return case, emilie, robert


@pytest.mark.parametrize(
    ("language", "sentence", "given"),
    [
        (
            "en",
            "Assigned to Émilie Côté by Robert Nadeau: covering sick leave",
            "Given by Robert Nadeau: covering sick leave",
        ),
        (
            "fr",
            "Assigné à Émilie Côté par Robert Nadeau\u00a0: covering sick leave",
            "Assigné par Robert Nadeau\u00a0: covering sick leave",
        ),
    ],
)
def test_the_history_says_who_gave_the_file_to_whom_and_why(language, sentence, given):
    case, _, robert = given_to_emilie_by_robert()

    with translation.override(language):
        view = case_view(person=robert, case_id=case.public_id, now=NOW)
        label = str(EventKind.ASSIGNED.label)

    (entry,) = [entry for entry in view.history if entry.label == label]
    assert entry.details == [sentence]
    assert entry.actor == "Robert Nadeau"
    assert view.assignment.reasons == [given]


def test_an_officer_who_takes_a_file_a_supervisor_gave_them_sees_who_and_why():
    case, emilie, _ = given_to_emilie_by_robert()
    taken = claim_next_case(officer=emilie, idempotency_key="take", now=NOW).case
    assert taken is not None
    assert taken.pk == case.pk

    with translation.override("en"):
        view = case_view(person=emilie, case_id=case.public_id, now=NOW)

    assert view.assignment.reasons == [
        "Taken by the officer: a supervisor had given it to them.",
        "Given by Robert Nadeau: covering sick leave",
    ]


def test_the_history_words_why_routing_took_a_file_from_an_officer_on_leave():
    case, emilie, _ = given_to_emilie_by_robert()
    Leave.objects.create(officer=emilie, starts_on=NOW.date(), ends_on=NOW.date())
    route_open_cases(now=NOW)

    with translation.override("en"):
        view = case_view(person=emilie, case_id=case.public_id, now=NOW)

    assert view.history[-1].label == "The file was returned to the queue"
    assert view.history[-1].details == [
        "The officer a supervisor gave it to is on leave. No officer who could take it had room."
    ]


def test_the_history_has_every_event_with_its_label_and_the_notes_apart():
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = claimed_case(officer, received=NOW)
    cases.add_note(
        case_id=case.public_id, actor=officer, text="Checked the passport.", idempotency_key="n"
    )

    with translation.override("fr"):
        view = case_view(person=officer, case_id=case.public_id, now=NOW)

    assert len(view.history) == case.events.count()
    assert [entry.sequence for entry in view.history] == sorted(e.sequence for e in view.history)
    assert view.history[0].label == "Nous avons reçu votre demande"
    assert view.history[-1].details == ["Checked the passport."]
    assert [(note.text, note.author) for note in view.notes] == [
        ("Checked the passport.", "Léa Tremblay")
    ]


def test_triages_note_reads_in_the_officers_language_and_an_officers_note_as_written():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW)
    cases.record_step(
        case_id=case.public_id,
        actor=officer,
        step=Step.BACKGROUND,
        state=StepState.IN_PROGRESS,
        note="Every eligibility criterion passed.",
        idempotency_key="officer-note",
        now=NOW,
    )

    def step_details(language: str) -> list[list[str]]:
        with translation.override(language):
            view = case_view(person=officer, case_id=case.public_id, now=NOW)
            label = str(EventKind.STEP_RECORDED.label)
        return [e.details for e in view.history if e.label == label]

    by_triage, by_officer = step_details("fr")
    assert "Tous les critères d\u2019admissibilité sont remplis." in by_triage
    assert by_officer[-1] == "Every eligibility criterion passed."
    assert "Every eligibility criterion passed." in step_details("en")[0]
    assert (
        case.events.get(kind=EventKind.STEP_RECORDED, actor_role="system").payload["note"]
        == "Every eligibility criterion passed."
    )


def test_a_client_cannot_read_a_case_through_the_workbench_not_even_their_own():
    case = ready_case(answers=iec_answers(), now=NOW)

    with pytest.raises(Case.DoesNotExist):
        case_view(person=case.application.applicant, case_id=case.public_id)


def test_an_unknown_case_does_not_exist():
    with pytest.raises(Case.DoesNotExist):
        case_view(person=create_officer(), case_id=uuid.uuid4())
