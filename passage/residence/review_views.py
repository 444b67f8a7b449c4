"""The officers' pages: the queue of confirmations ready for review (confirm a batch of
those whose details are complete), one confirmation with its photo, the checks' results,
the declaration and the address (complete the details and confirm, or return it with a
reason), the photo itself, and a supervisor's revocation of an eCOPR."""

from collections.abc import Callable
from dataclasses import fields
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of, staff_navigation
from passage.accounts.roles import Role
from passage.errors import PassageError
from passage.intake.documents import read_whole
from passage.residence import presenters, review, selectors
from passage.residence.errors import ConfirmationNotFound
from passage.residence.forms import BatchConfirmForm, DetailsForm, ReturnForm, RevokeForm
from passage.residence.models import Confirmation

STAFF = (Role.OFFICER, Role.SUPERVISOR)
DETAIL_FIELDS = tuple(field.name for field in fields(review.CoprDetails))


@gate(*STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    """Confirmations ready for review, the longest waiting first; a batch confirms the
    ticked ones whose details are complete."""
    person = person_of(request)
    rows = list(selectors.review_queue(person)[:200])
    complete = {row.public_id: review.details_complete(row) for row in rows}
    offered = {str(row.public_id) for row in rows if complete[row.public_id]}
    form = BatchConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ticked = request.POST.getlist("confirmations")
        # A ticked row someone else confirmed or returned meanwhile is left out, and said.
        chosen = [UUID(value) for value in ticked if value in offered]
        if len(chosen) < len(ticked):
            messages.warning(
                request,
                _(
                    "Some ticked confirmations are no longer waiting for review: they were "
                    "left out."
                ),
            )
        if not chosen:
            messages.error(request, _("Tick the confirmations to confirm."))
        else:
            try:
                outcome = review.confirm_batch(
                    officer=person,
                    confirmation_ids=chosen,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except PassageError as error:
                messages.error(request, error.message)
                return redirect("residence:review_queue")
            if outcome.confirmed:
                count = len(outcome.confirmed)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s person became a permanent resident.",
                        "%(count)s people became permanent residents.",
                        count,
                    )
                    % {"count": count},
                )
            for reason in set(outcome.not_confirmed.values()):
                messages.error(request, reason)
        return redirect("residence:review_queue")
    context = {
        "rows": [{"confirmation": row, "complete": complete[row.public_id]} for row in rows],
        "form": form,
        **staff_navigation(request),
    }
    return render(request, "residence/review_queue.html", context)


def _staff_view(request: HttpRequest, confirmation_id: UUID) -> Confirmation:
    try:
        return selectors.confirmation_for_staff(person_of(request), confirmation_id)
    except ConfirmationNotFound:
        raise Http404 from None


def _details_initial(confirmation: Confirmation) -> dict[str, Any]:
    details = review.details_of(confirmation)
    initial = dict(vars(details))
    if not initial["uci"]:
        initial["uci"] = review.generated_uci(confirmation)
    return initial


def _review_page(
    request: HttpRequest, confirmation: Confirmation, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    person = person_of(request)
    context = {
        "confirmation": confirmation,
        "view": presenters.person(confirmation, now=clock.now()),
        "checks": presenters.check_rows(confirmation.photo),
        "details_form": forms.get("details") or DetailsForm(initial=_details_initial(confirmation)),
        "return_form": forms.get("return") or ReturnForm(),
        "revoke_form": forms.get("revoke") or RevokeForm(),
        "may_revoke": person.has_role(Role.SUPERVISOR),
        "ecopr": selectors.current_ecopr(confirmation),
        **staff_navigation(request),
    }
    return render(request, "residence/review.html", context, status=status)


@gate(*STAFF)
@require_GET
def detail(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    return _review_page(request, _staff_view(request, confirmation_id), {})


def _act(
    request: HttpRequest,
    confirmation_id: UUID,
    form: Any,
    slot: str,
    action: Callable[[dict[str, Any]], object],
    done: str,
    then: HttpResponse,
) -> HttpResponse:
    """Carry out one officer action from the review page: on success say `done` and go
    to `then`; else the page again, the service's errors beside the form in `slot`."""
    confirmation = _staff_view(request, confirmation_id)
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except PassageError as error:
            form.add_service_errors(error.message, error.details.get("errors"))
        else:
            messages.success(request, done)
            return then
    return _review_page(request, confirmation, {slot: form}, status=422)


@gate(*STAFF)
@require_POST
def confirm(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def action(data: dict[str, Any]) -> object:
        return review.confirm_residence(
            officer=person_of(request),
            confirmation_id=confirmation_id,
            details=review.CoprDetails(**{name: data[name] for name in DETAIL_FIELDS}),
            idempotency_key=data["idempotency_key"],
        )

    return _act(
        request,
        confirmation_id,
        DetailsForm(request.POST),
        "details",
        action,
        _("Permanent residence confirmed and the eCOPR issued."),
        redirect("residence:review", confirmation_id=confirmation_id),
    )


@gate(*STAFF)
@require_POST
def send_back(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def action(data: dict[str, Any]) -> object:
        return review.return_to_client(
            officer=person_of(request),
            confirmation_id=confirmation_id,
            reason=data["reason"],
            photo_rejected=data["photo_rejected"],
            idempotency_key=data["idempotency_key"],
        )

    return _act(
        request,
        confirmation_id,
        ReturnForm(request.POST),
        "return",
        action,
        _("Returned to the client, who is told to sign in."),
        redirect("residence:review_queue"),
    )


@gate(Role.SUPERVISOR)
@require_POST
def revoke(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def action(data: dict[str, Any]) -> object:
        return review.revoke_ecopr(
            supervisor=person_of(request),
            confirmation_id=confirmation_id,
            reason=data["reason"],
            idempotency_key=data["idempotency_key"],
        )

    return _act(
        request,
        confirmation_id,
        RevokeForm(request.POST),
        "revoke",
        action,
        _("The eCOPR is on the revocation list."),
        redirect("residence:review", confirmation_id=confirmation_id),
    )


@gate(*STAFF)
@require_GET
def photo_file(request: HttpRequest, confirmation_id: UUID, photo_id: int) -> HttpResponse:
    """A photo of the confirmation, inline for the review page (re-encoded by the checks:
    a plain JPEG without metadata)."""
    confirmation = _staff_view(request, confirmation_id)
    photo = confirmation.photos.filter(pk=photo_id).first()
    content = read_whole(photo.storage_key, photo.sha256) if photo else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
