"""Device cookies: a browser that signed in to a name before carries a signed cookie for
that name, and its sign-in tries count apart from everyone else's (OWASP's "device
cookies" against online guessing).

So an attacker who types a staff member's username with wrong passwords from anywhere
locks out only the browsers that never signed in to it: the staff member's own browser
keeps signing in (with the password and the second factor). Failures from a known
browser lock that browser only.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "passage_device"
_SALT = "passage.accounts.devices"
MAX_AGE_SECONDS = 180 * 24 * 3600


def known_device(request: HttpRequest, username: str) -> str:
    """The device id of this browser for `username`, or "" when its cookie is missing,
    forged, expired, or for another name."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return ""
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("u") != _name(username):
        return ""
    return str(data.get("d", ""))[:32]


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful sign-in: give this browser a device cookie for `username`,
    keeping its device id if it had one for that name."""
    device = known_device(request, username) or secrets.token_hex(16)
    response.set_cookie(
        COOKIE,
        signing.dumps({"u": _name(username), "d": device}, salt=_SALT),
        max_age=MAX_AGE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _name(username: str) -> str:
    return username.strip().lower()[:254]
