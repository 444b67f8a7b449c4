"""Serving a stored document: always as a download, named with the extension of the type its
bytes were checked to be, and fenced off from the site should a browser open it anyway."""

import logging
from typing import IO

from django.core.files.base import ContentFile
from django.http import FileResponse

from passage.intake.documents import read_whole
from passage.intake.models import Document, StoredFile

logger = logging.getLogger(__name__)

CANONICAL_EXTENSIONS = {
    Document.ContentType.PDF.value: ".pdf",
    Document.ContentType.JPEG.value: ".jpg",
    Document.ContentType.PNG.value: ".png",
}


def download_filename(filename: str, content_type: str) -> str:
    """The name the person gave the file, with its extension replaced by the canonical one
    for the type it was checked to be ("report.exe" checked as a PDF is "report.pdf")."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return (stem.strip(" .") or "document") + CANONICAL_EXTENSIONS[content_type]


def file_download_response(file: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A checked document as an attachment that no browser sniffs, renders in the site's
    origin, or keeps in a cache. `content_type` must be one the document was checked as."""
    if content_type not in CANONICAL_EXTENSIONS:
        raise ValueError(f"not a checked document type: {content_type!r}")
    response = FileResponse(
        file,
        as_attachment=True,
        filename=download_filename(filename, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened in a tab anyway, the file gets a unique origin, no scripts and no requests.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


def stored_file_download(stored: StoredFile) -> FileResponse | None:
    """A stored file as a download (`file_download_response`); None, logged, when its copy
    is missing or is not the bytes that were sent: a damaged copy is never served."""
    content = read_whole(stored.storage_key, stored.sha256)
    if content is None:
        logger.error(
            "The stored copy of %s %s is missing or damaged", type(stored).__name__, stored.pk
        )
        return None
    return file_download_response(
        ContentFile(content), filename=stored.filename, content_type=stored.content_type
    )
