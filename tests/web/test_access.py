"""The page gate (`passage.accounts.access`): every URL of the site is behind it, or on the
short lists below; staff owe their second factor on every page, the applicant's included;
and who may open a page is stated on its view, in one way."""

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, signals
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone, translation

from passage.accounts.access import (
    SIGNED_IN,
    Access,
    access_for,
    access_of,
    gate,
    holds_any,
    time_zone_of,
)
from passage.accounts.roles import CLIENT_ROLES, Role
from passage.accounts.services import grant_roles
from passage.api.urls import api
from tests.accounts.builders import create_authenticator, signed_in_with_mfa
from tests.builders import create_office, create_user, submit_case

# Pages open to the signed-out, and why. A page added to this list is a decision: make it
# in review, here.
PUBLIC_PAGES = {
    "root": "/ sends the visitor to the home page in their language",
    "web:home": "what Passage is, and the way in",
    "web:sign-in": "the password step",
    "accounts:sign-in-code": "the code step of sign-in, still signed out",
    "web:sign-out": "a confirmation page on GET; signs out on POST",
    "accounts:sign-up": "opening an account",
    "accounts:sign-up-sent": "the page after sign-up",
    "accounts:verify-email": "the link of the verification email",
    "accounts:forgot-password": "asking for a password reset link",
    "accounts:forgot-password-sent": "the page after asking",
    "accounts:password-reset": "the link of the reset email",
    "status:page": "the public status page: which services work, outages and what to do",
    "status:summary": "the status page as JSON, for clients' and partners' tools",
    "status:feed": "the status page's outages as an Atom feed",
    "paper-forms:forms": "the paper forms, for clients without an account",
    "paper-forms:fill-in": "a paper form to fill in on screen and print, without an account",
    "receipts:receipt": "a submission received while the database was down: its receipt, "
    "and that the reference follows by email (nothing of the case)",
    "residence:verify": "the check of an eCOPR anyone holds (an employer, a landlord, a border "
    "officer): only the fields on the document",
    "residence:revocation_list": "the eCOPRs the department revoked, by document number",
}
# Pages a staff member who has not passed the second factor may still open.
BEFORE_SECOND_FACTOR = {"accounts:mfa", "accounts:sign-in-code", "web:sign-out"}
# The API's addresses that are not operations: its documentation (for verified staff
# only, `passage.api.docs`) and the root django-ninja adds.
API_PAGES = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}
# The API's authentication: a bearer token or a verified session. Submitting an
# application takes the same token, spooled unchecked while the database is out of
# reach and checked by the replayer (`passage.continuity.spool`).
AUTHENTICATED = (
    {"BearerToken", "VerifiedSession"},
    {"SpoolingBearerToken", "VerifiedSession"},
)
ADMIN = "admin"
API = "api-v1"
SAMPLES = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "x", "str": "x", "path": "x"}


@dataclass(frozen=True)
class Page:
    name: str
    namespace: str
    url: str | None  # None when the route has parameters that only a regex names
    view: Any


def pages(patterns: Iterable[Any] = ()) -> list[Page]:
    """Every URL pattern of the site (`get_resolver()`), in English, with a URL made of
    sample parameters."""
    with translation.override("en"):
        return list(_walk(patterns or get_resolver().url_patterns, "/", []))


def _walk(patterns: Iterable[Any], prefix: str | None, namespaces: list[str]) -> Iterator[Page]:
    for pattern in patterns:
        route = _sample(pattern.pattern)
        here = None if route is None or prefix is None else prefix + route
        if isinstance(pattern, URLResolver):
            inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, here, inner)
        elif isinstance(pattern, URLPattern):
            namespace = ":".join(namespaces)
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Page(name=name, namespace=namespace, url=here, view=pattern.callback)


