"""Signing in and staying signed in go through Passage's backend, which keeps Django's
rules: a deactivated or deleted person's sessions no longer sign anyone in."""

import pytest
from django.test import Client

from passage.accounts.backends import AccountBackend
from tests.builders import create_user

pytestmark = pytest.mark.django_db


def test_the_person_of_a_session_is_found_while_they_are_active() -> None:
    person = create_user()
    assert AccountBackend().get_user(person.pk) == person

    person.is_active = False
    person.save()
    assert AccountBackend().get_user(person.pk) is None


def test_a_deactivated_persons_open_session_is_signed_out_on_the_next_request() -> None:
    person = create_user()
    client = Client()
    client.force_login(person)
    assert client.get("/en/account/").status_code == 200

    person.is_active = False
    person.save()

    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_signing_in_with_a_password_still_works() -> None:
    person = create_user(password="correct horse battery staple")
    client = Client()
    assert client.login(username=person.username, password="correct horse battery staple")
    assert not client.login(username=person.username, password="wrong horse")
