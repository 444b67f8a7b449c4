"""The documents of a case, for staff who may see it: a viewer page with the file embedded,
the file itself shown inline, and the file as a download. Every time the bytes are served
is logged (`DocumentAccess`); a stored copy that is missing or damaged is never served.

A case or document the person may not see is a 404, exactly as a missing one.
"""

from uuid import UUID

from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.intake.documents import read_whole
from passage.intake.downloads import CANONICAL_EXTENSIONS, download_filename
from passage.intake.models import Document
from passage.workbench import selectors, services
from passage.workbench.models import DocumentAccess
from passage.workbench.pages import render_page
from passage.workbench.presenters.case import document_view

# The viewer embeds the file from this origin; the file itself runs in a sandbox.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'"


@gate(Role.OFFICER, Role.SUPERVISOR, hide=True)
@require_GET
def document(request: HttpRequest, case_id: UUID, document_id: int) -> HttpResponse:
    """The document shown in the page (a PDF in an object, an image as an image), with a
    link to download it."""
    try:
        view = document_view(person=person_of(request), case_id=case_id, document_id=document_id)
    except (Case.DoesNotExist, Document.DoesNotExist):
        raise Http404 from None
    response = render_page(request, "workbench/document.html", {"view": view, "case": view.case})
    # The page's policy allows no plugins; this page embeds a PDF from this origin.
    response._csp_replace = {"object-src": ["'self'"]}  # type: ignore[attr-defined]
    return response


@gate(Role.OFFICER, Role.SUPERVISOR, hide=True)
@require_GET
@xframe_options_sameorigin
def document_file(request: HttpRequest, case_id: UUID, document_id: int) -> HttpResponseBase:
    """The file itself, inline, for the viewer page to embed."""
    return _serve(request, case_id, document_id, action=DocumentAccess.Action.VIEW)


@gate(Role.OFFICER, Role.SUPERVISOR, hide=True)
@require_GET
def document_download(request: HttpRequest, case_id: UUID, document_id: int) -> HttpResponseBase:
    """The file as a download, named for the type it was checked to be."""
    return _serve(request, case_id, document_id, action=DocumentAccess.Action.DOWNLOAD)


def _serve(
    request: HttpRequest, case_id: UUID, document_id: int, *, action: DocumentAccess.Action
) -> HttpResponseBase:
    person = person_of(request)
    try:
        found = selectors.case_document(person=person, case_id=case_id, document_id=document_id)
    except (Case.DoesNotExist, Document.DoesNotExist):
        raise Http404 from None
    stored = found.document
    if stored.content_type not in CANONICAL_EXTENSIONS:
        raise Http404
    content = read_whole(stored.storage_key, stored.sha256)
    if content is None:
        # Missing, or not the bytes that were sent: never serve a damaged copy as the file.
        messages.error(
            request,
            _("The saved copy of “%(file)s” is damaged and cannot be opened. Ask for it again.")
            % {"file": stored.filename},
        )
        return redirect("workbench:case", case_id=case_id)
    services.record_document_access(person=person, case=found.case, document=stored, action=action)
    response = FileResponse(
        ContentFile(content),
        as_attachment=action == DocumentAccess.Action.DOWNLOAD,
        filename=download_filename(stored.filename, stored.content_type),
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "no-store, private"
    return response