def _sample(pattern: Any) -> str | None:
    """The route with a sample value for each parameter; None for a regular expression
    with parameters (the admin's object pages)."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda found: SAMPLES[found.group(1) or "str"], text)
    if "(?P<" in text or "\\" in text:
        return None
    return text.lstrip("^").rstrip("$")


def site_pages(patterns: Iterable[Any] = ()) -> list[Page]:
    """The pages of the site proper: neither the admin's nor the API's."""
    return [page for page in pages(patterns) if page.namespace not in (ADMIN, API)]


# --- Every URL is behind the gate, or on a list -----------------------------------------------


def test_every_page_states_who_may_open_it() -> None:
    silent = [page.name for page in site_pages() if access_of(page.view) is None]

    assert not silent, f"views that do not say who may open them (use @gate): {silent}"


def test_only_the_listed_pages_are_open_to_the_signed_out() -> None:
    public = {
        page.name
        for page in site_pages()
        if (found := access_of(page.view)) is not None and found.public
    }

    assert public == set(PUBLIC_PAGES)


def test_only_the_second_factor_step_and_sign_out_are_open_before_it() -> None:
    open_before = {
        page.name
        for page in site_pages()
        if (found := access_of(page.view)) is not None and found.before_second_factor
    }

    assert open_before == BEFORE_SECOND_FACTOR


def test_the_admin_is_behind_the_gate_as_a_page_for_the_signed_in() -> None:
    admin_pages = [page for page in pages() if page.namespace == ADMIN]
    index = resolve(reverse("admin:index"))

    assert admin_pages
    assert access_for(index, index.func) == SIGNED_IN


def test_every_api_address_is_an_authenticated_operation_or_its_documentation() -> None:
    """The API answers with its own authentication (`passage.api.auth`), which applies the
    same second-factor rule: every operation in the OpenAPI document requires it."""
    schema = api.get_openapi_schema()
    operations = [
        operation for methods in schema["paths"].values() for operation in methods.values()
    ]
    unauthenticated = [
        operation["operationId"]
        for operation in operations
        if {name for rule in operation.get("security", []) for name in rule} not in AUTHENTICATED
    ]
    names = {page.name for page in pages() if page.namespace == API}
    not_operations = {
        name
        for name in names - API_PAGES
        if not any(op["operationId"].endswith(f"_{name.split(':')[1]}") for op in operations)
    }

    assert not unauthenticated
    assert not not_operations
    assert names >= API_PAGES


def test_a_new_view_that_states_nothing_fails_the_walk() -> None:
    def letters(request: HttpRequest) -> HttpResponse:
        raise AssertionError("never called")

    walked = site_pages([*get_resolver().url_patterns, path("letters/", letters, name="letters")])

    assert [page.name for page in walked if access_of(page.view) is None] == ["letters"]


# --- The second factor on every page ----------------------------------------------------------


def gated_urls() -> list[tuple[str, str]]:
    return [
        (page.name, page.url)
        for page in site_pages()
        if page.url is not None and page.name not in BEFORE_SECOND_FACTOR
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), gated_urls())
def test_staff_without_the_second_factor_are_sent_to_it_from_every_page(name, url) -> None:
    officer = create_user(Role.OFFICER)
    create_authenticator(officer)
    client = Client()
    client.force_login(officer)  # signed in, the code not entered

    response = client.get(url)

    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("accounts:mfa")), name


@pytest.mark.django_db
def test_staff_without_the_second_factor_are_sent_to_it_from_an_applicants_page() -> None:
    case = submit_case()
    officer = create_user(Role.OFFICER, office=create_office())
    client = Client()
    client.force_login(officer)

    for url in (
        reverse("intake:my-applications"),
        reverse("tracker:case", kwargs={"case_id": case.public_id}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:mfa')}?next={url.replace('/', '%2F')}"
    assert signed_in_with_mfa(officer).get(reverse("intake:my-applications")).status_code == 200


@pytest.mark.django_db
def test_the_admin_sends_staff_to_the_second_factor_too() -> None:
    client = Client()
    client.force_login(create_user(Role.SUPERVISOR))

    response = client.get(reverse("admin:index"))

    assert response["Location"].startswith(reverse("accounts:mfa"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url"), [(name, url) for name, url in gated_urls() if name not in PUBLIC_PAGES]
)
def test_the_signed_out_are_sent_to_sign_in_from_every_page_but_the_public_ones(
    client: Client, name, url
) -> None:
    response = client.get(url)

    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("web:sign-in")), name


# --- Roles, stated per view ------------------------------------------------------------------


def test_a_public_page_names_no_roles_and_only_a_page_with_roles_hides() -> None:
    with pytest.raises(ValueError, match="public"):
        gate(Role.OFFICER, public=True)
    with pytest.raises(ValueError, match="hide"):
        gate(hide=True)


def test_the_statement_survives_the_decorators_around_it() -> None:
    from django.views.decorators.http import require_POST

    @require_POST
    @gate(Role.SUPERVISOR)
    def view(request: HttpRequest) -> HttpResponse:
        raise AssertionError("never called")

    assert access_of(view) == Access(roles=frozenset({Role.SUPERVISOR}))


@pytest.mark.django_db
def test_staff_are_judged_by_their_staff_roles_only() -> None:
    hired = create_user(Role.SPONSOR)
    grant_roles(user=hired, roles=[Role.ANALYST])

    assert holds_any(create_user(Role.SPONSOR), CLIENT_ROLES)
    assert not holds_any(hired, CLIENT_ROLES)
    assert signed_in_with_mfa(hired).get(reverse("intake:representatives")).status_code == 404


@pytest.mark.django_db
def test_a_person_without_the_role_gets_the_403_page_saying_who_the_page_is_for() -> None:
    client = signed_in_with_mfa(create_user(Role.OFFICER))

    response = client.get(reverse("workbench:overview"))

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()
    assert "Supervisor" in response.content.decode()


@pytest.mark.django_db
def test_a_page_that_hides_itself_is_the_404_of_a_missing_page() -> None:
    client = signed_in_with_mfa(create_user(Role.ANALYST))

    assert client.get(reverse("intake:clients")).status_code == 404


@pytest.mark.django_db
def test_dates_are_in_the_office_time_zone_for_staff_and_the_services_for_others(
    settings,
) -> None:
    settings.PASSAGE_DISPLAY_TIME_ZONE = "America/Toronto"
    office = create_office("vancouver")
    office.time_zone = "America/Vancouver"
    office.save()

    assert time_zone_of(create_user(Role.OFFICER, office=office)) == "America/Vancouver"
    assert time_zone_of(create_user(Role.APPLICANT)) == "America/Toronto"
    assert time_zone_of(AnonymousUser()) == "America/Toronto"


@pytest.mark.django_db
def test_a_page_runs_in_the_persons_time_zone_and_the_next_request_starts_afresh() -> None:
    office = create_office("vancouver")
    office.time_zone = "America/Vancouver"
    office.save()
    seen = []

    def record(sender: object, **kwargs: object) -> None:
        seen.append(timezone.get_current_timezone_name())

    signals.template_rendered.connect(record)
    try:
        response = signed_in_with_mfa(create_user(Role.OFFICER, office=office)).get(
            reverse("workbench:queue")
        )
    finally:
        signals.template_rendered.disconnect(record)

    assert response.status_code == 200
    assert set(seen) == {"America/Vancouver"}
    assert timezone.get_current_timezone_name() == "UTC"
