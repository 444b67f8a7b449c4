"""Checking and storing uploaded files: the type comes from the bytes, never the name, and
the bytes must be that type throughout (`file_checks`), not only in their first few."""

import fcntl
import hashlib
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from passage import errors
from passage.intake import scanning
from passage.intake.file_checks import structure_problem
from passage.intake.models import Document, StoredFile
from passage.intake.storage import StorageUnavailable, document_key

logger = logging.getLogger(__name__)

_SIGNATURES = (
    (b"%PDF-", Document.ContentType.PDF),
    (b"\xff\xd8\xff", Document.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Document.ContentType.PNG),
)


@dataclass(frozen=True)
class DocumentUpload:
    kind: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class CheckedDocument:
    kind: str
    filename: str
    content: bytes
    content_type: str
    sha256: str

    def stored_as(self, key: str) -> dict[str, Any]:
        """The columns of a `StoredFile` row for these bytes, stored under `key`."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.content),
            "sha256": self.sha256,
            "storage_key": key,
        }


def sniff_content_type(content: bytes) -> str | None:
    """PDF, JPEG or PNG by signature, or None for anything else."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type.value
    return None


def check_document(upload: DocumentUpload) -> CheckedDocument | str:
    """The checked document, or a message saying what is wrong with it."""
    if not upload.content:
        return str(_("The file is empty."))
    if len(upload.content) > settings.PASSAGE_MAX_DOCUMENT_BYTES:
        return too_large_message()
    content_type = sniff_content_type(upload.content)
    if content_type is None:
        return str(_("Only PDF, JPEG and PNG files are accepted."))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", upload.kind):
        return str(_("The document kind is not valid."))
    if (problem := structure_problem(upload.content, content_type)) is not None:
        return problem
    return CheckedDocument(
        kind=upload.kind,
        filename=_safe_filename(upload.filename),
        content=upload.content,
        content_type=content_type,
        sha256=hashlib.sha256(upload.content).hexdigest(),
    )


def too_large_message() -> str:
    """What is said of a file over PASSAGE_MAX_DOCUMENT_BYTES."""
    limit_mb = settings.PASSAGE_MAX_DOCUMENT_BYTES // (1024 * 1024)
    return str(_("The file is larger than %(limit)s MB.") % {"limit": limit_mb})


VIRUS_FOUND = _(
    "The virus check found a threat in this file, so it was not accepted. Upload a clean copy."
)


class VirusFound(errors.InvalidRequest):
    """The virus-scan hook refused a file; nothing of the request was stored. The services
    that scan say so in their own words; the message is the file's name and `VIRUS_FOUND`."""

    def __init__(self, document: CheckedDocument, reason: str) -> None:
        super().__init__(f"{document.filename}: {VIRUS_FOUND}")
        self.document = document
        self.reason = reason  # the scanner's words, for the logs only


@contextmanager
def stored_for_request(
    documents: list[CheckedDocument],
) -> Iterator[list[tuple[CheckedDocument, str]]]:
    """The one way a request's checked uploads are kept, each with its storage key.

    Every file goes through the virus-scan hook first (VirusFound names the first one
    refused, and nothing is stored), then each is stored durably by its hash. The body of
    the `with` writes the rows that refer to them. If it fails (a refused or conflicting
    request, a failed write), the files this request was the first to store are removed
    again, unless a row refers to them by then: a refused request leaves nothing on disk.
    When the database cannot say (it is the failure) or the lock cannot be taken, they
    stay: a file too many is harmless, a missing one is not.
    Once the rows are committed, each file is checked to be in place (and stored again
    from the bytes at hand if a failing request removed it in between)."""
    for document in documents:
        reason = scanning.scan(document.content)
        if reason is not None:
            logger.warning("The virus check refused %s: %s", document.sha256, reason)
            raise VirusFound(document, reason)
    stored: list[tuple[CheckedDocument, str]] = []
    first_here: list[str] = []
    try:
        for document in documents:
            key, created = _store(document)
            stored.append((document, key))
            if created:
                first_here.append(key)
        yield stored
    except BaseException:
        _remove_unreferenced(first_here)
        raise
    transaction.on_commit(lambda: _restore_missing(stored))


