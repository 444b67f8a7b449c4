"""What views read from a request: the signed-in person, the address it came from."""

from django.http import HttpRequest

from passage.accounts.models import User


def person_of(request: HttpRequest) -> User:
    """The signed-in person of a request (the view checked sign-in before)."""
    assert isinstance(request.user, User)
    return request.user


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a proxy, the proxy must set REMOTE_ADDR
    (for example with a trusted X-Forwarded-For rewrite) for per-address limits to work."""
    return request.META.get("REMOTE_ADDR") or None
