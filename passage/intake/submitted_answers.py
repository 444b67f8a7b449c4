"""What the page of a submitted application's answers shows: each question that was
asked and its answer, page by page, in the reader's language, read-only. The answers are
the ones recorded at submission (`selectors.submitted_record`), asked again of the
program's question flow to find the questions they answer."""

from typing import Any

from passage.intake.flows import engine
from passage.intake.flows.messages import display_answer
from passage.intake.flows.registry import flow_for
from passage.intake.flows.state import evaluate
from passage.intake.selectors import SubmittedRecord


def submitted_answers_page(record: SubmittedRecord, language: str) -> dict[str, Any]:
    """The application's program, reference and submission time, and its questions with
    their answers, grouped under the title of the page that asked them."""
    application = record.application
    sections: list[dict[str, Any]] = []
    flow = flow_for(record.case.program.code)
    if flow is not None:
        fields = {
            name: getattr(application, name)
            for name in ("given_name", "family_name", "date_of_birth", "citizenship", "email")
        } | {"category": application.category, "preferred_language": application.preferred_language}
        answers = engine.answers_of_submission(flow, fields, record.answers)
        # The day the answers were checked on when submitted (`views.check`).
        state = evaluate(flow, answers, on=application.submitted_at.date())
        for shown in state.pages:
            rows = [
                {
                    "label": question.label.get(language),
                    "value": display_answer(question, state.kept.get(question.id)),
                }
                for question in shown.questions
            ]
            if rows:
                sections.append({"title": shown.page.title.get(language), "rows": rows})
    return {
        "program": record.case.program.name(language),
        "reference": record.case.reference,
        "case_id": record.case.public_id,
        "submitted_at": application.submitted_at,
        "sections": sections,
    }
