"""Take the live links and codes out of the outbox.

Verification and password reset emails used to store their link (with its token) and link
code emails their code. From now on they store a reference, and the link or code is made
when the email is sent. Rows already sent or failed lose the secret ("[removed]"); pending
rows get the reference when the link can be read, and otherwise fail with a note that the
person must ask again.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.core import signing
from django.db import migrations
from django.utils.http import base36_to_int, urlsafe_base64_decode

REMOVED = "[removed]"
REMOVED_AT_UPGRADE = (
    "The link or code in this email was removed from the outbox when Passage was "
    "upgraded, before it was sent. The person must ask for a new one."
)
# As in passage.accounts.services at the time of this migration.
VERIFY_SALT = "passage.accounts.verify-email"
# Django's reset tokens count seconds from 2001-01-01 (UTC here).
RESET_EPOCH = int(datetime(2001, 1, 1, tzinfo=UTC).timestamp())
SECRET_KEYS = {"verify_email": "link", "password_reset": "link", "link_code": "code"}


def verify_reference(link):
    """The reference of a verification link, or None when its token is not good."""
    token = _path_parts(link)[-1]
    try:
        payload = signing.loads(token, salt=VERIFY_SALT)
        return f"verify_email:{int(payload['u'])}:{int(payload['t'])}"
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def reset_reference(link):
    """The reference of a password reset link, or None when it cannot be read."""
    try:
        uidb64, token = _path_parts(link)[-2:]
        user_pk = int(urlsafe_base64_decode(uidb64).decode())
        issued = base36_to_int(token.split("-")[0]) + RESET_EPOCH
    except (ValueError, UnicodeDecodeError):
        return None
    return f"password_reset:{user_pk}:{issued}"


def _path_parts(link):
    return [part for part in urlsplit(str(link)).path.split("/") if part]


REFERENCES = {"verify_email": verify_reference, "password_reset": reset_reference}


def redacted(row):
    """What to store for one row instead (context, status, last_error), or None when the
    row holds no secret."""
    key = SECRET_KEYS[row.template]
    secret = row.context.get(key)
    if secret is None or secret == REMOVED:
        return None
    context = dict(row.context)
    if row.status == "pending":
        read = REFERENCES.get(row.template)
        reference = read(secret) if read else None
        if reference is not None:
            del context[key]
            context["secret"] = reference
            return context, row.status, row.last_error
        context[key] = REMOVED
        return context, "failed", REMOVED_AT_UPGRADE
    context[key] = REMOVED
    return context, row.status, row.last_error


def remove_secrets(apps, schema_editor):
    OutboxMessage = apps.get_model("messaging", "OutboxMessage")
    rows = OutboxMessage.objects.filter(template__in=list(SECRET_KEYS)).order_by("pk")
    for row in rows.iterator():
        change = redacted(row)
        if change is None:
            continue
        row.context, row.status, row.last_error = change
        row.save(update_fields=["context", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_outboxmessage_template_version")]
    operations = [migrations.RunPython(remove_secrets, migrations.RunPython.noop)]
