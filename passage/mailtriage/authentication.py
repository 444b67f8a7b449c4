"""Whether the sender's address is genuine, as the department's own mail server found it:
the `Authentication-Results` header it adds (RFC 8601) says whether the message passed
DMARC, the check that the From domain sent it. Only the header stamped by our server (its
authserv-id) counts: any other could have been written by the sender."""

import re

from passage.mailtriage.parsing import ParsedEmail

_DMARC = re.compile(r"(?:^|[;\s])dmarc\s*=\s*(\w+)", re.IGNORECASE)


def sender_verified(email: ParsedEmail, *, authserv_id: str) -> bool | None:
    """True when our server found DMARC passed; False when it found anything else or
    stamped nothing; None when no server is configured to check (`authserv_id` empty)."""
    if not authserv_id:
        return None
    for value in email.headers_named("Authentication-Results"):
        server = value.split(";", 1)[0].strip().split()[0:1]
        if server and server[0].lower() == authserv_id.lower():
            found = _DMARC.search(value)
            return found is not None and found.group(1).lower() == "pass"
    return False
