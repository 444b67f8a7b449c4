"""The download of a decision letter as a PDF, for anyone who may see its case."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.letters.models import DecisionLetter
from passage.letters.pdf import letter_pdf
from passage.letters.selectors import letter_for


@gate()
@require_GET
def letter_download(request: HttpRequest, case_id: UUID, letter_id: UUID) -> HttpResponse:
    """The letter as a PDF attachment, named by its kind and the case's reference."""
    try:
        letter = letter_for(person=person_of(request), case_id=case_id, letter_id=letter_id)
    except DecisionLetter.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    name = f"{letter.case.reference}-{letter.kind}-letter.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response
