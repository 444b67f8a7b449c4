"""What every workbench page shares: how it is rendered with the person's roles for its
navigation, and the 403 page. Who may open each page is stated on its view with
`passage.accounts.access.gate`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import NotPermitted


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
