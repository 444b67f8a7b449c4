"""Complete answers for each program's flow, as the flow stores them (question id ->
answer in its interchange shape), for a person who meets every criterion: the `example:`
of each program's questions.yaml, so that a new program brings its own."""

import copy
from pathlib import Path
from typing import Any

from passage.programs import ProgramBundle, read_programs

PROGRAMS = Path(__file__).resolve().parents[3] / "programs"
# Every program of the repository's programs folder, by code.
BUNDLES: dict[str, ProgramBundle] = read_programs(PROGRAMS)

ANSWERS: dict[str, dict[str, Any]] = {
    code: bundle.flow.example.answers_copy()
    for code, bundle in BUNDLES.items()
    if bundle.flow is not None and bundle.flow.example is not None
}


def programs_with_a_flow(*, open_only: bool = False) -> list[str]:
    """The codes of the programs that have a question flow, sorted; with `open_only`,
    those also open for applications."""
    return sorted(
        code
        for code, bundle in BUNDLES.items()
        if bundle.flow is not None and (bundle.definition.open_for_applications or not open_only)
    )


def answers_for(program: str, **overrides: Any) -> dict[str, Any]:
    """The program's example answers (a copy to change), with `overrides`."""
    return {**copy.deepcopy(ANSWERS[program]), **overrides}
