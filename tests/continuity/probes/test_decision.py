"""The probes' rule, on plain data: which incidents a run of failures opens."""

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from passage.continuity.probes.decision import (
    Incident,
    Result,
    incidents_to_open,
    runs_of,
)
from tests.purity import assert_script_passes_in_a_fresh_interpreter

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREE_MINUTES = timedelta(minutes=3)


def minute(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def probes(component: str, states: str, *, start: float = 0) -> list[Result]:
    """One result a minute from `start`: "x" failed, "." worked."""
    return [
        Result(component, minute(start + i), ok=state == ".", detail="" if state == "." else "503")
        for i, state in enumerate(states)
    ]


def to_open(results: list[Result], **kwargs: object) -> list[Incident]:
    runs = [run for component_runs in runs_of(results).values() for run in component_runs]
    return incidents_to_open(runs, open_after=THREE_MINUTES, **kwargs)  # type: ignore[arg-type]


def test_a_component_failing_for_less_than_the_threshold_opens_nothing():
    assert to_open(probes("intake", "..xxx")) == []


def test_a_run_of_failures_longer_than_the_threshold_opens_one_incident_from_its_first_failure():
    (incident,) = to_open(probes("intake", "..xxxxxx"))

    assert incident.components == ("intake",)
    assert incident.starts_at == minute(2)
    assert incident.ends_at is None


def test_a_flapping_component_opens_nothing():
    assert to_open(probes("api", "x.x.x.xx.x.xx.x.x" * 3)) == []


def test_a_component_back_before_the_threshold_opens_nothing():
    assert to_open(probes("email", ".xxx....")) == []


def test_several_components_failing_together_open_one_incident_for_all_of_them():
    results = [
        *probes("sign-in", "..xxxxx"),
        *probes("tracker", "...xxxx", start=0.1),
        *probes("api", "..xxxxx", start=0.2),
        *probes("email", ".......", start=0.3),
    ]

    (incident,) = to_open(results)

    assert incident.components == ("api", "sign-in", "tracker")
    assert incident.starts_at == minute(2)
    assert incident.ends_at is None


def test_a_database_down_then_back_opens_an_incident_with_its_start_and_end():
    # Every component that needs the database fails together for six minutes, then works.
    components = ["sign-in", "intake", "tracker", "messages", "api"]
    results = [
        result
        for i, component in enumerate(components)
        for result in probes(component, ".xxxxxx...", start=i / 10)
    ]

    (incident,) = to_open(results)

    assert incident.components == ("api", "intake", "messages", "sign-in", "tracker")
    assert incident.starts_at == minute(1)
    assert incident.ends_at == minute(7.4)  # the last of them back
    assert "sign-in: failing since" in incident.detail()


def test_a_run_the_register_already_has_opens_nothing_again():
    results = probes("uploads", ".xxxxxxxx")
    reported = {("uploads", minute(1))}

    assert to_open(results, reported=reported) == []


def test_two_outages_apart_in_time_open_two_incidents():
    results = probes("messages", "xxxxx.....xxxxx")

    first, second = to_open(results)

    assert (first.starts_at, first.ends_at) == (minute(0), minute(5))
    assert (second.starts_at, second.ends_at) == (minute(10), None)


def test_the_rule_loads_without_django():
    assert_script_passes_in_a_fresh_interpreter(
        "import sys\n"
        "import passage.continuity.probes.decision\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules)\n"
    )


# Properties: the rule against a plain restatement of it, on any sequence of probes.

sequences = st.lists(st.booleans(), max_size=40)


def longest_failing_stretch(states: list[bool]) -> int:
    """Minutes from the first to the last failure of the longest run of failures."""
    longest = current = -1
    for ok in states:
        current = -1 if ok else current + 1
        longest = max(longest, current)
    return longest


@given(sequences)
def test_an_incident_opens_exactly_when_some_run_failed_for_the_threshold(states):
    results = [Result("tracker", minute(i), ok) for i, ok in enumerate(states)]

    opened = to_open(results)

    assert bool(opened) == (longest_failing_stretch(states) >= 3)
    for incident in opened:
        first = next(r for r in results if r.at == incident.starts_at)
        assert not first.ok
        before = [r for r in results if r.at < incident.starts_at]
        assert not before or before[-1].ok  # it starts at the first failure of its run


@given(st.lists(st.tuples(st.sampled_from(["api", "email", "intake"]), sequences), max_size=3))
def test_incidents_never_overlap_and_every_long_run_is_in_one(components):
    results = [
        Result(name, minute(i + offset / 10), ok)
        for offset, (name, states) in enumerate(components)
        for i, ok in enumerate(states)
    ]
    runs = [run for each in runs_of(results).values() for run in each]

    opened = incidents_to_open(runs, open_after=THREE_MINUTES)

    long_runs = {run.key for run in runs if run.lasted >= THREE_MINUTES}
    covered = [run.key for incident in opened for run in incident.runs]
    assert sorted(covered) == sorted(long_runs)
    for earlier, later in itertools.pairwise(opened):
        assert earlier.ends_at is not None
        assert earlier.ends_at < later.starts_at
