"""The applicant portal's pages: programs to apply to, one page per question page, the
documents of the program's checklist, check your answers, declaration and submission,
confirmation, and "My applications".

Plain forms, POST then redirect then GET: everything works without JavaScript. Views
parse the form with the flow engine, call the draft services, and render what
`presenters` builds for the page; a draft that is not the person's own is a 404, as a
missing one (`drafts.DraftNotFound`, answered by the page gate as every "not found").
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from passage import clock
from passage.accounts.access import gate, holds_any
from passage.accounts.models import User
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, StaleVersion
from passage.intake import drafts, presenters, selectors
from passage.intake.documents import too_large_message
from passage.intake.flows import engine
from passage.intake.flows.state import FlowState, evaluate
from passage.intake.models import Draft
from passage.intake.presenters import ACTION_REMOVE, after_questions_url, page_url
from passage.intake.submitted_answers import submitted_answers_page
from passage.languages import active_language
from passage.programs.questions import Flow, Page, Question

ACTION_CONTINUE = "continue"
ACTION_LATER = "later"
ACTION_ADD = "add"
# Who may start an application: for themselves (applicant), for a relative (sponsor), or
# for a client (representative). No program is applied to by an employer; and staff, who
# count only their staff roles at the page gate, apply with a personal account.
APPLYING_ROLES = frozenset({Role.APPLICANT, Role.SPONSOR, Role.REPRESENTATIVE})


def _draft(request: HttpRequest, draft_id: UUID) -> Draft:
    return drafts.get_draft(person=person_of(request), draft_id=draft_id)


@gate(*APPLYING_ROLES)
def programs(request: HttpRequest) -> HttpResponse:
    """The programs a person can apply to."""
    rows = presenters.program_rows(active_language())
    return render(request, "intake/programs.html", {"programs": rows})


@gate(*APPLYING_ROLES)
@require_POST
def start(request: HttpRequest, program: str) -> HttpResponse:
    draft = drafts.start_draft(person=person_of(request), program_code=program)
    return redirect(page_url(draft, draft.current_page))


@gate()
def my_applications(request: HttpRequest) -> HttpResponse:
    """The person's drafts and applications; a representative narrows them by client,
    program or status, or searches a reference or a client's name (a plain GET form)."""
    client = request.GET.get("client", "")
    filters = selectors.CaseFilters(
        client=int(client) if client.isascii() and client.isdigit() and len(client) < 10 else None,
        program=request.GET.get("program", "")[:40],
        status=request.GET.get("status", "")[:20],
        search=request.GET.get("q", "")[:100],
    )
    context = presenters.my_applications(
        person_of(request), active_language(), filters=filters, page=request.GET.get("page", "")
    )
    context["can_apply"] = holds_any(person_of(request), APPLYING_ROLES)
    return render(request, "intake/my_applications.html", context)


