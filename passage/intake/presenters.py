"""The view models of the applicant portal's pages (`passage.intake.views`): what each
page shows, built from the draft, its flow's state (`flows.state.evaluate`, once per
request), and the reads of `drafts` and `selectors`, in the reader's language.

Views parse the form, call the draft services, call one function here and render. The
names of the form's buttons and inputs are shared with the views that read them back:
`ACTION_REMOVE`, and the `<question>-<row>-<field>` and `<prefix>-day|month|year` inputs
that `flows.engine.parse_page` reads.
"""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.status import CaseStatus, PartyRole
from passage.intake import drafts, selectors
from passage.intake.flows import engine
from passage.intake.flows.messages import (
    country_choices,
    display_answer,
    error_message,
    row_name,
)
from passage.intake.flows.state import FlowState
from passage.intake.models import Draft
from passage.intake.representation import person_name
from passage.pagination import page_links
from passage.programs.questions import Page, Question

# The value of a person's "Remove" button: `remove-<question>-<row>`.
ACTION_REMOVE = "remove-"


# --- Where the pages lead -------------------------------------------------------------------


def page_url(draft: Draft, page_id: str | None) -> str:
    """A page of questions of the draft; check your answers for None."""
    if page_id is None:
        return reverse("intake:check", kwargs={"draft_id": draft.public_id})
    return reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": page_id})


def documents_url(draft: Draft) -> str:
    return reverse("intake:documents", kwargs={"draft_id": draft.public_id})


def after_questions_url(draft: Draft) -> str:
    """Where the person goes once the questions are answered: the documents page when the
    program asks for documents, else check your answers."""
    return documents_url(draft) if drafts.checklist(draft) else page_url(draft, None)


# --- Programs and "My applications" ---------------------------------------------------------


def program_rows(language: str) -> list[dict[str, str]]:
    """The programs open to applications, each with its code and name."""
    return [
        {"code": program.code, "name": program.name(language)} for program in drafts.open_programs()
    ]


APPLICATIONS_PER_PAGE = 25


def my_applications(
    person: User, language: str, *, filters: selectors.CaseFilters, page: str
) -> dict[str, Any]:
    """The person's drafts (their own, and those they fill in for a client), and one page
    of the submitted applications they are part of, narrowed by `filters`: each with the
    client's name and who prepared it."""
    rows = [
        {
            "draft": draft,
            "client": person_name(draft.owner) if draft.owner_id != person.pk else None,
            "program": draft.program.name(language),
            "reference": draft.case.reference if draft.case else None,
            "continue_url": reverse("intake:resume", kwargs={"draft_id": draft.public_id}),
        }
        for draft in drafts.drafts_of(person)
    ]
    paginator = Paginator(
        selectors.applications_of(person=person, filters=filters), APPLICATIONS_PER_PAGE
    )
    shown = paginator.get_page(page)
    clients = [
        {"id": row.pk, "name": person_name(row.client)} for row in selectors.clients_of(person)
    ]
    query = {
        name: value
        for name, value in (
            ("client", "" if filters.client is None else str(filters.client)),
            ("program", filters.program),
            ("status", filters.status),
            ("q", filters.search),
        )
        if value
    }
    return {
        "rows": rows,
        "submitted": [_submitted_row(case, person, language) for case in shown],
        "page": shown,
        "pages": page_links(shown, query),
        "filtered": bool(query),
        "filters": filters,
        "clients": clients,
        "programs": program_rows(language),
        "statuses": [{"value": value, "label": label} for value, label in CaseStatus.choices],
        "is_representative": person.has_role(Role.REPRESENTATIVE),
    }


def _submitted_row(case: Case, person: User, language: str) -> dict[str, Any]:
    application = case.application
    submitter = application.submitted_by
    if submitter.pk == person.pk:
        prepared_by = _("You")
    elif case.submitted_by_client and case.party_role == PartyRole.REPRESENTATIVE:  # type: ignore[attr-defined]
        prepared_by = _("Your client")
    else:
        prepared_by = person_name(submitter)
    return {
        "case_id": case.public_id,
        "reference": case.reference,
        "client": f"{application.given_name} {application.family_name}",
        "prepared_by": prepared_by,
        "program": case.program.name(language),
        "status": str(CaseStatus(case.status).label),
        "received_at": case.received_at,
        "role": str(PartyRole(case.party_role).label),  # type: ignore[attr-defined]
    }


