"""The public verification page: anyone (an employer, a landlord, a border officer) sends
the eCOPR PDF, a picture of its QR code or the text a scanner read from it, and sees
whether it is genuine, unaltered and not revoked, with only the fields on the document.
The revocation list the department keeps is public too."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from passage import clock
from passage.accounts.access import gate
from passage.residence import selectors, verification
from passage.residence.forms import VerifyForm

MAX_UPLOAD = 10 * 1024 * 1024

# Why a document is not genuine, in the words a verifier reads.
REASONS = {
    "not_a_pdf": _("The file is not a PDF document."),
    "unsigned": _("The document carries no signature of the department."),
    "several_signatures": _("The document carries more than one signature: it is not as issued."),
    "altered": _("The document was changed after it was signed."),
    "changed_after_signing": _("The document was changed after it was signed."),
    "untrusted": _("The document was not signed by the department."),
    "bad_signature": _("The signature does not match the document."),
    "no_timestamp": _("The signature carries no time stamp."),
    "bad_timestamp": _("The signature's time stamp is not valid."),
    "no_credential": _("No QR code of the department was found on the document."),
    "credential_mismatch": _("The QR code does not match the rest of the document."),
    "not_a_credential": _("This is not the QR code of a confirmation of permanent residence."),
    "unknown_key": _("The QR code was not signed with a key of the department."),
    "unsupported_version": _("The QR code is of a version this page does not know."),
    "not_issued": _("The department has no record of issuing this document."),
    "not_as_issued": _(
        "This file is not an eCOPR as the department issued it: it was changed after it "
        "was issued, or the department never issued it."
    ),
    "revoked": _("The department revoked this confirmation of permanent residence."),
    "no_qr_code": _(
        "No QR code could be read in the picture. Take a sharper picture of the whole code."
    ),
    "nothing_sent": _(
        "Choose the PDF file, a picture of the QR code, or paste the QR code's text."
    ),
}


@gate(public=True)
def verify(request: HttpRequest) -> HttpResponse:
    """The form, and on POST, the verdict."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    reason = ""
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        document = form.cleaned_data.get("document")
        picture = form.cleaned_data.get("qr_image")
        text = form.cleaned_data.get("qr_text", "").strip()
        if document is not None and document.size <= MAX_UPLOAD:
            verdict = verification.check_issued_pdf(document.read(), now=now)
        elif picture is not None and picture.size <= MAX_UPLOAD:
            verdict = verification.check_qr_image(picture.read(), now=now)
            reason = "no_qr_code" if verdict is None else ""
        elif text:
            verdict = verification.check_qr_text(text, now=now)
        else:
            reason = "nothing_sent"
        if verdict is not None and not verdict.genuine:
            reason = verdict.reason
    context = {
        "form": form,
        "verdict": verdict,
        "reason": REASONS.get(reason, reason) if reason else "",
    }
    return render(request, "residence/verify.html", context, status=200)


@gate(public=True)
def revocation_list(request: HttpRequest) -> HttpResponse:
    """The eCOPRs the department revoked, as JSON."""
    return JsonResponse(
        {"issuer": "CA", "revoked": selectors.revoked_documents(), "at": clock.now().isoformat()}
    )
