"""The paper channel's pages. For clients, without an account: the forms there are, and a
form to fill in on screen and download to print. For intake staff: upload a scan with
the day it was received, see the application it reads as beside the scan, and file it,
key it in by hand, or set it aside; then the client's receipt."""

import datetime
import io
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from passage import clock
from passage.accounts.access import gate
from passage.accounts.requests import person_of, staff_navigation
from passage.accounts.roles import Role
from passage.errors import PassageError
from passage.forms import new_idempotency_key
from passage.intake.documents import read_whole
from passage.languages import active_language
from passage.paper import reading
from passage.paper.acknowledgement import render_acknowledgement
from passage.paperforms import fill_in, selectors, services
from passage.paperforms.catalogue import definition_for, form_definitions
from passage.paperforms.forms import ScanForm, SignedOnForm
from passage.paperforms.printing import department_time, form_pdf
from passage.paperforms.receipts import acknowledgement_of
from passage.paperforms.wording import problems_in_words

STAFF = (Role.OFFICER, Role.SUPERVISOR)
PREVIEW_DPI = 100


@gate(public=True)
def forms_list(request: HttpRequest) -> HttpResponse:
    """The paper forms there are, each to fill in on screen and print."""
    language = active_language()
    rows = [
        {"code": code, "title": definition.paper.title.get(language)}
        for code, definition in sorted(form_definitions().items())
    ]
    return render(request, "paperforms/forms.html", {"forms": rows})


