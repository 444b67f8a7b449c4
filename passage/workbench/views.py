"""The officer's workbench pages: the queue, "take the next file", and the case page with
its actions. Each view parses a form, calls a service or a selector, and renders; the
services decide what is allowed. The supervisor's pages are in `supervision_views.py`.

Officers' pages need the officer role; a person who is not signed in is sent to sign in.
A case out of the person's reach (`selectors.reach_of`) is a 404, as a missing one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.models import User
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.errors import (
    CaseError,
    IdempotencyConflict,
    InvalidRequest,
    NotPermitted,
    StaleVersion,
    TransitionNotAllowed,
)
from passage.cases.models import Case
from passage.cases.services import CommandResult
from passage.cases.status import FINISHED_STEP_STATES, Step, StepState
from passage.languages import active_language
from passage.letters.models import DecisionLetter
from passage.letters.selectors import letters_of_case
from passage.letters.services import decision_digest, letter_it_would_send
from passage.tracker.selectors import tracker_view
from passage.workbench import selectors, services
from passage.workbench.forms import (
    CaseActionForm,
    ConflictForm,
    DecisionForm,
    EligibilityForm,
    NoteForm,
    RequestDocumentsForm,
    StepForm,
    TakeNextForm,
)
from passage.workbench.pages import forbidden, render_page
from passage.workbench.presenters.case import case_view
from passage.workbench.presenters.queue import officer_queue, queue_choices, queue_table
from passage.workbench.presenters.search import search_results

# --- The officer's queue ----------------------------------------------------------------


@gate(Role.OFFICER, Role.SUPERVISOR)
def queue(request: HttpRequest) -> HttpResponse:
    """The officer's open files, with the button that takes the next one."""
    person = person_of(request)
    if not person.has_role(Role.OFFICER):
        return redirect("workbench:overview")
    queue = officer_queue(person=person)
    filters, sort = queue_choices(request.GET)
    return render_page(
        request,
        "workbench/queue.html",
        {
            "queue": queue,
            "table": queue_table(queue, person=person, filters=filters, sort=sort),
            "take_next": TakeNextForm(),
        },
    )


@gate(Role.OFFICER, Role.SUPERVISOR)
def search(request: HttpRequest) -> HttpResponse:
    """The files within the person's reach found by reference, name or date of birth."""
    results = search_results(person=person_of(request), text=request.GET.get("q", ""))
    return render_page(request, "workbench/search.html", {"results": results})


@require_POST
@gate(Role.OFFICER)
def take_next(request: HttpRequest) -> HttpResponse:
    """Take the next file (the same key twice gives the same file), then open it."""
    form = TakeNextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This form is out of date. Reload the page and try again."))
        return redirect("workbench:queue")
    try:
        claim = services.claim_next_case(
            officer=person_of(request), idempotency_key=form.cleaned_data["idempotency_key"]
        )
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("workbench:queue")
    if claim.case is None:
        messages.info(
            request,
            _(
                "There is no file for you to take right now: no file in review is routed "
                "to you or covered by your skills."
            ),
        )
        return redirect("workbench:queue")
    messages.success(
        request, _("You took file %(reference)s.") % {"reference": claim.case.reference}
    )
    return redirect("workbench:case", case_id=claim.case.public_id)


# --- The case page and its actions --------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One action of the case page: its form, the service call, and what to say after."""

    form_class: type[CaseActionForm]
    run: Callable[[User, Case, Any], CommandResult]
    done: Callable[[Any], str]


def _command(person: User, case: Case, form: CaseActionForm) -> dict[str, Any]:
    """The keyword arguments every case command takes: which case, who, the form's
    idempotency key and the version of the case the person saw."""
    return {
        "case_id": case.public_id,
        "actor": person,
        "idempotency_key": form.cleaned_data["idempotency_key"],
        "expected_version": form.cleaned_data["expected_version"],
    }


def _request_documents(person: User, case: Case, form: RequestDocumentsForm) -> CommandResult:
    data = form.cleaned_data
    return cases.request_documents(
        **_command(person, case, form),
        step=data["step"],
        items=data["items"],
        due_on=data["due_on"],
        message=data["message"],
        statutory=data["statutory"],
    )


def _record_eligibility(person: User, case: Case, form: EligibilityForm) -> CommandResult:
    reasons = form.cleaned_data["reasons"]
    if case.blind_review:
        return cases.record_quality_review(
            **_command(person, case, form), eligible=form.eligible, reasons=reasons
        )
    return cases.record_step(
        **_command(person, case, form),
        step=Step.ELIGIBILITY,
        state=StepState.COMPLETED,
        eligible=form.eligible,
        note=reasons,
    )


