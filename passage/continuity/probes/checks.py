"""One check per component, each exercising it the way a client would: its page or
endpoint over HTTP at the site's own address (PASSAGE_PROBE_BASE_URL), and the reads and
storage it needs. A check returns when the component works and raises (ProbeFailed, or
whatever broke) when it does not; `run_checks` times each and turns it into a result.

Payments and employer filings are not part of Passage yet: they are not monitored, so
the probes never report them down."""

import io
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.urls import reverse
from django.utils import translation
from PIL import Image

from passage.accounts.models import User
from passage.cases.models import Case
from passage.continuity.models import Component
from passage.continuity.probes import http
from passage.continuity.probes.decision import Result
from passage.continuity.probes.failures import ProbeFailed
from passage.conversations.models import Message, Thread
from passage.intake import scanning
from passage.intake.catalogue import current_programs
from passage.intake.documents import CheckedDocument, DocumentUpload, check_document
from passage.intake.models import Program
from passage.resilience import drop_connections, is_outage

logger = logging.getLogger(__name__)

Check = Callable[[], None]
NOT_MONITORED = frozenset({Component.PAYMENTS.value, Component.EMPLOYER_FILINGS.value})
MAX_DETAIL = 500
# Where the uploads check writes its file: apart from the documents, never a hash name.
PROBE_FOLDER = "probes"


def _path(name: str, *args: object) -> str:
    """A page's path in English, as a client who reads English opens it."""
    with translation.override("en"):
        return reverse(name, args=args)


def check_sign_in() -> None:
    """The sign-in page answers with its form, and the accounts table answers a read."""
    path = _path(settings.LOGIN_URL)
    answer = http.get(path)
    http.expect(path, answer, 200)
    if b'name="password"' not in answer.body:
        raise ProbeFailed(f"GET {path}: the page has no password field")
    User.objects.exists()


def check_intake() -> None:
    """The apply page answers (a signed-out client is sent to sign in), the programs'
    files are read and the program rows answer a read."""
    path = _path("intake:programs")
    http.expect_sign_in_redirect(path, http.get(path), _path(settings.LOGIN_URL))
    if not current_programs():
        raise ProbeFailed("the program catalogue is empty")
    list(Program.objects.values_list("code", flat=True)[:1])


def check_uploads() -> None:
    """A small image passes the upload checks and the virus-scan hook, and the document
    storage accepts it, gives back the same bytes and deletes it."""
    document = _checked_probe_image()
    reason = scanning.scan(document.content)
    if reason is not None:
        raise ProbeFailed(f"the virus-scan hook refused the probe's image: {reason}")
    name = default_storage.save(
        f"{PROBE_FOLDER}/{secrets.token_hex(8)}.png", ContentFile(document.content)
    )
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != document.content:
                raise ProbeFailed("the document storage gave back other bytes")
    finally:
        default_storage.delete(name)
    if default_storage.exists(name):
        raise ProbeFailed("the document storage did not delete the probe's file")


def check_tracker() -> None:
    """The tracker page answers a signed-out client by sending it to sign in, and the
    cases table answers a read."""
    path = _path("tracker:case", uuid.uuid4())
    http.expect_sign_in_redirect(path, http.get(path), _path(settings.LOGIN_URL))
    list(Case.objects.values_list("pk", flat=True)[:1])


def check_messages() -> None:
    """The messages page answers a signed-out client by sending it to sign in, and the
    threads and messages answer a read."""
    path = _path("conversations:list", uuid.uuid4())
    http.expect_sign_in_redirect(path, http.get(path), _path(settings.LOGIN_URL))
    list(Thread.objects.values_list("pk", flat=True)[:1])
    list(Message.objects.values_list("pk", flat=True)[:1])


def check_api() -> None:
    """The API answers a request with a token it does not know by a 401 in its JSON
    error shape: the API stack ran, up to the token look-up in the database."""
    path = f"/api/v1/cases/{uuid.uuid4()}"
    answer = http.get(
        path,
        headers={"Authorization": f"Bearer probe-{secrets.token_hex(16)}", "Accept": "*/*"},
    )
    http.expect(path, answer, 401)
    if not answer.header("Content-Type").startswith("application/json"):
        raise ProbeFailed(f"GET {path}: the 401 is not JSON")


def check_email() -> None:
    """The configured mail server takes a connection and answers NOOP."""
    connection = get_connection(fail_silently=False)
    if not isinstance(connection, SmtpBackend):
        # Console or file backends in development: opening is all there is.
        connection.open()
        connection.close()
        return
    limit = settings.PASSAGE_PROBE_TIMEOUT
    connection.timeout = min(connection.timeout or limit, limit)  # type: ignore[assignment]
    try:
        connection.open()
        if connection.connection is None:
            raise ProbeFailed("no connection to the mail server")
        code, message = connection.connection.noop()
    finally:
        connection.close()
    if code != 250:
        raise ProbeFailed(f"the mail server answered NOOP with {code} {message!r}")


CHECKS: Mapping[str, Check] = {
    Component.SIGN_IN.value: check_sign_in,
    Component.INTAKE.value: check_intake,
    Component.UPLOADS.value: check_uploads,
    Component.TRACKER.value: check_tracker,
    Component.MESSAGES.value: check_messages,
    Component.API.value: check_api,
    Component.EMAIL.value: check_email,
}


def run_checks(
    checks: Mapping[str, Check] | None = None, *, clock: Callable[[], datetime]
) -> list[Result]:
    """Run every check once, in turn; each result at the instant its check began."""
    results = []
    for component, check in (CHECKS if checks is None else checks).items():
        at = clock()
        started = time.monotonic()
        ok, detail = True, ""
        try:
            check()
        except Exception as error:  # a probe reports whatever broke, and goes on
            ok, detail = False, _described(error)
            if is_outage(error):
                # The next check opens a new connection rather than using a broken one.
                drop_connections()
        milliseconds = int((time.monotonic() - started) * 1000)
        results.append(Result(component, at, ok, detail[:MAX_DETAIL], milliseconds))
    return results


def _described(error: BaseException) -> str:
    if isinstance(error, ProbeFailed):
        return str(error)
    return f"{type(error).__name__}: {error}".strip()


def _checked_probe_image() -> CheckedDocument:
    image = Image.new("RGB", (8, 8), tuple(secrets.token_bytes(3)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    checked = check_document(
        DocumentUpload(kind="probe", filename="probe.png", content=buffer.getvalue())
    )
    if isinstance(checked, str):
        raise ProbeFailed(f"the upload checks refused the probe's image: {checked}")
    return checked
