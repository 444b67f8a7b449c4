"""The tracker pages through Django's test client: linking, the case page, sending
documents with a plain form, and the same 404 for a case one may not see."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.cases import services as cases
from passage.cases.models import DocumentRequest
from passage.cases.status import Step
from passage.intake.models import Document
from passage.outbox.delivery import build_message
from passage.outbox.models import OutboxMessage
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import (
    MINIMAL_PDF,
    create_user,
    date_parts,
    refuse,
    same_page_parts,
    submit_case,
)
from tests.tracker.builders import (
    ask_for_documents,
    officer_in,
    revoked_representative,
    worked_case,
)

pytestmark = pytest.mark.django_db

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def url(name, language="en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"tracker:{name}", kwargs=kwargs)


def neutral(html: bytes, *ids) -> str:
    """The page without what differs by design (see `same_page_parts`)."""
    return same_page_parts(html.decode(), *ids)


def tracker_section(html: bytes) -> str:
    found = re.search(r'<section class="gc-tracker".*?</section>', html.decode(), re.S)
    assert found, "the page has no tracker section"
    return found.group(0)


def test_a_client_links_a_case_and_lands_on_its_page():
    case = submit_case()
    client = signed_in(create_user())

    asked = client.post(
        url("link"), {"reference": case.reference, **date_parts("date_of_birth", "1998-02-28")}
    )
    email = build_message(OutboxMessage.objects.get(case=case, template="link_code"))
    code = re.search(r"^(\d{6})$", email.body, re.M).group(1)
    linked = client.post(asked["Location"], {"code": code})

    assert linked.status_code == 302
    assert linked["Location"] == url("case", case_id=case.public_id)
    page = client.get(linked["Location"])
    assert page.status_code == 200
    assert f"Application {case.reference} is now linked to your account." in page.content.decode()


def test_a_wrong_code_is_shown_as_an_error_on_the_code_page():
    case = submit_case()
    client = signed_in(create_user())
    asked = client.post(
        url("link"), {"reference": case.reference, **date_parts("date_of_birth", "1998-02-28")}
    )

    response = client.post(asked["Location"], {"code": "000000x"})

    assert response.status_code == 200
    assert "This code does not work. Check it, or ask for a new code." in response.content.decode()
    assert "gc-error-summary" in response.content.decode()


def test_too_many_requests_are_said_on_the_link_page(settings):
    settings.PASSAGE_LINK_REQUESTS_PER_PERSON = 1
    client = signed_in(create_user())
    details = {"reference": "P000000000000001", **date_parts("date_of_birth", "1998-02-28")}
    client.post(url("link"), details)

    response = client.post(url("link"), details)

    assert "You asked for too many codes. Wait an hour, then try again." in (
        response.content.decode()
    )


def test_the_tracker_pages_ask_to_sign_in():
    case = submit_case()

    for address in (url("link"), url("case", case_id=case.public_id)):
        response = Client().get(address)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_the_case_page_shows_status_steps_documents_due_and_estimate():
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)

    page = signed_in(case.application.applicant).get(url("case", case_id=case.public_id))

    html = page.content.decode()
    assert page.status_code == 200
    assert f"<h1>Application {case.reference}</h1>" in html
    assert "In review" in html
    assert "Medical exam" in html
    assert "Waiting on you" in html
    assert "Pacific time" in html
    assert f'action="{url("documents", case_id=case.public_id)}"' in html
    assert f'name="request" value="{request.pk}"' in html
    assert 'name="idempotency_key"' in html
    assert "you may ask us about your application" in html


def test_a_french_client_reads_the_page_in_french():
    case = worked_case()

    page = signed_in(case.application.applicant).get(url("case", "fr", case_id=case.public_id))

    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()
    assert "Expérience internationale Canada" in page.content.decode()


def test_a_case_one_may_not_see_is_the_same_404_as_a_missing_case():
    case = worked_case()
    revoked = revoked_representative(case)
    missing = uuid.uuid4()

    for person in (create_user(), revoked):
        client = signed_in(person)
        for name, method in (("case", "get"), ("documents", "post")):
            hidden = getattr(client, method)(url(name, case_id=case.public_id))
            absent = getattr(client, method)(url(name, case_id=missing))
            assert hidden.status_code == absent.status_code == 404
            assert hidden["Content-Type"] == absent["Content-Type"]
            assert neutral(hidden.content, case.public_id) == neutral(absent.content, missing)


def page_with_a_request():
    """A file whose medical step waits on its applicant, who has its page open: the
    officer, the case, the request, the applicant's client and the upload form's key."""
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    client = signed_in(case.application.applicant)
    page = client.get(url("case", case_id=case.public_id)).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return officer, case, request, client, key


def test_sending_documents_works_with_a_plain_form_post():
    _, case, request, client, key = page_with_a_request()
    upload = {
        "request": request.pk,
        "idempotency_key": key,
        "documents": _upload("medical.pdf", MINIMAL_PDF),
    }

    sent = client.post(url("documents", case_id=case.public_id), upload)

    assert sent.status_code == 302
    assert sent["Location"] == url("case", case_id=case.public_id)
    after = client.get(sent["Location"]).content.decode()
    assert "We received your documents. An officer will look at them." in after
    assert "Nothing for now. We will email you if we need something." in after
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is not None
    upload["documents"] = _upload("medical.pdf", MINIMAL_PDF)
    again = client.post(url("documents", case_id=case.public_id), upload)
    assert again.status_code == 302
    assert Document.objects.filter(kind=f"request-{request.pk}").count() == 1


def test_a_bad_file_is_refused_with_an_error_and_the_request_stays_open():
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    client = signed_in(case.application.applicant)

    response = client.post(
        url("documents", case_id=case.public_id),
        {
            "request": request.pk,
            "idempotency_key": uuid.uuid4().hex,
            "documents": _upload("medical.pdf", b"MZ\x90\x00not a pdf"),
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "gc-error-summary" in html
    assert "medical.pdf: Only PDF, JPEG and PNG files are accepted." in html
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None


def test_the_client_page_and_the_officers_panel_show_the_same_view():
    officer = officer_in()
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.MEDICAL)
    cases.add_note(
        case_id=case.public_id, actor=officer, text="Second note.", idempotency_key="note-2"
    )

    client_page = signed_in(case.application.applicant).get(url("case", case_id=case.public_id))
    officer_page = signed_in_with_mfa(officer).get(f"/en/workbench/files/{case.public_id}/")

    assert officer_page.status_code == 200
    assert "What the client sees" in officer_page.content.decode()
    # Dates are shown in each reader's own time zone; everything else is the same.
    client_view = without_times(tracker_section(client_page.content))
    assert without_times(tracker_section(officer_page.content)) == client_view
    assert "Medical exam" in client_view
    assert "In review" in client_view
    assert "note" not in client_view.lower()
    assert "assigned" not in client_view.lower()


def without_times(html: str) -> str:
    return re.sub(r"<time [^>]*>[^<]*</time>", "TIME", html)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_refused_case_page_asks_for_nothing(language):
    officer = officer_in()
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.BIOMETRICS)
    refuse(case, officer)

    html = (
        signed_in(case.application.applicant)
        .get(url("case", language, case_id=case.public_id))
        .content.decode()
    )

    assert 'type="file"' not in html
    assert f'action="{url("documents", language, case_id=case.public_id)}"' not in html
    if language == "en":
        assert "Send documents for" not in html
        assert "Waiting on you" not in html
        assert "Nothing: a decision was made on your application." in html
        assert "No longer needed" in html
        assert "We no longer need the documents for “Biometrics”" in html
    else:
        assert "Envoyez les documents" not in html
        assert "En attente de votre part" not in html
        assert "Plus nécessaire" in html


def test_a_waiting_step_says_what_to_send_and_by_when():
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)

    html = (
        signed_in(case.application.applicant)
        .get(url("case", case_id=case.public_id))
        .content.decode()
    )

    steps = tracker_section(html.encode())
    assert "Send the documents we asked for by the due date." in steps
    due = f"{request.due_on.day} {request.due_on:%B} {request.due_on.year}"
    assert f"Medical exam report, by {due}" in steps


def test_sending_documents_for_a_request_closed_by_the_decision_says_why_on_the_page():
    officer, case, request, client, key = page_with_a_request()
    refuse(case, officer)

    response = client.post(
        url("documents", case_id=case.public_id),
        {
            "request": request.pk,
            "idempotency_key": key,
            "documents": _upload("medical.pdf", MINIMAL_PDF),
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "gc-error-summary" in html
    assert (
        "This request is closed: a decision was made on the application, so we no longer "
        "need these documents."
    ) in html
    assert 'type="file"' not in html
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None


@pytest.mark.parametrize(
    ("language", "legend", "day"),
    [("en", "Date of birth of the person who applied", "Day"), ("fr", "Date de naissance", "Jour")],
)
def test_the_link_form_asks_the_date_of_birth_in_day_month_and_year_boxes(
    language: str, legend: str, day: str
) -> None:
    html = signed_in(create_user()).get(url("link", language)).content.decode()

    assert f'<legend class="gc-fieldset__legend">{legend}' in html
    assert f'<label for="id_date_of_birth_0">{day}</label>' in html
    assert 'name="date_of_birth_2"' in html
    assert 'type="date"' not in html


def test_a_date_of_birth_that_is_not_a_real_date_is_explained_beside_the_boxes() -> None:
    response = signed_in(create_user()).post(
        url("link"), {"reference": "P000000000000001", **date_parts("date_of_birth", "1998-02-31")}
    )

    assert response.status_code == 200
    assert "Enter a real date, like 27 3 1985" in response.content.decode()


def test_a_decided_case_page_no_longer_estimates_how_long_it_takes():
    officer = officer_in()
    case = worked_case(officer)
    refuse(case, officer)
    client = signed_in(case.application.applicant)

    decided = client.get(url("case", case_id=case.public_id)).content.decode()
    other = worked_case(officer)
    still_open = (
        signed_in(other.application.applicant)
        .get(url("case", case_id=other.public_id))
        .content.decode()
    )

    assert "How long it takes" not in decided
    assert "How long it takes" in still_open
