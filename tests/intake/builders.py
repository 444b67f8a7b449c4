"""Drafts filled in as a person going through the pages would."""

from typing import Any

from passage.accounts.models import User
from passage.intake import drafts
from passage.intake.catalogue import document_checklist
from passage.intake.flows.registry import flow_for
from passage.intake.models import Draft
from tests.builders import MINIMAL_PDF
from tests.intake.flows.answers import ANSWERS


def fill_draft(
    person: User, draft: Draft, program: str = "iec", answers: dict[str, Any] | None = None
) -> Draft:
    """Save every page of the draft and upload each required document, as `person`."""
    flow = flow_for(program)
    assert flow is not None
    answers = answers or ANSWERS[program]
    for page in flow.pages:
        values = {q.id: answers[q.id] for q in page.questions if q.id in answers}
        if values:
            draft = drafts.save_page(
                person=person,
                draft_id=draft.public_id,
                page_id=page.id,
                values=values,
                expected_version=draft.version,
            )
    for item in document_checklist(program):
        if item.required:
            drafts.add_document(
                person=person,
                draft_id=draft.public_id,
                kind=item.kind,
                filename=f"{item.kind}.pdf",
                content=MINIMAL_PDF,
            )
    return draft
