"""The tracker's pages: link a case with an emailed code, and the case page (status,
steps, documents due with an upload form, history, processing-time estimate, messages).
A decided or withdrawn case asks nothing more: no documents due, no upload form.

Plain forms, POST then redirect then GET, so everything works without JavaScript. A case
the person may not see is the same 404 as a missing one.
"""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.cases.errors import CaseError, InvalidRequest
from passage.cases.models import Case
from passage.cases.status import PartyRole
from passage.intake.catalogue import current_programs
from passage.intake.documents import too_large_message
from passage.languages import active_language
from passage.letters.models import DecisionLetter
from passage.letters.selectors import letters_of_case
from passage.residence.selectors import acts_for_residence, residence_stage
from passage.tracker import linking, selectors, services
from passage.tracker.forms import (
    AnswerDocumentsForm,
    LinkCaseForm,
    LinkCodeForm,
    OtherDocumentsForm,
)
from passage.tracker.services import MAX_FILES
from passage.tracker.status_model import TrackerView


@gate()
def link_case(request: HttpRequest) -> HttpResponse:
    """Step 1: the application number and date of birth; a code goes to the address on
    file if they match. The next page is the same whether they matched or not."""
    form = LinkCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = linking.request_code(
                person=person_of(request),
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except InvalidRequest as error:
            form.add_error("reference", error.message)
        else:
            return redirect("tracker:code", request_id=link.public_id)
    return render(request, "tracker/link.html", {"form": form})


@gate()
def enter_code(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """Step 2: the code from the email links the case to the person's account."""
    form = LinkCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            linked = linking.redeem_code(
                person=person_of(request), request_id=request_id, code=form.cleaned_data["code"]
            )
        except InvalidRequest as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request,
                _("Application %(reference)s is now linked to your account.")
                % {"reference": linked.case.reference},
            )
            return redirect("tracker:case", case_id=linked.case.public_id)
    return render(request, "tracker/code.html", {"form": form, "request_id": request_id})


@gate()
def case_page(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The tracker: where the case is, what is needed and by when, what happened."""
    return render_case(request, case_id, errors={})


@gate()
@require_POST
def send_documents(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Answer a document request with files, from the case page."""
    person = person_of(request)
    form = AnswerDocumentsForm(request.POST)
    errors: dict[int, str] = {}
    uploads = request.FILES.getlist("documents")
    too_large = next(
        (u for u in uploads if (u.size or 0) > settings.PASSAGE_MAX_DOCUMENT_BYTES), None
    )
    if form.is_valid() and too_large is not None:
        # Said before reading it into memory.
        errors[form.cleaned_data["request"]] = _("%(file)s: %(problem)s") % {
            "file": too_large.name,
            "problem": too_large_message(),
        }
    elif form.is_valid():
        files = [(upload.name or "file", upload.read()) for upload in uploads[: MAX_FILES + 1]]
        try:
            services.answer_document_request(
                person=person,
                case_id=case_id,
                request_id=form.cleaned_data["request"],
                files=files,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except Case.DoesNotExist:
            raise Http404 from None
        except CaseError as error:
            errors[form.cleaned_data["request"]] = error.message
        else:
            messages.success(
                request, _("We received your documents. An officer will look at them.")
            )
            return redirect("tracker:case", case_id=case_id)
    return render_case(request, case_id, errors=errors, status=422)


def render_case(
    request: HttpRequest,
    case_id: UUID,
    *,
    errors: dict[int, str],
    status: int = 200,
    other_form: OtherDocumentsForm | None = None,
) -> HttpResponse:
    """The case page; `errors` by document request, and the form of documents nobody
    asked for as it was sent (with its errors), if it was."""
    view = _view(request, case_id)
    # One form per request, each with a fresh key, and its error if it was just sent.
    due = [
        {
            "request": request_due,
            "form": AnswerDocumentsForm(initial={"request": request_due.request_id}),
            "error": errors.get(request_due.request_id),
        }
        for request_due in view.documents_due
    ]
    # The error of a request no longer on the page (answered, or closed with a decision).
    shown = {request_due.request_id for request_due in view.documents_due}
    gone = [error for request_id, error in errors.items() if request_id not in shown]
    # The answers are those of the client who applied (the applicant, or the sponsor of a
    # sponsorship): they and their representatives read them again, not the other party,
    # nor staff looking at what the client sees.
    bundle = current_programs().get(view.program)
    answered_as = bundle.definition.submitted_by if bundle else PartyRole.APPLICANT
    person = person_of(request)
    shows_answers = view.role == answered_as and not person.is_department_staff
    # What the client sent; staff looking at what the client sees read the file instead.
    sent = (
        []
        if person.is_department_staff
        else selectors.documents_sent(person=person, case_id=case_id, language=active_language())
    )
    return render(
        request,
        "tracker/case.html",
        {
            "view": view,
            "due": due,
            "gone_errors": gone,
            "shows_answers": shows_answers,
            "documents_sent": sent,
            "other_form": other_form or OtherDocumentsForm(),
            "may_inquire": not person.is_department_staff
            and services.may_inquire(view, today=timezone.localdate(clock.now())),
            # A decision or withdrawal reaches the client as a letter: shown once it exists.
            "letters": [] if view.is_open else _letters(request, case_id),
            # After an approval: each person's confirmation of permanent residence.
            "residence": [] if view.is_open else residence_stage(case_id, now=clock.now()),
            "acts_for_residence": not view.is_open and acts_for_residence(person, case_id),
        },
        status=status,
    )


def _letters(request: HttpRequest, case_id: UUID) -> list[DecisionLetter]:
    return letters_of_case(person=person_of(request), case_id=case_id)


def _view(request: HttpRequest, case_id: UUID) -> TrackerView:
    try:
        return selectors.tracker_view(
            person=person_of(request), case_id=case_id, now=clock.now(), language=active_language()
        )
    except Case.DoesNotExist:
        raise Http404 from None
