"""Documents per the program's checklist: checked by their content, scanned, stored by
their hash before anything refers to them, explained in English and French when refused,
and carried into the case on submission."""

import hashlib
import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter

from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.intake import drafts
from passage.intake.catalogue import document_checklist, load_programs
from passage.intake.documents import DocumentUpload, check_document
from passage.intake.models import Document, DraftDocument
from tests.builders import (
    MINIMAL_PDF,
    build_pdf,
    create_user,
    jpeg_image,
    one_page_pdf,
    png_image,
)
from tests.intake.flows.answers import programs_with_a_flow
from tests.intake.test_catalogue import problems_for, valid_definition, write_program
from tests.intake.test_drafts import filled_draft

pytestmark = pytest.mark.django_db

JPEG = jpeg_image()
PNG = png_image()
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


# -- What a file must be beyond its first bytes -------------------------------------------

WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
LOOKS_LIKE_A_WEB_PAGE = "The file contains web page code, which is not accepted."
EXTRA_DATA = "The file has extra data after its end, which is not accepted."
DAMAGED_IMAGE = "The image file is damaged or incomplete."
DAMAGED_PDF = "The PDF file is damaged or incomplete."
ACTIVE_PDF = "The PDF contains scripts or embedded files, which are not accepted."


def refusal(filename: str, content: bytes) -> str | None:
    """What the person is told about the file, or None if it is accepted."""
    result = check_document(DocumentUpload("passport", filename, content))
    return result if isinstance(result, str) else None


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header (with a correct CRC) declares the size; its pixel data is a few
    bytes, as in a decompression bomb that would inflate to width x height x 3 bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real JPEG whose frame header is rewritten to declare the size."""
    picture = bytearray(jpeg_image())
    frame = picture.index(b"\xff\xc0")
    picture[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(picture)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("setup.exe", EXECUTABLE)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.4\n" + WEB_PAGE + b"\n%%EOF\n", id="web page with a PDF header"),
        pytest.param(one_page_pdf(comment=WEB_PAGE), id="real PDF with a web page comment"),
        pytest.param(png_with_text("<svg onload=alert(1)>"), id="PNG with SVG in a text chunk"),
    ],
)
def test_a_file_that_is_also_a_web_page_is_refused_and_nothing_is_written(client, person, content):
    draft = answered_draft(person)
    before = stored_files()

    response = client.post(
        documents_url(draft),
        {"document-passport": SimpleUploadedFile("passport.pdf", content), "action": "later"},
    )

    assert response.status_code == 400
    assert LOOKS_LIKE_A_WEB_PAGE in response.content.decode()
    assert not DraftDocument.objects.exists()
    assert stored_files() == before


def test_a_png_with_a_web_page_after_its_end_is_refused():
    photo = io.BytesIO()
    Image.effect_noise((64, 64), 40).save(photo, "PNG")  # past the first KB, where sniffers look
    assert len(photo.getvalue()) > 1024

    assert refusal("photo.png", photo.getvalue() + WEB_PAGE) == (
        f"{EXTRA_DATA} Save it again and upload the new copy."
    )


def test_a_jpeg_with_a_zip_archive_after_its_end_is_refused():
    assert EXTRA_DATA in refusal("photo.jpg", jpeg_image() + zip_archive())


def test_a_pdf_with_a_zip_archive_after_its_end_is_refused():
    assert EXTRA_DATA in refusal("statement.pdf", MINIMAL_PDF + zip_archive())


def test_the_padding_some_cameras_add_after_a_jpeg_is_accepted():
    assert refusal("photo.jpg", jpeg_image() + b"\x00" * 40 + b"\xff" * 8) is None


def test_a_phone_photo_that_carries_a_second_picture_is_accepted():
    picture = Image.new("RGB", (32, 24), (10, 120, 200))
    buffer = io.BytesIO()
    picture.save(buffer, "MPO", save_all=True, append_images=[picture.convert("L")])

    assert refusal("photo.jpg", buffer.getvalue()) is None


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        pytest.param("bomb.png", png_declaring(100_000, 100_000), id="PNG of 10 gigapixels"),
        pytest.param("bomb.png", png_declaring(10_000, 10_000), id="PNG of 100 megapixels"),
        pytest.param("bomb.png", png_declaring(8_000, 8_000), id="PNG of 64 megapixels"),
        pytest.param("bomb.jpg", jpeg_declaring(60_000, 60_000), id="JPEG of 3.6 gigapixels"),
    ],
)
def test_an_image_with_too_many_pixels_is_refused_without_being_decoded(
    monkeypatch, filename, content
):
    def decode(image):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    started = time.perf_counter()

    message = refusal(filename, content)

    assert message == "The image is too large: 50 megapixels at most."
    assert time.perf_counter() - started < 1


def test_the_pixel_budget_is_a_setting(settings):
    settings.PASSAGE_MAX_IMAGE_PIXELS = 1_500_000

    assert refusal("photo.png", png_image(1_500, 1_001)) == (
        "The image is too large: 1.5 megapixels at most."
    )
    assert refusal("photo.png", png_image(1_500, 1_000)) is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(png_image()[:-20], id="PNG cut short"),
        pytest.param(png_image().replace(b"IDAT", b"IDAT\xff\xff", 1), id="PNG damaged"),
        pytest.param(jpeg_image()[:200] + b"\xff\xd9", id="JPEG cut short"),
    ],
)
def test_a_damaged_image_is_refused(content):
    assert refusal("photo", content) == DAMAGED_IMAGE


OPENING_SCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


@pytest.mark.parametrize(
    ("catalogue", "extra"),
    [
        pytest.param(b"/OpenAction 6 0 R", (OPENING_SCRIPT,), id="script run on opening"),
        pytest.param(b"/AA << /WC 6 0 R >>", (OPENING_SCRIPT,), id="script run on closing"),
        pytest.param(
            b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >>",
            (OPENING_SCRIPT,),
            id="document-level script",
        ),
        pytest.param(
            b"/OpenAction << /S /Launch /F (calc.exe) >>", (), id="program launched on opening"
        ),
        pytest.param(
            b"/OpenAction << /S /URI /URI (java\tscript:alert\\(1\\)) >>",
            (),
            id="javascript: address",
        ),
        pytest.param(
            b"/AcroForm << /Fields [] /XFA 6 0 R >>",
            (b"<< /Length 7 >>\nstream\n<xdp/>\nendstream",),
            id="XFA form",
        ),
    ],
)
def test_a_pdf_that_runs_a_script_or_a_program_is_refused(catalogue, extra):
    assert refusal("form.pdf", one_page_pdf(catalogue=catalogue, extra_objects=extra)) == (
        ACTIVE_PDF
    )


def test_a_pdf_with_an_embedded_file_is_refused():
    content = one_page_pdf(
        catalogue=b"/Names << /EmbeddedFiles << /Names [(setup.exe) 6 0 R] >> >>",
        extra_objects=(
            b"<< /Type /Filespec /F (setup.exe) /EF << /F 7 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
        ),
    )

    assert refusal("statement.pdf", content) == ACTIVE_PDF


def test_a_pdf_that_opens_on_its_first_page_and_links_to_a_website_is_accepted():
    content = one_page_pdf(
        catalogue=b"/OpenAction [3 0 R /Fit] /Outlines 6 0 R",
        extra_objects=(b"<< /A << /S /URI /URI (https://www.canada.ca/) >> >>",),
    )

    assert refusal("statement.pdf", content) is None


def rc4_encrypted_pdf() -> bytes:
    """Opens without a password, as some banks' statements do, but is encrypted."""
    writer = PdfWriter(clone_from=io.BytesIO(MINIMAL_PDF))
    writer.encrypt(user_password="", owner_password="bank", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    return encrypted.getvalue()


def aes_encrypted_pdf() -> bytes:
    """AES-256 (revision 6), as current office software writes; keys made up."""
    hexes = {"O": 48, "U": 48, "OE": 32, "UE": 32, "Perms": 16}
    keys = b" ".join(b"/%s <%s>" % (k.encode(), b"ab" * n) for k, n in hexes.items())
    encryption = (
        b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 " + keys + b" /CF << /StdCF "
        b"<< /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>"
    )
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            encryption,
        ],
        trailer=b"/Encrypt 4 0 R /ID [<00> <00>] ",
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(rc4_encrypted_pdf(), id="RC4 without a password to open"),
        pytest.param(aes_encrypted_pdf(), id="AES-256"),
    ],
)
def test_an_encrypted_pdf_is_refused(content):
    assert refusal("statement.pdf", content) == (
        "The PDF is protected by a password or encryption. Upload a copy without protection."
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(MINIMAL_PDF[:300], id="cut off"),
        pytest.param(MINIMAL_PDF[:150] + MINIMAL_PDF[-120:], id="missing its middle"),
        pytest.param(MINIMAL_PDF.replace(b"/Root 1 0 R", b"/Root 9 0 R"), id="no catalogue"),
    ],
)
def test_a_truncated_or_broken_pdf_is_refused(content):
    assert refusal("passport.pdf", content) == DAMAGED_PDF


def test_a_pdf_without_pages_is_refused():
    content = build_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )

    assert refusal("passport.pdf", content) == "The PDF has no pages."


def test_a_pdf_of_more_than_two_thousand_pages_is_refused():
    pages = 2_001
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(pages))
    content = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>",
            *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages,
        ]
    )

    assert refusal("passport.pdf", content) == "The PDF has more than 2,000 pages."


def test_a_pdf_with_more_objects_than_can_be_checked_is_refused(monkeypatch):
    monkeypatch.setattr("passage.intake.file_checks.MAX_PDF_OBJECTS", 50)
    chain = [b"[%d 0 R]" % (7 + n) for n in range(100)] + [b"[]"]

    content = one_page_pdf(catalogue=b"/Extra 6 0 R", extra_objects=tuple(chain))

    assert refusal("passport.pdf", content) == (
        "The PDF is too complex to be checked. Save or print it as a new PDF and upload that copy."
    )


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
    infected = one_page_pdf(content=EICAR)
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
    for code in programs_with_a_flow():
        items = document_checklist(code)
        assert 1 <= len(items) <= 4, code  # an eTA asks for the passport alone
        assert any(item.required for item in items), code
