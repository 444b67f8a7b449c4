"""Relief by rule on a case: a document request's due date moved by the outages that
touched it (or moved back when the register was corrected), and a statutory limit an
outage touched flagged to the officer. Passage runs them itself
(`passage.continuity.relief`); each is an event on the case, made once per change."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from passage.cases.actors import SYSTEM
from passage.cases.commands.engine import Call, CommandResult, run
from passage.cases.commands.specs import FLAG_DEADLINE, MOVE_DEADLINE, RESTATE_DEADLINE
from passage.cases.models import Case, DocumentRequest


@dataclass(frozen=True)
class DeadlineChange:
    """What relief makes of one open request, read as it stood (`was_due_on`, its
    `step`, the day `set_due_on` the officer set, its count of relief changes
    `relief_version`): its due date now, the outages that moved it (or touched it,
    when flagged), and whether its statutory limit is flagged."""

    request_id: int
    step: str
    set_due_on: date
    was_due_on: date
    relief_version: int
    was_flagged: bool
    due_on: date
    outages: tuple[str, ...]
    flagged: bool


class _RequestChanged(Exception):
    """The request was answered, closed or changed again since it was read."""


def apply_deadline_change(
    *, case_id: UUID, change: DeadlineChange, now: datetime
) -> CommandResult | None:
    """Record `change` on the case: a `deadline.moved` event when the due date changes
    (the clients who see the step get a link-only email) or only the outages behind it
    do (no email: the date is the same), and a `deadline.flagged` event for officers
    when the outages touching a statutory limit change. The key is the
    request's count of relief changes, so that the same change is made once however many
    times relief runs. None when the request is no longer open or changed since it was
    read (the next pass works it out again)."""
    payload: dict[str, object] = {
        "request": change.request_id,
        "step": change.step,
        "outages": list(change.outages),
    }
    if change.flagged or change.was_flagged:
        spec = FLAG_DEADLINE
        payload |= {"due": change.was_due_on, "flagged": change.flagged}
    else:
        spec = MOVE_DEADLINE if change.was_due_on != change.due_on else RESTATE_DEADLINE
        payload |= {"from": change.was_due_on, "to": change.due_on, "set": change.set_due_on}

    def apply(case: Case, at: datetime) -> None:
        updated = (
            DocumentRequest.objects.open()
            .filter(pk=change.request_id, case=case, relief_version=change.relief_version)
            .update(
                due_on=change.due_on,
                relief_outages=list(change.outages),
                relief_flagged=change.flagged,
                relief_version=change.relief_version + 1,
            )
        )
        if not updated:
            raise _RequestChanged

    call = Call(case_id, SYSTEM, f"relief:{change.request_id}:{change.relief_version}", now=now)
    try:
        return run(spec, call, payload, apply)
    except _RequestChanged:
        return None
