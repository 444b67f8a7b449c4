"""`passage load_programs`: read and check every program's files, and create or update the
Program rows from their definitions."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from passage.intake.catalogue import CatalogueError, load_programs, read_definitions


class Command(BaseCommand):
    help = (
        "Read every program of programs/ (program.yaml, rules.yaml, questions.yaml, "
        "scenarios.yaml), check each file and how they agree, and create or update the "
        "matching programs. Running it again with the same files changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="The folder that holds one sub-folder per program (default: programs/).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the files; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path | None = options["directory"]
        try:
            if options["check"]:
                definitions = read_definitions(directory)
                self.stdout.write(
                    self.style.SUCCESS(f"{len(definitions)} program definitions are valid.")
                )
                return
            result = load_programs(directory=directory)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        for label, codes in (("created", result.created), ("updated", result.updated)):
            for code in codes:
                self.stdout.write(f"  {label}: {code}")
        summary = (
            f"Programs: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
        self.stdout.write(self.style.SUCCESS(summary) if result.changed else summary)
