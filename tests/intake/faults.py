"""A disk failing under the document storage, for tests. The storage's own code runs; the
system calls it makes fail as a full or broken disk makes them fail. The drills
(`test_storage_drills.py`) do the same on a real, small disk."""

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client

from passage.accounts.models import User
from passage.intake import storage

FREE_BYTES = 4096


def os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class FullDisk:
    """`os` as the storage module sees it on a disk with FREE_BYTES left that allocates
    late: a write stops where the room ends, the next one fails, and flushing a file
    fails too (ENOSPC, as on network and thin-provisioned disks)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, descriptor: int, data: bytes) -> int:
        room = FREE_BYTES - os.fstat(descriptor).st_size
        if room <= 0:
            raise os_error(errno.ENOSPC)
        return os.write(descriptor, bytes(data[:room]))

    def fsync(self, descriptor: int) -> None:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise os_error(errno.ENOSPC)
        os.fsync(descriptor)


def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the storage writes to a disk that is all but full."""
    monkeypatch.setattr(storage, "os", FullDisk())


def stored_files() -> list[str]:
    """Every file under the storage's folder (temporary ones included), by key."""
    root = Path(default_storage.location)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def key_of(sha256: str) -> str:
    """The key a document with this SHA-256 is stored under."""
    return f"documents/{sha256[:2]}/{sha256}"


def portal_client(person: User) -> Client:
    """A signed-in browser that gets the answer a person gets, 500s and 503s included."""
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def assert_unavailable_page(response: HttpResponse, language: str) -> None:
    """The 503 page in both languages, the request's first, with Retry-After."""
    assert response.status_code == 503, f"answered {response.status_code}"
    assert response["Retry-After"] == str(settings.PASSAGE_RETRY_AFTER_SECONDS)
    html = response.content.decode()
    other = "fr" if language == "en" else "en"
    assert f'<html lang="{language}">' in html
    assert html.index(f'<section lang="{language}"') < html.index(f'<section lang="{other}"')


def assert_unavailable_json(response: HttpResponse) -> None:
    """The API's 503 in its one error shape, with Retry-After."""
    assert response.status_code == 503, f"answered {response.status_code}"
    assert response["Retry-After"] == str(settings.PASSAGE_RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("application/json")
    assert "nothing was saved" in response.json()["detail"]
