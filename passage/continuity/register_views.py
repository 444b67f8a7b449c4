"""The supervisors' pages of the outage register: the register, announcing maintenance,
recording an incident, and an outage's page with its trail and the forms that change it,
confirm what the probes opened, or withdraw it. Each parses a form, calls
`services.py` and renders; the services decide what is allowed."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.accounts.access import gate
from passage.accounts.models import User
from passage.accounts.requests import person_of, staff_navigation
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted, StaleVersion
from passage.continuity import register_selectors, services
from passage.continuity.forms import (
    ChangeForm,
    ConfirmForm,
    IncidentForm,
    MaintenanceForm,
    RegisterForm,
    WithdrawForm,
)
from passage.continuity.models import Outage

TEMPLATES = "continuity/register"


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A register page in the staff layout, with the person's roles for its navigation."""
    context = {**staff_navigation(request), **context}
    return render(request, f"{TEMPLATES}/{template}", context, status=status)


def _forbidden(request: HttpRequest, error: NotPermitted) -> HttpResponse:
    # The staff pages' own 403 page, saying why the service refused.
    context = {"message": error.message}
    return render(request, "workbench/forbidden.html", context, status=403)


@gate(Role.SUPERVISOR)
def register(request: HttpRequest) -> HttpResponse:
    """Every outage, the latest first, with those the probes opened still to confirm."""
    rows = register_selectors.register_rows(person=person_of(request))
    return _render(request, "register.html", {"rows": rows})


@gate(Role.SUPERVISOR)
def announce_maintenance(request: HttpRequest) -> HttpResponse:
    """Announce planned maintenance ahead."""

    def record(person: User, form: Any) -> services.RegisterChange:
        data = form.cleaned_data
        return services.record_maintenance(
            actor=person,
            components=data["components"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            texts=form.texts(),
            idempotency_key=data["idempotency_key"],
        )

    return _new_outage(
        request, MaintenanceForm, record, heading=_("Announce maintenance"), button=_("Announce")
    )


@gate(Role.SUPERVISOR)
def record_incident(request: HttpRequest) -> HttpResponse:
    """Record an incident, ongoing or over."""

    def record(person: User, form: Any) -> services.RegisterChange:
        data = form.cleaned_data
        return services.record_incident(
            actor=person,
            components=data["components"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            status=data["status"],
            texts=form.texts(),
            idempotency_key=data["idempotency_key"],
        )

    return _new_outage(
        request,
        IncidentForm,
        record,
        heading=_("Record an incident"),
        button=_("Record the incident"),
    )


def _new_outage(
    request: HttpRequest,
    form_class: type[RegisterForm],
    record: Callable[[User, Any], services.RegisterChange],
    *,
    heading: str,
    button: str,
) -> HttpResponse:
    person = person_of(request)
    form = form_class()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                change = record(person, form)
            except NotPermitted as error:
                return _forbidden(request, error)
            except (InvalidRequest, IdempotencyConflict) as error:
                form = _again(form_class, request, error)
            else:
                _say_done(request, change, _("Recorded %(reference)s."))
                return redirect("outages:outage", reference=change.outage.reference)
        status = 422
    return _render(
        request,
        "new.html",
        {"form": form, "heading": heading, "button": button, "error_forms": _failed(form)},
        status=status,
    )


@gate(Role.SUPERVISOR)
def outage(request: HttpRequest, reference: str) -> HttpResponse:
    """An outage: its details, its trail of updates, and the forms that act on it."""
    return _outage_page(request, reference)


def _outage_page(
    request: HttpRequest,
    reference: str,
    *,
    failed: RegisterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        view = register_selectors.outage_for_supervisor(
            person=person_of(request), reference=reference
        )
    except Outage.DoesNotExist:
        raise Http404 from None
    forms: dict[str, RegisterForm] = {
        "change": ChangeForm(outage=view.outage),
        "confirm": ConfirmForm(outage=view.outage),
        "withdraw": WithdrawForm(),
    }
    if failed is not None:
        forms[failed.prefix_id] = failed
    return _render(
        request,
        "outage.html",
        {"view": view, "outage": view.outage, **forms, "error_forms": _failed(failed)},
        status=status,
    )


@require_POST
@gate(Role.SUPERVISOR)
def change_outage(request: HttpRequest, reference: str) -> HttpResponse:
    """Change an outage's status, times, services or texts."""
    return _change(request, reference, ChangeForm, _("%(reference)s changed."))


@require_POST
@gate(Role.SUPERVISOR)
def confirm_outage(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm an incident the probes opened, with what clients read of it."""
    return _change(request, reference, ConfirmForm, _("%(reference)s confirmed and described."))


def _change(
    request: HttpRequest, reference: str, form_class: type[ChangeForm], done: str
) -> HttpResponse:
    person = person_of(request)
    current = _outage_or_404(person, reference)
    form = form_class(request.POST, outage=current)
    if form.is_valid() and not form.changes() and current.confirmed_at is not None:
        form.add_error(None, _("Nothing was changed. Change a field before you save."))
    if not form.is_valid():
        return _outage_page(request, reference, failed=form, status=422)
    try:
        change = services.change_outage(
            actor=person,
            reference=reference,
            changes=form.changes(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except NotPermitted as error:
        return _forbidden(request, error)
    except StaleVersion as error:
        # Shown again over the outage as it is now: a fresh key and its current version.
        now = _outage_or_404(person, reference)
        again = form_class.again(request.POST, outage=now, version=now.version)
        again.add_error(None, error.message)
        return _outage_page(request, reference, failed=again, status=409)
    except (InvalidRequest, IdempotencyConflict) as error:
        again = _again(form_class, request, error, outage=current)
        return _outage_page(request, reference, failed=again, status=error.http_status)
    _say_done(request, change, done)
    return redirect("outages:outage", reference=reference)


@require_POST
@gate(Role.SUPERVISOR)
def withdraw_outage(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdraw a record made in error, with the reason, once confirmed."""
    person = person_of(request)
    _outage_or_404(person, reference)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _outage_page(request, reference, failed=form, status=422)
    try:
        change = services.withdraw_outage(
            actor=person,
            reference=reference,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except NotPermitted as error:
        return _forbidden(request, error)
    except (InvalidRequest, IdempotencyConflict) as error:
        again = _again(WithdrawForm, request, error)
        return _outage_page(request, reference, failed=again, status=error.http_status)
    _say_done(request, change, _("%(reference)s withdrawn. It stays in the register."))
    return redirect("outages:outage", reference=reference)


def _outage_or_404(person: User, reference: str) -> Outage:
    try:
        return register_selectors.outage_for_supervisor(person=person, reference=reference).outage
    except Outage.DoesNotExist:
        raise Http404 from None


def _again(
    form_class: type[RegisterForm],
    request: HttpRequest,
    error: InvalidRequest | IdempotencyConflict,
    **kwargs: Any,
) -> RegisterForm:
    """The form as typed, under a fresh key, with the service's errors beside its fields."""
    form = form_class.again(request.POST, **kwargs)
    form.add_service_errors(error.message, error.details.get("errors"))
    return form


def _failed(form: RegisterForm | None) -> list[RegisterForm]:
    return [form] if form is not None and form.is_bound and form.errors else []


def _say_done(request: HttpRequest, change: services.RegisterChange, done: str) -> None:
    if change.replayed:
        messages.info(request, _("This was already done: nothing was recorded twice."))
    else:
        messages.success(request, done % {"reference": change.outage.reference})