def store_document(document: CheckedDocument) -> str:
    """Store the bytes under a key made of their hash and return the key once the file
    there is whole: a file already there is kept only if it hashes to the key, else it is
    replaced. A storage that cannot take the file raises StorageUnavailable."""
    return _store(document)[0]


def _store(document: CheckedDocument) -> tuple[str, bool]:
    """The key, and whether this call wrote the file (it was not there whole before)."""
    key = document_key(document.sha256)
    found = stored_digest(key)
    if found == document.sha256:
        return key, False
    if found is not None:
        # Cut short by a full disk before saves were atomic, or damaged since.
        logger.warning("Replacing the damaged copy of %s (it hashes to %s).", key, found)
    return default_storage.save(key, ContentFile(document.content)), True


def stored_file_models() -> list[type[StoredFile]]:
    """Every table that keeps stored files (documents, draft documents, attachments)."""
    return [model for model in apps.get_models() if issubclass(model, StoredFile)]


def _remove_unreferenced(keys: list[str]) -> None:
    """Remove the files under `keys` that no row refers to. When the database cannot say
    (it is the failure), the files stay: a file too many is harmless, a missing one not."""
    if not keys:
        return
    with _files_lock() as held:
        if not held:
            logger.warning("Kept %d stored files: the storage cannot be locked.", len(keys))
            return
        try:
            referenced = {
                key
                for model in stored_file_models()
                for key in model._default_manager.filter(storage_key__in=keys).values_list(
                    "storage_key", flat=True
                )
            }
        except DatabaseError:  # a lost connection, or a transaction already broken
            logger.warning("Kept %d stored files: the database could not say if used.", len(keys))
            return
        for key in keys:
            if key not in referenced:
                try:
                    default_storage.delete(key)
                except OSError as error:
                    logger.warning("Could not remove the unused file %s: %s", key, error)


def _restore_missing(stored: list[tuple[CheckedDocument, str]]) -> None:
    with _files_lock():  # taken if it can be: putting a file back is safe either way
        for document, key in stored:
            try:
                whole = default_storage.exists(key) and default_storage.size(key) == len(
                    document.content
                )
                if whole:
                    continue
                default_storage.save(key, ContentFile(document.content))
            except OSError as error:
                logger.error("Could not put back %s after commit: %s", key, error)


@contextmanager
def _files_lock() -> Iterator[bool]:
    """Held while a failed request removes its files and while a committed one checks its
    files are in place, so that a file is never removed under a row just committed. Gives
    False when it cannot be taken (a storage without local files, a disk that fails)."""
    try:
        folder = default_storage.path("documents")
        os.makedirs(folder, exist_ok=True)
        handle = open(os.path.join(folder, ".lock"), "a")  # noqa: SIM115 - closed below
    except (NotImplementedError, OSError):
        yield False
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # e.g. a network share without locks
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stored_digest(key: str) -> str | None:
    """The SHA-256 of the file stored under `key`, or None when there is none."""
    if not default_storage.exists(key):
        return None
    digest = hashlib.sha256()
    try:
        with _reading(key) as handle:
            for chunk in handle.chunks():
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def read_whole(key: str, sha256: str) -> bytes | None:
    """The bytes stored under `key` if they hash to `sha256`; None when the file is
    missing or damaged. A storage that cannot be read raises StorageUnavailable."""
    try:
        with _reading(key) as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    return content if hashlib.sha256(content).hexdigest() == sha256 else None


@contextmanager
def _reading(key: str) -> Iterator[File]:
    """The stored file, open; a missing one raises FileNotFoundError, any other read
    error StorageUnavailable."""
    try:
        with default_storage.open(key, "rb") as handle:
            yield handle
    except (StorageUnavailable, FileNotFoundError):
        raise
    except OSError as error:
        raise StorageUnavailable(f"Could not read {key}: {error}") from error


def _safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]", "_", name).strip(" .")
    return name[:200] or "document"
