"""`passage triage`: the public interchange command (see docs/api.md and the spec).

    passage triage --input FILE.jsonl [--output FILE.jsonl] [--as-of YYYY-MM-DD]

JSON Lines in, one result line per input line out, in order. Exit status 0 when every
line was valid, 1 when at least one was not (its result carries "error"), 2 for a
usage error such as an unknown option or an unreadable file.
"""

import datetime
import json
import os
import sys
from argparse import ArgumentParser
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError

from passage.cli import open_stream
from passage.rules.loader import RuleSetError
from passage.rules.programs import triage_lines
from passage.triage.rulesets import current_rulesets

CHUNK_LINES = 20_000  # lines evaluated together: memory stays flat on large files


class Command(BaseCommand):
    help = "Triage applications given as JSON Lines and write one result line for each."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--input", default="-", help="JSON Lines file, or - for stdin")
        parser.add_argument("--output", default="-", help="JSON Lines file, or - for stdout")
        parser.add_argument(
            "--as-of", dest="as_of", help="YYYY-MM-DD, for rules whose facts carry no date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _parse_as_of(options["as_of"])
        try:
            rulesets = current_rulesets()
        except RuleSetError as error:
            raise CommandError(f"a ruleset could not be loaded: {error}", returncode=2) from error
        source = open_stream(options["input"], "r", sys.stdin)
        target = open_stream(options["output"], "w", sys.stdout)
        try:
            any_invalid = _triage(source, target, rulesets, as_of)
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        finally:
            if target is not sys.stdout:
                target.close()
            if source is not sys.stdin:
                source.close()
        if any_invalid:
            sys.exit(1)


def _triage(source: IO[str], target: IO[str], rulesets: dict[str, Any], as_of: Any) -> bool:
    """Write a result line for each input line; say whether any line was invalid."""
    any_invalid = False
    for chunk in _chunks(source):
        decoded = [_decode(text) for text in chunk]
        readable = [line for line in decoded if not isinstance(line, _Undecodable)]
        evaluated = iter(triage_lines(rulesets, readable, as_of))
        for line in decoded:
            if isinstance(line, _Undecodable):
                result = {"id": None, "error": line.message}
            else:
                result = next(evaluated)
            any_invalid |= "error" in result
            target.write(json.dumps(result, ensure_ascii=False) + "\n")
    return any_invalid


def _parse_as_of(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--as-of must be a date YYYY-MM-DD, not {text!r}", returncode=2
        ) from None


def _chunks(source: IO[str]) -> Iterator[list[str]]:
    lines = (line.rstrip("\n") for line in source)
    while chunk := list(islice(lines, CHUNK_LINES)):
        yield chunk


class _Undecodable:
    """Stands for a line that is not JSON, so that it gets its own error result."""

    def __init__(self, message: str) -> None:
        self.message = message


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return _Undecodable(f"not valid JSON: {error.msg} at column {error.colno}")
