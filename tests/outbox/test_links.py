import pytest

from passage.outbox.links import absolute_url, sign_in_url


def test_a_path_becomes_an_address_on_the_public_site(settings):
    settings.PASSAGE_SITE_URL = "https://passage.example.ca/"

    assert absolute_url("/fr/dossiers/") == "https://passage.example.ca/fr/dossiers/"


def test_a_site_under_a_path_keeps_it(settings):
    settings.PASSAGE_SITE_URL = "https://example.ca/passage"

    assert absolute_url("/en/") == "https://example.ca/passage/en/"


def test_only_paths_from_the_root_are_accepted():
    with pytest.raises(ValueError, match="root"):
        absolute_url("https://elsewhere.example/")


def test_the_sign_in_link_is_in_the_persons_language():
    assert sign_in_url(language="fr") == "http://127.0.0.1:8000/fr/connexion/"
    assert sign_in_url(language="en") == "http://127.0.0.1:8000/en/sign-in/"
