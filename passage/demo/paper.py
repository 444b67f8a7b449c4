"""The demo's paper forms: two scans at intake waiting for the officer, one read whole
(to file as it is) and one photographed with a barcode cut off (to key in by hand), so
that the paper intake pages have something to show. Received through the real service,
keyed, so a second load adds nothing."""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from passage.accounts.models import User
from passage.paper import symbols
from passage.paper.document import printed_form
from passage.paper.layout import render_pdf
from passage.paperforms.catalogue import definition_for
from passage.paperforms.printing import form_pdf
from passage.paperforms.services import receive_scan

OTTAWA = ZoneInfo("America/Toronto")
FORM = "cit-grant-adult"


def _document(anchor: datetime, given_name: str, family_name: str, email: str) -> dict[str, Any]:
    signed = (anchor - timedelta(days=6)).astimezone(OTTAWA).date()
    return {
        "form": FORM,
        "form_version": 1,
        "applicant": {
            "given_name": given_name,
            "family_name": family_name,
            "date_of_birth": "1988-09-14",
            "place_of_birth": "Sfax",
            "country_of_birth": "TN",
            "preferred_language": "fr",
            "address": {
                "line1": "45, rue Racine",
                "city": "Québec",
                "province": "QC",
                "postal_code": "G1R 1J5",
            },
            **({"email": email} if email else {}),
        },
        "facts": {
            "signing_date": signed.isoformat(),
            "became_pr_on": "2018-04-03",
            "pre_pr_periods": [],
            "absences": [{"from": "2023-07-02", "to": "2023-07-28"}],
            "tax_years_filed": [2021, 2022, 2023, 2024, 2025],
            "language_clb": 7,
            "knowledge_test_passed": True,
        },
    }


def ensure_paper_forms(people: dict[str, User], anchor: datetime) -> None:
    """Receive the demo's two paper forms (once), as the officer, a few days ago."""
    definition = definition_for(FORM)
    if definition is None:
        return
    officer = people["officer"]
    received = (anchor - timedelta(days=2)).astimezone(OTTAWA).date()
    printed_at = anchor - timedelta(days=6)
    _printed, whole = form_pdf(
        definition,
        _document(anchor, "Yasmine", "Ben Salah", "yasmine.bensalah@example.org"),
        now=printed_at,
    )
    receive_scan(
        clerk=officer,
        filename="formulaire-ben-salah.pdf",
        content=whole,
        received_on=received,
        received_by="mail",
        idempotency_key="demo-paper-whole",
        now=anchor - timedelta(minutes=2),
    )
    document = {
        **_document(anchor, "Hamid", "Karimi-Tabrizi", ""),
        "printed_at": printed_at.astimezone(OTTAWA).replace(microsecond=0).isoformat(),
    }
    shown = printed_form(definition, document)
    texts = symbols.encode(document, form=FORM, chunk=200)
    # A phone photo that cut off the second barcode: the others read, the form does not.
    cut = replace(shown, symbols=(texts[0], *texts[2:]))
    receive_scan(
        clerk=officer,
        filename="photo-karimi.pdf",
        content=render_pdf(cut),
        received_on=received,
        received_by="counter",
        idempotency_key="demo-paper-cut",
        now=anchor - timedelta(minutes=2),
    )
