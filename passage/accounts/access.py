"""The one gate in front of every page: who may open it, stated once per view with
`@gate(...)`, and applied to every request by `middleware.PageGateMiddleware`.

    @gate(public=True)                       anyone, signed in or not
    @gate()                                  any signed-in person
    @gate(Role.SUPERVISOR)                   signed in, with one of the roles (else 403)
    @gate(Role.OFFICER, Role.SUPERVISOR, hide=True)   ... else the 404 of a hidden page

On every page, public ones included, a person who must use a second factor (staff,
`User.must_use_mfa`) and whose session has not passed it is sent to set it up or to enter
a code first. Only the pages of that step and sign-out say `before_second_factor=True`.

Department staff are judged by their staff roles only: a client role a staff account
also holds (a sponsor since hired) opens no page that staff may not open.

A page whose view states nothing is treated as `@gate()`, and `tests/web/test_access.py`
fails on it. The Django admin (which cannot be decorated) is `@gate()` by its namespace,
its own staff check coming after; the API answers with its own authentication
(`passage.api.auth`), which applies the same second-factor rule.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import ResolverMatch
from django.utils.translation import gettext as _

from passage.accounts.mfa import staff_verification_response
from passage.accounts.models import User
from passage.accounts.roles import STAFF_ROLES, Role

T = TypeVar("T")
ATTRIBUTE = "passage_access"
API_NAMESPACE_PREFIX = "api-"
ADMIN_APP = "admin"


@dataclass(frozen=True)
class Access:
    """Who may open a page."""

    # One of these roles, when any are named; else any signed-in person.
    roles: frozenset[Role] = frozenset()
    # Open to the signed-out too.
    public: bool = False
    # A person without the roles gets a 404, as for a page that is not there (a case's
    # page), rather than a 403 saying who the page is for.
    hide: bool = False
    # Open to staff who have not passed their second factor yet: that step, and sign-out.
    before_second_factor: bool = False


SIGNED_IN = Access()


def gate(
    *roles: Role, public: bool = False, hide: bool = False, before_second_factor: bool = False
) -> Callable[[T], T]:
    """State who may open a view (a function, or a class-based view's class). Nothing is
    wrapped: the page gate reads the statement before the view runs."""
    if public and roles:
        raise ValueError("a public page is open to everyone; it names no roles")
    if hide and not roles:
        raise ValueError("only a page that names roles can hide itself from other people")
    access = Access(
        roles=frozenset(roles),
        public=public,
        hide=hide,
        before_second_factor=before_second_factor,
    )

    def declare(view: T) -> T:
        setattr(view, ATTRIBUTE, access)
        return view

    return declare


def access_of(view: Callable[..., Any]) -> Access | None:
    """What a view states about who may open it (through the decorators above it, which
    copy its attributes, and for a class-based view, on its class); None if nothing."""
    stated = getattr(view, ATTRIBUTE, None)
    if stated is None:
        stated = getattr(getattr(view, "view_class", None), ATTRIBUTE, None)
    return stated if isinstance(stated, Access) else None


def is_api(match: ResolverMatch) -> bool:
    return match.namespace.startswith(API_NAMESPACE_PREFIX)


def access_for(match: ResolverMatch, view: Callable[..., Any]) -> Access | None:
    """The access rule of the page a request resolved to: what its view states, the
    admin's, or `SIGNED_IN` for a view that states nothing. None for the API's routes."""
    if is_api(match):
        return None
    if match.app_name == ADMIN_APP:
        return SIGNED_IN
    return access_of(view) or SIGNED_IN


def refusal(request: HttpRequest, access: Access) -> HttpResponse | None:
    """None when the person may open the page; else where they go instead: sign-in, the
    second factor, a 403 page. Raises Http404 for a page that hides itself."""
    user = request.user
    if not user.is_authenticated:
        return None if access.public else redirect_to_login(request.get_full_path())
    assert isinstance(user, User)
    if not access.before_second_factor:
        second_factor = staff_verification_response(request)
        if second_factor is not None:
            return second_factor
    if access.roles and not holds_any(user, access.roles):
        if access.hide:
            raise Http404
        return refused_page(
            request,
            _("You cannot use this page"),
            _("This page is for people with one of these roles: %(roles)s.")
            % {"roles": ", ".join(str(role.label) for role in sorted(access.roles))},
            status=403,
        )
    return None


def holds_any(person: User, roles: frozenset[Role]) -> bool:
    """Whether an active person holds one of the roles; staff count their staff roles only."""
    held = person.role_names()
    if person.is_department_staff:
        held = held & {role.value for role in STAFF_ROLES}
    return person.is_active and any(role.value in held for role in roles)


def time_zone_of(user: object) -> str:
    """The time zone of the times on a person's pages and emails: the one they chose on
    their account page; else their office's for staff with one; else the service's
    (PASSAGE_DISPLAY_TIME_ZONE)."""
    if isinstance(user, User):
        if user.time_zone:
            return str(user.time_zone)
        if user.office_id is not None and user.office is not None:
            return str(user.office.time_zone)
    return str(settings.PASSAGE_DISPLAY_TIME_ZONE)


def refused_page(request: HttpRequest, title: str, message: str, *, status: int) -> HttpResponse:
    """A page saying that the request was refused, and why (the site's one error page)."""
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)
