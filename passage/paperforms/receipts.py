"""The client's receipt for a filed paper form, on paper: what it says, in the client's
language, for `passage.paper.acknowledgement` to lay out."""

from django.utils import translation
from django.utils.translation import gettext as _

from passage.continuity.models import Outage
from passage.languages import written_date
from passage.paper.acknowledgement import Acknowledgement
from passage.paperforms.models import PaperScan


def acknowledgement_of(scan: PaperScan) -> Acknowledgement:
    """The receipt of a filed scan: to whom, the reference, the day it was received and
    filed, and the outages of that day, which make it on time for what they touched."""
    assert scan.case is not None
    application = scan.case.application
    language = application.preferred_language
    details = (scan.document or {}).get("applicant", {})
    address = details.get("address") or {}
    city = " ".join(part for part in (address.get("city"), address.get("province")) if part)
    lines = [address.get("line1"), address.get("line2"), city, address.get("postal_code")]
    outages = Outage.objects.filter(reference__in=scan.outages).order_by("starts_at")
    with translation.override(language):
        day = written_date(scan.received_on, language)
        paragraphs = [
            _(
                "We received your paper application on %(day)s. It is filed under the "
                "reference %(reference)s, with that day as the day it was filed."
            )
            % {"day": day, "reference": scan.case.reference},
        ]
        if outages:
            paragraphs.append(
                _(
                    "Our online services were unavailable that day (%(outages)s). Your "
                    "application counts as filed on time for any deadline that outage touched."
                )
                % {"outages": ", ".join(outage.reference for outage in outages)}
            )
        paragraphs.append(
            _(
                "Keep this receipt. Quote the reference whenever you write to us about "
                "your application."
            )
        )
        return Acknowledgement(
            language=language,
            heading=_("Receipt of your paper application"),
            recipient=(
                f"{application.given_name} {application.family_name}",
                *(str(line) for line in lines if line),
            ),
            reference=scan.case.reference,
            reference_label=_("Reference"),
            paragraphs=tuple(paragraphs),
        )
