"""The API's documentation: the Swagger UI page and the OpenAPI document, from
django-ninja's own copy of Swagger UI (no other host), for signed-in department staff who
passed the second factor."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponseBase
from ninja import Swagger

from passage.accounts import access
from passage.accounts.roles import STAFF_ROLES

View = Callable[..., HttpResponseBase]

# Swagger UI otherwise sends the document's address to validator.swagger.io, for a badge.
SWAGGER = Swagger(settings={"validatorUrl": None})
# Swagger UI's stylesheet draws its icons as data: images; only its page allows them.
SWAGGER_POLICY = {"img-src": ["data:"]}
STAFF_ONLY = access.Access(roles=frozenset(STAFF_ROLES), hide=True)


def docs_view(view: View) -> View:
    """The docs page and the OpenAPI document: staff only, under the docs' policy."""
    return staff_only(csp_update(SWAGGER_POLICY)(view))


def staff_only(view: View) -> View:
    """The page gate's rule for staff pages that hide themselves: the signed-out sign in,
    staff pass their second factor first, anyone else gets a 404. The API's routes are
    not behind the page gate, so its documentation applies the rule itself."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return access.refusal(request, STAFF_ONLY) or view(request, *args, **kwargs)

    return checked
