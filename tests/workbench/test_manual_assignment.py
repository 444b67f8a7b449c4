"""A supervisor's assignment sticks: recorded as manual with its reason and who made it,
left with the chosen officer by routing until a person changes it, and replayed by the
audit."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from passage.cases import services as cases
from passage.cases.audit import verify_event_chains
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.workbench import services
from passage.workbench.models import Leave
from passage.workbench.services import reassign_cases, route_open_cases
from tests.accounts.builders import signed_in_with_mfa
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db(transaction=True)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def expert(**fields):
    """Émilie holds the program at 5: routing, which avoids overqualification, prefers
    anyone holding it at 3 for a routine file."""
    return create_skilled_officer(
        ("program", "iec", 5),
        ("language", "en", 3),
        ("language", "fr", 3),
        first_name="Émilie",
        last_name="Côté",
        **fields,
    )


def generalist(**fields):
    return create_skilled_officer(first_name="Marc", last_name="Roy", **fields)


def move(case, officer, supervisor, reason="Covering sick leave", key=None):
    return reassign_cases(
        case_ids=[case.public_id],
        officer=officer,
        supervisor=supervisor,
        reason=reason,
        idempotency_key=key or uuid.uuid4().hex,
    )


def assigned_to(case):
    case.refresh_from_db()
    return case.assigned_to


def test_a_file_a_supervisor_gives_an_officer_stays_with_them_through_routing():
    emilie, marc = expert(), generalist()
    supervisor = create_supervisor(first_name="Robert", last_name="Nadeau")
    case = ready_case()
    route_open_cases()
    assert assigned_to(case) == marc

    result = move(case, emilie, supervisor, reason="  Covering sick leave  ")
    run = route_open_cases()
    route_open_cases()

    assert result.done == [case.reference]
    assert assigned_to(case) == emilie
    assert case.assignment_pinned
    manual = case.events.filter(kind=EventKind.ASSIGNED).order_by("sequence").last()
    assert manual.actor_id == supervisor.pk
    assert manual.payload == {
        "officer": emilie.pk,
        "manual": True,
        "by": supervisor.pk,
        "reason": "Covering sick leave",
    }
    assert run.stats["pinned"] == 1
    assert run.cases_considered == 0


def test_a_pinned_file_takes_a_place_of_its_officers_capacity():
    # Marc is the more overqualified: routing would give Émilie the other file if the
    # pinned one did not fill her only place.
    emilie = create_skilled_officer(capacity=1, first_name="Émilie")
    marc = create_skilled_officer(
        ("program", "iec", 5), ("language", "en", 5), ("language", "fr", 5), first_name="Marc"
    )
    supervisor = create_supervisor()
    pinned, other = ready_case(), ready_case()
    move(pinned, emilie, supervisor)

    route_open_cases()

    assert assigned_to(pinned) == emilie
    assert assigned_to(other) == marc


def test_sending_a_file_back_to_the_queue_unpins_it_and_routing_routes_it_again():
    emilie, marc = expert(), generalist()
    supervisor = create_supervisor()
    case = ready_case()
    move(case, emilie, supervisor)

    move(case, None, supervisor, reason="Back to the pool")
    assert assigned_to(case) is None
    assert not case.assignment_pinned
    route_open_cases()

    assert assigned_to(case) == marc
    assert not case.assignment_pinned


def test_a_supervisor_moving_the_file_again_pins_it_to_the_new_officer():
    emilie, marc = expert(), generalist()
    other_expert = expert(username="expert-2")
    supervisor = create_supervisor()
    case = ready_case()
    move(case, emilie, supervisor)

    move(case, other_expert, supervisor, reason="Émilie is back on intake")
    route_open_cases()

    assert assigned_to(case) == other_expert
    assert case.assignment_pinned
    assert marc.assigned_cases.count() == 0


def test_routing_hands_on_a_pinned_file_whose_officer_is_on_leave_and_says_why():
    emilie, marc = expert(), generalist()
    case = ready_case()
    move(case, emilie, create_supervisor())
    today = datetime.now(UTC).date()
    Leave.objects.create(officer=emilie, starts_on=today, ends_on=today + 3 * DAY)

    route_open_cases()

    assert assigned_to(case) == marc
    assert not case.assignment_pinned
    routed = case.events.filter(kind=EventKind.ASSIGNED).order_by("sequence").last()
    assert routed.actor_id is None
    assert routed.payload["reasons"]["pin_released"] == "officer-on-leave"


def test_a_pinned_file_nobody_else_can_take_goes_back_to_the_queue_when_its_officer_leaves():
    emilie = expert()
    case = ready_case()
    move(case, emilie, create_supervisor())
    today = datetime.now(UTC).date()
    Leave.objects.create(officer=emilie, starts_on=today, ends_on=today)

    route_open_cases()

    assert assigned_to(case) is None
    unassigned = case.events.get(kind=EventKind.UNASSIGNED)
    assert unassigned.payload["reason"] == "officer-on-leave: no-capacity"


def test_a_file_a_supervisor_moves_while_routing_runs_is_left_for_the_next_run(monkeypatch):
    emilie, marc = expert(), generalist()
    supervisor = create_supervisor()
    case = ready_case()
    solve = services.rebalance

    def supervisor_moves_it_meanwhile(*args, **kwargs):
        plan = solve(*args, **kwargs)
        move(case, emilie, supervisor)
        return plan

    monkeypatch.setattr(services, "rebalance", supervisor_moves_it_meanwhile)
    route_open_cases()

    assert assigned_to(case) == emilie
    assert case.assignment_pinned
    assert not marc.assigned_cases.exists()


def test_a_manual_assignment_needs_a_reason():
    emilie = expert()
    supervisor = create_supervisor()
    case = ready_case()

    with pytest.raises(InvalidRequest) as bulk:
        move(case, emilie, supervisor, reason="   ")
    with pytest.raises(InvalidRequest) as single:
        cases.assign_officer(
            case_id=case.public_id, actor=supervisor, officer=emilie, idempotency_key="move"
        )

    assert bulk.value.details["errors"] == {"reason": "Give a reason."}
    assert single.value.details["errors"] == {"reason": "Give a reason."}
    assert assigned_to(case) is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()


@pytest.mark.parametrize(
    ("language", "path", "error", "moved"),
    [
        ("en", "/en/workbench/supervision/files/", "Give a reason.", "Moved 1 file: "),
        (
            "fr",
            "/fr/espace-de-travail/supervision/dossiers/",
            "Indiquez un motif.",
            "1 dossier déplacé\u00a0: ",
        ),
    ],
)
def test_the_reassign_form_asks_for_the_reason_and_counts_the_files_moved(
    language, path, error, moved
):
    emilie = expert()
    case = ready_case()
    client = signed_in_with_mfa(create_supervisor())
    form = {
        "idempotency_key": uuid.uuid4().hex,
        "cases": [str(case.public_id)],
        "destination": str(emilie.pk),
    }

    refused = client.post(path, form)
    done = client.post(path, {**form, "reason": "Covering sick leave"}, follow=True)

    assert refused.status_code == 422
    assert error in refused.content.decode()
    assert f"{moved}{case.reference}." in done.content.decode()
    assert assigned_to(case) == emilie


def test_the_audit_replays_the_pin_and_finds_one_set_behind_the_logs_back():
    emilie, _ = expert(), generalist()
    pinned, routed = ready_case(), ready_case()
    move(pinned, emilie, create_supervisor())
    route_open_cases()
    assert verify_event_chains().ok

    Case.objects.filter(pk=routed.pk).update(assignment_pinned=True)

    (item,) = verify_event_chains().breaks
    assert item.case_reference == routed.reference
    assert item.problem == "the case row says something its log does not: assignment_pinned"
