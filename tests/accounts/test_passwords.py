"""Password rules after NIST SP 800-63B: length, the breached list, no composition rules."""

import gzip

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from passage.accounts.models import User
from passage.accounts.passwords import BREACHED_LIST, build_breached_list

pytestmark = pytest.mark.django_db


def problems(password: str, user: User | None = None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_a_breached_password_is_refused_with_a_message_that_says_what_to_do() -> None:
    # Long enough, but on the list: a common password with the usual digits after it.
    assert problems("baseball123456") == [
        "This password is on a list of passwords that attackers try first. Choose another "
        "one: a few unrelated words make a strong password."
    ]


def test_a_long_passphrase_of_lowercase_words_and_spaces_is_accepted() -> None:
    passphrase = "the river behind grandmother's house froze early that winter"

    assert problems(passphrase) == []
    assert problems("x" * 20 + " quiet sundial marmalade compass ferry lighthouse" * 2) == []


def test_a_password_of_64_characters_is_accepted_and_one_over_128_is_not() -> None:
    assert problems("walnut " * 9 + "tangerine") == []
    assert problems("a quiet sundial " * 9) == [
        "This password is too long. Use 128 characters or fewer."
    ]


def test_a_short_password_is_refused_whatever_characters_it_holds() -> None:
    assert problems("Tr0ub4dor&3") == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_password_like_the_persons_email_is_refused() -> None:
    person = User(username="amelie.poulain@example.com", email="amelie.poulain@example.com")

    assert any("too similar" in problem for problem in problems("amelie.poulain", person))


def test_the_bundled_list_holds_at_least_100000_passwords_built_from_djangos_list() -> None:
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as lines:
        entries = [line.strip() for line in lines]

    assert len(entries) >= 100_000
    assert entries == sorted(set(entries))
    assert {"password", "password123456", "passwordpassword"} <= set(entries)


def test_the_list_builder_adds_the_usual_variations_of_each_password() -> None:
    assert build_breached_list(["Dragon"]) == sorted(
        [
            "dragon",
            "dragon1",
            "dragon12",
            "dragon123",
            "dragon1234",
            "dragon12345",
            "dragon123456",
            "dragon!",
            "dragon1!",
            "dragon2024",
            "dragon2025",
            "dragondragon",
        ]
    )
