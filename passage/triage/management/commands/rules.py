"""`passage rules`: tools for the people who write rules.

passage rules test [--program P]   run every scenario of every ruleset (or of one)
"""

import json
import subprocess
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passage.programs import CatalogueError, read_programs
from passage.rules.diff import diff_rulesets
from passage.rules.loader import RuleSet, RuleSetError, load_ruleset
from passage.rules.scenarios import check_scenarios


class Command(BaseCommand):
    help = "Tools for rule authors: `test` runs the worked scenarios of each ruleset."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        test = actions.add_parser("test", help="run the scenarios of every ruleset, or of one")
        test.add_argument("--program", help="the program code, e.g. iec")
        diff = actions.add_parser("diff", help="replay a rule change over past applications")
        diff.add_argument("--program", required=True)
        diff.add_argument("--from", dest="before", required=True, metavar="VERSION")
        diff.add_argument("--to", dest="after", required=True, metavar="VERSION")
        diff.add_argument("--input", required=True, help="JSON Lines of interchange input lines")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "diff":
            self.diff(options["program"], options["before"], options["after"], options["input"])
        else:
            self.test(options.get("program"))

    def diff(self, program: str, before: str, after: str, input_path: str) -> None:
        old, new = _ruleset(program, before), _ruleset(program, after)
        try:
            text = Path(input_path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"cannot read {input_path}: {error.strerror}", returncode=2
            ) from None
        lines = [_decoded(line) for line in text.splitlines() if line.strip()]
        lines = [
            line for line in lines if isinstance(line, dict) and line.get("program") == program
        ]
        report = diff_rulesets(old, new, lines)
        self.stdout.write(
            f"{report.before_version} ({old.content_hash}) -> "
            f"{report.after_version} ({new.content_hash}): {report.evaluated} applications "
            f"of {program}, {len(report.flips)} would change, {report.invalid} invalid"
        )
        for flip in report.flips:
            changes = ", ".join(f"{c}: {a} -> {b}" for c, (a, b) in flip.criteria.items())
            self.stdout.write(f"  {flip.id}: {flip.before} -> {flip.after}; {changes}")

    def test(self, program: str | None) -> None:
        root = Path(settings.PASSAGE_PROGRAMS_DIR)
        try:
            programs = read_programs(root)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        chosen = [code for code in sorted(programs) if program is None or code == program]
        if not chosen:
            raise CommandError(f"no ruleset found for {program or 'any program'} in {root}")
        failed = 0
        for code in chosen:
            bundle = programs[code]
            if not bundle.scenarios:
                self.stdout.write(f"{code}: no scenarios.yaml")
                failed += 1
                continue
            failures = check_scenarios(bundle.ruleset, bundle.scenarios)
            for failure in failures:
                self.stdout.write(f"FAIL {failure}")
            status = "ok" if not failures else f"{len(failures)} failed"
            count = len(bundle.scenarios)
            self.stdout.write(f"{code}: {count} scenario{'' if count == 1 else 's'}, {status}")
            failed += bool(failures)
        if failed:
            noun = "program" if failed == 1 else "programs"
            raise CommandError(f"{failed} {noun} with failing or missing scenarios")
        self.stdout.write(self.style.SUCCESS("Every scenario passes."))


def _ruleset(program: str, version: str) -> RuleSet:
    """The ruleset a VERSION names: a file, `current`, or a git revision of the repository."""
    current = Path(settings.PASSAGE_PROGRAMS_DIR) / program / "rules.yaml"
    try:
        if version == "current":
            return load_ruleset(current)
        # A version other than the one in force is compared on the interchange's English
        # only: one written before the French was required still reads.
        if Path(version).is_file():
            return load_ruleset(version, bilingual=False)
        # A fixed argument list: the revision is never read by a shell. `REV:./path` is
        # the file at that revision, relative to the folder git runs in.
        shown = subprocess.run(  # noqa: S603
            ["git", "show", f"{version}:./rules.yaml"],  # noqa: S607
            cwd=current.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode != 0:
            raise CommandError(
                f"{version!r} is neither a rules file nor a git revision holding "
                f"{program}/rules.yaml: {shown.stderr.strip()}",
                returncode=2,
            )
        with tempfile.TemporaryDirectory() as directory:
            copy = Path(directory) / "rules.yaml"
            copy.write_text(shown.stdout, encoding="utf-8")
            return load_ruleset(copy, bilingual=False)
    except RuleSetError as error:
        raise CommandError(f"{version}: {error}", returncode=2) from error


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None
