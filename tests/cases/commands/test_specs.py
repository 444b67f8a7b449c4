"""The command specs: each case command described once, in agreement with the lifecycle
and with the audit's replay of the log."""

import pytest

from passage.cases.commands.specs import SPECS
from passage.cases.commands.who import Who, staff_or_system_role
from passage.cases.fold import COMMAND_OF_KIND
from passage.cases.lifecycle import Command
from passage.cases.status import EventKind


def test_every_lifecycle_command_is_described_by_exactly_one_spec():
    commands = [spec.command for spec in SPECS]

    assert sorted(commands) == sorted(Command)


def test_every_event_after_the_submission_comes_from_exactly_one_spec():
    kinds = [spec.kind for spec in SPECS]

    assert sorted(kinds) == sorted(set(EventKind) - {EventKind.SUBMITTED})


def test_the_audit_replays_each_event_with_the_command_that_wrote_it():
    assert {spec.kind: spec.command for spec in SPECS} == COMMAND_OF_KIND


@pytest.mark.parametrize(
    "rules",
    [{}, {"person": staff_or_system_role, "on_case": lambda case, actor: actor}],
)
def test_who_may_run_a_command_is_decided_by_one_rule(rules):
    with pytest.raises(TypeError):
        Who(**rules)
