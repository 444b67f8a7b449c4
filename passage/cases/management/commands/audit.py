"""`passage audit verify`: check every case's event chain and report any break."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from passage.cases.audit import verify_event_chains


class Command(BaseCommand):
    help = "Audit the case event log. `verify` walks every hash chain and reports breaks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_event_chains()
        for item in report.breaks:
            where = f"event {item.sequence}" if item.sequence is not None else "chain head"
            self.stdout.write(f"BREAK {item.case_reference} {where}: {item.problem}")
        summary = f"{report.cases_checked} cases, {report.events_checked} events checked"
        if not report.ok:
            raise CommandError(f"{len(report.breaks)} breaks found; {summary}.")
        self.stdout.write(self.style.SUCCESS(f"All chains verify: {summary}."))
