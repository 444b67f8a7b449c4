"""What the workbench reads: an officer's queue, one file, and the supervisor's overview,
each for the person asking only."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.models import Case
from passage.cases.status import CaseStatus, EventKind, Step, StepState
from passage.workbench import selectors
from passage.workbench.models import Leave
from passage.workbench.services import claim_next_case, reassign_cases
from tests.builders import create_officer, create_program, create_user, iec_answers
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def taken(officer, *, received: datetime = NOW, **answers) -> Case:
    """A file received at `received`, triaged, and taken by the officer."""
    case = ready_case(answers=iec_answers(**answers), now=received)
    claimed = claim_next_case(officer=officer, idempotency_key=uuid.uuid4().hex, now=received)
    assert claimed.case is not None
    assert claimed.case.pk == case.pk
    return claimed.case


# --- The queue ----------------------------------------------------------------------------


def test_the_queue_lists_the_officers_open_files_oldest_first_with_age_and_due_date():
    officer = create_skilled_officer()
    old = taken(officer, received=NOW - 50 * DAY, funds_cad=1200)
    new = taken(officer, received=NOW - 2 * DAY)
    taken(create_skilled_officer(), received=NOW - 70 * DAY)  # someone else's

    queue = selectors.officer_queue(person=officer, now=NOW)

    assert [row.reference for row in queue.rows] == [old.reference, new.reference]
    first = queue.rows[0]
    assert first.age_days == 50
    assert first.due_on == (NOW - 50 * DAY + 56 * DAY).date()
    assert not first.overdue
    assert first.tier == 3
    assert first.started
    assert (first.steps[0].step, first.steps[0].state) == (
        Step.ELIGIBILITY,
        StepState.NOT_STARTED,
    )


def test_a_file_past_its_service_standard_is_overdue():
    officer = create_skilled_officer()
    taken(officer, received=NOW - 60 * DAY)

    (row,) = selectors.officer_queue(person=officer, now=NOW).rows

    assert row.overdue


def test_the_queue_counts_files_by_tier_and_the_files_waiting_for_anyone():
    officer = create_skilled_officer()
    taken(officer, funds_cad=1200)
    taken(officer, funds_cad=1100)
    taken(officer)
    ready_case(answers=iec_answers(), now=NOW)  # nobody has it yet

    with translation.override("en"):
        queue = selectors.officer_queue(person=officer, now=NOW)

    assert [(tier.label, tier.count) for tier in queue.by_tier] == [
        ("Tier 1: routine", 1),
        ("Tier 3: full assessment", 2),
    ]
    assert queue.total == 3
    assert queue.started == 3
    assert queue.unassigned_in_review == 1


def test_a_decided_file_leaves_the_queue():
    officer = create_skilled_officer()
    case = taken(officer)
    for step in (Step.BACKGROUND, Step.MEDICAL, Step.BIOMETRICS):
        cases.record_step(
            case_id=case.public_id,
            actor=officer,
            step=step,
            state=StepState.EXEMPTED,
            idempotency_key=f"exempt-{step}",
        )
    cases.record_decision(
        case_id=case.public_id, actor=officer, approve=True, idempotency_key="approve"
    )

    assert selectors.officer_queue(person=officer, now=NOW).rows == []


def test_a_blind_review_file_shows_in_the_queue_without_its_tier(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_skilled_officer()
    taken(officer)

    with translation.override("en"):
        (row,) = selectors.officer_queue(person=officer, now=NOW).rows

    assert row.blind_review
    assert row.tier is None
    assert row.tier_label == "Blind review"


def test_a_client_has_no_queue_even_for_files_they_are_party_to():
    case = ready_case(answers=iec_answers(), now=NOW)

    queue = selectors.officer_queue(person=case.application.applicant, now=NOW)

    assert queue.rows == []
    assert queue.unassigned_in_review == 0


# --- One file ---------------------------------------------------------------------------


def test_the_case_view_explains_each_criterion_with_its_citation_and_the_ruleset_version():
    officer = create_skilled_officer()
    case = taken(officer, funds_cad=1200)

    with translation.override("en"):
        view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)

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
    case = taken(officer, funds_cad=1200)
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
        view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)

    # Worded as on the check-your-answers page.
    assert {answer.name: answer.value for answer in view.answers}["funds_cad"] == "1,200"
    assert {answer.name: answer.value for answer in view.answers}["job_offer"] == "No"
    assert view.answers_version == 1
    assert [document.filename for document in view.documents] == ["passport.pdf"]
    assert [request.items for request in view.document_requests] == [["Bank statement"]]
    assert view.steps[0].state == StepState.WAITING_ON_YOU


def test_the_case_view_hides_the_assessment_of_a_file_in_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_skilled_officer()
    case = taken(officer)

    view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)

    assert view.blind_review
    assert view.assessment is None
    assessed = next(e for e in view.history if e.label == EventKind.TRIAGE_ASSESSED.label)
    assert assessed.details == []
    assert not any("needs" in reason for reason in view.assignment.reasons)


def test_the_case_view_says_why_the_officer_has_the_file():
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = taken(officer)

    with translation.override("en"):
        view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)

    assert view.assignment is not None
    assert view.assignment.officer == "Léa Tremblay"
    assert view.assignment.reasons == [
        "Taken by the officer: the oldest waiting file their skills cover."
    ]


def test_a_supervisors_reassignment_gives_its_reason():
    officer, other = create_skilled_officer(), create_skilled_officer()
    case = taken(officer)
    reassign_cases(
        case_ids=[case.public_id],
        officer=other,
        supervisor=create_supervisor(),
        reason="Balancing the load.",
        idempotency_key="move",
    )

    with translation.override("en"):
        view = selectors.case_view(person=other, case_id=case.public_id, now=NOW)

    assert view.assignment.reasons == ["Given by a supervisor: Balancing the load."]


def test_the_history_has_every_event_with_its_label_and_the_notes_apart():
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = taken(officer)
    cases.add_note(
        case_id=case.public_id, actor=officer, text="Checked the passport.", idempotency_key="n"
    )

    with translation.override("fr"):
        view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)

    assert len(view.history) == case.events.count()
    assert [entry.sequence for entry in view.history] == sorted(e.sequence for e in view.history)
    assert view.history[0].label == "Nous avons reçu votre demande"
    assert view.history[-1].details == ["Checked the passport."]
    assert [(note.text, note.author) for note in view.notes] == [
        ("Checked the passport.", "Léa Tremblay")
    ]


def test_triages_note_reads_in_the_officers_language_and_an_officers_note_as_written():
    officer = create_skilled_officer()
    case = taken(officer)
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
            view = selectors.case_view(person=officer, case_id=case.public_id, now=NOW)
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
        selectors.case_view(person=case.application.applicant, case_id=case.public_id)


def test_an_unknown_case_does_not_exist():
    with pytest.raises(Case.DoesNotExist):
        selectors.case_view(person=create_officer(), case_id=uuid.uuid4())


# --- Supervision --------------------------------------------------------------------------


def test_the_overview_gives_each_offices_capacity_load_and_leave():
    busy = create_skilled_officer(capacity=12)
    away = create_skilled_officer(capacity=8, first_name="Omar")
    montreal = create_skilled_officer(capacity=5, office="montreal")
    taken(busy)
    taken(busy, funds_cad=1200)
    Leave.objects.create(officer=away, starts_on=NOW.date() - DAY, ends_on=NOW.date() + DAY)
    Leave.objects.create(
        officer=montreal, starts_on=NOW.date() + 5 * DAY, ends_on=NOW.date() + 9 * DAY
    )

    ottawa_view = selectors.supervisor_overview(person=create_supervisor("ottawa"), now=NOW)
    montreal_view = selectors.supervisor_overview(person=create_supervisor("montreal"), now=NOW)

    (ottawa,) = ottawa_view.offices
    assert ottawa.office.code == "ottawa"
    assert ottawa.weekly_capacity == 20
    assert ottawa.available_capacity == 12
    assert (ottawa.assigned, ottawa.started) == (2, 2)
    assert [officer.officer for officer in ottawa.on_leave_today] == [away]
    (montreal_office,) = montreal_view.offices
    assert montreal_office.office.code == "montreal"
    assert [officer.officer for officer in montreal_office.officers] == [montreal]
    assert montreal_office.on_leave_today == []


def test_the_overview_gives_the_count_oldest_and_median_age_of_the_shared_queue():
    for days in (1, 4, 10):
        ready_case(answers=iec_answers(), now=NOW - days * DAY)

    with translation.override("en"):
        overview = selectors.supervisor_overview(person=create_supervisor(), now=NOW)

    (age,) = overview.queue_ages
    assert age.program == "International Experience Canada"
    assert (age.count, age.oldest_days, age.median_days) == (3, 10, 4)
    assert overview.unassigned_in_review == 3


def test_only_a_supervisor_with_an_office_gets_an_overview_or_the_list_of_officers():
    create_skilled_officer()
    ready_case(answers=iec_answers(), now=NOW)

    for person in (create_officer(), create_user(Role.APPLICANT), create_user(Role.SUPERVISOR)):
        overview = selectors.supervisor_overview(person=person, now=NOW)
        assert overview.offices == []
        assert overview.queue_ages == []
        assert selectors.officers(person=person) == []
        assert selectors.open_files(person=person) == []


def test_open_files_filter_by_officer_or_nobody():
    officer = create_skilled_officer()
    mine = taken(officer)
    waiting = ready_case(answers=iec_answers(), now=NOW)
    supervisor = create_supervisor()

    by_officer = selectors.open_files(person=supervisor, officer_id=officer.pk, now=NOW)
    unassigned = selectors.open_files(person=supervisor, unassigned=True, now=NOW)

    assert [file.reference for file in by_officer] == [mine.reference]
    assert [file.reference for file in unassigned] == [waiting.reference]


def test_a_supervisor_lists_and_opens_only_the_officers_of_their_office():
    ottawa = create_skilled_officer()
    montreal = create_skilled_officer(office="montreal")
    supervisor = create_supervisor("ottawa")

    listed = [load.officer for load in selectors.officers(person=supervisor, now=NOW)]

    assert listed == [ottawa]
    assert selectors.officer_for_supervisor(person=supervisor, officer_id=ottawa.pk).officer == (
        ottawa
    )
    with pytest.raises(User.DoesNotExist):
        selectors.officer_for_supervisor(person=supervisor, officer_id=montreal.pk)


def test_a_supervisor_sees_the_files_of_their_officers_and_the_waiting_files_of_their_programs():
    ottawa, montreal = create_skilled_officer(), create_skilled_officer(office="montreal")
    theirs = taken(montreal)
    mine = taken(ottawa, received=NOW + DAY)
    waiting = ready_case(answers=iec_answers(), now=NOW)
    eta = create_program("eta", name_en="eTA", processing_offices=["montreal"])
    elsewhere = ready_case(answers=iec_answers(), now=NOW, program_code="eta")
    assert (elsewhere.program, elsewhere.status) == (eta, CaseStatus.IN_REVIEW)
    supervisor = create_supervisor("ottawa")

    files = selectors.open_files(person=supervisor, now=NOW + 2 * DAY)
    of_montreal = selectors.open_files(person=supervisor, officer_id=montreal.pk)
    overview = selectors.supervisor_overview(person=supervisor, now=NOW + 2 * DAY)

    assert {file.reference for file in files} == {mine.reference, waiting.reference}
    assert theirs.reference not in {file.reference for file in files}
    assert of_montreal == []
    assert [age.count for age in overview.queue_ages] == [1]
