"""The paper forms in force: one for each program whose folder has a `paper.yaml`."""

from passage.intake.catalogue import current_programs
from passage.paper.document import FormDefinition


def form_definitions() -> dict[str, FormDefinition]:
    """Every paper form of the programs in force, by form code (`cit-grant-adult`)."""
    found: dict[str, FormDefinition] = {}
    for bundle in current_programs().values():
        if bundle.paper is not None and bundle.flow is not None:
            found[bundle.paper.code] = FormDefinition(paper=bundle.paper, flow=bundle.flow)
    return found


def definition_for(code: str) -> FormDefinition | None:
    """The paper form with this code, or None."""
    return form_definitions().get(code)
