"""The probes' HTTP client: one GET to the site's own address, as a browser or a
partner's program would send it, without following redirects (a redirect to sign-in is
the answer a signed-out client gets) and with a short timeout."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from passage.continuity.probes.failures import ProbeFailed


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
MAX_BODY = 512 * 1024


def base_url() -> str:
    """Where the probes reach the site: PASSAGE_PROBE_BASE_URL, without a trailing /."""
    return str(settings.PASSAGE_PROBE_BASE_URL).rstrip("/")


def get(path: str, *, headers: dict[str, str] | None = None) -> Answer:
    """GET `path` on the site; any answer, or ProbeFailed when none came in time."""
    url = base_url() + path
    if urlsplit(url).scheme not in ("http", "https"):
        raise ProbeFailed(f"PASSAGE_PROBE_BASE_URL is not an http(s) address: {url}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": "Passage probes", **(headers or {})}
    )
    try:
        with _OPENER.open(request, timeout=settings.PASSAGE_PROBE_TIMEOUT) as response:
            return _answer(response.status, response.headers, response.read(MAX_BODY))
    except urllib.error.HTTPError as error:
        with error:
            return _answer(error.code, error.headers, error.read(MAX_BODY))
    except (OSError, ValueError) as error:
        raise ProbeFailed(f"GET {path}: no answer ({error})") from error


def _answer(status: int, headers: object, body: bytes) -> Answer:
    items = headers.items() if hasattr(headers, "items") else []
    return Answer(status, {str(k).lower(): str(v) for k, v in items}, body)


def expect(path: str, answer: Answer, *statuses: int) -> None:
    """ProbeFailed unless the answer has one of `statuses`."""
    if answer.status not in statuses:
        raise ProbeFailed(f"GET {path}: answered {answer.status}, expected {statuses}")


def expect_sign_in_redirect(path: str, answer: Answer, sign_in_path: str) -> None:
    """ProbeFailed unless a signed-out client was sent to sign in."""
    expect(path, answer, 302)
    target = urlsplit(answer.header("Location")).path
    if target != sign_in_path:
        raise ProbeFailed(f"GET {path}: sent to {target!r}, not to sign in")
