"""The command specs: each case command described once, in agreement with the lifecycle
and with the audit's replay of the log."""

import pytest

from passage.cases.actors import SYSTEM
from passage.cases.commands.specs import CLOSE_DOCUMENT_REQUEST, SPECS
from passage.cases.commands.who import Who, staff_or_system_role
from passage.cases.errors import NotPermitted
from passage.cases.fold import COMMAND_OF_KIND
from passage.cases.lifecycle import TRANSITIONS, Command
from passage.cases.status import DECIDED_STATUSES, OPEN_STATUSES, EventKind, RequestClosure
from passage.residence.specs import RESIDENCE_SPECS


def test_every_lifecycle_command_is_described_by_exactly_one_spec():
    commands = [spec.command for spec in SPECS]

    # The confirmation of permanent residence is one row of the lifecycle, whose steps
    # (each its own event) the residence app describes.
    assert sorted(commands) == sorted(set(Command) - {Command.CONFIRM_RESIDENCE})
    assert {spec.command for spec in RESIDENCE_SPECS} == {Command.CONFIRM_RESIDENCE}


def test_every_event_after_the_submission_comes_from_exactly_one_spec():
    kinds = [spec.kind for spec in (*SPECS, *RESIDENCE_SPECS)]

    assert sorted(kinds) == sorted(set(EventKind) - {EventKind.SUBMITTED})


def test_the_audit_replays_each_event_with_the_command_that_wrote_it():
    specs = (*SPECS, *RESIDENCE_SPECS)

    assert {spec.kind: spec.command for spec in specs} == COMMAND_OF_KIND


@pytest.mark.parametrize(
    "rules",
    [{}, {"person": staff_or_system_role, "on_case": lambda case, actor: actor}],
)
def test_who_may_run_a_command_is_decided_by_one_rule(rules):
    with pytest.raises(TypeError):
        Who(**rules)


def test_every_command_that_ends_a_case_closes_its_open_document_requests():
    ending = {
        command
        for (status, command), target in TRANSITIONS.items()
        if status in OPEN_STATUSES and target in DECIDED_STATUSES
    }

    closing = {spec.command: spec.closes for spec in SPECS if spec.closes is not None}

    assert set(closing) == ending == {Command.APPROVE, Command.REFUSE, Command.WITHDRAW}
    assert {closes.spec for closes in closing.values()} == {CLOSE_DOCUMENT_REQUEST}
    assert closing[Command.WITHDRAW].reason == RequestClosure.WITHDRAWN
    assert closing[Command.REFUSE].reason == closing[Command.APPROVE].reason


def test_no_one_closes_a_document_request_on_its_own():
    with pytest.raises(NotPermitted, match="closes only with the decision or withdrawal"):
        CLOSE_DOCUMENT_REQUEST.who.role_of(SYSTEM)