@gate()
def resume(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """Go back to where the person was: the first page not answered, or check answers."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    left = drafts.resume_page(draft)
    if left is None and drafts.missing_documents(draft):
        return redirect(after_questions_url(draft))
    return redirect(page_url(draft, left))


@gate()
def page(request: HttpRequest, draft_id: UUID, page_id: str) -> HttpResponse:
    """One page of questions. Besides "Save and continue" and "Save and come back
    later", a page with rows (periods, people) has "Save and add another" and, for
    people, a "Remove" button on each row: plain buttons, nothing needs JavaScript."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    flow = drafts.draft_flow(draft)
    today = clock.now().date()
    state = evaluate(flow, draft.answers, on=today)
    current = flow.page(page_id)
    if current is None or not state.shows(current):
        raise Http404
    changing = request.GET.get("change") == "1"
    if request.method != "POST":
        inputs: dict[str, str] = {}
        for question in current.questions:
            inputs.update(engine.answer_inputs(question, draft.answers.get(question.id)))
        adding = request.GET.get("add") == "1"
        return _render_page(
            request, draft, state, current, inputs, [], changing=changing, adding=adding
        )

    data = _form_data(request.POST)
    action = request.POST.get("action", ACTION_CONTINUE)
    removing = _row_to_remove(flow, current, action)
    if removing is not None:
        return _remove_row(request, draft, state, current, data, removing, changing=changing)
    result = engine.parse_page(flow, current, data, draft.answers, today=today)
    # "Save and come back later" keeps the valid answers and leaves the others empty.
    values = result.values
    if action != ACTION_LATER and not result.valid:
        return _render_page(
            request, draft, state, current, result.raw, result.errors, changing=changing, status=400
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
        return redirect(f"{page_url(draft, current.id)}{suffix}#{anchor}")
    if changing:
        missing = engine.first_unanswered(flow, draft.answers, on=today)
        return redirect(page_url(draft, missing.id if missing else None))
    following = engine.next_page(flow, draft.answers, after=current.id, on=today)
    if following is None:
        return redirect(after_questions_url(draft))
    return redirect(page_url(draft, following.id))


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
        return redirect(page_url(draft, current.id))
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
    state: FlowState,
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
    result = engine.parse_page(state.flow, current, data, draft.answers, today=clock.now().date())
    errors = [
        error
        for error in result.errors
        if not (error.question == question.id and error.code == "people_required")
    ]
    if errors:
        return _render_page(
            request, draft, state, current, result.raw, errors, changing=changing, status=400
        )
    values = {**result.values, question.id: result.values.get(question.id) or []}
    saved = _save(request, draft, current, values, stay=True)
    if isinstance(saved, HttpResponse):
        return saved
    if removed:
        messages.success(request, _("%(name)s was removed from the list.") % {"name": removed})
    query = "?change=1" if changing else ""
    return redirect(f"{page_url(saved, current.id)}{query}#{question.id}")


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
    state: FlowState,
    current: Page,
    inputs: dict[str, str],
    errors: list[engine.FieldError],
    *,
    changing: bool,
    adding: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The page of questions, with what was typed and the errors in it."""
    context = presenters.question_page(
        draft,
        state,
        current,
        inputs=inputs,
        errors=errors,
        language=active_language(),
        action_url=_action_url(request),
        changing=changing,
        adding=adding,
    )
    return render(request, "intake/page.html", context, status=status)


def _action_url(request: HttpRequest) -> str:
    """Where the form is sent: this page, keeping "change" but not "add" (sending the form
    again shows the rows sent, not one more)."""
    query = "?change=1" if request.GET.get("change") == "1" else ""
    return f"{request.path}{query}"


@gate()
def documents(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """One file input per item of the program's checklist. Each file sent is checked,
    scanned and stored on its own: a refused file is explained next to its input and
    leaves nothing behind, the others are kept. "Remove" takes a document off."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    state = evaluate(drafts.draft_flow(draft), draft.answers, on=clock.now().date())
    if state.incomplete_pages:
        return redirect(page_url(draft, state.incomplete_pages[0].id))
    items = drafts.checklist(draft)
    if not items:
        return redirect(page_url(draft, None))
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
            return redirect(page_url(draft, None))
    context = presenters.documents_page(draft, state, errors, active_language())
    return render(request, "intake/documents.html", context, status=400 if errors else 200)


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


@gate()
def check(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """Check your answers, the declaration, and submit. The answers are evaluated once for
    the page (`flows.state.evaluate`), not once a question."""
    draft = _draft(request, draft_id)
    if draft.submitted:
        return redirect("intake:confirmation", draft_id=draft.public_id)
    state = evaluate(drafts.draft_flow(draft), draft.answers, on=clock.now().date())
    if state.incomplete_pages:
        return redirect(page_url(draft, state.incomplete_pages[0].id))
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
    context = presenters.check_page(draft, state, errors, active_language())
    return render(request, "intake/check.html", context, status=status)


@gate()
def confirmation(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    if draft.case is None:
        return redirect("intake:resume", draft_id=draft.public_id)
    context = presenters.confirmation_page(draft, active_language())
    return render(request, "intake/confirmation.html", context)


@gate()
@require_GET
def submitted_answers(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The answers of a submitted application, read-only, for the client who answered
    and their representatives; a 404 for anyone else."""
    record = selectors.submitted_record(person=person_of(request), case_id=case_id)
    context = submitted_answers_page(record, active_language())
    return render(request, "intake/submitted_answers.html", context)


@gate()
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
