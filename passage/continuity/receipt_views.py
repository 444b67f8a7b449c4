"""The receipt page: what a client who submitted while the database was out of reach can
read with their receipt number, in plain words, with or without the database."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from passage.accounts.access import gate
from passage.continuity.receipt_selectors import receipt_status
from passage.continuity.spool.receipts import is_receipt
from passage.continuity.spool.wording import time_received


@gate(public=True)
def receipt_page(request: HttpRequest, receipt: str) -> HttpResponse:
    """A receipt: when it was received, that the reference follows by email, and, once the
    database says so, that it was filed or refused. Nothing of the case itself."""
    status = receipt_status(receipt) if is_receipt(receipt) else None
    if status is None:
        raise Http404
    language = get_language() or "en"
    received = time_received(status.received_at, language) if status.received_at else ""
    context = {"status": status, "state": status.state.value, "received": received}
    response = render(request, "continuity/spool/receipt.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