# --- A page of questions --------------------------------------------------------------------


def question_page(
    draft: Draft,
    state: FlowState,
    current: Page,
    *,
    inputs: dict[str, str],
    errors: list[engine.FieldError],
    language: str,
    action_url: str,
    changing: bool,
    adding: bool,
) -> dict[str, Any]:
    """One page of questions with what was typed (`inputs`) and the errors, each next to
    its question (or its field, for one field of one row of people) and in the summary."""
    flow = state.flow
    by_question: dict[str, list[str]] = {}
    by_field: dict[tuple[str, int, str], str] = {}
    summary = []
    for error in errors:
        question = flow.question(error.question)
        assert question is not None
        text = error_message(flow, question, error)
        if "field" in error.params:
            by_field[(question.id, error.params["row"], error.params["field"])] = text
        else:
            by_question.setdefault(question.id, []).append(text)
        summary.append({"anchor": error.anchor, "text": text})
    questions = [
        question_context(
            question,
            inputs,
            by_question.get(question.id, []),
            language,
            field_errors={
                (row, name): text
                for (asked, row, name), text in by_field.items()
                if asked == question.id
            },
            adding=adding,
        )
        for question in state.questions_of(current)
    ]
    previous = state.previous(current)
    if changing:
        back = page_url(draft, None)
    elif previous is not None:
        back = page_url(draft, previous.id)
    else:
        back = reverse("intake:programs")
    return {
        "draft": draft,
        "program": draft.program.name(language),
        "page": current,
        "title": current.title.get(language),
        "questions": questions,
        "errors": summary,
        "back_url": back,
        "action_url": action_url,
        "single": len(questions) == 1,
        "has_rows": any(question["type"] == "people" for question in questions),
    }


def question_context(
    question: Question,
    inputs: dict[str, str],
    errors: list[str],
    language: str,
    *,
    field_errors: dict[tuple[int, str], str],
    adding: bool,
) -> dict[str, Any]:
    """What `intake/includes/question.html` needs to draw one question with what was
    typed and its errors (the online pages and the paper form's page both draw them)."""
    context: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "label": question.label.get(language),
        "hint": question.hint.get(language) if question.hint else "",
        "required": question.required,
        "errors": errors,
        "value": inputs.get(question.id, ""),
        "birth": question.field == "date_of_birth",
    }
    if question.type == "date":
        context["parts"] = _date_parts(question.id, inputs)
    elif question.type == "choice":
        context["options"] = [
            {
                "value": option.value,
                "label": option.label.get(language),
                "id": f"{question.id}-{option.value}",
            }
            for option in question.options
        ]
    elif question.type == "yes-no":
        context["options"] = [
            {"value": "yes", "label": _("Yes"), "id": f"{question.id}-yes"},
            {"value": "no", "label": _("No"), "id": f"{question.id}-no"},
        ]
    elif question.type == "country":
        context["options"] = [{"value": code, "label": name} for code, name in country_choices()]
    elif question.type == "periods":
        rows = engine.period_rows(question, inputs) + 1  # and an empty row to add one
        context["credited"] = question.credited.get(language) if question.credited else ""
        context["rows"] = [
            {
                "number": index + 1,
                "prefix": f"{question.id}-{index}",
                "from": _date_parts(f"{question.id}-{index}-from", inputs),
                "to": _date_parts(f"{question.id}-{index}-to", inputs),
                "credited_checked": inputs.get(f"{question.id}-{index}-credited") == "yes",
            }
            for index in range(rows)
        ]
    elif question.type == "people":
        context.update(_people(question, inputs, field_errors, language, adding))
    return context


