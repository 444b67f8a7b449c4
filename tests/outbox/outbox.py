"""Reading the outbox in tests as an attacker with the database would, and as the person
who receives the email would."""

import re

from django.db import connection

from passage.outbox.delivery import build_message
from passage.outbox.models import OutboxMessage

LINK = re.compile(r"https?://\S+")


def raw_outbox_text() -> str:
    """Every stored value of every outbox row, as the database gives it back."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{OutboxMessage._meta.db_table}"')  # noqa: S608
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def link_in(text: str) -> str:
    """The one link in an email's text."""
    (link,) = LINK.findall(text)
    return link


def emailed_link(row: OutboxMessage) -> str:
    """The link the email of `row` gives, as it would be built to be sent now."""
    return link_in(build_message(row).body)
