"""The applicant portal's pages: programs to apply to, one page per question page, the
documents of the program's checklist, check your answers, declaration and submission,
confirmation, and "My applications".

Plain forms, POST then redirect then GET: everything works without JavaScript. Views
parse the form with the flow engine, call the draft services and render; a draft that
is not the person's own is a 404, as a missing one.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage import clock
from passage.accounts.models import User
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, StaleVersion
from passage.intake import drafts, selectors
from passage.intake.documents import too_large_message
from passage.intake.flows import engine
from passage.intake.flows.messages import (
    country_choices,
    display_answer,
    error_message,
    row_name,
)
from passage.intake.models import Draft
from passage.intake.representation import person_name
from passage.languages import active_language
from passage.programs.questions import Flow, Page, Question

ACTION_CONTINUE = "continue"
ACTION_LATER = "later"
ACTION_ADD = "add"
ACTION_REMOVE = "remove-"


def _draft(request: HttpRequest, draft_id: UUID) -> Draft:
    try:
        return drafts.get_draft(person=person_of(request), draft_id=draft_id)
    except drafts.DraftNotFound:
        raise Http404 from None


def _page_url(draft: Draft, page_id: str | None) -> str:
    if page_id is None:
        return reverse("intake:check", kwargs={"draft_id": draft.public_id})
    return reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": page_id})


def _after_questions_url(draft: Draft) -> str:
    """Where the person goes once the questions are answered: the documents page when the
    program asks for documents, else check your answers."""
    if drafts.checklist(draft):
        return reverse("intake:documents", kwargs={"draft_id": draft.public_id})
    return _page_url(draft, None)


@login_required
def programs(request: HttpRequest) -> HttpResponse:
    """The programs a person can apply to."""
    language = active_language()
    rows = [
        {"code": program.code, "name": program.name(language)} for program in drafts.open_programs()
    ]
    return render(request, "intake/programs.html", {"programs": rows})


@login_required
@require_POST
def start(request: HttpRequest, program: str) -> HttpResponse:
    try:
        draft = drafts.start_draft(person=person_of(request), program_code=program)
    except drafts.DraftNotFound:
        raise Http404 from None
    return redirect(_page_url(draft, draft.current_page))


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    language = active_language()
    person = person_of(request)
    rows = []
    for draft in drafts.drafts_of(person):
        rows.append(
            {
                "draft": draft,
                "client": person_name(draft.owner) if draft.owner_id != person.pk else None,
                "program": draft.program.name(language),
                "reference": draft.case.reference if draft.case else None,
                "continue_url": reverse("intake:resume", kwargs={"draft_id": draft.public_id}),
            }
        )
    submitted = selectors.submitted_applications(person=person, language=language)
    return render(
        request,
        "intake/my_applications.html",
        {
            "rows": rows,
            "submitted": submitted,
            "is_representative": person.has_role(Role.REPRESENTATIVE),
        },
    )


@login_required
def resume(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """Go back to where the person was: the first page not answered, or check answers."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    left = drafts.resume_page(draft)
    if left is None and drafts.missing_documents(draft):
        return redirect(_after_questions_url(draft))
    return redirect(_page_url(draft, left))


