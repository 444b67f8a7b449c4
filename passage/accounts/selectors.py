"""Reads about people."""

import math
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connections, router

from passage.accounts.models import ApiToken, SignInAttempt, SignUpAttempt, User
from passage.accounts.request_reads import ROLES_JOIN, person_columns, person_from_rows
from passage.outbox.models import OutboxMessage

# The token look-up runs on every API request, so it is one statement written out once:
# the person and their roles together (see request_reads).
_PERSON_SQL = (
    'SELECT {columns} FROM "accounts_apitoken" '  # noqa: S608 (constants only)
    'INNER JOIN "accounts_user" ON ("accounts_apitoken"."user_id" = "accounts_user"."id") '
    f"{ROLES_JOIN} "
    'WHERE "accounts_apitoken"."token_hash" = %s AND "accounts_apitoken"."revoked_at" IS NULL '
    'AND "accounts_user"."is_active"'
)


def user_for_api_token(*, raw_token: str) -> User | None:
    """The active user holding this bearer token, or None. The user comes with their role
    names already loaded (`User.role_names`)."""
    alias = router.db_for_read(ApiToken)
    with connections[alias].cursor() as cursor:
        cursor.execute(_token_sql(alias), [ApiToken.hash(raw_token)])
        user: User | None = person_from_rows(alias, cursor.fetchall())
    return user


@cache
def _token_sql(alias: str) -> str:
    return _PERSON_SQL.format(columns=person_columns(alias).sql)


def sign_in_blocked(
    *, username: str, ip_address: str | None, now: datetime, device: str = ""
) -> bool:
    """Whether sign-in is refused for now: the name failed PASSAGE_SIGN_IN_MAX_FAILURES times
    within the lock time (counting since its last success) from this browser if it is one
    the name signed in from before (`device`), else from all unknown browsers together; or
    the address failed PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP times. So someone guessing a
    name's password locks out unknown browsers, never the owner's own. The answer is the
    same for a name that no account has, so a lock tells nothing about who has one."""
    lock = timedelta(minutes=settings.PASSAGE_SIGN_IN_LOCK_MINUTES)
    name = username.strip().lower()[:254]
    recent = SignInAttempt.objects.filter(
        username=name, device=device, at__gt=now - 2 * lock
    ).order_by("-at")
    failures: list[datetime] = []
    for succeeded, at in recent.values_list("succeeded", "at")[
        : settings.PASSAGE_SIGN_IN_MAX_FAILURES + 1
    ]:
        if succeeded:
            break
        failures.append(at)
    limit = settings.PASSAGE_SIGN_IN_MAX_FAILURES
    # Locked for the lock time after the failure that reached the limit within the window.
    if (
        len(failures) >= limit
        and failures[0] - failures[limit - 1] <= lock
        and now < failures[0] + lock
    ):
        return True
    if ip_address:
        from_address = SignInAttempt.objects.filter(
            ip_address=ip_address, succeeded=False, at__gt=now - lock
        )
        if from_address.count() >= settings.PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP:
            return True
    return False


def awaiting_email_verification(*, username: str, password: str) -> bool:
    """Whether these are the right name and password of an account opened at sign-up whose
    address is not confirmed yet. Only someone who knows the password learns this."""
    user = User.objects.filter(
        username=username, is_active=False, email_verified_at__isnull=True, last_login__isnull=True
    ).first()
    return user is not None and user.check_password(password)


def password_reset_emails_sent(*, email: str, now: datetime) -> int:
    """How many password reset emails the address was sent in the hour before `now`."""
    return OutboxMessage.objects.filter(
        kind="password_reset", to_email__iexact=email, created_at__gt=now - timedelta(hours=1)
    ).count()


SIGN_UP_EMAIL_KINDS = ("verify_email", "account_exists")


def sign_up_emails_sent(*, email: str, now: datetime) -> int:
    """How many sign-up emails (verification or "you already have an account") the address
    was sent in the hour before `now`."""
    return OutboxMessage.objects.filter(
        kind__in=SIGN_UP_EMAIL_KINDS,
        to_email__iexact=email,
        created_at__gt=now - timedelta(hours=1),
    ).count()


def sign_up_wait(*, ip_address: str | None, now: datetime) -> int | None:
    """Seconds until the client address may sign up again, when it already sent
    PASSAGE_SIGN_UPS_PER_CLIENT_ADDRESS_PER_HOUR sign-ups in the last hour; else None."""
    limit = settings.PASSAGE_SIGN_UPS_PER_CLIENT_ADDRESS_PER_HOUR
    if not ip_address:
        return None
    recent = SignUpAttempt.objects.filter(ip_address=ip_address, at__gt=now - timedelta(hours=1))
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    # The address may sign up again once the oldest of the last `limit` leaves the hour.
    return max(1, math.ceil((times[-1] + timedelta(hours=1) - now).total_seconds()))
