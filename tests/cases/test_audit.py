"""`passage audit verify` against someone who can write to the database: altered, removed
or recomputed events, a case row changed behind its log, the newest events deleted and the
head rolled back, and an emptied log, each found; checkpoints that cannot be forged."""

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, OperationalError, connection, transaction

from passage import clock
from passage.cases import services
from passage.cases.audit import verify_audit_log, verify_event_chains
from passage.cases.chain import event_body
from passage.cases.checkpoints import checkpoint_files, write_checkpoint
from passage.cases.fold import Event, fold
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus, EventKind, Step
from tests.builders import case_in_status, create_officer, refuse
from tests.tracker.builders import ask_for_documents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _audit_files(settings, tmp_path):
    """Checkpoints and their keys in the test's own folder, as outside the database."""
    settings.PASSAGE_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.PASSAGE_AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "signing-key.pem"
    settings.PASSAGE_AUDIT_VERIFY_KEY_FILE = tmp_path / "keys" / "verify-key.pem"
    call_command("audit", "keygen", stdout=None)


def cases_in_every_status() -> list[Case]:
    officer = create_officer()
    return [case_in_status(status, officer=officer) for status in CaseStatus]


def tamper(sql: str, params: list[object]) -> None:
    """Change the log behind Passage's back, as its database's owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The owner can switch triggers off; the chain and the checkpoints still tell.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS case_event_append_only")
            cursor.execute(sql, params)


def plain_sha256(event: CaseEvent, previous: str) -> str:
    """The hash an attacker without the key computes: the unkeyed construction."""
    body = event_body(
        case_public_id=str(event.case.public_id),
        sequence=event.sequence,
        kind=event.kind,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        occurred_at=event.occurred_at,
        payload=event.payload,
        ruleset_version=event.ruleset_version,
        idempotency_key=event.idempotency_key,
    )
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()


class Editor:
    """What the migration's function uses of a schema editor, inside the test's transaction
    (SQLite's own cannot open there)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def problems(report) -> list[str]:
    return [item.problem for item in report.breaks]


def test_the_chains_and_rows_of_real_cases_verify():
    cases = cases_in_every_status()

    report = verify_event_chains()

    assert report.ok, report.breaks
    assert report.cases_checked == len(cases)
    assert report.events_checked == CaseEvent.objects.count()


def test_an_altered_payload_is_detected():
    cases_in_every_status()
    refusal = CaseEvent.objects.get(kind="case.refused")

    tamper(
        "UPDATE cases_caseevent SET payload = %s WHERE id = %s",
        ['{"reasons": "Softened after the fact.", "legal_grounds": []}', refusal.pk],
    )

    report = verify_event_chains()
    assert (refusal.case.reference, refusal.sequence) in [
        (b.case_reference, b.sequence) for b in report.breaks
    ]
    assert "content does not match its hash" in problems(report)


def test_a_chain_recomputed_without_the_key_is_detected():
    # The attack that passed before: turn a refusal into an approval, recompute every hash
    # and the case's head, and change the row to match.
    case = case_in_status(CaseStatus.REFUSED)
    events = list(CaseEvent.objects.filter(case=case).order_by("sequence"))
    previous = "0" * 64
    for event in events:
        if event.kind == "case.refused":
            event.kind = "case.approved"
        digest = plain_sha256(event, previous)
        tamper(
            "UPDATE cases_caseevent SET kind = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [event.kind, previous, digest, event.pk],
        )
        previous = digest
    Case.objects.filter(pk=case.pk).update(status="approved", last_event_hash=previous)

    report = verify_event_chains()

    assert problems(report).count("content does not match its hash") == len(events)


def test_a_status_changed_without_an_event_is_detected():
    case = case_in_status(CaseStatus.REFUSED)

    Case.objects.filter(pk=case.pk).update(status="approved")

    (item,) = verify_event_chains().breaks
    assert item.case_reference == case.reference
    assert item.problem == "the case row says something its log does not: status"


def test_a_decision_rewritten_on_the_row_alone_is_detected():
    case = case_in_status(CaseStatus.REFUSED)

    Case.objects.filter(pk=case.pk).update(
        decision_reasons="Another reason.", decided_by=create_officer()
    )

    (item,) = verify_event_chains().breaks
    assert "decided_by_id" in item.problem
    assert "decision_reasons" in item.problem


def test_a_deleted_event_is_detected():
    case = case_in_status(CaseStatus.IN_REVIEW)
    middle = CaseEvent.objects.get(case=case, sequence=2)

    tamper("DELETE FROM cases_caseevent WHERE id = %s", [middle.pk])

    found = problems(verify_event_chains())
    assert "sequence 3 where 2 was expected" in found
    assert "linked to the wrong previous event" in found


def test_the_newest_events_deleted_and_the_head_rolled_back_are_found_by_a_checkpoint():
    case = case_in_status(CaseStatus.APPROVED)
    write_checkpoint(now=clock.now())
    kept = CaseEvent.objects.get(case=case, sequence=case.last_event_sequence - 2)

    # The decision's letter refers to its event: whoever deletes one deletes both.
    tamper("DELETE FROM letters_decisionletter WHERE case_id = %s", [case.pk])
    tamper(
        "DELETE FROM cases_caseevent WHERE case_id = %s AND sequence > %s",
        [case.pk, kept.sequence],
    )
    Case.objects.filter(pk=case.pk).update(
        status="in_review",
        decided_at=None,
        decided_by=None,
        version=kept.sequence,
        last_event_sequence=kept.sequence,
        last_event_hash=kept.hash,
    )

    report = verify_audit_log(now=clock.now())
    anchored = [b for b in report.breaks if "no longer in the log" in b.problem]
    assert [(b.case_reference, b.sequence) for b in anchored] == [
        (str(case.public_id), case.last_event_sequence)
    ]


def test_an_emptied_log_is_found_by_a_checkpoint():
    cases = cases_in_every_status()
    write_checkpoint(now=clock.now())

    tamper("DELETE FROM letters_decisionletter", [])
    tamper("DELETE FROM cases_caseevent", [])
    tamper("DELETE FROM cases_caseparty", [])
    tamper("DELETE FROM messaging_outboxmessage", [])
    Case.objects.all().delete()

    report = verify_audit_log(now=clock.now())
    missing = {b.case_reference for b in report.breaks if "no longer in the log" in b.problem}
    assert missing == {str(case.public_id) for case in cases}


def truncate_everything() -> None:
    with connection.cursor() as cursor:
        # The test's own writes leave deferred checks pending, which TRUNCATE would wait on.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE cases_caseevent CASCADE")


@pytest.mark.postgres_only
def test_postgresql_refuses_to_truncate_the_log():
    case_in_status(CaseStatus.RECEIVED)

    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        truncate_everything()
    assert CaseEvent.objects.exists()


def test_checkpoints_anchor_only_what_grew_and_a_full_one_anchors_everything():
    case_in_status(CaseStatus.IN_REVIEW)
    grows = case_in_status(CaseStatus.RECEIVED)
    first = write_checkpoint(now=clock.now())
    services.withdraw_application(
        case_id=grows.public_id, actor=grows.application.applicant, idempotency_key="w"
    )

    later = write_checkpoint(now=clock.now())
    forced = write_checkpoint(now=clock.now(), full=True)

    assert (first.seal.full, first.seal.heads) == (True, 2)
    assert (later.seal.full, later.seal.heads) == (False, 1)
    assert later.seal.previous == first.digest
    assert (forced.seal.full, forced.seal.heads) == (True, 2)
    assert verify_audit_log(now=clock.now()).ok


def test_a_forged_or_removed_checkpoint_is_detected():
    case_in_status(CaseStatus.RECEIVED)
    write_checkpoint(now=clock.now())
    write_checkpoint(now=clock.now())
    write_checkpoint(now=clock.now())
    files = checkpoint_files(checkpoint_dir())

    lines = files[0].read_bytes().splitlines()
    forged = json.loads(lines[0])
    forged[2] = "f" * 64
    files[0].write_bytes(json.dumps(forged).encode() + b"\n" + b"\n".join(lines[1:]) + b"\n")
    files[1].unlink()

    found = problems(verify_audit_log(now=clock.now()))
    assert "its heads are not the ones it was signed with" in found
    assert "number 3 where 2 was expected" in found
    assert "it does not follow the one before it" in found


def test_without_checkpoints_the_report_warns_what_cannot_be_seen():
    case_in_status(CaseStatus.RECEIVED)

    report = verify_audit_log(now=clock.now())

    assert report.ok
    assert any(warning.startswith("No checkpoint") for warning in report.warnings)


def test_the_upgrade_rekeys_an_intact_plain_chain_and_refuses_a_broken_one():
    migration = importlib.import_module("passage.cases.migrations.0009_keyed_audit_chain")
    case = case_in_status(CaseStatus.IN_REVIEW)
    previous = "0" * 64
    for event in CaseEvent.objects.filter(case=case).order_by("sequence"):
        digest = plain_sha256(event, previous)
        tamper(
            "UPDATE cases_caseevent SET previous_hash = %s, hash = %s, hash_key = '' WHERE id = %s",
            [previous, digest, event.pk],
        )
        previous = digest
    Case.objects.filter(pk=case.pk).update(last_event_hash=previous)
    # The plain chain as an earlier version wrote it: re-keying it makes it verify.
    assert not verify_event_chains().ok
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.rekey(apps, Editor())
    assert verify_event_chains().ok

    tamper("UPDATE cases_caseevent SET hash_key = '', payload = '{}' WHERE case_id = %s", [case.pk])
    with pytest.raises(migration.BrokenChain):
        migration.rekey(apps, Editor())


def test_the_audit_command_reports_breaks_and_fails(capsys):
    case = case_in_status(CaseStatus.TRIAGE)
    tamper(
        "UPDATE cases_caseevent SET actor_role = 'officer' WHERE case_id = %s AND sequence = 2",
        [case.pk],
    )

    with pytest.raises(CommandError, match="1 breaks found"):
        call_command("audit", "verify")
    assert f"BREAK {case.reference} event 2" in capsys.readouterr().out


def test_the_audit_command_finds_a_status_changed_on_the_row_without_an_event(capsys):
    case = case_in_status(CaseStatus.REFUSED)
    Case.objects.filter(pk=case.pk).update(status="approved")

    with pytest.raises(CommandError, match="1 breaks found"):
        call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"BREAK {case.reference}" in out
    assert "the case row says something its log does not: status" in out


def test_the_audit_command_says_all_is_well_on_an_intact_log(capsys):
    cases_in_every_status()
    call_command("audit", "checkpoint")

    call_command("audit", "verify")

    out = capsys.readouterr().out
    assert "The audit log verifies: 6 cases" in out
    assert "1 checkpoints and 6 anchored heads checked" in out


def checkpoint_dir():
    return django_settings.PASSAGE_AUDIT_CHECKPOINT_DIR


def test_repeated_checkpoints_outlive_a_database_outage(monkeypatch, capsys):
    case_in_status(CaseStatus.IN_REVIEW)
    from passage.cases.management.commands import audit

    real = audit.write_checkpoint
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    def sleep(seconds):
        if len(calls) >= 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(audit, "write_checkpoint", flaky)
    monkeypatch.setattr("passage.resilience.drop_connections", lambda: None)
    monkeypatch.setattr("passage.resilience.time.sleep", sleep)

    call_command("audit", "checkpoint", "--every", "--full")  # until Ctrl-C

    assert [call["full"] for call in calls] == [True, True, None]
    assert "Full checkpoint 1:" in capsys.readouterr().out


def test_cases_whose_decision_or_withdrawal_closed_the_open_requests_verify():
    officer = create_officer()
    refused = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    withdrawn = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    for case in (refused, withdrawn):
        ask_for_documents(case, officer, Step.MEDICAL)
        ask_for_documents(case, officer, Step.BIOMETRICS)
    refuse(refused, officer)
    services.withdraw_application(
        case_id=withdrawn.public_id, actor=withdrawn.application.applicant, idempotency_key="w"
    )

    report = verify_event_chains()

    assert report.ok, report.breaks
    assert CaseEvent.objects.filter(kind=EventKind.DOCUMENTS_REQUEST_CLOSED).count() == 4


def test_a_closed_request_that_no_request_opened_is_reported_by_the_replay():
    at = clock.now()

    def event(sequence, kind, **payload):
        return Event(sequence, kind, None, at, payload, f"{sequence:064x}")

    folded = fold(
        [
            event(1, EventKind.SUBMITTED),
            event(2, EventKind.WITHDRAWN, reason=""),
            event(3, EventKind.DOCUMENTS_REQUEST_CLOSED, request=7, step="medical", reason="x"),
            event(
                4, EventKind.DOCUMENTS_REQUEST_CLOSED, request=7, step="medical", reason="withdrawn"
            ),
        ]
    )

    assert folded.problems == [
        (3, "not a command's event: a request closed for no known reason: 'x'"),
        (4, "not a command's event: a closed request of the medical step that was not open"),
    ]