@login_required
def page(request: HttpRequest, draft_id: UUID, page_id: str) -> HttpResponse:
    """One page of questions. Besides "Save and continue" and "Save and come back
    later", a page with rows (periods, people) has "Save and add another" and, for
    people, a "Remove" button on each row: plain buttons, nothing needs JavaScript."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    flow = drafts.draft_flow(draft)
    today = clock.now().date()
    current = flow.page(page_id)
    if current is None or not engine.is_shown(flow, current, draft.answers, on=today):
        raise Http404
    changing = request.GET.get("change") == "1"
    if request.method != "POST":
        inputs: dict[str, str] = {}
        for question in current.questions:
            inputs.update(engine.answer_inputs(question, draft.answers.get(question.id)))
        adding = request.GET.get("add") == "1"
        return _render_page(
            request, draft, flow, current, inputs, [], changing=changing, adding=adding
        )

    data = _form_data(request.POST)
    action = request.POST.get("action", ACTION_CONTINUE)
    removing = _row_to_remove(flow, current, action)
    if removing is not None:
        return _remove_row(request, draft, flow, current, data, removing, changing=changing)
    result = engine.parse_page(flow, current, data, draft.answers, today=today)
    # "Save and come back later" keeps the valid answers and leaves the others empty.
    values = result.values
    if action != ACTION_LATER and not result.valid:
        return _render_page(
            request, draft, flow, current, result.raw, result.errors, changing=changing, status=400
        )
    saved = _save(request, draft, current, values, stay=action in (ACTION_LATER, ACTION_ADD))
    if isinstance(saved, HttpResponse):
        return saved
    draft = saved
    if action == ACTION_LATER:
        messages.success(
            request,
            _(
                "Your answers are saved. Come back to “My applications” to continue; "
                "unanswered questions stay empty."
            ),
        )
        return redirect("intake:my-applications")
    if action == ACTION_ADD:
        query = ["change=1"] if changing else []
        if any(question.type == "people" for question in current.questions):
            query.append("add=1")  # people rows show an empty one only when asked
        anchor = _last_row_anchor(current, values)
        suffix = f"?{'&'.join(query)}" if query else ""
        return redirect(f"{_page_url(draft, current.id)}{suffix}#{anchor}")
    if changing:
        missing = engine.first_unanswered(flow, draft.answers, on=today)
        return redirect(_page_url(draft, missing.id if missing else None))
    following = engine.next_page(flow, draft.answers, after=current.id, on=today)
    if following is None:
        return redirect(_after_questions_url(draft))
    return redirect(_page_url(draft, following.id))


def _save(
    request: HttpRequest, draft: Draft, current: Page, values: dict[str, Any], *, stay: bool
) -> Draft | HttpResponse:
    """Save the page's values; a response when they could not be (another window saved
    first, or the application was submitted meanwhile)."""
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    try:
        return drafts.save_page(
            person=person_of(request),
            draft_id=draft.public_id,
            page_id=current.id,
            values=values,
            expected_version=version,
            stay=stay,
        )
    except StaleVersion as error:
        messages.error(request, error.message)
        return redirect(_page_url(draft, current.id))
    except drafts.DraftSubmitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)


def _row_to_remove(flow: Flow, current: Page, action: str) -> tuple[Question, int] | None:
    """The people question and row a "Remove" button names (`remove-<question>-<row>`)."""
    if not action.startswith(ACTION_REMOVE):
        return None
    question_id, _sep, row = action.removeprefix(ACTION_REMOVE).rpartition("-")
    question = flow.question(question_id)
    if question is None or question not in current.questions or question.type != "people":
        return None
    if not (row.isascii() and row.isdigit()) or int(row) > question.max_rows:
        return None
    return question, int(row)


def _remove_row(
    request: HttpRequest,
    draft: Draft,
    flow: Flow,
    current: Page,
    data: dict[str, str],
    removing: tuple[Question, int],
    *,
    changing: bool,
) -> HttpResponse:
    """Take one person off the list. When the rows left are complete, they are saved and
    the page shown again; else the page is shown again with what is left to put right
    (an empty list is no mistake here: the person may be about to add someone else)."""
    question, row = removing
    prefix = f"{question.id}-{row}"
    removed = " ".join(
        data.get(f"{prefix}-{name}", "").strip() for name in ("given_name", "family_name")
    ).strip()
    data = engine.without_row(question, data, row)
    result = engine.parse_page(flow, current, data, draft.answers, today=clock.now().date())
    errors = [
        error
        for error in result.errors
        if not (error.question == question.id and error.code == "people_required")
    ]
    if errors:
        return _render_page(
            request, draft, flow, current, result.raw, errors, changing=changing, status=400
        )
    values = {**result.values, question.id: result.values.get(question.id) or []}
    saved = _save(request, draft, current, values, stay=True)
    if isinstance(saved, HttpResponse):
        return saved
    if removed:
        messages.success(request, _("%(name)s was removed from the list.") % {"name": removed})
    query = "?change=1" if changing else ""
    return redirect(f"{_page_url(saved, current.id)}{query}#{question.id}")


def _last_row_anchor(current: Page, values: dict[str, Any]) -> str:
    for question in current.questions:
        if question.type == "periods":
            return f"{question.id}-{len(values.get(question.id) or [])}-from-day"
        if question.type == "people":
            return f"{question.id}-{len(values.get(question.id) or [])}-given_name"
    return "main-content"


def _form_data(post: QueryDict) -> dict[str, str]:
    return {key: post.get(key, "") for key in post if key not in ("csrfmiddlewaretoken",)}


def _render_page(
    request: HttpRequest,
    draft: Draft,
    flow: Flow,
    current: Page,
    inputs: dict[str, str],
    errors: list[engine.FieldError],
    *,
    changing: bool,
    adding: bool = False,
    status: int = 200,
) -> HttpResponse:
    language = active_language()
    today = clock.now().date()
    by_question: dict[str, list[str]] = {}
    # Errors of one field of one row of people, shown next to that field.
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
        _question_context(
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
        for question in current.questions
        if engine.question_shown(flow, question, draft.answers, on=today)
    ]
    previous = engine.previous_page(flow, draft.answers, before=current.id, on=today)
    if changing:
        back = _page_url(draft, None)
    elif previous is not None:
        back = _page_url(draft, previous.id)
    else:
        back = reverse("intake:programs")
    context = {
        "draft": draft,
        "program": draft.program.name(language),
        "page": current,
        "title": current.title.get(language),
        "questions": questions,
        "errors": summary,
        "back_url": back,
        "action_url": _action_url(request),
        "single": len(questions) == 1,
        "has_rows": any(q["type"] == "people" for q in questions),
    }
    return render(request, "intake/page.html", context, status=status)


def _action_url(request: HttpRequest) -> str:
    """Where the form is sent: this page, keeping "change" but not "add" (sending the form
    again shows the rows sent, not one more)."""
    query = "?change=1" if request.GET.get("change") == "1" else ""
    return f"{request.path}{query}"


def _question_context(
    question: Question,
    inputs: dict[str, str],
    errors: list[str],
    language: str,
    *,
    field_errors: dict[tuple[int, str], str] | None = None,
    adding: bool = False,
) -> dict[str, Any]:
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
        context.update(_people_context(question, inputs, field_errors or {}, language, adding))
    return context


def _people_context(
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


@login_required
def documents(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """One file input per item of the program's checklist. Each file sent is checked,
    scanned and stored on its own: a refused file is explained next to its input and
    leaves nothing behind, the others are kept. "Remove" takes a document off."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    flow = drafts.draft_flow(draft)
    missing = engine.incomplete_pages(flow, draft.answers, on=clock.now().date())
    if missing:
        return redirect(_page_url(draft, missing[0].id))
    items = drafts.checklist(draft)
    if not items:
        return redirect(_page_url(draft, None))
    errors: dict[str, str] = {}
    if request.method == "POST":
        person = person_of(request)
        removing = request.POST.get("remove", "")
        if removing:
            drafts.remove_document(person=person, draft_id=draft.public_id, kind=removing)
            messages.success(request, _("The document was removed."))
            return redirect("intake:documents", draft_id=draft.public_id)
        for item in items:
            upload = request.FILES.get(f"document-{item.kind}")
            if upload is None:
                continue
            message = _upload(person, draft, item.kind, upload)
            if message:
                errors[item.kind] = message
        action = request.POST.get("action", ACTION_CONTINUE)
        if not errors and action == ACTION_LATER:
            messages.success(request, _("Your documents are saved."))
            return redirect("intake:my-applications")
        if not errors:
            language = active_language()
            for item in drafts.missing_documents(draft):
                errors[item.kind] = _("Upload a file for “%(document)s”.") % {
                    "document": item.name(language)
                }
        if not errors:
            return redirect(_page_url(draft, None))
    return _render_documents(request, draft, flow, errors)


