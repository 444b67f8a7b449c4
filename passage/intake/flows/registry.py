"""The flows of the programs in `PASSAGE_PROGRAMS_DIR`, read once per process."""

from functools import cache
from pathlib import Path

from django.conf import settings

from passage.intake.flows.schema import Flow, load_flows


@cache
def _flows(directory: str) -> dict[str, Flow]:
    return load_flows(Path(directory))


def all_flows() -> dict[str, Flow]:
    return _flows(str(settings.PASSAGE_PROGRAMS_DIR))


def flow_for(program: str) -> Flow | None:
    """The question flow of a program, or None when it has none."""
    return all_flows().get(program)
