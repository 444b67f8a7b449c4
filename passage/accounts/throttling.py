"""Request rates: how many requests of a kind one client may send in a minute, counted in
the database so that every web process sees the same counts.

A client is an address (`client_ip`), a signed-in person, or an API token (its hash,
whether or not it is valid: a guessed token is counted too). Each kind of request is
counted per client in fixed one-minute windows; past its limit, the request is refused with
the seconds left in the window (the caller answers 429 with `Retry-After`).
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.http import HttpRequest

from passage.accounts.models import RequestCount
from passage.accounts.requests import client_ip

WINDOW_SECONDS = 60
# How often a new window also sweeps windows older than an hour (one in this many).
PRUNE_ONE_IN = 200

# The views whose requests guess at a secret or make the service send one.
SIGN_IN_VIEWS = frozenset(
    {
        "web:sign-in",
        "accounts:sign-in-code",
        "accounts:mfa",
        "accounts:mfa-remove",
        "accounts:recovery-codes",
        "tracker:code",
    }
)
# (Sign-up has a limit of its own per address and hour, with its form shown again.)
CODE_VIEWS = frozenset({"accounts:forgot-password", "tracker:link"})
# The views anyone may send, without an account, whose answer costs a rendering (a
# printed paper form, an eCOPR drawn again to read its QR code and check its signature):
# a tighter limit per address.
PRINT_VIEWS = frozenset({"paper-forms:fill-in", "residence:verify"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Limit:
    """At most `per_minute` requests of this kind from one client."""

    key: str
    per_minute: int


def limits_for(request: HttpRequest, view_name: str, *, api: bool) -> list[Limit]:
    """The limits a request counts against: none for reads; for writes, per address, and
    per person or token where the request has one."""
    if request.method in SAFE_METHODS or not settings.PASSAGE_RATE_LIMITS:
        return []
    address = client_ip(request) or "unknown"
    if view_name in SIGN_IN_VIEWS:
        return [Limit(f"sign-in:address:{address}", settings.PASSAGE_RATE_SIGN_INS_PER_MINUTE)]
    if view_name in CODE_VIEWS:
        return [Limit(f"codes:address:{address}", settings.PASSAGE_RATE_CODE_REQUESTS_PER_MINUTE)]
    if view_name in PRINT_VIEWS:
        return [Limit(f"prints:address:{address}", settings.PASSAGE_RATE_FORM_PRINTS_PER_MINUTE)]
    limits = [Limit(f"writes:address:{address}", settings.PASSAGE_RATE_WRITES_PER_MINUTE)]
    token = _bearer_token(request) if api else None
    if token is not None:
        digest = hashlib.sha256(token.encode()).hexdigest()[:40]
        limits.append(
            Limit(f"writes:token:{digest}", settings.PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE)
        )
    elif request.user.is_authenticated:
        limits.append(
            Limit(
                f"writes:person:{request.user.pk}", settings.PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE
            )
        )
    return limits


def wait_for(limits: list[Limit], *, now: datetime) -> int | None:
    """Count this request against each limit; None when it is within all of them, else
    the seconds until the window ends. A database that cannot count lets it through: the
    request itself then meets the same database."""
    if not limits:
        return None
    start = int(now.timestamp()) // WINDOW_SECONDS * WINDOW_SECONDS
    try:
        counts = _count(limits, start)
    except DatabaseError:
        return None
    if all(counts.get(limit.key, 0) <= limit.per_minute for limit in limits):
        return None
    return max(1, start + WINDOW_SECONDS - int(now.timestamp()))


_COUNT_SQL = (
    'INSERT INTO "accounts_requestcount" ("key", "window_start", "count") VALUES {rows} '
    'ON CONFLICT ("key", "window_start") '
    'DO UPDATE SET "count" = "accounts_requestcount"."count" + 1 '
    'RETURNING "key", "count"'
)


def _count(limits: list[Limit], start: int) -> dict[str, int]:
    """Add one to each limit's count in this window (one statement, on PostgreSQL and
    SQLite alike) and return the counts."""
    alias = router.db_for_write(RequestCount)
    rows = ", ".join(["(%s, %s, 1)"] * len(limits))
    params: list[str | int] = []
    for limit in limits:
        params += [limit.key, start]
    with connections[alias].cursor() as cursor:
        cursor.execute(_COUNT_SQL.format(rows=rows), params)
        counts = {key: count for key, count in cursor.fetchall()}
        if any(count == 1 for count in counts.values()) and random.randrange(PRUNE_ONE_IN) == 0:  # noqa: S311
            cursor.execute(
                'DELETE FROM "accounts_requestcount" WHERE "window_start" < %s', [start - 3600]
            )
    return counts


def _bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
