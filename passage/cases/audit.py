"""Verifying the event log: every chain must be whole, in order, and unaltered."""

from dataclasses import dataclass, field
from itertools import groupby

from passage.cases.chain import event_hash
from passage.cases.models import GENESIS_HASH, Case, CaseEvent


@dataclass(frozen=True)
class ChainBreak:
    case_reference: str
    sequence: int | None
    problem: str


@dataclass
class AuditReport:
    cases_checked: int = 0
    events_checked: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_event_chains(*, chunk_size: int = 5000) -> AuditReport:
    """Walk every case's events in order and report each break: a gap or repeat in the
    sequence, a link to the wrong previous hash, a hash that does not match the event's
    content, or a case whose recorded chain head is not its last event.

    One ordered pass over the cases and one over the events, merged: memory stays flat
    however large the log.
    """
    report = AuditReport()
    heads = Case.objects.order_by("id").values_list(
        "id", "reference", "public_id", "last_event_sequence", "last_event_hash"
    )
    events = CaseEvent.objects.order_by("case_id", "sequence").iterator(chunk_size)
    grouped = groupby(events, key=lambda event: event.case_id)
    pending = next(grouped, None)
    for case_id, reference, public_id, head_sequence, head_hash in heads.iterator(chunk_size):
        report.cases_checked += 1
        while pending is not None and pending[0] < case_id:
            report.breaks.append(ChainBreak(str(pending[0]), None, "events of a missing case"))
            pending = next(grouped, None)
        case_events = list(pending[1]) if pending is not None and pending[0] == case_id else []
        if case_events:
            pending = next(grouped, None)
        last_sequence, last_hash = _verify_case(report, reference, str(public_id), case_events)
        if (last_sequence, last_hash) != (head_sequence, head_hash):
            report.breaks.append(
                ChainBreak(
                    reference,
                    None,
                    f"the case records {head_sequence} events but its log ends at {last_sequence}",
                )
            )
    return report


def _verify_case(
    report: AuditReport, reference: str, public_id: str, events: list[CaseEvent]
) -> tuple[int, str]:
    expected_sequence, previous = 1, GENESIS_HASH
    for event in events:
        report.events_checked += 1
        if event.sequence != expected_sequence:
            report.breaks.append(
                ChainBreak(
                    reference,
                    event.sequence,
                    f"sequence {event.sequence} where {expected_sequence} was expected",
                )
            )
        if event.previous_hash != previous:
            report.breaks.append(
                ChainBreak(reference, event.sequence, "linked to the wrong previous event")
            )
        recomputed = event_hash(
            previous_hash=event.previous_hash,
            case_public_id=public_id,
            sequence=event.sequence,
            kind=event.kind,
            actor_id=event.actor_id,
            actor_role=event.actor_role,
            occurred_at=event.occurred_at,
            payload=event.payload,
            ruleset_version=event.ruleset_version,
            idempotency_key=event.idempotency_key,
        )
        if recomputed != event.hash:
            report.breaks.append(
                ChainBreak(reference, event.sequence, "content does not match its hash")
            )
        expected_sequence, previous = event.sequence + 1, event.hash
    return expected_sequence - 1, previous
