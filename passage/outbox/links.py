"""Absolute links for emails, which are read outside the site and so cannot be relative."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(path: str) -> str:
    """`path` on the public site named by PASSAGE_SITE_URL (never the request's Host)."""
    if not path.startswith("/"):
        raise ValueError(f"expected a path from the site's root, got {path!r}")
    return urljoin(settings.PASSAGE_SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def sign_in_url(*, language: str) -> str:
    """The absolute address of the sign-in page in `language`."""
    with translation.override(language):
        return absolute_url(reverse(settings.LOGIN_URL))
