"""Storage drills on a real disk: a small tmpfs mounted as the media folder, filled up or
made read-only while applications come in. Nothing is acknowledged until the bytes are
whole, nothing partial is left at a document's key, and the same request sent again
once the disk has room (with the same Idempotency-Key) succeeds.

The drills mount and unmount, so they run as root (or with CAP_SYS_ADMIN): without it
they fail and say so, as the browser tests do without Chromium, rather than skip."""

import base64
import hashlib
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import Step
from passage.intake.models import Application, Document
from tests.builders import api_application, create_program, create_user, pdf_of_size
from tests.intake.faults import assert_unavailable_json, assert_unavailable_page, portal_client
from tests.tracker.builders import ask_for_documents, officer_in, worked_case

pytestmark = [pytest.mark.drill, pytest.mark.django_db]

DISK_KB = 256
LEFT_FREE = 40 * 1024
DOCUMENT = pdf_of_size(200 * 1024, "A passport scanned for the storage drill")
SHA = hashlib.sha256(DOCUMENT).hexdigest()
KEY = f"documents/{SHA[:2]}/{SHA}"
FILLER = "filler"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 (mount and umount with the test's own folder)
            command, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError as error:  # no mount(8) at all
        return subprocess.CompletedProcess(command, 1, "", str(error))


@pytest.fixture
def disk(tmp_path: Path, settings) -> Iterator[Path]:
    """A tmpfs of DISK_KB mounted as the media folder for the test, unmounted after it."""
    folder = tmp_path / "media"
    folder.mkdir(exist_ok=True)
    mounted = run("mount", "-t", "tmpfs", "-o", f"size={DISK_KB}k,mode=0750", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.fail(
            "The storage drills mount a small tmpfs as the media folder, which needs root "
            f"(or CAP_SYS_ADMIN); `mount` said: {mounted.stderr.strip()}",
            pytrace=False,
        )
    try:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "passage.intake.storage.DurableFileSystemStorage",
                "OPTIONS": {"location": str(folder)},
            },
        }
        yield folder
    finally:
        if run("umount", str(folder)).returncode != 0:
            run("umount", "--lazy", str(folder))


def free_bytes(disk: Path) -> int:
    stats = os.statvfs(disk)
    return stats.f_bavail * stats.f_frsize


def fill(disk: Path, leave: int = LEFT_FREE) -> None:
    """Fill the disk until `leave` bytes are free."""
    (disk / FILLER).write_bytes(b"\0" * (free_bytes(disk) - leave))
    assert free_bytes(disk) == leave


def remount(disk: Path, mode: str) -> None:
    result = run("mount", "-o", f"remount,{mode}", str(disk))
    assert result.returncode == 0, result.stderr


def files_on(disk: Path) -> list[str]:
    """Every file on the disk (temporary ones included) but the filler."""
    found = (str(path.relative_to(disk)) for path in disk.rglob("*") if path.is_file())
    return sorted(name for name in found if name != FILLER)


def whole_at_key(disk: Path) -> bool:
    return hashlib.sha256((disk / KEY).read_bytes()).hexdigest() == SHA


@pytest.fixture
def send():
    """Submit the application with DOCUMENT through the API, as a given applicant."""
    create_program("iec")
    body = api_application(
        documents=[
            {
                "kind": "passport",
                "filename": "passport.pdf",
                "content_base64": base64.b64encode(DOCUMENT).decode(),
            }
        ]
    )
    tokens: dict[str, str] = {}

    def post(key: str, applicant: str = "ana"):
        if applicant not in tokens:
            tokens[applicant] = issue_api_token(user=create_user(Role.APPLICANT), name="phone")
        headers = {"Authorization": f"Bearer {tokens[applicant]}", "Idempotency-Key": key}
        return Client().post(
            "/api/v1/applications",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    return post


def test_a_full_disk_acknowledges_nothing_and_the_same_request_succeeds_once_there_is_room(
    disk, send
):
    fill(disk)

    refused = send("drill-full-disk")

    assert_unavailable_json(refused)
    assert not Application.objects.exists()
    assert not Case.objects.exists()
    assert files_on(disk) == []  # nothing at the key, no temporary file
    (disk / FILLER).unlink()

    accepted = send("drill-full-disk")

    assert accepted.status_code == 201
    assert Case.objects.get().reference == accepted.json()["reference"]
    assert Document.objects.get().storage_key == KEY
    assert whole_at_key(disk)

    another = send("drill-another-application", applicant="kenji")

    assert another.status_code == 201
    assert list(Document.objects.values_list("storage_key", flat=True)) == [KEY, KEY]
    assert whole_at_key(disk)
    assert files_on(disk) == [KEY]


def test_a_truncated_file_left_before_is_replaced_by_the_whole_one(disk, send):
    (disk / KEY).parent.mkdir(parents=True)
    (disk / KEY).write_bytes(DOCUMENT[:LEFT_FREE])  # what the old code left on a full disk

    accepted = send("drill-truncated")

    assert accepted.status_code == 201
    assert Document.objects.get().storage_key == KEY
    assert whole_at_key(disk)
    assert files_on(disk) == [KEY]


def test_a_read_only_disk_acknowledges_nothing_and_the_retry_succeeds_once_writable(disk, send):
    remount(disk, "ro")
    try:
        refused = send("drill-read-only")
    finally:
        remount(disk, "rw")

    assert_unavailable_json(refused)
    assert not Case.objects.exists()
    assert files_on(disk) == []

    accepted = send("drill-read-only")

    assert accepted.status_code == 201
    assert whole_at_key(disk)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_documents_sent_from_the_case_page_on_a_full_disk_get_the_503_page(disk, language):
    officer = officer_in()
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    before = files_on(disk)
    client = portal_client(case.application.applicant)
    with translation.override(language):
        address = reverse("tracker:documents", kwargs={"case_id": case.public_id})
    form = {"request": request.pk, "idempotency_key": uuid.uuid4().hex}

    def send_documents():
        medical = SimpleUploadedFile("medical.pdf", DOCUMENT, content_type="application/pdf")
        return client.post(address, {**form, "documents": medical})

    fill(disk)

    refused = send_documents()

    assert_unavailable_page(refused, language)
    assert not Document.objects.filter(kind=f"request-{request.pk}").exists()
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None
    assert files_on(disk) == before
    (disk / FILLER).unlink()

    sent = send_documents()

    assert sent.status_code == 302
    assert Document.objects.get(kind=f"request-{request.pk}").storage_key == KEY
    assert whole_at_key(disk)
