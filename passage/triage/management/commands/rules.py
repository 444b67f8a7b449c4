"""`passage rules`: tools for the people who write rules.

passage rules test [--program P]   run every scenario of every ruleset (or of one)
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passage.rules.loader import RuleSetError
from passage.rules.scenarios import run_scenarios


class Command(BaseCommand):
    help = "Tools for rule authors: `test` runs the worked scenarios of each ruleset."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        test = actions.add_parser("test", help="run the scenarios of every ruleset, or of one")
        test.add_argument("--program", help="the program code, e.g. iec")

    def handle(self, *args: Any, **options: Any) -> None:
        self.test(options.get("program"))

    def test(self, program: str | None) -> None:
        root = Path(settings.PASSAGE_PROGRAMS_DIR)
        folders = sorted(
            path.parent
            for path in root.glob("*/rules.yaml")
            if program is None or path.parent.name == program
        )
        if not folders:
            raise CommandError(f"no ruleset found for {program or 'any program'} in {root}")
        failed = 0
        for folder in folders:
            scenarios = folder / "scenarios.yaml"
            if not scenarios.exists():
                self.stdout.write(f"{folder.name}: no scenarios.yaml")
                failed += 1
                continue
            try:
                failures = run_scenarios(folder)
            except (RuleSetError, OSError, yaml.YAMLError) as error:
                self.stdout.write(f"{folder.name}: {error}")
                failed += 1
                continue
            count = len(yaml.safe_load(scenarios.read_text(encoding="utf-8"))["scenarios"])
            for failure in failures:
                self.stdout.write(f"FAIL {failure}")
            status = "ok" if not failures else f"{len(failures)} failed"
            self.stdout.write(f"{folder.name}: {count} scenarios, {status}")
            failed += bool(failures)
        if failed:
            raise CommandError(f"{failed} program(s) with failing or missing scenarios")
        self.stdout.write(self.style.SUCCESS("Every scenario passes."))
