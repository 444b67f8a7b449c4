"""Triage of a mixed batch of interchange lines, across programs.

This is the whole of `passage triage` without the input and output: lines of any
programs in, result lines out in the same order, each program's lines evaluated
together on the columnar path.
"""

import datetime
from collections import defaultdict
from typing import Any

from passage.rules.loader import RuleSet
from passage.rules.results import evaluate_batch


def triage_lines(
    rulesets: dict[str, RuleSet], lines: list[Any], as_of: datetime.date | None = None
) -> list[dict[str, Any]]:
    """The result line of each input line, in input order. A line that is not an object,
    or names no known program, gets `{"id": ..., "error": ...}`; so does an invalid one."""
    results: list[dict[str, Any] | None] = [None] * len(lines)
    by_program: dict[str, list[int]] = defaultdict(list)
    for position, line in enumerate(lines):
        if not isinstance(line, dict):
            results[position] = {"id": None, "error": "the line is not a JSON object"}
            continue
        program = line.get("program")
        if not isinstance(program, str) or program not in rulesets:
            known = ", ".join(sorted(rulesets))
            results[position] = {
                "id": line.get("id"),
                "error": f"unknown program {program!r}; known programs: {known}",
            }
            continue
        by_program[program].append(position)
    for program, positions in by_program.items():
        evaluated = evaluate_batch(rulesets[program], [lines[p] for p in positions], as_of)
        for position, result in zip(positions, evaluated, strict=True):
            results[position] = result
    return [result for result in results if result is not None]
