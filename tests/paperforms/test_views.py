"""The paper channel's pages: a client prints the form without an account; intake staff
upload a scan, see it read, and file it; nobody else sees the scans."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.paper import reading, symbols
from passage.paperforms import services
from passage.paperforms.models import PaperScan
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_officer, create_user
from tests.paperforms.builders import (
    blanked_symbol_scan,
    citizenship_program,
    document,
    printed,
    scanned,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime.now(ZoneInfo("America/Toronto")).date()


def filled_in() -> dict[str, str]:
    """The example person's answers as the page's inputs."""
    return {
        "given_name": "Amélie",
        "family_name": "Poulain",
        "date_of_birth-day": "12",
        "date_of_birth-month": "4",
        "date_of_birth-year": "1990",
        "citizenship": "FR",
        "email": "",
        "preferred_language": "fr",
        "became_pr_on-day": "10",
        "became_pr_on-month": "5",
        "became_pr_on-year": "2019",
        "lived_before_pr": "no",
        "travelled": "no",
        "tax_years_filed": "2021, 2022, 2023, 2024, 2025",
        "language_clb": "6",
        "knowledge_test_passed": "yes",
        "address-line1": "12 rue des Abbesses",
        "address-city": "Montréal",
        "address-province": "QC",
        "address-postal_code": "h2x3k8",
        "action": "print",
    }


def test_a_client_without_an_account_downloads_the_form_with_their_answers_in_its_symbols() -> None:
    response = Client().post(
        reverse("paper-forms:fill-in", kwargs={"code": "cit-grant-adult"}), filled_in()
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cit-grant-adult.pdf"'
    _code, document = symbols.decode(reading.read_scan(response.content).texts)
    assert document["applicant"]["given_name"] == "Amélie"
    assert "email" not in document["applicant"]
    assert document["applicant"]["address"]["postal_code"] == "H2X 3K8"
    assert document["facts"]["pre_pr_periods"] == []
    assert document["facts"]["signing_date"] == TODAY.isoformat()


def test_a_wrong_answer_shows_the_page_again_with_the_error_and_what_was_typed() -> None:
    answers = {**filled_in(), "date_of_birth-month": "13", "uci": "12"}

    response = Client().post(
        reverse("paper-forms:fill-in", kwargs={"code": "cit-grant-adult"}), answers
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There was a problem" in page
    assert "Enter your UCI as 8 or 10 digits" in page
    assert 'value="Amélie"' in page


def test_the_french_page_asks_the_questions_in_french() -> None:
    with translation.override("fr"):
        url = reverse("paper-forms:fill-in", kwargs={"code": "cit-grant-adult"})

    response = Client().get(url)

    assert url.startswith("/fr/formulaires-papier/")
    assert "Quel est votre nom" in response.content.decode()


def test_intake_staff_upload_a_scan_and_see_the_application_as_read() -> None:
    officer = create_officer()
    client = signed_in_with_mfa(officer)
    _sent, pdf = printed()
    upload = scanned(pdf)
    response = client.post(
        reverse("paper-intake:scans"),
        {
            "scan": SimpleUploadedFile("scan.png", upload, content_type="image/png"),
            "received_on_0": str(TODAY.day),
            "received_on_1": str(TODAY.month),
            "received_on_2": str(TODAY.year),
            "received_by": "counter",
            "idempotency_key": "upload-1",
        },
        follow=True,
    )

    assert response.status_code == 200
    scan = PaperScan.objects.get()
    assert scan.state == PaperScan.State.READ
    page = response.content.decode()
    assert "Tremblay-Nguyễn" in page
    assert reverse("paper-intake:page", kwargs={"scan_id": scan.public_id, "number": 1}) in page
    image = client.get(
        reverse("paper-intake:page", kwargs={"scan_id": scan.public_id, "number": 1})
    )
    assert image["Content-Type"] == "image/png"


def test_filing_from_the_page_says_the_reference_and_the_receipt_on_paper_is_printable() -> None:
    citizenship_program()
    officer = create_officer()
    client = signed_in_with_mfa(officer)
    scan = services.receive_scan(
        clerk=officer,
        filename="scan.png",
        content=scanned(printed(document(email=None))[1]),
        received_on=TODAY,
        received_by="mail",
        idempotency_key="k",
    )

    response = client.post(
        reverse("paper-intake:file", kwargs={"scan_id": scan.public_id}),
        {"idempotency_key": "file-1"},
        follow=True,
    )

    scan.refresh_from_db()
    assert scan.case is not None
    assert f"The application is filed under {scan.case.reference}." in response.content.decode()
    receipt = client.get(reverse("paper-intake:receipt", kwargs={"scan_id": scan.public_id}))
    assert receipt["Content-Type"] == "application/pdf"


def test_people_who_do_not_handle_paper_never_see_the_scans() -> None:
    client = Client()
    client.force_login(create_user())

    response = client.get(reverse("paper-intake:scans"))

    assert response.status_code in (403, 404)


def test_a_clerk_keys_in_a_damaged_form_with_the_day_it_was_signed() -> None:
    citizenship_program()
    officer = create_officer()
    client = signed_in_with_mfa(officer)
    scan = services.receive_scan(
        clerk=officer,
        filename="scan.png",
        content=blanked_symbol_scan(printed()[1]),
        received_on=TODAY,
        received_by="mail",
        idempotency_key="k",
    )
    page = reverse("paper-intake:key-in", kwargs={"scan_id": scan.public_id})
    assert "?form=cit-grant-adult" in client.get(page).content.decode()  # which form is it?
    url = f"{page}?form=cit-grant-adult"
    assert "Day the form was signed" in client.get(url).content.decode()
    signed = TODAY - datetime.timedelta(days=3)
    typed = {
        **filled_in(),
        "signed_on_0": str(signed.day),
        "signed_on_1": str(signed.month),
        "signed_on_2": str(signed.year),
        "idempotency_key": "key-in-1",
        "action": "file",
    }

    late = client.post(url, {**typed, "signed_on_2": str(TODAY.year + 1)})
    response = client.post(url, typed)

    assert late.status_code == 400
    assert "A form cannot be signed after the day it was received." in late.content.decode()
    assert response.status_code == 302
    scan.refresh_from_db()
    answers = scan.case.application.answers.get().answers
    assert answers["signing_date"] == signed.isoformat()
    assert scan.case.application.given_name == "Amélie"
