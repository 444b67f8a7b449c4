"""What views read from a request: the signed-in person, the address it came from."""

from django.http import HttpRequest

from passage.accounts.models import User
from passage.accounts.roles import Role


def person_of(request: HttpRequest) -> User:
    """The signed-in person of a request (the view checked sign-in before)."""
    assert isinstance(request.user, User)
    return request.user


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a proxy, the proxy must set REMOTE_ADDR
    (for example with a trusted X-Forwarded-For rewrite) for per-address limits to work."""
    return request.META.get("REMOTE_ADDR") or None


def staff_navigation(request: HttpRequest) -> dict[str, bool]:
    """What the staff pages' navigation shows the signed-in person: the officers' links,
    the supervisors' links."""
    person = person_of(request)
    return {
        "is_officer": person.has_role(Role.OFFICER),
        "is_supervisor": person.has_role(Role.SUPERVISOR),
    }
