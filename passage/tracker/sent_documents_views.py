"""The documents a client sent for their case: each downloaded again, and more sent that
nobody asked for (a new passport, a birth), from the case page."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.cases.errors import CaseError, InvalidRequest
from passage.cases.models import Case
from passage.intake.documents import too_large_message
from passage.intake.downloads import stored_file_download
from passage.intake.models import Document
from passage.tracker import selectors, services
from passage.tracker.forms import OtherDocumentsForm
from passage.tracker.services import MAX_FILES
from passage.tracker.views import render_case


@gate()
@require_GET
def sent_document(request: HttpRequest, case_id: UUID, document_id: int) -> HttpResponseBase:
    """A file the client sent for the case, as a download named and typed for what it was
    checked to be; the same 404 as a missing one for anyone who may not see it."""
    try:
        document = selectors.document_for_download(
            person=person_of(request), case_id=case_id, document_id=document_id
        )
    except (Case.DoesNotExist, Document.DoesNotExist):
        raise Http404 from None
    response = stored_file_download(document)
    if response is None:
        messages.error(
            request,
            _("The saved copy of “%(file)s” is damaged and cannot be opened. Send it again.")
            % {"file": document.filename},
        )
        return redirect("tracker:case", case_id=case_id)
    return response


@gate()
@require_POST
def send_other_documents(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Send documents nobody asked for, saying what they are (a client's own request:
    staff get the 404 of a missing case)."""
    if person_of(request).is_department_staff:
        raise Http404
    form = OtherDocumentsForm(request.POST)
    uploads = request.FILES.getlist("documents")
    too_large = next(
        (u for u in uploads if (u.size or 0) > settings.PASSAGE_MAX_DOCUMENT_BYTES), None
    )
    if not uploads:
        form.add_error(None, _("Choose at least one file."))
    if form.is_valid() and too_large is not None:
        # Said before reading it into memory.
        form.add_error(
            None,
            _("%(file)s: %(problem)s") % {"file": too_large.name, "problem": too_large_message()},
        )
    elif form.is_valid():
        files = [(upload.name or "file", upload.read()) for upload in uploads[: MAX_FILES + 1]]
        try:
            services.send_documents(
                person=person_of(request),
                case_id=case_id,
                description=form.cleaned_data["description"],
                files=files,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except Case.DoesNotExist:
            raise Http404 from None
        except InvalidRequest as error:
            said = error.details.get("errors")
            said = said if isinstance(said, dict) else {}
            for field, message in said.items():
                form.add_error(field if field == "description" else None, message)
            if not said:
                form.add_error(None, error.message)
        except CaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("We received your documents. An officer will look at them.")
            )
            return redirect("tracker:case", case_id=case_id)
    return render_case(request, case_id, errors={}, status=422, other_form=form)
