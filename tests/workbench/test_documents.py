"""Staff open the documents of a case: named by what was asked for, viewed in the page or
downloaded with the headers that fence the file off, only on a case they may see, and
every time logged."""

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction

from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.models import Case, DeclaredConflict
from passage.cases.status import Step
from passage.intake.models import Document
from passage.tracker.services import answer_document_request
from passage.workbench.models import DocumentAccess
from tests.builders import MINIMAL_PDF, create_user, png_image
from tests.tracker.builders import ask_for_documents, officer_in, worked_case
from tests.workbench.builders import create_skilled_officer, create_supervisor
from tests.workbench.test_views import case_url, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


@pytest.fixture
def answered():
    """A file with the passport sent with the application and a photo of a medical exam
    report sent in answer to the officer's request."""
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=request.pk,
        files=[("exam.png", png_image())],
        idempotency_key="answer",
    )
    return officer, case


def documents_of(case: Case) -> tuple[Document, Document]:
    passport = Document.objects.get(application=case.application, kind="passport")
    answer = Document.objects.get(application=case.application, kind__startswith="request-")
    return passport, answer


def document_url(case: Case, document: Document, what: str = "", language: str = "en") -> str:
    suffixes = {"en": ("", "file/", "download/"), "fr": ("", "fichier/", "telecharger/")}
    suffix = dict(zip(("", "file", "download"), suffixes[language], strict=True))[what]
    return case_url(case, language, f"documents/{document.pk}/{suffix}")


def test_the_case_page_names_each_document_by_the_checklist_and_the_request(answered):
    officer, case = answered
    client = signed_in(officer)

    english = client.get(case_url(case)).content.decode()
    french = client.get(case_url(case, "fr")).content.decode()

    assert ">Passport</th>" in english
    assert "Medical exam report (asked for the medical exam step)" in english
    assert ">Passeport</th>" in french
    assert "Medical exam report (demandé pour l\u2019étape examen médical)" in french
    assert "request-" not in english.split('id="documents"')[1].split("</table>")[0]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_views_each_document_in_the_page_and_inline(answered, language):
    officer, case = answered
    client = signed_in(officer)
    passport, answer = documents_of(case)

    page = client.get(document_url(case, passport, language=language))
    assert page.status_code == 200
    assert "object-src 'self'" in page["Content-Security-Policy"]
    assert f'<object data="{document_url(case, passport, "file", language)}"' in (
        page.content.decode()
    )
    image_page = client.get(document_url(case, answer, language=language)).content.decode()
    assert f'<img src="{document_url(case, answer, "file", language)}"' in image_page

    for document, content_type in ((passport, "application/pdf"), (answer, "image/png")):
        response = client.get(document_url(case, document, "file", language))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert response["Cache-Control"] == "no-store, private"
        assert (
            b"".join(response.streaming_content)
            == default_storage.open(document.storage_key).read()
        )


def test_an_officer_downloads_each_document_as_an_attachment(answered):
    officer, case = answered
    client = signed_in(officer)
    passport, answer = documents_of(case)

    pdf = client.get(document_url(case, passport, "download"))
    png = client.get(document_url(case, answer, "download"))

    assert pdf["Content-Disposition"] == 'attachment; filename="passport.pdf"'
    assert pdf["Content-Type"] == "application/pdf"
    assert png["Content-Disposition"] == 'attachment; filename="exam.png"'
    assert png["Content-Type"] == "image/png"
    for response in (pdf, png):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert b"".join(pdf.streaming_content) == MINIMAL_PDF


def test_each_access_is_logged_and_supervisors_see_who_opened_what(answered):
    officer, case = answered
    client = signed_in(officer)
    passport, answer = documents_of(case)

    client.get(document_url(case, passport))  # the viewer page alone serves no bytes
    client.get(document_url(case, passport, "file"))
    client.get(document_url(case, answer, "download"))

    logged = list(DocumentAccess.objects.order_by("pk"))
    assert [(a.person, a.case, a.document, a.action) for a in logged] == [
        (officer, case, passport, "view"),
        (officer, case, answer, "download"),
    ]
    name = officer.get_full_name() or officer.get_username()
    supervisor = create_supervisor(officer.office.code)
    supervisor_page = signed_in(supervisor).get(case_url(case)).content.decode()
    assert f"Viewed by {name} at" in supervisor_page
    assert f"Downloaded by {name} at" in supervisor_page
    officer_page = client.get(case_url(case)).content.decode()
    assert "Viewed by" not in officer_page


def test_an_officer_with_a_conflict_of_interest_gets_404(answered):
    _, case = answered
    passport, _ = documents_of(case)
    conflicted = create_skilled_officer(office="toronto")
    cases.declare_conflict(
        case_id=case.public_id,
        actor=conflicted,
        kind=DeclaredConflict.Kind.RELATIVE,
        note="My cousin.",
        idempotency_key="conflict",
    )
    client = signed_in(conflicted)

    for what in ("", "file", "download"):
        assert client.get(document_url(case, passport, what)).status_code == 404
    assert not DocumentAccess.objects.exists()


def test_an_applicant_gets_404_even_for_their_own_documents(answered):
    _, case = answered
    passport, _ = documents_of(case)
    for person in (case.application.applicant, create_user(Role.APPLICANT)):
        client = signed_in(person)
        for what in ("", "file", "download"):
            assert client.get(document_url(case, passport, what)).status_code == 404
    assert not DocumentAccess.objects.exists()


def test_a_document_of_another_case_is_a_404(answered):
    officer, case = answered
    passport, _ = documents_of(case)
    other = worked_case(officer)

    response = signed_in(officer).get(document_url(other, passport, "file"))

    assert response.status_code == 404


def test_a_damaged_stored_copy_is_never_served(answered):
    officer, case = answered
    passport, _ = documents_of(case)
    with open(default_storage.path(passport.storage_key), "wb") as handle:
        handle.write(b"%PDF-1.4 not what was sent")
    client = signed_in(officer)

    for what in ("file", "download"):
        response = client.get(document_url(case, passport, what))
        assert response.status_code == 302
        assert response["Location"] == case_url(case)
    assert "is damaged and cannot be opened" in client.get(case_url(case)).content.decode()
    assert not DocumentAccess.objects.exists()


def test_the_access_log_is_apart_from_the_case_events(answered):
    officer, case = answered
    passport, _ = documents_of(case)
    before = case.events.count()

    signed_in(officer).get(document_url(case, passport, "download"))

    assert case.events.count() == before


@pytest.mark.postgres_only  # SQLite refuses the update only: its test flush deletes rows
def test_the_database_refuses_to_change_or_remove_an_access(answered):
    officer, case = answered
    passport, _ = documents_of(case)
    signed_in(officer).get(document_url(case, passport, "download"))
    access = DocumentAccess.objects.get()

    for change in (lambda: DocumentAccess.objects.update(action="view"), access.delete):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
