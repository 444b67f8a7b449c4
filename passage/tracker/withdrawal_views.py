"""A client withdraws their application from the tracker: a page that says what it means,
asks them to confirm, and ends the case; the withdrawal letter is then on the case page."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.cases.errors import CaseError, InvalidRequest
from passage.cases.models import Case
from passage.languages import active_language
from passage.tracker import selectors, services
from passage.tracker.forms import WithdrawForm
from passage.tracker.status_model import TrackerView


@gate()
def withdraw(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Confirm, then withdraw the application. A case that has ended has nothing to
    withdraw: the page leads back to it."""
    person = person_of(request)
    view = _client_view(request, case_id)
    if not view.is_open:
        messages.info(request, _("This application has ended: there is nothing to withdraw."))
        return redirect("tracker:case", case_id=case_id)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw_application(
                    person=person,
                    case_id=case_id,
                    reason=form.cleaned_data["reason"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except Case.DoesNotExist:
                raise Http404 from None
            except InvalidRequest as error:
                form.add_error(None, error.message)
            except CaseError as error:
                messages.error(request, error.message)
                return redirect("tracker:case", case_id=case_id)
            else:
                messages.success(
                    request,
                    _("Your application is withdrawn. Your withdrawal letter is below."),
                )
                return redirect("tracker:case", case_id=case_id)
        status = 422
    return render(request, "tracker/withdraw.html", {"view": view, "form": form}, status=status)


def _client_view(request: HttpRequest, case_id: UUID) -> TrackerView:
    """The case as its client sees it; a 404 for anyone who is not a client of it (staff
    record a withdrawal from the workbench)."""
    person = person_of(request)
    try:
        view = selectors.tracker_view(
            person=person, case_id=case_id, now=clock.now(), language=active_language()
        )
    except Case.DoesNotExist:
        raise Http404 from None
    if person.is_department_staff:
        raise Http404
    return view
