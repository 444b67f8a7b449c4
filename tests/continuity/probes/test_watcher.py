"""The watcher: it keeps what the probes saw, opens an incident once a component has
failed long enough, exactly once, and rides out a database that is down."""

from datetime import timedelta

import pytest

from passage.continuity.models import Outage, ProbeResult
from passage.continuity.probes import watcher as watching
from passage.continuity.probes.watcher import Watcher
from tests.continuity.probes.support import T0, Clock, Switchboard
from tests.support.outage import database_down

COMPONENTS = ("sign-in", "tracker", "api", "email")


@pytest.fixture
def board() -> Switchboard:
    return Switchboard(*COMPONENTS)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def watcher_of(board: Switchboard, clock: Clock) -> Watcher:
    return Watcher(checks=board.checks(), clock=clock, open_after=timedelta(minutes=3))


def passes(watcher: Watcher, clock: Clock, count: int) -> list[watching.PassReport]:
    reports = []
    for _ in range(count):
        reports.append(watcher.probe_once())
        clock.advance(minutes=1)
    return reports


@pytest.mark.django_db
def test_each_pass_keeps_a_result_per_component(board, clock):
    watcher_of(board, clock).probe_once()

    assert sorted(ProbeResult.objects.values_list("component", flat=True)) == sorted(COMPONENTS)
    assert ProbeResult.objects.filter(ok=True).count() == len(COMPONENTS)


@pytest.mark.django_db
def test_a_component_failing_for_less_than_the_threshold_opens_nothing(board, clock):
    watcher = watcher_of(board, clock)
    board.failing = {"api"}
    passes(watcher, clock, 3)
    board.failing = set()
    passes(watcher, clock, 3)

    assert not Outage.objects.exists()


@pytest.mark.django_db
def test_a_component_failing_long_enough_opens_one_incident_from_its_first_failure(board, clock):
    watcher = watcher_of(board, clock)
    passes(watcher, clock, 2)
    board.failing = {"api"}
    first_failure_pass = clock.at

    reports = passes(watcher, clock, 10)

    (outage,) = Outage.objects.all()
    assert outage.opened_by_probes
    assert outage.confirmed_at is None
    assert outage.components == ["api"]
    assert first_failure_pass < outage.starts_at < first_failure_pass + timedelta(seconds=1)
    assert outage.ends_at is None
    assert [bool(report.opened) for report in reports] == [False] * 3 + [True] + [False] * 6


@pytest.mark.django_db
def test_a_watcher_that_restarts_during_a_failure_does_not_open_it_again(board, clock):
    board.failing = {"tracker"}
    passes(watcher_of(board, clock), clock, 5)
    start = Outage.objects.get().starts_at

    passes(watcher_of(board, clock), clock, 5)

    assert Outage.objects.get().starts_at == start


@pytest.mark.django_db
def test_several_components_failing_together_open_one_incident(board, clock):
    watcher = watcher_of(board, clock)
    board.failing = {"sign-in", "tracker", "api"}

    passes(watcher, clock, 6)

    (outage,) = Outage.objects.all()
    assert outage.components == ["api", "sign-in", "tracker"]


@pytest.mark.django_db
def test_no_incident_is_opened_for_a_failure_during_announced_maintenance(board, clock):
    Outage.objects.create(
        reference="OUT-2026-0001",
        kind="planned",
        status="in-progress",
        components=["email"],
        starts_at=T0 - timedelta(minutes=5),
        ends_at=T0 + timedelta(hours=1),
        announced_at=T0 - timedelta(days=2),
        title_en="Mail server upgrade",
        title_fr="Mise à niveau du serveur de courriel",
        created_at=T0 - timedelta(days=2),
        updated_at=T0 - timedelta(days=2),
    )
    board.failing = {"email"}

    passes(watcher_of(board, clock), clock, 6)

    assert Outage.objects.count() == 1


@pytest.mark.django_db
def test_results_older_than_the_days_kept_are_pruned(board, clock):
    ProbeResult.objects.create(component="api", at=T0 - timedelta(days=8), ok=True)
    ProbeResult.objects.create(component="api", at=T0 - timedelta(days=6), ok=True)

    watcher_of(board, clock).probe_once()

    assert ProbeResult.objects.filter(at__lt=T0).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_down_then_back_opens_one_incident_with_its_true_start_and_end(
    board, clock, monkeypatch
):
    told = []
    monkeypatch.setattr(watching, "while_database_down", [told.append])
    watcher = watcher_of(board, clock)
    passes(watcher, clock, 1)
    went_down = clock.at

    # Every component that needs the database fails; email does not.
    board.failing = {"sign-in", "tracker", "api"}
    with database_down():
        reports = passes(watcher, clock, 6)
    board.failing = set()
    came_back = clock.at
    (back,) = passes(watcher, clock, 1)

    assert not any(report.database_up for report in reports)
    assert told[-1]["api"].ok is False
    assert told[-1]["email"].ok is True
    assert went_down < told[-1]["api"].since < went_down + timedelta(seconds=1)
    assert back.database_up
    assert back.written == 6 * 4 + 4
    (outage,) = Outage.objects.all()
    assert outage.components == ["api", "sign-in", "tracker"]
    assert went_down < outage.starts_at < went_down + timedelta(seconds=1)
    assert came_back < outage.ends_at < came_back + timedelta(seconds=1)
    assert ProbeResult.objects.count() == 8 * 4


@pytest.mark.django_db
def test_current_states_say_what_each_component_does_and_since_when(board, clock):
    watcher = watcher_of(board, clock)
    board.failing = {"api"}
    passes(watcher, clock, 2)

    states = watching.current_states()

    assert states["api"].ok is False
    assert states["api"].since is not None
    assert states["email"].ok is True
    assert set(states) == set(COMPONENTS)


@pytest.mark.django_db
def test_an_incident_the_probes_opened_ends_when_every_component_is_back(board, clock):
    watcher = watcher_of(board, clock)
    board.failing = {"api", "tracker"}
    passes(watcher, clock, 5)
    board.failing = {"tracker"}
    passes(watcher, clock, 2)
    assert Outage.objects.get().ends_at is None
    board.failing = set()
    back_at = clock.at

    passes(watcher, clock, 2)

    outage = Outage.objects.get()
    assert back_at <= outage.ends_at < back_at + timedelta(seconds=1)
    assert outage.status == "monitoring"
    assert outage.confirmed_at is None
    assert outage.updates.last().changes["status"] == ["investigating", "monitoring"]


@pytest.mark.django_db
def test_an_incident_staff_took_up_is_left_to_them_to_end(board, clock):
    from passage.continuity import services
    from tests.workbench.builders import create_supervisor

    watcher = watcher_of(board, clock)
    board.failing = {"api"}
    passes(watcher, clock, 5)
    outage = Outage.objects.get()
    services.change_outage(
        actor=create_supervisor(),
        reference=outage.reference,
        changes={"text_en": "The API is down.", "text_fr": "L\u2019API est en panne."},
        idempotency_key="confirm",
        now=clock.at,
    )
    board.failing = set()

    passes(watcher, clock, 2)

    assert Outage.objects.get().ends_at is None
