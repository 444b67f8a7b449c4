"""Reads about people."""

from passage.accounts.models import ApiToken, User


def user_for_api_token(*, raw_token: str) -> User | None:
    """The active user holding this bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None
