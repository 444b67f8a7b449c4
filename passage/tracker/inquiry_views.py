"""A client asks about their application once its inquiry date has passed: the question
goes to the file's officer as a conversation, and the answer comes in the messages."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.cases.errors import CaseError, InvalidRequest
from passage.cases.models import Case
from passage.languages import active_language
from passage.tracker import selectors, services
from passage.tracker.forms import InquiryForm


@gate()
def inquiry(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The question form once the inquiry date has passed; before it, the day it will be
    possible. Staff answer inquiries; they do not send them."""
    person = person_of(request)
    now = clock.now()
    try:
        view = selectors.tracker_view(
            person=person, case_id=case_id, now=now, language=active_language()
        )
    except Case.DoesNotExist:
        raise Http404 from None
    if person.is_department_staff:
        raise Http404
    if not view.is_open:
        return redirect("tracker:case", case_id=case_id)
    may_ask = services.may_inquire(view, today=timezone.localdate(now))
    form = InquiryForm(request.POST or None)
    # A question sent before the inquiry date is not sent: the page says from when.
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and may_ask and form.is_valid():
        try:
            posted = services.send_inquiry(
                person=person,
                case_id=case_id,
                question=form.cleaned_data["question"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                now=now,
            )
        except InvalidRequest as error:
            said = error.details.get("errors")
            body = said.get("body") if isinstance(said, dict) else None
            form.add_error("question", body or error.message)
        except CaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your question was sent. An officer will answer it here, in your messages."),
            )
            url = reverse(
                "conversations:thread",
                kwargs={"case_id": case_id, "thread_id": posted.message.thread.public_id},
            )
            return redirect(url)
    return render(
        request,
        "tracker/inquiry.html",
        {"view": view, "form": form, "may_ask": may_ask},
        status=status,
    )
