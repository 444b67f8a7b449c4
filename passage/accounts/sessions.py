"""Django's database sessions, read with one prepared statement (see request_reads)."""

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from passage.accounts.request_reads import session_data_of


class SessionStore(db.SessionStore):
    """Sessions exactly as `django.contrib.sessions.backends.db` keeps them; only the read
    of a session on each request is a statement written out once."""

    def load(self) -> dict[str, Any]:
        data = session_data_of(self.session_key, timezone.now()) if self.session_key else None
        if data is None:
            # As Django does: an unknown or expired key is forgotten, a new one is made on save.
            self._session_key = None
            return {}
        return self.decode(data)