def _upload(person: User, draft: Draft, kind: str, upload: UploadedFile) -> str:
    """Add one uploaded file to the draft; the reason it was refused, or ""."""
    if (upload.size or 0) > settings.PASSAGE_MAX_DOCUMENT_BYTES:
        return too_large_message()  # refused before it is read into memory
    try:
        drafts.add_document(
            person=person,
            draft_id=draft.public_id,
            kind=kind,
            filename=upload.name or "",
            content=upload.read(),
        )
    except InvalidRequest as error:
        return error.message
    return ""


def _render_documents(
    request: HttpRequest, draft: Draft, flow: Flow, errors: dict[str, str]
) -> HttpResponse:
    language = active_language()
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
    last = engine.visible_pages(flow, draft.answers, on=clock.now().date())[-1]
    context = {
        "draft": draft,
        "program": draft.program.name(language),
        "rows": rows,
        "errors": [
            {"anchor": row["id"], "text": f"{row['name']}: {row['error']}"}
            for row in rows
            if row["error"]
        ],
        "back_url": _page_url(draft, last.id),
        "max_mb": settings.PASSAGE_MAX_DOCUMENT_BYTES // (1024 * 1024),
    }
    return render(request, "intake/documents.html", context, status=400 if errors else 200)


@login_required
def check(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """Check your answers, the declaration, and submit."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    flow = drafts.draft_flow(draft)
    today = clock.now().date()
    missing = engine.incomplete_pages(flow, draft.answers, on=today)
    if missing:
        return redirect(_page_url(draft, missing[0].id))
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        if request.POST.get("declaration") != "yes":
            errors.append(
                {
                    "anchor": "declaration",
                    "text": _("Confirm the declaration to submit your application"),
                }
            )
            status = 400
        else:
            try:
                drafts.submit_draft(person=person_of(request), draft_id=draft.public_id)
            except InvalidRequest as error:
                # The program closed, or a typed field was refused: say so, there is no
                # field on this page to link to.
                errors.append({"anchor": "main-content", "text": error.message})
                found = error.details.get("errors")
                if isinstance(found, dict):
                    errors.extend(
                        {"anchor": "main-content", "text": str(m)} for m in found.values()
                    )
                status = 400
            else:
                return redirect("intake:confirmation", draft_id=draft.public_id)
    language = active_language()
    kept = engine.current_answers(flow, draft.answers, on=today)
    sections = []
    for current in engine.visible_pages(flow, draft.answers, on=today):
        rows = []
        for question in current.questions:
            if not engine.question_shown(flow, question, draft.answers, on=today):
                continue
            rows.append(
                {
                    "label": question.label.get(language),
                    "value": display_answer(question, kept.get(question.id)),
                    "change_url": _page_url(draft, current.id) + "?change=1",
                }
            )
        sections.extend(rows)
    last = engine.visible_pages(flow, draft.answers, on=today)[-1]
    uploaded = drafts.draft_documents(draft)
    documents_url = reverse("intake:documents", kwargs={"draft_id": draft.public_id})
    document_rows = [
        {
            "label": item.name(language),
            "value": uploaded[item.kind].filename
            if item.kind in uploaded
            else (_("Not uploaded") if item.required else _("Not provided")),
            "change_url": documents_url,
        }
        for item in drafts.checklist(draft)
    ]
    context = {
        "draft": draft,
        "program": draft.program.name(language),
        "rows": sections,
        "documents": document_rows,
        "errors": errors,
        "back_url": documents_url if document_rows else _page_url(draft, last.id),
    }
    return render(request, "intake/check.html", context, status=status)


@login_required
def confirmation(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    if draft.case is None:
        return redirect("intake:resume", draft_id=draft.public_id)
    application = draft.case.application
    context = {
        "draft": draft,
        "program": draft.program.name(active_language()),
        "reference": draft.case.reference,
        "email": application.email,
        "service_standard_days": draft.program.service_standard_days,
    }
    return render(request, "intake/confirmation.html", context)


@login_required
def delete(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    if request.method == "POST":
        drafts.discard_draft(person=person_of(request), draft_id=draft.public_id)
        messages.success(request, _("The application was deleted."))
        return redirect("intake:my-applications")
    context = {"draft": draft, "program": draft.program.name(active_language())}
    return render(request, "intake/delete.html", context)