@gate(public=True)
def fill_in_form(request: HttpRequest, code: str) -> HttpResponse:
    """One form on one page. "Print the form" checks every answer as the online
    application does and downloads the PDF; nothing is kept on the server."""
    definition = definition_for(code)
    if definition is None:
        raise Http404
    language = active_language()
    today = department_time(clock.now()).date()
    if request.method != "POST":
        filled = fill_in.Filled(inputs={})
        return _fill_in_page(request, definition, filled, language)
    data = _inputs(request)
    if request.POST.get("action") == "add":  # another row of periods: nothing is checked yet
        return _fill_in_page(request, definition, fill_in.Filled(inputs=data), language)
    filled = fill_in.read_inputs(definition, data, today=today)
    if filled.document is None:
        return _fill_in_page(request, definition, filled, language, status=400)
    _printed, pdf = form_pdf(definition, filled.document, now=clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{code}.pdf"'
    return response


def _day_or_none(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _inputs(request: HttpRequest) -> dict[str, str]:
    return {
        key: str(request.POST.get(key, ""))
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "idempotency_key", "action")
    }


def _fill_in_page(
    request: HttpRequest, definition: Any, filled: fill_in.Filled, language: str, status: int = 200
) -> HttpResponse:
    context = {
        "title": definition.paper.title.get(language),
        "sections": fill_in.page_sections(definition, filled, language),
        "details": fill_in.detail_fields(filled, language),
        "errors": filled.errors,
        "send_to": definition.paper.send_to.get(language),
    }
    return render(request, "paperforms/fill_in.html", context, status=status)


@gate(*STAFF)
def scans(request: HttpRequest) -> HttpResponse:
    """Upload a scan, and the latest received."""
    person = person_of(request)
    form = ScanForm()
    status = 200
    if request.method == "POST":
        form = ScanForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["scan"]
            try:
                scan = services.receive_scan(
                    clerk=person,
                    filename=upload.name or "scan",
                    content=upload.read(),
                    received_on=data["received_on"],
                    received_by=data["received_by"],
                    idempotency_key=data["idempotency_key"],
                )
            except PassageError as error:
                form.add_service_errors(error.message, error.details.get("errors"))
            else:
                return redirect("paper-intake:scan", scan_id=scan.public_id)
        status = 400
    context = {
        "form": form,
        "scans": selectors.latest_scans(person=person),
        "error_forms": [form] if form.errors else [],
        **staff_navigation(request),
    }
    return render(request, "paperforms/scans.html", context, status=status)


def _scan_view(request: HttpRequest, scan_id: UUID) -> selectors.ScanView:
    try:
        return selectors.scan_for(person=person_of(request), scan_id=scan_id)
    except services.ScanNotFound:
        raise Http404 from None


@gate(*STAFF)
@require_GET
def scan(request: HttpRequest, scan_id: UUID) -> HttpResponse:
    """A scan beside the application it reads as, and what can be done with it."""
    view = _scan_view(request, scan_id)
    language = active_language()
    context = {
        "view": view,
        "scan": view.scan,
        "title": view.title.get(language) if view.title else "",
        "language": language,
        "pages": range(1, view.scan.pages + 1),
        "problems": problems_in_words(view.scan.problems),
        "key": new_idempotency_key(),
        **staff_navigation(request),
    }
    return render(request, "paperforms/scan.html", context)


@gate(*STAFF)
@require_POST
def file_scan(request: HttpRequest, scan_id: UUID) -> HttpResponse:
    """File the application as read."""

    def file(key: str) -> None:
        case = services.file_scan(clerk=person_of(request), scan_id=scan_id, idempotency_key=key)
        messages.success(
            request,
            _("The application is filed under %(reference)s.") % {"reference": case.reference},
        )

    return _act_on_scan(request, scan_id, file)


@gate(*STAFF)
@require_POST
def set_aside(request: HttpRequest, scan_id: UUID) -> HttpResponse:
    """Set a scan aside: it files nothing."""

    def put_aside(key: str) -> None:
        services.set_aside(clerk=person_of(request), scan_id=scan_id, idempotency_key=key)

    return _act_on_scan(request, scan_id, put_aside)


def _act_on_scan(request: HttpRequest, scan_id: UUID, act: Callable[[str], None]) -> HttpResponse:
    """Run a button's service with the form's key, then back to the scan, saying why
    when the service refused."""
    try:
        act(request.POST.get("idempotency_key", ""))
    except services.ScanNotFound:
        raise Http404 from None
    except PassageError as error:
        messages.error(request, error.message)
    return redirect("paper-intake:scan", scan_id=scan_id)


@gate(*STAFF)
def key_in(request: HttpRequest, scan_id: UUID) -> HttpResponse:
    """Key in a form that could not be read whole, from its printed words (or correct
    one that was): the client's page of questions, filled with what was read."""
    view = _scan_view(request, scan_id)
    definition = definition_for(request.GET.get("form") or view.scan.form_code or "")
    if definition is None:
        definitions = form_definitions()
        if len(definitions) != 1:
            return render(
                request,
                "paperforms/choose_form.html",
                {
                    "scan": view.scan,
                    "forms": sorted(definitions.items()),
                    **staff_navigation(request),
                },
            )
        definition = next(iter(definitions.values()))
    language = active_language()
    key = request.POST.get("idempotency_key") or new_idempotency_key()
    status = 200
    if request.method == "POST":
        signed = SignedOnForm(request.POST, received_on=view.scan.received_on)
        data = _inputs(request)
        signed_on = signed.cleaned_data["signed_on"] if signed.is_valid() else None
        filled = fill_in.read_inputs(definition, data, today=signed_on or view.scan.received_on)
        if signed_on is None:
            filled.errors.insert(
                0,
                {
                    "anchor": "id_signed_on_0",
                    "text": " ".join(str(error) for error in signed.errors.get("signed_on", [])),
                },
            )
            filled.document = None
        if request.POST.get("action") != "add" and filled.document is not None:
            try:
                case = services.file_scan(
                    clerk=person_of(request),
                    scan_id=scan_id,
                    idempotency_key=key,
                    keyed=filled.document,
                )
            except PassageError as error:
                filled.errors.append({"anchor": "main-content", "text": error.message})
            else:
                messages.success(
                    request,
                    _("The application is filed under %(reference)s.")
                    % {"reference": case.reference},
                )
                return redirect("paper-intake:scan", scan_id=scan_id)
        status = 400 if filled.errors else 200
    else:
        document = view.scan.document or {}
        signed_day = (document.get("facts") or {}).get("signing_date")
        initial = signed_day if isinstance(signed_day, str) else view.scan.received_on.isoformat()
        signed = SignedOnForm(
            initial={"signed_on": _day_or_none(initial)}, received_on=view.scan.received_on
        )
        filled = fill_in.Filled(inputs=fill_in.inputs_of_document(definition, document))
    context = {
        "scan": view.scan,
        "title": definition.paper.title.get(language),
        "sections": fill_in.page_sections(definition, filled, language),
        "details": fill_in.detail_fields(filled, language),
        "errors": filled.errors,
        "error_forms": [],
        "key": key,
        "signed": signed,
        "pages": range(1, view.scan.pages + 1),
        **staff_navigation(request),
    }
    return render(request, "paperforms/key_in.html", context, status=status)


@gate(*STAFF)
@require_GET
def scan_page(request: HttpRequest, scan_id: UUID, number: int) -> HttpResponse:
    """One page of the scan as a PNG, to read beside the application."""
    view = _scan_view(request, scan_id)
    content = read_whole(view.scan.storage_key, view.scan.sha256)
    if content is None or number < 1:
        raise Http404
    try:
        _kind, pages = reading.page_images(content, dpi=PREVIEW_DPI, max_pages=number)
    except reading.ScanError:
        raise Http404 from None
    if number > len(pages):
        raise Http404
    buffer = io.BytesIO()
    Image.fromarray(pages[number - 1]).save(buffer, format="PNG", optimize=True)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@gate(*STAFF)
@require_GET
def acknowledgement(request: HttpRequest, scan_id: UUID) -> HttpResponse:
    """The client's receipt on paper, to print and mail, for a filed form."""
    view = _scan_view(request, scan_id)
    if view.scan.case is None:
        raise Http404
    pdf = render_acknowledgement(acknowledgement_of(view.scan))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"receipt-{view.scan.case.reference}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
