"""Writes about people: accounts, roles and API tokens."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from passage.accounts.models import ApiToken, Office, User
from passage.accounts.roles import Role


@transaction.atomic
def create_person(
    *,
    username: str,
    email: str,
    password: str | None,
    roles: list[Role],
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "en",
    office: Office | None = None,
) -> User:
    """Create a person with the given roles. `password=None` makes an account that
    cannot sign in with a password (a service account)."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
        office=office,
        is_staff=any(role in (Role.SUPERVISOR,) for role in roles),
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    grant_roles(user=user, roles=roles)
    return user


def grant_roles(*, user: User, roles: list[Role]) -> None:
    """Add the person to each role's group, creating the group on first use."""
    for role in roles:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    if hasattr(user, "_role_names"):
        del user._role_names


def issue_api_token(*, user: User, name: str) -> str:
    """Create an API token and return it in clear: the only time it is visible."""
    raw = "psg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_hash=ApiToken.hash(raw))
    return raw
