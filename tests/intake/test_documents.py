"""Documents per the program's checklist: checked by their content, scanned, stored by
their hash before anything refers to them, explained in English and French when refused,
and carried into the case on submission."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.intake import drafts
from passage.intake.catalogue import document_checklist, load_programs
from passage.intake.models import Document, DraftDocument
from tests.builders import MINIMAL_PDF, create_user
from tests.intake.test_catalogue import problems_for, valid_definition, write_program
from tests.intake.test_drafts import filled_draft

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
CORRUPT_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def eicar_scanner(content: bytes) -> str | None:
    """A test scanner that finds the EICAR test string, as every antivirus does."""
    return "EICAR test file" if EICAR in content else None


@pytest.fixture(autouse=True)
def _programs(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    load_programs()


@pytest.fixture(autouse=True)
def _english_after():
    """A French request leaves French active in the thread: later tests expect English."""
    yield
    translation.activate("en")


@pytest.fixture
def person():
    return create_user()


@pytest.fixture
def client(person):
    client = Client()
    client.force_login(person)
    return client


def stored_files() -> list[str]:
    root = Path(default_storage.location)
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


def answered_draft(person):
    """A draft with every question answered and no document yet."""
    draft = filled_draft(person)
    DraftDocument.objects.filter(draft=draft).delete()
    return draft


def documents_url(draft, language="en"):
    with translation.override(language):
        return reverse("intake:documents", kwargs={"draft_id": draft.public_id})


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("passport.pdf", MINIMAL_PDF, "application/pdf"),
        ("passport.jpg", JPEG, "image/jpeg"),
        ("passport.png", PNG, "image/png"),
    ],
)
def test_a_pdf_jpeg_or_png_is_accepted_and_recorded_with_its_sha256(
    client, person, filename, content, content_type
):
    draft = answered_draft(person)

    response = client.post(
        documents_url(draft),
        {"document-passport": SimpleUploadedFile(filename, content), "action": "later"},
    )

    assert response.status_code == 302
    document = DraftDocument.objects.get(draft=draft)
    assert document.kind == "passport"
    assert document.filename == filename
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with default_storage.open(document.storage_key, "rb") as handle:
        assert handle.read() == content


BAD_UPLOADS = {
    "renamed executable": (
        "passport.pdf",
        EXECUTABLE,
        "Only PDF, JPEG and PNG files are accepted.",
        "Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    ),
    "empty file": ("passport.pdf", b"", "The file is empty.", "Le fichier est vide."),
    "corrupt PDF": (
        "passport.pdf",
        CORRUPT_PDF,
        "The PDF file is damaged or incomplete.",
        "Le fichier PDF est endommagé ou incomplet.",
    ),
    "oversized file": (
        "passport.pdf",
        MINIMAL_PDF + b" " * 2 * 1024 * 1024 + b"%%EOF\n",
        "The file is larger than 1 MB.",
        "Le fichier dépasse 1\u00a0Mo.",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("bad", list(BAD_UPLOADS))
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_is_written(
    client, person, settings, language, bad
):
    settings.PASSAGE_MAX_DOCUMENT_BYTES = 1024 * 1024
    filename, content, english, french = BAD_UPLOADS[bad]
    draft = answered_draft(person)
    before = stored_files()

    response = client.post(
        documents_url(draft, language),
        {"document-passport": SimpleUploadedFile(filename, content), "action": "continue"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    text = response.content.decode()
    message = english if language == "en" else french
    assert message in text
    assert 'href="#document-passport"' in text
    assert not DraftDocument.objects.filter(draft=draft).exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The virus check found a threat in this file, so it was not accepted."),
        ("fr", "La vérification antivirus a détecté une menace dans ce fichier"),
    ],
)
def test_the_virus_scan_hook_refuses_an_infected_file(client, person, settings, language, message):
    settings.PASSAGE_VIRUS_SCANNER = "tests.intake.test_documents.eicar_scanner"
    draft = answered_draft(person)
    infected = MINIMAL_PDF.replace(b"trailer", EICAR + b"\ntrailer")
    before = stored_files()

    response = client.post(
        documents_url(draft, language),
        {"document-passport": SimpleUploadedFile("passport.pdf", infected), "action": "later"},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DraftDocument.objects.exists()
    assert stored_files() == before


def test_the_default_scanner_lets_a_clean_file_through(person, settings):
    settings.PASSAGE_VIRUS_SCANNER = "tests.intake.test_documents.eicar_scanner"
    draft = answered_draft(person)

    drafts.add_document(
        person=person,
        draft_id=draft.public_id,
        kind="passport",
        filename="passport.pdf",
        content=MINIMAL_PDF,
    )

    assert DraftDocument.objects.filter(draft=draft).count() == 1


def test_uploading_again_replaces_the_document_and_remove_takes_it_off(client, person):
    draft = answered_draft(person)
    upload = dict(person=person, draft_id=draft.public_id, kind="passport")
    drafts.add_document(filename="old.pdf", content=MINIMAL_PDF, **upload)

    drafts.add_document(filename="new.png", content=PNG, **upload)

    assert list(DraftDocument.objects.values_list("filename", flat=True)) == ["new.png"]
    response = client.post(documents_url(draft), {"remove": "passport"})
    assert response.status_code == 302
    assert not DraftDocument.objects.exists()


def test_a_document_the_checklist_does_not_ask_for_is_refused(person):
    draft = answered_draft(person)

    with pytest.raises(InvalidRequest):
        drafts.add_document(
            person=person,
            draft_id=draft.public_id,
            kind="tax-return",
            filename="tax.pdf",
            content=MINIMAL_PDF,
        )
    assert not DraftDocument.objects.exists()


def test_the_documents_page_has_one_labelled_file_input_per_checklist_item(client, person):
    draft = answered_draft(person)

    text = client.get(documents_url(draft)).content.decode()

    assert 'enctype="multipart/form-data"' in text
    for item in document_checklist("iec"):
        assert f'<label class="gc-label" for="document-{item.kind}">{item.name_en}' in text
        assert f'type="file" class="gc-file" id="document-{item.kind}"' in text


def test_continuing_without_a_required_document_is_explained(client, person):
    draft = answered_draft(person)

    response = client.post(documents_url(draft), {"action": "continue"})

    assert response.status_code == 400
    assert "Upload a file for “Passport”." in response.content.decode()


def test_check_your_answers_lists_the_documents_with_a_change_link(client, person):
    draft = filled_draft(person)
    with translation.override("en"):
        check = reverse("intake:check", kwargs={"draft_id": draft.public_id})

    text = client.get(check).content.decode()

    assert "passport.pdf" in text
    assert "proof-of-funds.pdf" in text
    assert f'href="{documents_url(draft)}"' in text


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Upload every required document"), ("fr", "Téléversez chaque document requis")],
)
def test_a_missing_required_document_blocks_submission(client, person, language, message):
    draft = answered_draft(person)

    with pytest.raises(InvalidRequest):
        drafts.submit_draft(person=person, draft_id=draft.public_id)
    with translation.override(language):
        check = reverse("intake:check", kwargs={"draft_id": draft.public_id})
    response = client.post(check, {"declaration": "yes"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_the_submitted_case_has_the_documents(person):
    draft = filled_draft(person)
    uploaded = {d.kind: d for d in DraftDocument.objects.filter(draft=draft)}

    case = drafts.submit_draft(person=person, draft_id=draft.public_id).case

    documents = {d.kind: d for d in Document.objects.filter(application=case.application)}
    assert set(documents) == {"passport", "proof-of-funds"}
    for kind, document in documents.items():
        assert document.sha256 == uploaded[kind].sha256
        assert document.storage_key == uploaded[kind].storage_key
        assert default_storage.exists(document.storage_key)


def test_submitting_twice_with_documents_gives_one_case(person):
    draft = filled_draft(person)

    first = drafts.submit_draft(person=person, draft_id=draft.public_id)
    draft.case = None  # as if the first answer was lost: the key and the hash decide
    draft.save(update_fields=["case"])
    second = drafts.submit_draft(person=person, draft_id=draft.public_id)

    assert second.replayed
    assert first.case.pk == second.case.pk
    assert Case.objects.count() == 1
    assert Document.objects.count() == 2


def test_a_checklist_with_mistakes_is_reported_with_each_key(tmp_path):
    definition = valid_definition(
        documents=[
            {"kind": "Passport", "name": {"en": "Passport"}, "required": "yes"},
            {"kind": "photo", "name": {"en": "Photo", "fr": "Photo"}, "required": True},
            {"kind": "photo", "name": {"en": "Photo", "fr": "Photo"}, "required": True, "x": 1},
        ]
    )
    write_program(tmp_path, "sample", definition)

    problems = problems_for(tmp_path)

    assert any("documents[0].kind: must be lower-case words" in p for p in problems)
    assert any("documents[0].name.fr: is missing" in p for p in problems)
    assert any("documents[0].required: must be true or false" in p for p in problems)
    assert any("documents[2].x: unknown key" in p for p in problems)
    assert any("documents[2].kind: 'photo' is listed twice" in p for p in problems)


def test_every_program_that_takes_applications_online_has_a_checklist():
    for code in ("iec", "family-sponsor", "pr-card", "citizenship", "it-worker"):
        items = document_checklist(code)
        assert 2 <= len(items) <= 4, code
        assert any(item.required for item in items), code
