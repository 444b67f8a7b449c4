"""File storage that makes a file whole and durable before Passage acknowledges it.

A save writes a temporary file in the final folder, fsyncs it, checks its size (and, for a
content-addressed name, its SHA-256 against the name), renames it into place and fsyncs
the folder: the final name holds the whole file or nothing, whatever fails in between. A
disk that cannot take the file (full, read-only, failing) is `StorageUnavailable`."""

import contextlib
import hashlib
import os
import re
import secrets
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name

from passage import errors
from passage.durable import fsync_folder

# `documents/ab/abcdef…`: the name is the SHA-256 of the bytes, the folder its first two.
_CONTENT_ADDRESSED = re.compile(r"documents/([0-9a-f]{2})/(\1[0-9a-f]{62})")
TEMPORARY_SUFFIX = ".part"


class StorageUnavailable(errors.Unavailable, OSError):
    """The document storage cannot take a file now (a full or read-only disk, an I/O
    error): nothing is acknowledged, and the person is asked to send it again later."""


def document_key(sha256: str) -> str:
    """The storage key of a document whose bytes have this SHA-256 (hex)."""
    return f"documents/{sha256[:2]}/{sha256}"


def content_digest(name: str) -> str | None:
    """The SHA-256 a content-addressed name promises, or None for any other name."""
    found = _CONTENT_ADDRESSED.fullmatch(name.replace("\\", "/"))
    return found.group(2) if found else None


class DurableFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose saves are all or nothing and fsynced, so that a reference
    number is never given for a file that is cut short or that a power cut could take back.

    A content-addressed name is written in place of what it holds (the same bytes by
    definition, or a damaged copy); any other name is never overwritten, unless the
    storage is made with `allow_overwrite`."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """A content-addressed name as it is; any other name as Django picks it."""
        if content_digest(name) is not None:
            validate_file_name(name, allow_relative_path=True)
            return name
        return super().get_available_name(name, max_length)

    def _save(self, name: str, content: Any) -> str:
        folder = os.path.dirname(self.path(name))
        temporary: str | None = None
        try:
            self._make_folder(folder)
            temporary = self._write_temporary(folder, content, content_digest(name))
            self._ensure_location_group_id(temporary)  # type: ignore[attr-defined]
            name = self._move_into_place(temporary, name)
            temporary = None
            fsync_folder(folder)
        except StorageUnavailable:
            raise
        except OSError as error:
            raise StorageUnavailable(f"Could not store {name}: {error}") from error
        finally:
            if temporary is not None:
                _remove_quietly(temporary)
        return name

    def _make_folder(self, folder: str) -> None:
        """Create the folder and any missing parent, each made durable in its parent."""
        if os.path.isdir(folder):
            return
        parent = os.path.dirname(folder)
        if parent != folder:
            self._make_folder(parent)
        try:
            os.mkdir(folder)
        except FileExistsError:
            if os.path.isdir(folder):  # made by a concurrent save
                return
            raise
        if self.directory_permissions_mode is not None:
            os.chmod(folder, self.directory_permissions_mode)
        fsync_folder(parent)

    def _write_temporary(self, folder: str, content: Any, expected: str | None) -> str:
        """Write every byte to a new temporary file in `folder`, fsync it and check it;
        the file's path. On failure the file is removed and the error raised."""
        path, descriptor = _create_temporary(folder)
        try:
            try:
                size, digest = _write_chunks(descriptor, content)
                if self.file_permissions_mode is not None:
                    os.fchmod(descriptor, self.file_permissions_mode)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            if expected is not None and digest != expected:
                # The caller's bytes are not those the name promises: a mistake in the code,
                # not the disk, so never answered as "try again".
                raise ValueError(f"The content does not hash to its name {expected}.")
            _check_written(path, size, expected)
        except BaseException:
            _remove_quietly(path)
            raise
        return path

    def _move_into_place(self, temporary: str, name: str) -> str:
        """Rename the checked temporary file to `name` (or, for a name that is not content
        addressed and is taken, to a free one); the name it has."""
        if content_digest(name) is not None or self._allow_overwrite:  # type: ignore[attr-defined]
            os.replace(temporary, self.path(name))
        else:
            while True:
                try:
                    # A link never replaces a file a concurrent save put there first.
                    os.link(temporary, self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
            os.unlink(temporary)
        return os.path.relpath(self.path(name), self.location).replace("\\", "/")


def _create_temporary(folder: str) -> tuple[str, int]:
    """A new, empty temporary file in the folder (never one that exists), opened to write."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        path = os.path.join(folder, f".{secrets.token_hex(8)}{TEMPORARY_SUFFIX}")
        try:
            return path, os.open(path, flags, 0o640)
        except FileExistsError:
            continue


def _write_chunks(descriptor: int, content: Any) -> tuple[int, str]:
    """Write all of `content`; the bytes written and their SHA-256."""
    size = 0
    digest = hashlib.sha256()
    for chunk in content.chunks():
        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        digest.update(data)
        view = memoryview(data)
        while view:
            # os.write may write less than it was given (a disk filling up): write the rest.
            written = os.write(descriptor, view)
            view = view[written:]
            size += written
    return size, digest.hexdigest()


def _check_written(path: str, size: int, expected: str | None) -> None:
    """Read the file back: its size must be what was written and, for a content-addressed
    name, its SHA-256 the name; otherwise the disk did not keep the bytes."""
    if os.stat(path).st_size != size:
        raise StorageUnavailable(f"The disk kept {os.stat(path).st_size} of {size} bytes.")
    if expected is None:
        return
    with open(path, "rb") as handle:
        kept = hashlib.file_digest(handle, "sha256").hexdigest()
    if kept != expected:
        raise StorageUnavailable(f"The disk did not keep the bytes of {expected} as written.")


def _remove_quietly(path: str) -> None:
    # On a read-only or failing disk nothing more can be done now.
    with contextlib.suppress(OSError):
        os.unlink(path)
