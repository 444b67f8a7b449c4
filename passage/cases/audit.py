"""Verifying the audit log: every case's keyed chain whole, in order and unaltered; every
case row what its log explains; every head a signed checkpoint anchored still there.

What each check finds, and what none can, is in docs/operations.md ("Auditing").
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, router

from passage.cases.chain import AuditKeyError, ChainKey, event_hash, key_named
from passage.cases.checkpoints import (
    anchored_heads,
    checkpoint_files,
    file_digest,
    load_verify_key,
    read_seal,
    seal_problem,
)
from passage.cases.fold import FOLDED_COLUMNS, Event, differences, fold
from passage.cases.models import GENESIS_HASH, Case, CaseEvent
from passage.cases.roles import runtime_role_problem

ANCHOR_BATCH = 500


@dataclass(frozen=True)
class ChainBreak:
    case_reference: str
    sequence: int | None
    problem: str


@dataclass
class AuditReport:
    cases_checked: int = 0
    events_checked: int = 0
    checkpoints_checked: int = 0
    heads_checked: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    # What limits what the checks can see, without being a break (no checkpoint yet, ...).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_audit_log(*, now: datetime, chunk_size: int = 5000) -> AuditReport:
    """Check every chain and every case row against its log, then every checkpoint and
    the heads it anchors; `now` tells how old the newest checkpoint is."""
    report = verify_event_chains(chunk_size=chunk_size)
    if (problem := runtime_role_problem()) is not None:
        report.warnings.append(f"Passage runs as a role that can alter its audit log: {problem}")
    return verify_checkpoints(now=now, report=report)


def verify_event_chains(
    *, chunk_size: int = 5000, report: AuditReport | None = None
) -> AuditReport:
    """Walk every case's events in order and report each break: a gap or repeat in the
    sequence, a link to the wrong previous hash, a hash that does not match the event's
    content under its key, a case whose recorded head is not its last event, and a case
    row whose columns are not what its log explains (`fold`).

    One ordered pass over the cases and one over the events, merged: memory stays flat
    however large the log."""
    report = report or AuditReport()
    rows = Case.objects.order_by("id").values("id", "reference", "public_id", *FOLDED_COLUMNS)
    events = CaseEvent.objects.order_by("case_id", "sequence").iterator(chunk_size)
    grouped = groupby(events, key=lambda event: event.case_id)
    pending = next(grouped, None)
    for row in rows.iterator(chunk_size):
        report.cases_checked += 1
        while pending is not None and pending[0] < row["id"]:
            report.breaks.append(ChainBreak(str(pending[0]), None, "events of a missing case"))
            pending = next(grouped, None)
        case_events = list(pending[1]) if pending is not None and pending[0] == row["id"] else []
        if case_events:
            pending = next(grouped, None)
        _verify_case(report, row, case_events)
    while pending is not None:
        report.breaks.append(ChainBreak(str(pending[0]), None, "events of a missing case"))
        pending = next(grouped, None)
    return report


def _verify_case(report: AuditReport, row: dict[str, Any], events: list[CaseEvent]) -> None:
    reference, public_id = row["reference"], str(row["public_id"])
    expected_sequence, previous = 1, GENESIS_HASH
    keys: dict[str, ChainKey | None] = {}
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
        key = keys[event.hash_key] if event.hash_key in keys else _key(event.hash_key)
        keys[event.hash_key] = key
        if key is None:
            report.breaks.append(
                ChainBreak(
                    reference, event.sequence, f"hashed with an unknown key {event.hash_key!r}"
                )
            )
        elif _recomputed(event, public_id, key) != event.hash:
            report.breaks.append(
                ChainBreak(reference, event.sequence, "content does not match its hash")
            )
        expected_sequence, previous = event.sequence + 1, event.hash
    if (row["last_event_sequence"], row["last_event_hash"]) != (expected_sequence - 1, previous):
        report.breaks.append(
            ChainBreak(
                reference,
                None,
                f"the case records {row['last_event_sequence']} events but its log ends "
                f"at {expected_sequence - 1}",
            )
        )
    folded = fold(
        Event(e.sequence, e.kind, e.actor_id, e.occurred_at, e.payload, e.hash) for e in events
    )
    for sequence, problem in folded.problems:
        report.breaks.append(ChainBreak(reference, sequence, problem))
    changed = differences(folded, row)
    if changed and events:
        report.breaks.append(
            ChainBreak(
                reference,
                None,
                "the case row says something its log does not: " + ", ".join(changed),
            )
        )


def _key(key_id: str) -> ChainKey | None:
    try:
        return key_named(key_id)
    except AuditKeyError:
        return None


def _recomputed(event: CaseEvent, public_id: str, key: ChainKey) -> str:
    return event_hash(
        key=key,
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


# --- Checkpoints --------------------------------------------------------------------------


def verify_checkpoints(*, now: datetime, report: AuditReport | None = None) -> AuditReport:
    """Check each checkpoint's signature and its link to the one before, then that every
    head it anchors is still in the log with the same hash."""
    report = report or AuditReport()
    directory = settings.PASSAGE_AUDIT_CHECKPOINT_DIR
    files = checkpoint_files(directory)
    if not files:
        report.warnings.append(
            f"No checkpoint in {directory}: the newest events of a case could be deleted, "
            "or the whole log emptied, without a trace. Run `passage audit checkpoint`."
        )
        return report
    verify_key_file: Path = settings.PASSAGE_AUDIT_VERIFY_KEY_FILE
    if not verify_key_file.exists():
        report.breaks.append(
            ChainBreak("checkpoints", None, f"no verify key at {verify_key_file} to check them")
        )
        return report
    key = load_verify_key(verify_key_file)
    previous_digest: str | None = None
    previous_through = 0
    newest = None
    for expected_number, path in enumerate(files, start=1):
        where = f"checkpoint {path.name}"
        problem = seal_problem(path, key)
        if problem is not None:
            report.breaks.append(ChainBreak(where, None, problem))
            previous_digest = None
            continue
        seal, _signature, _heads = read_seal(path)
        report.checkpoints_checked += 1
        if seal.number != expected_number:
            report.breaks.append(
                ChainBreak(
                    where, None, f"number {seal.number} where {expected_number} was expected"
                )
            )
        if expected_number > 1 and seal.previous != previous_digest:
            report.breaks.append(ChainBreak(where, None, "it does not follow the one before it"))
        if seal.through_event_id < previous_through:
            report.breaks.append(ChainBreak(where, None, "it covers less than the one before it"))
        previous_digest = file_digest(path)
        previous_through = seal.through_event_id
        newest = seal
        _verify_anchors(report, path, where)
    if newest is not None:
        age = now - newest.created_at
        if age > timedelta(seconds=2 * settings.PASSAGE_AUDIT_CHECKPOINT_INTERVAL):
            report.warnings.append(
                f"The newest checkpoint ({newest.number}) is from "
                f"{newest.created_at:%Y-%m-%d %H:%M} UTC: events written since are not "
                "anchored yet."
            )
    return report


def _verify_anchors(report: AuditReport, path: Path, where: str) -> None:
    for batch in _batches(anchored_heads(path), ANCHOR_BATCH):
        found = _event_hashes(batch)
        for public_id, sequence, digest in batch:
            report.heads_checked += 1
            actual = found.get((public_id, sequence))
            if actual is None:
                report.breaks.append(
                    ChainBreak(
                        public_id,
                        sequence,
                        f"anchored by {where}, and no longer in the log (deleted or rolled back)",
                    )
                )
            elif actual != digest:
                report.breaks.append(
                    ChainBreak(public_id, sequence, f"anchored by {where} with another hash")
                )


def _event_hashes(batch: list[tuple[str, int, str]]) -> dict[tuple[str, int], str]:
    """The hash of each (case public id, sequence) of the batch that is in the log."""
    alias = router.db_for_read(CaseEvent)
    connection = connections[alias]
    field = Case._meta.get_field("public_id")
    ids = list({public_id for public_id, _sequence, _digest in batch})
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.public_id, e.sequence, e.hash FROM cases_caseevent e "  # noqa: S608
            f"INNER JOIN cases_case c ON c.id = e.case_id WHERE c.public_id IN ({placeholders})",
            [field.get_db_prep_value(public_id, connection) for public_id in ids],
        )
        return {
            (str(field.to_python(public_id)), sequence): digest
            for public_id, sequence, digest in cursor.fetchall()
        }


Head = tuple[str, int, str]


def _batches(items: Iterator[Head], size: int) -> Iterator[list[Head]]:
    batch: list[Head] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
