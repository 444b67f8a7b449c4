"""The secure message pages of a case: its conversations, one conversation, and the files
sent in them. Each view parses a form, calls a service or a selector, and renders.

Clients reach the pages of their own cases; officers and supervisors reach every case's
pages (after the second factor, as on every page); other staff get the 404 of a hidden
page. A case, conversation or file the person may not see is a 404, the same as one that
does not exist. Pages are never cached: they hold case content.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.accounts.roles import CLIENT_ROLES, Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.conversations import selectors, services
from passage.conversations.forms import MessageForm, NewThreadForm
from passage.conversations.models import MessageAttachment, Thread
from passage.intake.documents import too_large_message
from passage.intake.downloads import stored_file_download
from passage.letters.selectors import letters_of_case

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]
NOT_FOUND = (Case.DoesNotExist, Thread.DoesNotExist, MessageAttachment.DoesNotExist)
# Who reads and writes messages: clients, and the staff who work files.
READERS = (*CLIENT_ROLES, Role.OFFICER, Role.SUPERVISOR)


def case_content(view: View[P]) -> View[P]:
    """A page that shows case content: never cached, and a case, conversation or file the
    selectors do not find for the person is a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NOT_FOUND:
            raise Http404 from None

    return never_cache(wrapper)  # type: ignore[return-value]


@gate(*READERS, hide=True)
@case_content
@require_http_methods(["GET", "POST"])
def thread_list(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The case's conversations, and the form to start one."""
    person = person_of(request)
    if request.method == "POST":
        form = NewThreadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                posted = services.start_thread(
                    case_id=case_id,
                    person=person,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    attachments=_attachments(form),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except (InvalidRequest, IdempotencyConflict, NotPermitted) as error:
                _refused(form, error)
            else:
                return _sent(request, case_id, posted)
        return _render_list(request, case_id, form, status=422)
    return _render_list(request, case_id, NewThreadForm())


@gate(*READERS, hide=True)
@case_content
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, case_id: UUID, thread_id: UUID) -> HttpResponse:
    """One conversation, marked read as it is opened, with the reply form."""
    person = person_of(request)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                posted = services.post_message(
                    thread_id=thread_id,
                    case_id=case_id,
                    person=person,
                    body=form.cleaned_data["body"],
                    attachments=_attachments(form),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except (InvalidRequest, IdempotencyConflict, NotPermitted) as error:
                _refused(form, error)
            else:
                return _sent(request, case_id, posted)
        return _render_thread(request, case_id, thread_id, form, status=422)
    services.mark_read(thread_id=thread_id, case_id=case_id, person=person)
    return _render_thread(request, case_id, thread_id, MessageForm())


@gate(*READERS, hide=True)
@case_content
@require_GET
def attachment(request: HttpRequest, case_id: UUID, attachment_id: UUID) -> HttpResponseBase:
    """A file sent in a conversation, as a download named and typed for what it was
    checked to be."""
    found = selectors.attachment_for_download(
        person=person_of(request), case_id=case_id, attachment_id=attachment_id
    )
    response = stored_file_download(found)
    if response is None:
        messages.error(
            request,
            _("The saved copy of “%(file)s” is damaged and cannot be opened. Ask for it again.")
            % {"file": found.filename},
        )
        url = reverse(
            "conversations:thread",
            kwargs={"case_id": case_id, "thread_id": found.message.thread.public_id},
        )
        return redirect(url)
    return response


def _attachments(form: MessageForm) -> list[services.Attachment]:
    upload: UploadedFile | None = form.cleaned_data.get("attachment")
    if not upload:
        return []
    if (upload.size or 0) > settings.PASSAGE_MAX_DOCUMENT_BYTES:
        message = too_large_message()  # refused before it is read into memory
        raise InvalidRequest(message, errors={"attachment": message})
    return [services.Attachment(filename=upload.name or "", content=upload.read())]


def _refused(form: MessageForm, error: InvalidRequest | IdempotencyConflict | NotPermitted) -> None:
    form.add_service_errors(error.message, error.details.get("errors"))
    if isinstance(error, IdempotencyConflict):
        form.renew_key()


def _sent(request: HttpRequest, case_id: UUID, posted: services.Posted) -> HttpResponse:
    if not posted.replayed:
        messages.success(request, _("Your message was sent."))
    url = reverse(
        "conversations:thread",
        kwargs={"case_id": case_id, "thread_id": posted.message.thread.public_id},
    )
    return redirect(f"{url}#message-{posted.message.public_id}")


def _render_list(
    request: HttpRequest, case_id: UUID, form: NewThreadForm, status: int = 200
) -> HttpResponse:
    person = person_of(request)
    view = selectors.case_threads(person=person, case_id=case_id)
    # The department's letters (a decision's) are read here too, beside the messages.
    letters = letters_of_case(person=person, case_id=case_id)
    return _render(
        request,
        "conversations/thread_list.html",
        {"case": view.case, "threads": view.threads, "form": form, "letters": letters},
        status,
    )


def _render_thread(
    request: HttpRequest, case_id: UUID, thread_id: UUID, form: MessageForm, status: int = 200
) -> HttpResponse:
    view = selectors.thread_detail(person=person_of(request), case_id=case_id, thread_id=thread_id)
    return _render(
        request,
        "conversations/thread.html",
        {"case": view.case, "thread": view.thread, "messages_sent": view.messages, "form": form},
        status,
    )


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    person = person_of(request)
    context = {"is_staff_view": person.is_department_staff, **context}
    return render(request, template, context, status=status)
