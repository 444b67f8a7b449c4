"""The site's error pages with debug off, through Django's test client: 400, 403 (and a
failed CSRF check), 404, 429 and 500 answer in the language of the address (English where
it has none, with the way to French), in the site's layout, with a heading that says what
happened and nothing of how: no stack trace, no URL map. The 500 page is drawn without
the database, and a bare page stands in when even the layout fails. The API keeps its
JSON errors."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.http import HttpResponse
from django.test import Client

from passage import clock
from passage.web import error_pages
from tests.support.outage import database_down
from tests.web.broken_urls import ADDRESSES

pytestmark = pytest.mark.django_db

HEADINGS = {
    400: {
        "en": "We could not read your request",
        "fr": "Nous n\u2019avons pas pu lire votre demande",
    },
    403: {"en": "You cannot use this page", "fr": "Vous ne pouvez pas utiliser cette page"},
    404: {"en": "We cannot find that page", "fr": "Nous ne trouvons pas cette page"},
    429: {"en": "Too many requests", "fr": "Trop de requêtes"},
    500: {"en": "Something went wrong on our side", "fr": "Un problème est survenu de notre côté"},
}
CSRF_HEADINGS = {
    "en": "Your form could not be sent",
    "fr": "Votre formulaire n\u2019a pas pu être envoyé",
}
HOME_LINK = {"en": "Go back to the home page", "fr": "Retourner à la page d\u2019accueil"}
SIGN_IN = {"en": "/en/sign-in/", "fr": "/fr/connexion/"}
# What Django's debug pages and tracebacks show, and the failures the tests cause.
TECHNICAL = [
    "Traceback",
    "URLconf",
    "urlpatterns",
    "Django",
    "RuntimeError",
    "SuspiciousOperation",
    "a fault this test made",
    "a request this test made unreadable",
]


@pytest.fixture(autouse=True)
def _debug_off_with_failing_pages(settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.web.broken_urls"


def browser() -> Client:
    # Django's test client raises a view's exception by default; a browser sees the answer.
    return Client(raise_request_exception=False)


def too_many_sign_ins(language: str, settings, monkeypatch) -> HttpResponse:
    settings.PASSAGE_RATE_SIGN_INS_PER_MINUTE = 1
    # One window of the rate for both requests.
    moment = datetime(2026, 12, 7, 10, 0, 20, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    client = browser()
    form = {"username": "someone", "password": "not the password"}
    client.post(SIGN_IN[language], form)
    return client.post(SIGN_IN[language], form)


def answer(status: int, language: str, settings, monkeypatch) -> HttpResponse:
    """The answer of a request that fails with `status`, in `language`."""
    if status == 404:
        return browser().get(f"/{language}/nothing-here/")
    if status == 429:
        return too_many_sign_ins(language, settings, monkeypatch)
    return browser().get(f"/{language}/{ADDRESSES[status]}")


def assert_error_page(response: HttpResponse, status: int, language: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert f"<h1>{HEADINGS[status][language]}</h1>" in html
    assert f"<title>{HEADINGS[status][language]} \u2013 Passage</title>" in html
    assert "<gcds-header " in html  # the site's header, and its plain-HTML stand-in
    assert 'class="gc-brand"' in html
    assert HOME_LINK[language] in html
    assert f'href="/{language}/"' in html
    assert '<meta name="robots" content="noindex">' in html
    for detail in TECHNICAL:
        assert detail not in html
    return html


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("status", [400, 403, 404, 429, 500])
def test_each_error_answers_the_sites_page_in_the_language_of_the_address(
    status: int, language: str, settings, monkeypatch
) -> None:
    response = answer(status, language, settings, monkeypatch)

    assert_error_page(response, status, language)
    assert response["Content-Language"] == language


def test_an_unhandled_exception_in_a_view_gives_the_designed_500_page() -> None:
    response = browser().get(f"/fr/{ADDRESSES[500]}")

    html = assert_error_page(response, 500, "fr")
    assert "Réessayez dans quelques minutes." in html
    assert "Passage n\u2019a pas pu terminer votre demande" in html


def test_the_500_page_is_drawn_while_the_database_is_down() -> None:
    with database_down():
        response = browser().get(f"/en/{ADDRESSES[500]}")

    assert_error_page(response, 500, "en")


def test_the_500_page_falls_back_to_a_bare_page_when_the_layout_fails(monkeypatch) -> None:
    def broken_template(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a template tag failed")

    monkeypatch.setattr(error_pages, "render_to_string", broken_template)

    response = browser().get(f"/fr/{ADDRESSES[500]}")

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in html
    assert f"<h1>{HEADINGS[500]['fr']}</h1>" in html
    assert f'<a href="/fr/">{HOME_LINK["fr"]}</a>' in html
    assert "a template tag failed" not in html


@pytest.mark.parametrize("accept", ["en", "fr"])
def test_an_address_without_a_language_answers_in_english_with_the_way_to_french(
    accept: str,
) -> None:
    response = browser().get("/nothing-here/", headers={"Accept-Language": accept})

    html = assert_error_page(response, 404, "en")
    assert '<gcds-header lang-href="/fr/nothing-here/"' in html


@pytest.mark.parametrize(
    ("address", "other"),
    [
        ("/fr/nothing-here/", "/en/nothing-here/"),
        ("/en/nothing-here/?a=1", "/fr/nothing-here/?a=1"),
        ("/en/sign-in/nothing/", "/fr/sign-in/nothing/"),
    ],
)
def test_the_language_toggle_of_an_error_page_leads_to_the_same_error_in_the_other_language(
    address: str, other: str
) -> None:
    html = browser().get(address).content.decode()

    assert f'<gcds-header lang-href="{other}"' in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_form_that_fails_the_csrf_check_gets_the_sites_403_page(language: str) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(SIGN_IN[language], {"username": "someone", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert "<gcds-header " in html
    assert f"<h1>{CSRF_HEADINGS[language]}</h1>" in html
    assert "CSRF" not in html


def test_a_host_that_is_not_allowed_gets_the_sites_400_page_in_the_address_language() -> None:
    response = browser().get("/fr/", headers={"Host": "elsewhere.example"})

    assert_error_page(response, 400, "fr")


@pytest.mark.parametrize(
    ("request_", "status", "detail"),
    [
        (
            lambda client: client.get("/api/v1/nothing-here"),
            404,
            "There is nothing at this address.",
        ),
        (
            lambda client: client.get(f"/api/v1/{ADDRESSES[500]}"),
            500,
            "Something went wrong on our side and nothing was saved. Try again later.",
        ),
    ],
    ids=["404", "500"],
)
def test_api_errors_stay_json(
    request_: Callable[[Client], HttpResponse], status: int, detail: str
) -> None:
    response = request_(browser())

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": detail, "errors": {}}