def _people(
    question: Question,
    inputs: dict[str, str],
    field_errors: dict[tuple[int, str], str],
    language: str,
    adding: bool,
) -> dict[str, Any]:
    """The rows of a people question: those given, and an empty one when there are none
    or the person asked to add one, up to the most the question takes."""
    count = engine.people_rows(question, inputs)
    if count == 0 or adding:
        count += 1
    count = min(count, question.max_rows)
    rows = []
    for index in range(count):
        prefix = f"{question.id}-{index}"
        number = index + 1
        relationship = inputs.get(f"{prefix}-relationship", "")
        rows.append(
            {
                "number": number,
                "name": row_name(question, number),
                "prefix": prefix,
                "remove": f"{ACTION_REMOVE}{question.id}-{index}",
                "names": [
                    {
                        "id": f"{prefix}-{name}",
                        "label": label,
                        "value": inputs.get(f"{prefix}-{name}", ""),
                        "error": field_errors.get((number, name), ""),
                    }
                    for name, label in (
                        ("given_name", _("Given names")),
                        ("family_name", _("Family name")),
                    )
                ],
                "birth": {
                    "id": f"{prefix}-date_of_birth",
                    "parts": _date_parts(f"{prefix}-date_of_birth", inputs),
                    "error": field_errors.get((number, "date_of_birth"), ""),
                },
                "relationship": {
                    "id": f"{prefix}-relationship",
                    "error": field_errors.get((number, "relationship"), ""),
                    "options": [
                        {
                            "value": option.value,
                            "label": option.label.get(language),
                            "id": f"{prefix}-relationship-{option.value}",
                            "checked": option.value == relationship,
                        }
                        for option in question.options
                    ],
                },
            }
        )
    return {
        "rows": rows,
        "row_noun": question.row.get(language) if question.row else "",
        "add_label": question.add.get(language) if question.add else "",
        "relationship_label": question.relationship.get(language) if question.relationship else "",
        "can_add": count < question.max_rows,
        "max_rows": question.max_rows,
    }


def _date_parts(prefix: str, inputs: dict[str, str]) -> list[dict[str, str]]:
    names = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
    return [
        {
            "id": f"{prefix}-{part}",
            "label": label,
            "value": inputs.get(f"{prefix}-{part}", ""),
            "part": part,
        }
        for part, label in names.items()
    ]


# --- Documents, check your answers, confirmation --------------------------------------------


def documents_page(
    draft: Draft, state: FlowState, errors: dict[str, str], language: str
) -> dict[str, Any]:
    """One file input per item of the program's checklist, with the document uploaded
    for it, if any, and the reason a file sent for it was refused."""
    uploaded = drafts.draft_documents(draft)
    rows = [
        {
            "kind": item.kind,
            "id": f"document-{item.kind}",
            "name": item.name(language),
            "hint": item.hint(language),
            "required": item.required,
            "error": errors.get(item.kind, ""),
            "document": uploaded.get(item.kind),
        }
        for item in drafts.checklist(draft)
    ]
    return {
        "draft": draft,
        "program": draft.program.name(language),
        "rows": rows,
        "errors": [
            {"anchor": row["id"], "text": f"{row['name']}: {row['error']}"}
            for row in rows
            if row["error"]
        ],
        "back_url": page_url(draft, state.visible_pages[-1].id),
        "max_mb": settings.PASSAGE_MAX_DOCUMENT_BYTES // (1024 * 1024),
    }


def check_page(
    draft: Draft, state: FlowState, errors: list[dict[str, str]], language: str
) -> dict[str, Any]:
    """Every question shown with its answer and a link to change it, page by page, then
    the documents: all from the one evaluation of the answers in `state`."""
    rows = [
        {
            "label": question.label.get(language),
            "value": display_answer(question, state.kept.get(question.id)),
            "change_url": page_url(draft, shown.page.id) + "?change=1",
        }
        for shown in state.pages
        for question in shown.questions
    ]
    uploaded = drafts.draft_documents(draft)
    documents = documents_url(draft)
    document_rows = [
        {
            "label": item.name(language),
            "value": uploaded[item.kind].filename
            if item.kind in uploaded
            else (_("Not uploaded") if item.required else _("Not provided")),
            "change_url": documents,
        }
        for item in drafts.checklist(draft)
    ]
    return {
        "draft": draft,
        "program": draft.program.name(language),
        "rows": rows,
        "documents": document_rows,
        "errors": errors,
        "back_url": documents if document_rows else page_url(draft, state.visible_pages[-1].id),
    }


def confirmation_page(draft: Draft, language: str) -> dict[str, Any]:
    """The reference of a submitted draft's case, and where the confirmation went."""
    assert draft.case is not None
    return {
        "draft": draft,
        "program": draft.program.name(language),
        "reference": draft.case.reference,
        "case_id": draft.case.public_id,
        "email": draft.case.application.email,
        "service_standard_days": draft.program.service_standard_days,
    }
