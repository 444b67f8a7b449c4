"""The client's pages of the confirmation of permanent residence, one thing per page and
no script needed: the invitations and people they act for; each person's overview; the
declaration of presence, the mailing address and the photo (with the checks' reasons);
sending it for review; the eCOPR download, each download logged."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.errors import PassageError
from passage.intake.downloads import stored_file_download
from passage.languages import active_language, in_language
from passage.residence import presenters, selectors, services
from passage.residence.downloads import record_download
from passage.residence.errors import ConfirmationNotFound
from passage.residence.forms import AddressForm, DeclarationForm, PhotoForm, SubmitForm, TakeUpForm
from passage.residence.models import Confirmation
from passage.residence.states import CLIENT_EDITABLE

MAX_PHOTO_BYTES_READ = 20 * 1024 * 1024


@gate()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The people the person acts for, each with where they stand."""
    person = person_of(request)
    context = {
        "people": presenters.people(selectors.confirmations_of(person), now=clock.now()),
    }
    return render(request, "residence/home.html", context)


@gate()
def invitation(request: HttpRequest, invitation_id: UUID, token: str) -> HttpResponse:
    """The invitation's link: what it is for, and taking it up (signed in)."""
    try:
        principal = services.invitation(invitation_id, token)
    except ConfirmationNotFound:
        raise Http404 from None
    form = TakeUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.take_up_invitation(
                person=person_of(request), invitation_id=invitation_id, token=token
            )
        except ConfirmationNotFound as error:
            messages.error(request, error.message)
        else:
            return redirect("residence:home")
    program = principal.case.program
    context = {
        "principal": principal,
        "program": in_language(program.name_en, program.name_fr, active_language()),
        "people": principal.case.residence_confirmations.count(),
        "taken": principal.client_id is not None,
        "mine": principal.client_id == person_of(request).pk,
        "form": form,
    }
    return render(request, "residence/invitation.html", context)


def _mine(request: HttpRequest, confirmation_id: UUID) -> Confirmation:
    try:
        return selectors.confirmation_for_client(person_of(request), confirmation_id)
    except ConfirmationNotFound:
        raise Http404 from None


@gate()
@require_GET
def person(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    """One person's confirmation: each part and what is left, what to do next and by
    when, the officer's reason when returned, and the eCOPR once confirmed."""
    confirmation = _mine(request, confirmation_id)
    context = {
        "view": presenters.person(confirmation, now=clock.now()),
        "submit_form": SubmitForm(),
    }
    return render(request, "residence/person.html", context)


def _step_page(
    request: HttpRequest,
    confirmation_id: UUID,
    template: str,
    form_class: type,
    act: Any,
    done: str,
    initial: Any = None,
    extra: Any = None,
) -> HttpResponse:
    """One part of the client's confirmation: its form, and on a valid POST `act`, which
    returns None when the part is done (back to the overview, saying `done`) or the page
    to go to instead; `extra` adds to the page's context."""
    confirmation = _mine(request, confirmation_id)
    if confirmation.state not in CLIENT_EDITABLE:
        return redirect("residence:person", confirmation_id=confirmation_id)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                elsewhere = act(
                    confirmation, form.cleaned_data, form.cleaned_data["idempotency_key"]
                )
            except PassageError as error:
                form.add_service_errors(error.message, error.details.get("errors"))
                status = 422
            else:
                if elsewhere is not None:
                    return redirect(elsewhere, confirmation_id=confirmation_id)
                messages.success(request, done)
                return redirect("residence:person", confirmation_id=confirmation_id)
        else:
            status = 422
    else:
        form = form_class(initial=initial(confirmation) if initial else None)
    context = {"view": presenters.person(confirmation, now=clock.now()), "form": form}
    context.update(extra(confirmation) if extra else {})
    return render(request, template, context, status=status)


@gate()
def declaration(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def act(confirmation: Confirmation, data: dict[str, Any], key: str) -> None:
        services.declare_presence(
            person=person_of(request),
            confirmation_id=confirmation.public_id,
            in_canada=data["in_canada"],
            city=data["city"],
            province=data["province"],
            idempotency_key=key,
        )

    def initial(confirmation: Confirmation) -> dict[str, str]:
        return {"city": confirmation.presence_city, "province": confirmation.presence_province}

    return _step_page(
        request,
        confirmation_id,
        "residence/declaration.html",
        DeclarationForm,
        act,
        _("Your declaration was recorded."),
        initial,
    )


@gate()
def address(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def act(confirmation: Confirmation, data: dict[str, Any], key: str) -> None:
        services.give_address(
            person=person_of(request),
            confirmation_id=confirmation.public_id,
            address=services.Address(
                line=data["line"],
                city=data["city"],
                province=data["province"],
                postal_code=data["postal_code"],
            ),
            idempotency_key=key,
        )

    def initial(confirmation: Confirmation) -> dict[str, str]:
        return {
            "line": confirmation.address_line,
            "city": confirmation.address_city,
            "province": confirmation.address_province,
            "postal_code": confirmation.address_postal_code,
        }

    return _step_page(
        request,
        confirmation_id,
        "residence/address.html",
        AddressForm,
        act,
        _("Your mailing address was recorded."),
        initial,
    )


@gate()
def photo(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    def act(confirmation: Confirmation, data: dict[str, Any], key: str) -> str | None:
        upload = data.get("photo")
        if upload is None:
            raise services.InvalidRequest(
                _("No photo was sent."), errors={"photo": _("Choose a photo to upload.")}
            )
        if upload.size > MAX_PHOTO_BYTES_READ:
            raise services.InvalidRequest(
                _("The photo is too large."),
                errors={"photo": _("Choose a photo smaller than 20 MB.")},
            )
        _kept, check = services.upload_photo(
            person=person_of(request),
            confirmation_id=confirmation.public_id,
            filename=upload.name or "photo",
            content=upload.read(),
            idempotency_key=key,
        )
        # A photo that did not pass is kept with its reasons: the photo page shows them,
        # with a way to try again.
        return None if check.accepted else "residence:photo"

    return _step_page(
        request,
        confirmation_id,
        "residence/photo.html",
        PhotoForm,
        act,
        _("Your photo passed the checks."),
        extra=presenters.photo_context,
    )


@gate()
@require_POST
def submit(request: HttpRequest, confirmation_id: UUID) -> HttpResponse:
    confirmation = _mine(request, confirmation_id)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.submit_for_review(
                person=person_of(request),
                confirmation_id=confirmation.public_id,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except PassageError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Sent for review. We email you when an officer has confirmed.")
            )
    return redirect("residence:person", confirmation_id=confirmation_id)


@gate()
@require_GET
def ecopr(request: HttpRequest, confirmation_id: UUID) -> HttpResponseBase:
    """The person's eCOPR as it was signed; the download is logged."""
    confirmation = _mine(request, confirmation_id)
    document = selectors.current_ecopr(confirmation)
    if document is None:
        raise Http404
    response = stored_file_download(document)
    if response is None:
        raise Http404
    record_download(document, person_of(request), now=clock.now())
    return response