def _record_step(person: User, case: Case, form: StepForm) -> CommandResult:
    data = form.cleaned_data
    return cases.record_step(
        **_command(person, case, form), step=data["step"], state=data["state"], note=data["note"]
    )


def _record_decision(person: User, case: Case, form: DecisionForm) -> CommandResult:
    data = form.cleaned_data
    return cases.record_decision(
        **_command(person, case, form),
        approve=form.approve,
        reasons=data["reasons"],
        legal_grounds=data["legal_grounds"],
        close_open_requests=form.closes_open_requests,
    )


def _add_note(person: User, case: Case, form: NoteForm) -> CommandResult:
    command = _command(person, case, form)
    # A note changes nothing an officer decided on: one written in another tab, or after
    # someone else acted on the file, is still added, never refused as out of date.
    del command["expected_version"]
    return cases.add_note(**command, text=form.cleaned_data["text"])


def _declare_conflict(person: User, case: Case, form: ConflictForm) -> CommandResult:
    command = _command(person, case, form)
    del command["expected_version"]  # a declaration never waits for the file to settle
    return cases.declare_conflict(
        **command, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"]
    )


ACTIONS: dict[str, Action] = {
    "documents": Action(
        RequestDocumentsForm,
        _request_documents,
        lambda form: _(
            "Documents requested. The client sees the step as waiting on them until they answer."
        ),
    ),
    "eligibility": Action(
        EligibilityForm,
        _record_eligibility,
        lambda form: (
            _("Eligibility recorded: requirements met.")
            if form.eligible
            else _("Eligibility recorded: requirements not met.")
        ),
    ),
    "step": Action(
        StepForm,
        _record_step,
        lambda form: (
            _("Step recorded: %(step)s, %(state)s.")
            % {
                "step": Step(form.cleaned_data["step"]).label,
                "state": StepState(form.cleaned_data["state"]).label,
            }
        ),
    ),
    "decision": Action(
        DecisionForm,
        _record_decision,
        lambda form: _("The file was approved.") if form.approve else _("The file was refused."),
    ),
    "note": Action(NoteForm, _add_note, lambda form: _("Note added.")),
    "conflict": Action(
        ConflictForm,
        _declare_conflict,
        lambda form: _(
            "Conflict of interest declared. The file and every file of the same client "
            "are out of your queue; another officer will handle them."
        ),
    ),
}


def _form_kwargs(name: str, person: User, case: Case) -> dict[str, Any]:
    """What each action form needs to know about the case and the person."""
    kwargs: dict[str, Any] = {"version": case.version}
    open_steps = [
        step for step in Step if StepState(getattr(case, step.value)) not in FINISHED_STEP_STATES
    ]
    if name == "documents":
        kwargs["steps"] = open_steps
        kwargs["today"] = timezone.localdate(clock.now())
    elif name == "step":
        kwargs["steps"] = [step for step in open_steps if step != Step.ELIGIBILITY]
    elif name == "decision":
        kwargs["may_refuse"] = person.has_role(Role.OFFICER)
        kwargs["open_requests"] = case.document_requests.open().count()
    return kwargs


@dataclass(frozen=True)
class FailedAction:
    """A form sent back with what the person typed, and why it was not done."""

    name: str
    data: QueryDict
    add_errors: Callable[[CaseActionForm], None]


@gate(Role.OFFICER, Role.SUPERVISOR, hide=True)
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The whole file, the rules' explanation, its history and notes, and the actions."""
    return _case_page(request, case_id)


