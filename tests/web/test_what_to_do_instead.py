"""The application's own "service unavailable" answers, the 500 of a fault on our side and
the 503 of a part out of reach, say in both languages what to do instead, as the status
page and the web server's fallback page do, and lead to the status page."""

import pytest
from django.test import Client

from tests.builders import create_user
from tests.support.outage import database_down
from tests.web.broken_urls import ADDRESSES

pytestmark = pytest.mark.django_db

INSTEAD = {
    "en": "Due dates that fall during an outage move by themselves",
    "fr": "Les dates limites qui tombent pendant une panne",
}


def browser() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_500_page_says_what_to_do_instead_in_both_languages(settings, language) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.web.broken_urls"

    html = browser().get(f"/{language}/{ADDRESSES[500]}").content.decode()

    assert INSTEAD["en"] in html
    assert INSTEAD["fr"] in html
    assert html.index(INSTEAD[language]) < html.index(INSTEAD["fr" if language == "en" else "en"])
    assert 'href="/en/status/"' in html
    assert 'href="/fr/status/"' in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_503_page_says_what_to_do_instead_in_both_languages(language) -> None:
    client = browser()
    client.force_login(create_user())
    with database_down():
        response = client.get(f"/{language}/")

    html = response.content.decode()
    assert response.status_code == 503
    assert INSTEAD["en"] in html
    assert INSTEAD["fr"] in html
    assert f'<a href="/{language}/status/">' in html
