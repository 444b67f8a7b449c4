"""The API's documentation: the Swagger UI page and the OpenAPI document, from
django-ninja's own copy of Swagger UI (no other host), for signed-in department staff who
passed the second factor."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from ninja import Swagger

from passage.accounts.mfa import staff_verification_response
from passage.accounts.requests import person_of

View = Callable[..., HttpResponseBase]

# Swagger UI otherwise sends the document's address to validator.swagger.io, for a badge.
SWAGGER = Swagger(settings={"validatorUrl": None})
# Swagger UI's stylesheet draws its icons as data: images; only its page allows them.
SWAGGER_POLICY = {"img-src": ["data:"]}


def docs_view(view: View) -> View:
    """The docs page and the OpenAPI document: staff only, under the docs' policy."""
    return staff_only(csp_update(SWAGGER_POLICY)(view))


def staff_only(view: View) -> View:
    """Send the signed-out to sign in and staff to their second factor if they have not
    passed it; anyone else signed in gets a 404, as for a page that is not there."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        person = person_of(request)
        if not (person.is_active and person.is_department_staff):
            raise Http404
        return staff_verification_response(request) or view(request, *args, **kwargs)

    return checked
