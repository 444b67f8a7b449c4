"""The question flows of the programs in force (see `passage.intake.catalogue`)."""

from passage.intake.catalogue import current_programs
from passage.programs.questions import Flow


def flow_for(program: str) -> Flow | None:
    """The question flow of a program, or None when it has none."""
    bundle = current_programs().get(program)
    return bundle.flow if bundle is not None else None
