"""What every workbench page shares: who may open it (`staff_page`), how it is rendered
with the person's roles for its navigation, and the 403 page."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from passage.accounts.mfa import staff_verification_response
from passage.accounts.models import User
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.errors import NotPermitted

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def has_any_role(person: User, roles: tuple[Role, ...]) -> bool:
    return person.is_active and any(person.has_role(role) for role in roles)


def staff_page(*roles: Role, hide: bool = False) -> Callable[[View[P]], View[P]]:
    """Let in signed-in people with one of the roles. Anyone else signed in gets a 403
    page, or a 404 where the page shows a case (`hide`), as for a case they may not see."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            person = person_of(request)
            if not has_any_role(person, roles):
                if hide:
                    raise Http404
                return render_page(request, "workbench/forbidden.html", {}, status=403)
            # Staff sign in with a second factor: set-up or a code first, if not done.
            if (must_verify := staff_verification_response(request)) is not None:
                return must_verify
            # Dates on the pages (ages, due dates, times) are those of the person's office.
            zone = person.office.time_zone if person.office else settings.PASSAGE_DISPLAY_TIME_ZONE
            with timezone.override(zone):
                return view(request, *args, **kwargs)

        return wrapper

    return decorator


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a workbench page, with the person's roles for its navigation."""
    person = request.user
    is_user = isinstance(person, User)
    context = {
        "is_officer": is_user and person.has_role(Role.OFFICER),  # type: ignore[union-attr]
        "is_supervisor": is_user and person.has_role(Role.SUPERVISOR),  # type: ignore[union-attr]
        **context,
    }
    return render(request, template, context, status=status)


def forbidden(request: HttpRequest, error: NotPermitted) -> HttpResponse:
    """The 403 page, saying why the service refused."""
    return render_page(request, "workbench/forbidden.html", {"message": error.message}, status=403)
