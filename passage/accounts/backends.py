"""Authentication: Django's ModelBackend (usernames and passwords, is_active), with the
person behind a session read by one prepared statement (see request_reads)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from passage.accounts.request_reads import person_by_id


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in person of a session, or None if they are gone or deactivated."""
        user = person_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
