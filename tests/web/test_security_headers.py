"""Security headers and cookies through Django's test client: the Content Security Policy
and the other headers on every page, HSTS and Secure cookies whenever debug is off, the
proxy's HTTPS header trusted only on request, and the API docs for verified staff only."""

import os
import re
import runpy
from html.parser import HTMLParser
from typing import Any

import dotenv
import pytest
from django.test import Client

import passage.settings
from passage.accounts.roles import Role
from tests.accounts.builders import create_authenticator, signed_in_with_mfa
from tests.builders import create_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ONE_YEAR = 365 * 24 * 3600
PUBLIC_PAGES = ["/en/", "/fr/", "/en/sign-in/", "/fr/connexion/", "/en/apply/", "/fr/demande/"]
# The Django settings that make up the HTTPS and cookie set-up.
HTTPS_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_HTTPONLY",
]


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The values `passage/settings.py` gives with only these PASSAGE_ variables set (and
    no .env file), as a deployment with that environment would get them."""
    for name in [name for name in os.environ if name.startswith("PASSAGE_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(dotenv, "load_dotenv", lambda *args, **kwargs: False)
    return runpy.run_path(passage.settings.__file__)


def deploy(settings: Any, monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Apply the HTTPS and cookie settings of a deployment with this environment."""
    values = settings_under(monkeypatch, **env)
    for name in HTTPS_SETTINGS:
        setattr(settings, name, values[name])
    # Unset in settings.py means Django's default: no proxy header is trusted.
    settings.SECURE_PROXY_SSL_HEADER = values.get("SECURE_PROXY_SSL_HEADER")
    return values


def policy(response: Any) -> dict[str, list[str]]:
    """The Content Security Policy of an answer, as directive -> sources."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def sign_in(client: Client) -> Any:
    """Open the sign-in page (which sets the CSRF cookie) and sign in."""
    user = create_user(password=PASSWORD)
    client.get("/en/sign-in/")
    return client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})


def cookies_after_sign_in(
    settings: Any, monkeypatch: pytest.MonkeyPatch, **env: str
) -> dict[str, Any]:
    """The session and CSRF cookies a person gets by signing in under this environment."""
    deploy(settings, monkeypatch, **env)
    client = Client()
    assert sign_in(client).status_code == 302
    return {name: client.cookies[name] for name in (settings.SESSION_COOKIE_NAME, "csrftoken")}


class Addresses(HTMLParser):
    """Every src and href of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in {"src", "href"} and value]


def addresses_in(html: str) -> list[str]:
    parser = Addresses()
    parser.feed(html)
    return parser.found


# --- Every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_carries_a_strict_content_security_policy(client: Client, path: str) -> None:
    directives = policy(client.get(path))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    everything = [source for sources in directives.values() for source in sources]
    assert "'unsafe-eval'" not in everything
    assert "'unsafe-inline'" not in everything


def test_signed_in_pages_carry_the_policy_too() -> None:
    client = Client()
    client.force_login(create_user())
    officer = signed_in_with_mfa(create_user(Role.OFFICER))

    for response in (client.get("/en/apply/my-applications/"), officer.get("/en/workbench/")):
        assert response.status_code == 200
        assert policy(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_tells_browsers_not_to_sniff_leak_addresses_or_use_devices(
    client: Client, path: str
) -> None:
    response = client.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    features = response["Permissions-Policy"].split(", ")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in features


def test_the_design_system_s_styles_get_a_fresh_nonce_and_scripts_none(client: Client) -> None:
    first, second = client.get("/en/"), client.get("/en/")

    nonces = []
    for response in (first, second):
        html = response.content.decode()
        [nonce] = re.findall(r'<meta name="csp-nonce" content="([^"]+)">', html)
        assert policy(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
        assert policy(response)["script-src"] == ["'self'"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


# --- HTTPS and cookies --------------------------------------------------------------------


def test_browsers_are_told_to_keep_to_https_for_a_year_exactly_when_debug_is_off(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(settings, monkeypatch, PASSAGE_DEBUG="0")
    production = Client().get("/en/", secure=True)
    deploy(settings, monkeypatch, PASSAGE_DEBUG="1")
    development = Client().get("/en/", secure=True)

    assert production["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"
    assert "Strict-Transport-Security" not in development


def test_hsts_preload_is_only_asked_for_when_the_operator_says_so(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(settings, monkeypatch, PASSAGE_DEBUG="0", PASSAGE_HSTS_PRELOAD="1")

    assert client.get("/en/", secure=True)["Strict-Transport-Security"].endswith("; preload")


def test_session_and_csrf_cookies_are_secure_whenever_debug_is_off(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = cookies_after_sign_in(settings, monkeypatch, PASSAGE_DEBUG="0")
    development = cookies_after_sign_in(settings, monkeypatch, PASSAGE_DEBUG="1")
    # An operator testing on plain HTTP can still turn them off.
    plain_http = cookies_after_sign_in(
        settings, monkeypatch, PASSAGE_DEBUG="0", PASSAGE_SECURE_COOKIES="0"
    )

    assert all(cookie["secure"] for cookie in production.values())
    assert not any(cookie["secure"] for cookie in development.values())
    assert not any(cookie["secure"] for cookie in plain_http.values())
    assert all(cookie["samesite"] == "Lax" for cookie in production.values())
    assert all(cookie["httponly"] for cookie in production.values())


def test_the_proxy_s_https_header_counts_only_when_the_operator_trusts_it(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = deploy(settings, monkeypatch, PASSAGE_DEBUG="0")
    claimed = client.get("/en/", headers={"X-Forwarded-Proto": "https"})

    assert "SECURE_PROXY_SSL_HEADER" not in values
    assert "Strict-Transport-Security" not in claimed

    deploy(settings, monkeypatch, PASSAGE_DEBUG="0", PASSAGE_TRUST_X_FORWARDED_PROTO="1")
    behind_proxy = Client().get("/en/", headers={"X-Forwarded-Proto": "https"})

    assert behind_proxy["Strict-Transport-Security"].startswith(f"max-age={ONE_YEAR}")


def test_plain_http_is_not_redirected_unless_the_operator_asks(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(settings, monkeypatch, PASSAGE_DEBUG="0")
    assert client.get("/en/").status_code == 200

    deploy(settings, monkeypatch, PASSAGE_DEBUG="0", PASSAGE_SSL_REDIRECT="1")
    response = Client().get("/en/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


# --- The API docs -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_docs_send_a_signed_out_visitor_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/en/sign-in/?next={path}"


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_docs_are_not_there_for_a_client(client: Client, path: str) -> None:
    client.force_login(create_user(Role.APPLICANT))

    assert client.get(path).status_code == 404


def test_staff_who_have_not_passed_the_second_factor_are_sent_to_it_first(
    client: Client,
) -> None:
    officer = create_user(Role.OFFICER)
    create_authenticator(officer)
    client.force_login(officer)

    response = client.get("/api/v1/docs")

    assert response.status_code == 302
    assert response["Location"] == "/en/account/security/?next=%2Fapi%2Fv1%2Fdocs"


def test_verified_staff_read_the_api_docs_served_from_this_site_alone() -> None:
    client = signed_in_with_mfa(create_user(Role.OFFICER))

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    addresses = addresses_in(response.content.decode())
    assert any(address.endswith("swagger-ui-bundle.js") for address in addresses)
    assert all(address.startswith("/") and not address.startswith("//") for address in addresses)
    assert policy(response)["script-src"] == ["'self'"]
    assert client.get("/api/v1/openapi.json").status_code == 200