def _case_page(
    request: HttpRequest,
    case_id: UUID,
    *,
    failed: FailedAction | None = None,
    status: int = 200,
    stale: bool = False,
    letter_preview: DecisionLetter | None = None,
) -> HttpResponse:
    person = person_of(request)
    try:
        view = case_view(person=person, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    forms: dict[str, CaseActionForm] = {
        name: action.form_class(**_form_kwargs(name, person, view.case))
        for name, action in ACTIONS.items()
    }
    failed_form = None
    if failed is not None:
        # Shown again with the case as it is now: a fresh key and the current version.
        failed_form = ACTIONS[failed.name].form_class.resubmittable(
            failed.data, **_form_kwargs(failed.name, person, view.case)
        )
        failed.add_errors(failed_form)
        forms[failed.name] = failed_form
    return render_page(
        request,
        "workbench/case.html",
        {
            "view": view,
            "case": view.case,
            # The tracker's own model of the case: exactly what its clients see.
            "client_view": tracker_view(
                person=person,
                case_id=case_id,
                now=clock.now(),
                language=active_language(),
            ),
            "forms": forms,
            "failed_form": failed_form,
            "error_forms": [failed_form] if failed_form is not None and failed_form.errors else [],
            "stale": stale,
            "letter_preview": letter_preview,
            "letters": letters_of_case(person=person, case_id=case_id),
        },
        status=status,
    )


def _act(request: HttpRequest, case_id: UUID, name: str) -> HttpResponse:
    person = person_of(request)
    action = ACTIONS[name]
    try:
        case = selectors.file_in_reach(person=person, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    form = action.form_class(request.POST, **_form_kwargs(name, person, case))
    if not form.is_valid():
        errors = {field: [str(text) for text in texts] for field, texts in form.errors.items()}
        return _case_page(
            request,
            case_id,
            failed=FailedAction(name, request.POST, lambda again: _add_errors(again, errors)),
            status=422,
        )
    if isinstance(form, DecisionForm):
        preview = _letter_preview(request, person, case, form)
        if preview is not None:
            return preview
    try:
        result = action.run(person, case, form)
    except StaleVersion as error:
        message = error.message
        return _case_page(
            request,
            case_id,
            failed=FailedAction(name, request.POST, lambda again: again.add_error(None, message)),
            status=409,
            stale=True,
        )
    except InvalidRequest as error:
        message, details = error.message, error.details.get("errors")
        return _case_page(
            request,
            case_id,
            failed=FailedAction(
                name, request.POST, lambda again: again.add_service_errors(message, details)
            ),
            status=422,
        )
    except (TransitionNotAllowed, IdempotencyConflict) as error:
        message = error.message
        return _case_page(
            request,
            case_id,
            failed=FailedAction(name, request.POST, lambda again: again.add_error(None, message)),
            status=error.http_status,
        )
    except NotPermitted as error:
        return forbidden(request, error)
    if result.replayed:
        messages.info(request, _("This was already done: nothing was recorded twice."))
    else:
        messages.success(request, action.done(form))
    if name == "conflict":
        return redirect("workbench:queue")  # the file is out of the person's reach now
    return redirect("workbench:case", case_id=case_id)


def _letter_preview(
    request: HttpRequest, person: User, case: Case, form: DecisionForm
) -> HttpResponse | None:
    """The case page with the letter the decision would send, while the officer has not
    read that very letter (asked for its preview, or changed the decision since); None
    when the decision can go, or when it would fail (the command then says why)."""
    data = form.cleaned_data
    kind = "approval" if form.approve else "refusal"
    digest = decision_digest(kind, data["reasons"], data["legal_grounds"])
    asked = "preview" in request.POST
    if data["letter_digest"] == digest and not asked:
        return None
    try:
        letter = letter_it_would_send(lambda: _record_decision(person, case, form))
    except CaseError:
        return None
    if letter is None:
        return None
    shown = request.POST.copy()
    shown["letter_digest"] = digest
    unread = _("Read the letter this decision sends before you send it: it is below.")
    return _case_page(
        request,
        case.public_id,
        failed=FailedAction(
            "decision",
            shown,
            (lambda again: None) if asked else (lambda again: again.add_error(None, unread)),
        ),
        status=200 if asked else 422,
        letter_preview=letter,
    )


def _add_errors(form: CaseActionForm, errors: dict[str, list[str]]) -> None:
    """Errors of the form as first sent, on the form shown again (where the fresh key
    and version may have cleared some)."""
    for field, texts in errors.items():
        for message in texts:
            if message not in form.errors.get(field, []):
                form.add_error(None if field == NON_FIELD_ERRORS else field, message)


def _action_view(name: str) -> Callable[..., HttpResponse]:
    @require_POST
    @gate(Role.OFFICER, Role.SUPERVISOR, hide=True)
    def view(request: HttpRequest, case_id: UUID) -> HttpResponse:
        return _act(request, case_id, name)

    view.__name__ = view.__qualname__ = f"case_{name}"
    view.__doc__ = f"The case page's {name} action."
    return view


request_documents = _action_view("documents")
record_eligibility = _action_view("eligibility")
record_step = _action_view("step")
record_decision = _action_view("decision")
add_note = _action_view("note")
declare_conflict = _action_view("conflict")
