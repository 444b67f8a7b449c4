"""The public pages through Django's test client: languages, toggle, sign-in and sign-out."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.builders import create_user

PASSWORD = "correct horse battery staple"
EQUIVALENT_PAGES = [("/en/", "/fr/"), ("/en/sign-in/", "/fr/connexion/")]
PAGES = [page for pair in EQUIVALENT_PAGES for page in pair]


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([a-z-]+)">', html)
    assert match, "the page has no <html lang>"
    return match.group(1)


def toggle_hrefs(html: str) -> set[str]:
    """Where the header's language toggle leads, as the component and as its fallback."""
    component = re.findall(r'<gcds-header lang-href="([^"]+)"', html)
    fallback = re.findall(r'<a href="([^"]+)" lang="(?:en|fr)" hreflang="(?:en|fr)">', html)
    return set(component) | set(fallback)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_in_its_language(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert html_lang(response.content.decode()) == path.split("/")[1]


@pytest.mark.django_db
@pytest.mark.parametrize(("english", "french"), EQUIVALENT_PAGES)
def test_language_toggle_points_at_the_same_page_in_the_other_language(
    client: Client, english: str, french: str
) -> None:
    assert toggle_hrefs(client.get(english).content.decode()) == {french}
    assert toggle_hrefs(client.get(french).content.decode()) == {english}


@pytest.mark.django_db
def test_language_toggle_keeps_the_query_string(client: Client) -> None:
    html = client.get("/en/sign-in/?next=/en/").content.decode()

    assert toggle_hrefs(html) == {"/fr/connexion/?next=/en/"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_skip_link_to_the_main_content(client: Client, path: str) -> None:
    html = client.get(path).content.decode()

    assert 'skip-to-href="#main-content"' in html
    assert '<a href="#main-content">' in html
    assert '<main id="main-content"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_footer_and_each_id_once(client: Client, path: str) -> None:
    html = client.get(path).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert html.count("<gcds-footer") == 1
    assert html.count("<footer") == 1
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert html.rstrip().endswith("</html>")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "sign_in_link"),
    [
        ("/en/", '<a class="gc-button gc-button--start" href="/en/sign-in/">Sign in</a>'),
        ("/fr/", '<a class="gc-button gc-button--start" href="/fr/connexion/">Se connecter</a>'),
    ],
)
def test_home_page_says_what_passage_is_and_invites_a_visitor_to_sign_in(
    client: Client, path: str, sign_in_link: str
) -> None:
    html = client.get(path).content.decode()

    assert "<h1>Passage</h1>" in html
    assert sign_in_link in html


@pytest.mark.django_db
def test_home_page_greets_a_signed_in_person_and_offers_to_sign_out(client: Client) -> None:
    client.force_login(create_user(first_name="Amélie"))

    html = client.get("/fr/").content.decode()

    assert "Bonjour, Amélie." in html
    assert 'action="/fr/deconnexion/"' in html
    assert "Se déconnecter" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "sign_in"), [("en", "sign-in"), ("fr", "connexion")])
def test_signing_in_with_the_right_password_goes_to_the_home_page(
    client: Client, language: str, sign_in: str
) -> None:
    user = create_user(password=PASSWORD)

    response = client.post(
        f"/{language}/{sign_in}/", {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signing_in_after_switching_to_french_goes_on_in_french(client: Client) -> None:
    user = create_user(password=PASSWORD)

    # The toggle keeps the query, so the page the person was going to is still English.
    response = client.post(
        "/fr/connexion/?next=/en/apply/", {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/demande/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "title", "summary", "message"),
    [
        (
            "/en/sign-in/",
            "<title>Error: Sign in \u2013 Passage</title>",
            "There was a problem",
            "The username or password is incorrect.",
        ),
        (
            "/fr/connexion/",
            "<title>Erreur\u00a0: Se connecter \u2013 Passage</title>",
            "Un problème est survenu",
            "Le nom d\u2019utilisateur ou le mot de passe est incorrect.",
        ),
    ],
)
def test_a_wrong_password_shows_an_error_summary_in_the_page_language(
    client: Client, path: str, title: str, summary: str, message: str
) -> None:
    user = create_user(password=PASSWORD)

    response = client.post(path, {"username": user.username, "password": "wrong password"})
    html = response.content.decode()

    assert response.status_code == 200
    assert title in html
    assert summary in html
    assert f'<a href="#id_username">{message}' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_fields_are_each_named_in_the_summary_and_beside_the_field(client: Client) -> None:
    html = client.post("/en/sign-in/", {"username": "", "password": ""}).content.decode()

    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'aria-describedby="id_username_error"' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_a_signed_in_person_who_opens_sign_in_goes_home(client: Client) -> None:
    client.force_login(create_user())

    response = client.get("/fr/connexion/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_sign_out_page_asks_for_confirmation_with_a_post_form(client: Client) -> None:
    client.force_login(create_user())

    html = client.get("/en/sign-out/").content.decode()

    assert '<form method="post" action="/en/sign-out/">' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_sign_out_page_sends_a_visitor_who_is_not_signed_in_home(client: Client) -> None:
    response = client.get("/fr/deconnexion/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_signing_out_ends_the_session_and_says_so(client: Client) -> None:
    client.force_login(create_user())

    response = client.post("/fr/deconnexion/", follow=True)

    assert response.redirect_chain == [("/fr/", 302)]
    assert "_auth_user_id" not in client.session
    assert "Votre session est fermée." in response.content.decode()


@pytest.mark.django_db
def test_sign_out_refuses_a_post_without_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(create_user())

    response = client.post("/en/sign-out/")

    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_root_sends_a_french_speaking_visitor_to_the_french_home_page(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "fr-CA,fr;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_signing_in_goes_back_to_the_page_that_asked_for_it(client: Client) -> None:
    user = create_user(password=PASSWORD)
    form = client.get("/fr/connexion/?next=/fr/deconnexion/").content.decode()
    assert '<input type="hidden" name="next" value="/fr/deconnexion/">' in form

    response = client.post(
        "/fr/connexion/",
        {"username": user.username, "password": PASSWORD, "next": "/fr/deconnexion/"},
    )

    assert response["Location"] == "/fr/deconnexion/"


@pytest.mark.django_db
def test_signing_in_never_sends_a_person_to_another_site(client: Client) -> None:
    user = create_user(password=PASSWORD)

    response = client.post(
        "/en/sign-in/",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response["Location"] == "/en/"


@pytest.mark.parametrize("path", ["/en/", "/fr/connexion/"])
def test_every_page_names_the_site_icon_and_the_icon_exists(client: Client, path: str) -> None:
    html = client.get(path).content.decode()

    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("web/favicon.svg")
