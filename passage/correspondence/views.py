"""The correspondence pages: a team's queue of client email, oldest first; one email
beside its case, with the officer's actions (correct the category, answer in the case's
secure messages or with a standard reply, add the attachments to the case's document
request, close); and the supervisors' figures."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of, staff_navigation
from passage.accounts.roles import Role
from passage.correspondence import selectors, services
from passage.correspondence.forms import (
    AnswerForm,
    CategoryForm,
    CloseForm,
    DocumentsForm,
    StandardReplyForm,
)
from passage.correspondence.models import Category
from passage.correspondence.teams import team_name
from passage.errors import InvalidRequest, PassageError
from passage.forms import ServiceErrorsForm

STAFF = (Role.OFFICER, Role.SUPERVISOR)


@gate(*STAFF)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """A team's open client email, oldest first, urgent travel marked."""
    teams = selectors.teams()
    team = request.GET.get("team") or teams[0]
    if team not in teams:
        raise Http404
    to_read_first = request.GET.get("show") == "to-read-first"
    rows = selectors.queue(
        person_of(request), team=team, to_read_first=to_read_first, now=clock.now()
    )
    context = {
        "teams": [(code, team_name(code)) for code in teams],
        "team": team,
        "team_name": team_name(team),
        "to_read_first": to_read_first,
        "rows": rows,
        **staff_navigation(request),
    }
    return render(request, "correspondence/queue.html", context)


def _page(
    request: HttpRequest, email_id: UUID, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    try:
        view = selectors.email_for(person_of(request), email_id, now=clock.now())
    except services.EmailNotFound:
        raise Http404 from None
    email = view.email
    forms = forms or {}
    context = {
        "view": view,
        "email": email,
        "team_name": team_name(email.team),
        "category_form": forms.get("category")
        or CategoryForm(initial={"category": email.final_category}),
        "answer_form": forms.get("answer") or AnswerForm(),
        "reply_form": forms.get("reply") or StandardReplyForm(),
        "documents_forms": [
            (item, DocumentsForm(initial={"request": item.pk})) for item in view.open_requests
        ],
        "close_form": CloseForm(),
        "error_forms": [form for form in forms.values() if form.errors],
        **staff_navigation(request),
    }
    return render(request, "correspondence/email.html", context, status=status)


@gate(*STAFF)
@require_GET
def email(request: HttpRequest, email_id: UUID) -> HttpResponse:
    """One client email, as received, beside its case."""
    return _page(request, email_id)


def _act(
    request: HttpRequest,
    email_id: UUID,
    name: str,
    form: Any,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run an action with its form's data; back to the email with a message, or the page
    again with the form's errors (400)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except services.EmailNotFound:
            raise Http404 from None
        except InvalidRequest as error:
            if isinstance(form, ServiceErrorsForm):
                form.add_service_errors(error.message, error.details.get("errors"))
            else:
                messages.error(request, error.message)
        except PassageError as error:
            messages.error(request, error.message)
            return _page(request, email_id, {name: form}, status=error.http_status)
        else:
            messages.success(request, done)
            return redirect("correspondence:email", email_id=email_id)
    return _page(request, email_id, {name: form}, status=400)


def _action(
    name: str, form_class: type[Any], act: Callable[..., object], done: Any
) -> Callable[[HttpRequest, UUID], HttpResponse]:
    """The view of one action on an email: its form, its service (called with the person,
    the email and the form's fields), and what is said once it is done."""

    @gate(*STAFF)
    @require_POST
    def view(request: HttpRequest, email_id: UUID) -> HttpResponse:
        person = person_of(request)

        def run(data: dict[str, Any]) -> object:
            fields = {key: value for key, value in data.items() if key != "idempotency_key"}
            return act(
                person=person, email_id=email_id, idempotency_key=data["idempotency_key"], **fields
            )

        return _act(request, email_id, name, form_class(request.POST), run, str(done))

    view.__name__ = view.__qualname__ = name
    return view


correct = _action(
    "category", CategoryForm, services.correct_category, _("The category is corrected.")
)
answer = _action(
    "answer",
    AnswerForm,
    services.answer_in_messages,
    _("The answer is in the case's secure messages, and the email is closed."),
)
reply = _action(
    "reply",
    StandardReplyForm,
    services.send_standard_reply,
    _("The standard reply is sent, and the email is closed."),
)
documents = _action(
    "documents",
    DocumentsForm,
    lambda request, **fields: services.add_documents_to_request(request_id=request, **fields),
    _("The attachments are added to the case's document request."),
)
close = _action("close", CloseForm, services.close_email, _("The email is closed."))


@gate(Role.SUPERVISOR)
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Client email over the last 30 days, and the queues' ages."""
    view = selectors.overview(person_of(request), now=clock.now())
    context = {
        "overview": view,
        "volumes": [
            (Category(code).label, english, french) for code, english, french in view.volumes
        ],
        "ages": [(team_name(team), count, oldest, over) for team, count, oldest, over in view.ages],
        **staff_navigation(request),
    }
    return render(request, "correspondence/figures.html", context)
