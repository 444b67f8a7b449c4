"""File storage that makes a file durable before Passage acknowledges it."""

import os
from typing import Any

from django.core.files.storage import FileSystemStorage


class DurableFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that fsyncs each file and its folder once written, so that a
    reference number is never given for a file a power cut could take back."""

    def _save(self, name: str, content: Any) -> str:
        name = super()._save(name, content)  # type: ignore[misc]  # private in the stubs
        path = self.path(name)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        directory = os.open(os.path.dirname(path), os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return name
