"""The document storage's write protocol: a temporary file in the final folder, fsynced,
checked, renamed into place, its folder fsynced. A disk that fails at any step leaves
nothing at the final key and is StorageUnavailable; a copy already at a key is trusted
only when it hashes to the key, and a damaged one is replaced."""

import errno
import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage import durable
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.intake import drafts, storage
from passage.intake.catalogue import load_programs
from passage.intake.documents import DocumentUpload, check_document, store_document
from passage.intake.storage import DurableFileSystemStorage, StorageUnavailable
from tests.builders import MINIMAL_PDF, create_user, pdf_of_size
from tests.intake.faults import fill_the_disk, key_of, os_error, stored_files
from tests.intake.test_drafts import filled_draft

pytestmark = pytest.mark.django_db

CONTENT = pdf_of_size(20_000, "The storage protocol")
SHA = hashlib.sha256(CONTENT).hexdigest()
KEY = key_of(SHA)


def at_key(key: str = KEY) -> Path:
    return Path(default_storage.path(key))


def put_damaged_copy(key: str = KEY, content: bytes = CONTENT) -> None:
    """What a full disk left before saves were atomic: the first bytes at the final key."""
    at_key(key).parent.mkdir(parents=True, exist_ok=True)
    at_key(key).write_bytes(content[: len(content) // 3])


def checked(content: bytes = CONTENT) -> Any:
    result = check_document(DocumentUpload("passport", "passport.pdf", content))
    assert not isinstance(result, str), result
    return result


class BrokenDisk:
    """`os` as the storage module sees it when one system call fails with `code`."""

    def __init__(self, call: str, code: int) -> None:
        self.call, self.code = call, code

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _fails(self, name: str) -> None:
        if name == self.call:
            raise os_error(self.code)

    def open(self, path: str, flags: int, *args: Any) -> int:
        if flags & os.O_CREAT:
            self._fails("open")
        return os.open(path, flags, *args)

    def mkdir(self, path: str, *args: Any) -> None:
        self._fails("mkdir")
        os.mkdir(path, *args)

    def fsync(self, descriptor: int) -> None:
        folder = stat.S_ISDIR(os.fstat(descriptor).st_mode)
        self._fails("fsync folder" if folder else "fsync file")
        os.fsync(descriptor)

    def replace(self, source: str, target: str) -> None:
        self._fails("replace")
        os.replace(source, target)


def test_a_save_puts_the_whole_file_at_its_key_and_nothing_else(settings):
    name = default_storage.save(KEY, ContentFile(CONTENT))

    assert name == KEY
    assert at_key().read_bytes() == CONTENT
    assert stored_files() == [KEY]
    assert at_key().stat().st_mode & 0o777 == settings.FILE_UPLOAD_PERMISSIONS


def test_saving_to_a_key_that_holds_a_damaged_copy_replaces_it_at_that_key():
    put_damaged_copy()

    name = default_storage.save(KEY, ContentFile(CONTENT))

    assert name == KEY
    assert at_key().read_bytes() == CONTENT
    assert stored_files() == [KEY]


def test_a_disk_that_fills_up_while_writing_leaves_nothing_behind(monkeypatch):
    fill_the_disk(monkeypatch)

    with pytest.raises(StorageUnavailable) as raised:
        default_storage.save(KEY, ContentFile(CONTENT))

    assert raised.value.__cause__.errno == errno.ENOSPC
    assert stored_files() == []


@pytest.mark.parametrize(
    ("call", "code"),
    [
        pytest.param("mkdir", errno.EROFS, id="read-only disk, new folder"),
        pytest.param("open", errno.EROFS, id="read-only disk, temporary file"),
        pytest.param("open", errno.EDQUOT, id="quota reached"),
        pytest.param("fsync file", errno.EIO, id="I/O error flushing the file"),
        pytest.param("replace", errno.EIO, id="I/O error renaming"),
    ],
)
def test_a_disk_failing_before_the_rename_leaves_nothing_behind(monkeypatch, call, code):
    monkeypatch.setattr(storage, "os", BrokenDisk(call, code))

    with pytest.raises(StorageUnavailable) as raised:
        default_storage.save(KEY, ContentFile(CONTENT))

    assert raised.value.__cause__.errno == code
    assert stored_files() == []


def test_a_folder_that_cannot_be_flushed_after_the_rename_is_unavailable_yet_whole(
    monkeypatch,
):
    at_key().parent.mkdir(parents=True)
    broken = BrokenDisk("fsync folder", errno.EIO)
    monkeypatch.setattr(storage, "os", broken)
    monkeypatch.setattr(durable, "os", broken)  # where folders are flushed

    with pytest.raises(StorageUnavailable):
        default_storage.save(KEY, ContentFile(CONTENT))

    # Not acknowledged (the rename may not survive a power cut), but never partial.
    assert at_key().read_bytes() == CONTENT
    assert stored_files() == [KEY]


class SilentlyShortDisk:
    """A disk that says it wrote everything but kept only half of each write."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, descriptor: int, data: bytes) -> int:
        os.write(descriptor, bytes(data[: len(data) // 2]))
        return len(data)


def test_a_file_the_disk_kept_only_part_of_is_caught_by_the_size_check(monkeypatch):
    monkeypatch.setattr(storage, "os", SilentlyShortDisk())

    with pytest.raises(StorageUnavailable):
        default_storage.save(KEY, ContentFile(CONTENT))

    assert stored_files() == []


def test_bytes_that_do_not_hash_to_their_key_are_never_stored_under_it():
    with pytest.raises(ValueError, match="does not hash to its name"):
        default_storage.save(KEY, ContentFile(MINIMAL_PDF))

    assert stored_files() == []


def test_a_name_that_is_not_content_addressed_is_never_overwritten(tmp_path):
    notes = DurableFileSystemStorage(location=tmp_path / "notes")
    first = notes.save("notes/today.txt", ContentFile(b"first"))

    second = notes.save("notes/today.txt", ContentFile(b"second"))

    assert first != second
    assert notes.open(first).read() == b"first"
    assert notes.open(second).read() == b"second"


# -- store_document: an existing file is trusted only when it hashes to its key ------------


def test_a_truncated_copy_at_the_key_is_replaced_by_the_whole_file(caplog):
    put_damaged_copy()

    with caplog.at_level(logging.WARNING, logger="passage.intake.documents"):
        key = store_document(checked())

    assert key == KEY
    assert at_key().read_bytes() == CONTENT
    assert stored_files() == [KEY]
    assert f"Replacing the damaged copy of {KEY}" in caplog.text


def test_a_whole_copy_at_the_key_is_kept_as_it_is():
    store_document(checked())
    before = at_key().stat()

    assert store_document(checked()) == KEY

    after = at_key().stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_damaged_copy_that_cannot_be_replaced_is_not_acknowledged(monkeypatch):
    put_damaged_copy()
    fill_the_disk(monkeypatch)

    with pytest.raises(StorageUnavailable):
        store_document(checked())

    assert at_key().read_bytes() == CONTENT[: len(CONTENT) // 3]
    assert stored_files() == [KEY]


def test_a_copy_that_cannot_be_read_back_is_not_acknowledged(monkeypatch):
    put_damaged_copy()

    def unreadable(self, name, mode="rb"):
        raise os_error(errno.EIO)

    monkeypatch.setattr(DurableFileSystemStorage, "_open", unreadable)

    with pytest.raises(StorageUnavailable):
        store_document(checked())


# -- A draft's documents are read back whole, or uploaded again ----------------------------


@pytest.fixture
def _programs(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    load_programs()


@pytest.mark.usefixtures("_programs")
def test_a_draft_whose_saved_copy_is_damaged_asks_for_it_again_and_submits_nothing():
    person = create_user()
    draft = filled_draft(person)
    document = draft.documents.get(kind="passport")
    put_damaged_copy(document.storage_key, MINIMAL_PDF)

    with pytest.raises(InvalidRequest) as raised:
        drafts.submit_draft(person=person, draft_id=draft.public_id)

    assert raised.value.details["errors"]["document-passport"] == (
        "The saved copy of “passport.pdf” is damaged. Upload it again."
    )
    assert not Case.objects.exists()


@pytest.mark.usefixtures("_programs")
def test_the_check_page_says_which_document_to_upload_again():
    person = create_user()
    draft = filled_draft(person)
    put_damaged_copy(draft.documents.get(kind="passport").storage_key, MINIMAL_PDF)
    client = Client()
    client.force_login(person)
    with translation.override("en"):
        check = reverse("intake:check", kwargs={"draft_id": draft.public_id})

    response = client.post(check, {"declaration": "yes"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "A saved document is damaged. Upload it again before you submit." in text
    assert "The saved copy of “passport.pdf” is damaged. Upload it again." in text
    assert not Case.objects.exists()
