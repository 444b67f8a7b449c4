"""What a case's documents are called, for the people who read them: a document sent
with the application by its name in the program's checklist, one that answered a document
request by what the officer asked for, in the active language."""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from passage.cases.models import DocumentRequest
from passage.cases.status import Step
from passage.intake.catalogue import document_checklist

REQUEST_PREFIX = "request-"
# The kind of a document a client sent of their own accord, named by its `description`.
SENT_BY_CLIENT = "sent-by-client"


def request_kind(request_id: int) -> str:
    """The kind of the documents that answer a request."""
    return f"{REQUEST_PREFIX}{request_id}"


def document_namer(
    program_code: str, requests: Iterable[DocumentRequest], language: str
) -> Callable[[str, str], str]:
    """A function from a document's kind (and description) to its name in `language`
    (the page's)."""
    checklist = {item.kind: item.name(language) for item in document_checklist(program_code)}
    asked = {
        request_kind(request.pk): _("%(items)s (asked for the %(step)s step)")
        % {"items": "; ".join(request.items), "step": str(Step(request.step).label).lower()}
        for request in requests
    }

    def name(kind: str, description: str = "") -> str:
        if kind == SENT_BY_CLIENT:
            return description or _("Documents the client sent")
        if kind in checklist:
            return checklist[kind]
        if kind in asked:
            return asked[kind]
        # A request no longer listed is still named by what it was: documents asked for.
        return _("Documents asked for") if kind.startswith(REQUEST_PREFIX) else kind

    return name
