"""`passage retriage`: assess open files again after a rule change."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.triage.rulesets import current_rulesets
from passage.triage.services import retriage_open_cases


class Command(BaseCommand):
    help = (
        "Assess every open file again with the rules in force (column by column) and "
        "record a new assessment where the ruleset changed. Steps officers completed "
        "are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", help="only this program's open files")

    def handle(self, *args: Any, **options: Any) -> None:
        program = options["program"]
        if program and program not in current_rulesets():
            known = ", ".join(sorted(current_rulesets()))
            raise CommandError(f"unknown program {program!r}; known programs: {known}")
        report = retriage_open_cases(program=program)
        self.stdout.write(
            f"{report.assessed} files assessed again, {report.unchanged} already on the "
            f"rules in force, {len(report.changed)} outcomes changed."
        )
        for reference, before, after in report.changed:
            self.stdout.write(f"  {reference}: {before} -> {after}")
