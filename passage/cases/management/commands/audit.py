"""`passage audit verify | checkpoint | keygen`: check the audit log, anchor its chain
heads in a signed checkpoint outside the database, and create the checkpoint keys."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from passage import clock
from passage.cases.audit import verify_audit_log
from passage.cases.checkpoints import CheckpointError, generate_keys, write_checkpoint
from passage.resilience import run_every


class Command(BaseCommand):
    help = (
        "Audit the case event log. `verify` checks every keyed chain, every case row "
        "against its log, and every signed checkpoint; `checkpoint` anchors the chain heads "
        "in a new signed checkpoint (`--every` repeats it every "
        "PASSAGE_AUDIT_CHECKPOINT_INTERVAL seconds); `keygen` creates the checkpoint keys."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "keygen"])
        parser.add_argument("--full", action="store_true", help="Anchor every case's head.")
        parser.add_argument(
            "--every", action="store_true", help="With checkpoint: repeat until stopped."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="With keygen: do nothing when the keys exist already.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "keygen":
            self._keygen(if_missing=options["if_missing"])
        elif action == "checkpoint":
            self._checkpoint(full=True if options["full"] else None, every=options["every"])
        else:
            self._verify()

    def _verify(self) -> None:
        report = verify_audit_log(now=clock.now())
        for item in report.breaks:
            where = f"event {item.sequence}" if item.sequence is not None else "chain head"
            self.stdout.write(f"BREAK {item.case_reference} {where}: {item.problem}")
        for warning in report.warnings:
            self.stdout.write(f"WARNING {warning}")
        summary = (
            f"{report.cases_checked} cases, {report.events_checked} events, "
            f"{report.checkpoints_checked} checkpoints and {report.heads_checked} anchored "
            "heads checked"
        )
        if not report.ok:
            raise CommandError(f"{len(report.breaks)} breaks found; {summary}.")
        self.stdout.write(self.style.SUCCESS(f"The audit log verifies: {summary}."))

    def _checkpoint(self, *, full: bool | None, every: bool) -> None:
        if not every:
            try:
                self._write_checkpoint(full=full)
            except (OperationalError, InterfaceError) as error:
                raise CommandError(f"The database is unavailable: {error}") from error
            return

        def step() -> None:
            nonlocal full  # a full checkpoint asked for stays asked for until written
            self._write_checkpoint(full=full)
            full = None

        try:
            # A database outage ends a pass, not the command (passage.resilience).
            run_every(settings.PASSAGE_AUDIT_CHECKPOINT_INTERVAL, step, name="Audit checkpoints")
        except KeyboardInterrupt:
            return

    def _write_checkpoint(self, *, full: bool | None) -> None:
        try:
            checkpoint = write_checkpoint(now=clock.now(), full=full)
        except CheckpointError as error:
            raise CommandError(str(error)) from error
        seal = checkpoint.seal
        kind = "Full checkpoint" if seal.full else "Checkpoint"
        self.stdout.write(
            f"{kind} {seal.number}: {seal.heads} heads through event "
            f"{seal.through_event_id}, in {checkpoint.path}."
        )

    def _keygen(self, *, if_missing: bool) -> None:
        signing = settings.PASSAGE_AUDIT_SIGNING_KEY_FILE
        verify = settings.PASSAGE_AUDIT_VERIFY_KEY_FILE
        if if_missing and signing.exists() and verify.exists():
            return
        try:
            fingerprint = generate_keys(signing_key_file=signing, verify_key_file=verify)
        except CheckpointError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Checkpoint signing key: {signing} (keep it off the database host)\n"
            f"Verify key: {verify} (fingerprint {fingerprint}; give it to auditors)"
        )
