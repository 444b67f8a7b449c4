"""The ceiling of the tracker benchmark: the tracker API and page with no framework.

Starlette, a psycopg 3 async connection pool and orjson, served by uvicorn. For each
request it runs the same SQL statements as Passage, in the same order (the benchmark
captures Passage's statements and stops unless they equal the ones below), and does the
same work around them:

- API (GET /api/v1/cases/{id}/tracker, bearer token): token hash, the case with its
  program, the unread message count and the person's party roles, its latest events for
  clients, open document requests, the processing-time estimate (computed once per
  program per day in each process, as Passage's per-process cache does). No session: a
  token request makes none. The JSON is the same, byte for byte.
- Page (GET /en/cases/{id}/, session cookie): the session row, its signature checked
  (django.core.signing, the only Django piece used here, for the cookie format), the
  person, the session's password hash checked, the person's roles, then the same reads
  as the API; the HTML is the same page built with Python string formatting (head,
  header with the account menu, forms with a CSRF token and an idempotency key, status,
  steps, estimate, history, footer), about the same size as Passage's.

English only (the benchmark sends no Accept-Language). It serves what the benchmark
sends and answers 401, 302 or 404 like Passage for a missing token, a missing session
and a case the person may not see.

Run (the benchmark does this): BARE_DATABASE_URL=postgresql://... BARE_POOL_SIZE=4
    BARE_SECRET_KEY=... uvicorn --app-dir benchmarks/support bare_tracker:app
"""

# The page below mirrors Passage's markup line for line (long lines, an en dash in the title).
# ruff: noqa: E501, RUF001

from __future__ import annotations

import base64
import hashlib
import html
import os
import secrets
import string
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import psycopg
from django.conf import settings as django_settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from psycopg.types.json import set_json_dumps, set_json_loads
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wording import (
    EVENT_LABELS,
    MONTHS,
    STATE_LABELS,
    STATUS_EXPLANATIONS,
    STATUS_LABELS,
    STEP_LABELS,
)

SECRET_KEY = os.environ.get("BARE_SECRET_KEY", "insecure-development-key-change-me")

_USER_COLUMNS = (
    '"accounts_user"."id", "accounts_user"."password", "accounts_user"."last_login", '
    '"accounts_user"."is_superuser", "accounts_user"."username", "accounts_user"."first_name", '
    '"accounts_user"."last_name", "accounts_user"."email", "accounts_user"."is_staff", '
    '"accounts_user"."is_active", "accounts_user"."date_joined", '
    '"accounts_user"."preferred_language", "accounts_user"."office_id", '
    '"accounts_user"."email_verified_at", "accounts_user"."session_salt"'
)
PERSON_SQL = (
    f'SELECT {_USER_COLUMNS}, "auth_group"."name" FROM "accounts_apitoken" '  # noqa: S608
    'INNER JOIN "accounts_user" ON ("accounts_apitoken"."user_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_user_groups" '
    'ON ("accounts_user"."id" = "accounts_user_groups"."user_id") '
    'LEFT OUTER JOIN "auth_group" ON ("accounts_user_groups"."group_id" = "auth_group"."id") '
    'WHERE "accounts_apitoken"."token_hash" = %s AND "accounts_apitoken"."revoked_at" IS NULL '
    'AND "accounts_user"."is_active"'
)
SESSION_SQL = (
    'SELECT "django_session"."session_data" FROM "django_session" '
    'WHERE "django_session"."session_key" = %s AND "django_session"."expire_date" > %s'
)
# The person of the session with their roles: one row per group.
USER_SQL = (
    f'SELECT {_USER_COLUMNS}, "auth_group"."name" FROM "accounts_user" '  # noqa: S608
    'LEFT OUTER JOIN "accounts_user_groups" '
    'ON ("accounts_user"."id" = "accounts_user_groups"."user_id") '
    'LEFT OUTER JOIN "auth_group" ON ("accounts_user_groups"."group_id" = "auth_group"."id") '
    'WHERE "accounts_user"."id" = %s'
)
# The case with its program, the unread count and the person's active parties (one row each).
CASE_SQL = (
    'SELECT "cases_case"."id", "cases_case"."public_id", "cases_case"."reference", '
    '"cases_case"."status", "cases_case"."status_changed_at", "cases_case"."received_at", '
    '"cases_case"."decided_at", "cases_case"."version", "intake_program"."code", '
    '"cases_case"."eligibility", "cases_case"."eligibility_changed_at", '
    '"cases_case"."background", "cases_case"."background_changed_at", "cases_case"."medical", '
    '"cases_case"."medical_changed_at", "cases_case"."biometrics", '
    '"cases_case"."biometrics_changed_at", "intake_program"."id", "intake_program"."name_en", '
    '"intake_program"."name_fr", "intake_program"."service_standard_days", '
    '(SELECT COUNT(*) FROM "conversations_message" '
    'INNER JOIN "conversations_thread" '
    'ON ("conversations_message"."thread_id" = "conversations_thread"."id") '
    'WHERE "conversations_thread"."case_id" = "cases_case"."id" '
    'AND "conversations_message"."author_id" <> %s '
    'AND NOT EXISTS(SELECT 1 FROM "conversations_messageread" U0 '
    'WHERE U0."message_id" = "conversations_message"."id" AND U0."person_id" = %s) '
    'AND EXISTS(SELECT 1 FROM "cases_caseparty" U1 WHERE U1."case_id" = "cases_case"."id" '
    'AND U1."person_id" = %s AND U1."revoked_at" IS NULL AND '
    '(("conversations_thread"."audience" = \'applicant\' AND (U1."role" = \'applicant\' '
    "OR (U1.\"role\" = 'representative' AND U1.\"acts_for\" IN ('', 'applicant')))) "
    'OR ("conversations_thread"."audience" = \'sponsor\' AND (U1."role" = \'sponsor\' '
    "OR (U1.\"role\" = 'representative' AND U1.\"acts_for\" = 'sponsor')))))), "
    '"cases_caseparty"."role", "cases_caseparty"."acts_for" FROM "cases_case" '
    'INNER JOIN "intake_program" ON ("cases_case"."program_id" = "intake_program"."id") '
    'INNER JOIN "cases_caseparty" ON ("cases_caseparty"."case_id" = "cases_case"."id" '
    'AND "cases_caseparty"."person_id" = %s AND "cases_caseparty"."revoked_at" IS NULL) '
    'WHERE "cases_case"."public_id" = %s'
)
EVENTS_SQL = (
    'SELECT "cases_caseevent"."sequence", "cases_caseevent"."kind", '
    '"cases_caseevent"."actor_role", "cases_caseevent"."occurred_at", '
    '"cases_caseevent"."payload", "cases_caseevent"."ruleset_version" FROM "cases_caseevent" '
    'WHERE "cases_caseevent"."case_id" = %s AND "cases_caseevent"."kind" NOT IN '
    "('case.assigned', 'case.unassigned', 'conflict.declared', 'note.added', "
    "'quality.reviewed', 'triage.assessed', 'work.started') "
    'ORDER BY "cases_caseevent"."sequence" DESC LIMIT %s'
)
REQUESTS_SQL = (
    'SELECT "cases_documentrequest"."id", "cases_documentrequest"."step", '
    '"cases_documentrequest"."items", "cases_documentrequest"."message", '
    '"cases_documentrequest"."due_on", "cases_documentrequest"."requested_at", '
    '"accounts_office"."time_zone" FROM "cases_documentrequest" '
    'INNER JOIN "accounts_user" '
    'ON ("cases_documentrequest"."requested_by_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_office" ON ("accounts_user"."office_id" = "accounts_office"."id") '
    'WHERE "cases_documentrequest"."case_id" = %s '
    'AND "cases_documentrequest"."answered_at" IS NULL '
    'ORDER BY "cases_documentrequest"."due_on" ASC, "cases_documentrequest"."requested_at" ASC'
)
ESTIMATE_SQL = (
    "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY days), "
    "percentile_cont(0.8) WITHIN GROUP (ORDER BY days) FROM ( "
    'SELECT EXTRACT(EPOCH FROM ("decided_at" - "received_at")) / 86400.0 AS days '
    'FROM "cases_case" WHERE "program_id" = %s AND "status" IN (%s, %s) '
    'AND "decided_at" >= %s AND "decided_at" <= %s ) AS decided'
)
TRACKER_STATEMENTS = (CASE_SQL, EVENTS_SQL, REQUESTS_SQL)
# What the benchmark compares with Passage's statements, with the estimate cached.
API_STATEMENTS = (PERSON_SQL, *TRACKER_STATEMENTS)
PAGE_STATEMENTS = (SESSION_SQL, USER_SQL, *TRACKER_STATEMENTS)

STAFF_ROLES = frozenset({"officer", "supervisor", "analyst"})
ROLE_ORDER = ("applicant", "sponsor")
STEPS = ("eligibility", "background", "medical", "biometrics")
SPONSOR_STEPS = ("eligibility",)
DECIDED = frozenset({"approved", "refused", "withdrawn"})
INTERNAL = frozenset(
    {"case.assigned", "case.unassigned", "conflict.declared", "note.added"}
    | {"quality.reviewed", "triage.assessed", "work.started"}
)
RECENT_EVENTS = 50
DEFAULT_TIME_ZONE = "America/Toronto"
ESTIMATE_WINDOW_DAYS = 180
ESTIMATE_MINIMUM_CASES = 20
SESSION_AGE = timedelta(hours=12)
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 3600
SESSION_SALT = "django.contrib.sessions.SessionStore"
AUTH_HASH_SALT = "passage.accounts.models.User.get_session_auth_hash"
CSRF_CHARACTERS = string.ascii_letters + string.digits

pool = AsyncConnectionPool(
    os.environ.get("BARE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/passage_bench"),
    min_size=int(os.environ.get("BARE_POOL_SIZE", "4")),
    max_size=int(os.environ.get("BARE_POOL_SIZE", "4")),
    kwargs={"autocommit": True, "options": "-c TimeZone=UTC"},
    open=False,
)
_estimates: dict[tuple[int, date], dict[str, Any]] = {}


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


async def _tracker(
    conn: psycopg.AsyncConnection[Any], user_id: int, case_id: uuid.UUID, now: datetime
) -> dict[str, Any] | None:
    """The client's view of a case as Passage's TrackerView.as_json(), or None."""
    rows = await (
        await conn.execute(CASE_SQL, (user_id, user_id, user_id, user_id, case_id))
    ).fetchall()
    if not rows:
        return None
    case = rows[0]
    # A representative sees the part of the client they act for.
    scopes = {
        (acts_for or "applicant") if role == "representative" else role
        for role, acts_for in (row[22:] for row in rows)
    }
    role = next((name for name in ROLE_ORDER if name in scopes), None)
    if role is None:
        return None
    events = await (await conn.execute(EVENTS_SQL, (case[0], RECENT_EVENTS))).fetchall()
    requests = await (await conn.execute(REQUESTS_SQL, (case[0],))).fetchall()
    program = case[17:21]
    estimate = await _estimate(conn, program[0], program[3], now)
    visible = SPONSOR_STEPS if role == "sponsor" else STEPS
    status = case[3]
    received_on = case[5].date()
    inquiry = None
    if status not in DECIDED:
        days = estimate["p80_days"] if estimate["p80_days"] is not None else program[3]
        inquiry = received_on + timedelta(days=days)
    return {
        "public_id": str(case[1]),
        "reference": case[2],
        "program": case[8],
        "program_name": program[1],
        "role": role,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "status_explanation": STATUS_EXPLANATIONS[status],
        "status_changed_at": _iso(case[4]),
        "received_at": _iso(case[5]),
        "decided_at": _iso(case[6]),
        "steps": [
            {
                "step": step,
                "label": STEP_LABELS[step],
                "state": case[9 + 2 * index],
                "state_label": STATE_LABELS[case[9 + 2 * index]],
                "changed_at": _iso(case[10 + 2 * index]),
            }
            for index, step in enumerate(STEPS)
            if step in visible
        ],
        "documents_due": [
            {
                "request_id": request_id,
                "step": step,
                "step_label": STEP_LABELS[step],
                "items": list(items),
                "message": message,
                "due_on": _iso(due_on),
                "time_zone": time_zone or DEFAULT_TIME_ZONE,
                "requested_at": _iso(requested_at),
            }
            for request_id, step, items, message, due_on, requested_at, time_zone in requests
            if step in visible
        ],
        "history": [
            {"occurred_at": _iso(event[3]), "text": _history_text(event[1], event[4])}
            for event in events
            if _shown_to(role, event[1], event[4])
        ],
        "estimate": {**estimate, "inquiry_date": _iso(inquiry)},
        "unread_messages": case[21],
    }


def _history_text(kind: str, payload: dict[str, Any] | None) -> str:
    payload = payload or {}
    if kind == "step.recorded" and "step" in payload and "state" in payload:
        return f"{STEP_LABELS[payload['step']]}: {STATE_LABELS[payload['state']]}"
    return EVENT_LABELS[kind]


def _shown_to(role: str, kind: str, payload: dict[str, Any] | None) -> bool:
    if kind in INTERNAL:
        return False
    if role != "sponsor":
        return True
    step = (payload or {}).get("step")
    return step is None or step in SPONSOR_STEPS


async def _estimate(
    conn: psycopg.AsyncConnection[Any], program_id: int, standard_days: int, now: datetime
) -> dict[str, Any]:
    """Median and 80th percentile of recent decisions, once per program per day."""
    key = (program_id, now.date())
    found = _estimates.get(key)
    if found is not None:
        return found
    window = timedelta(days=ESTIMATE_WINDOW_DAYS)
    row = await (
        await conn.execute(ESTIMATE_SQL, (program_id, "approved", "refused", now - window, now))
    ).fetchone()
    assert row is not None
    count, median, p80 = row
    estimate: dict[str, Any] = {
        "service_standard_days": standard_days,
        "median_days": None,
        "p80_days": None,
        "sample_size": count,
        "window_days": ESTIMATE_WINDOW_DAYS,
    }
    if count >= ESTIMATE_MINIMUM_CASES and median is not None and p80 is not None:
        estimate["median_days"] = round(median)
        estimate["p80_days"] = round(p80)
    _estimates[key] = estimate
    return estimate


async def tracker_api(request: Request) -> Response:
    try:
        case_id = uuid.UUID(request.path_params["case_id"])
    except ValueError:
        return _json({"detail": "case_id is not a valid UUID."}, 422)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _json({"detail": "Unauthorized"}, 401)
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = datetime.now(UTC)
    async with pool.connection() as conn:
        rows = await (await conn.execute(PERSON_SQL, (digest,))).fetchall()
        if not rows:
            return _json({"detail": "Unauthorized"}, 401)
        user_id = rows[0][0]
        if any(row[-1] in STAFF_ROLES for row in rows):
            return _json({"detail": "Staff views are not part of this benchmark."}, 501)
        view = await _tracker(conn, user_id, case_id, now)
    if view is None:
        return _json({"detail": "Not Found"}, 404)
    return _json(view, 200)


async def unauthorised(request: Request) -> Response:
    """Readiness probe of the benchmark: a request without a token."""
    return _json({"detail": "Unauthorized"}, 401)


async def tracker_page(request: Request) -> Response:
    try:
        case_id = uuid.UUID(request.path_params["case_id"])
    except ValueError:
        return Response("Not Found", 404)
    path = request.url.path
    sign_in = Response(status_code=302, headers={"Location": f"/en/sign-in/?next={path}"})
    key = request.cookies.get("sessionid")
    if not key:
        return sign_in
    now = datetime.now(UTC)
    async with pool.connection() as conn:
        row = await (await conn.execute(SESSION_SQL, (key, now))).fetchone()
        if row is None:
            return sign_in
        try:
            session = signing.loads(row[0], salt=SESSION_SALT, serializer=signing.JSONSerializer)
        except signing.BadSignature:
            return sign_in
        if "_auth_user_id" not in session:
            return sign_in
        rows = await (await conn.execute(USER_SQL, (int(session["_auth_user_id"]),))).fetchall()
        user = rows[0][:-1] if rows else None
        if user is None or not user[9]:
            return sign_in
        expected = salted_hmac(
            AUTH_HASH_SALT, user[1] + user[14], secret=SECRET_KEY, algorithm="sha256"
        ).hexdigest()
        if not constant_time_compare(session.get("_auth_user_hash", ""), expected):
            return sign_in
        marks = session.get("passage_session") or {}
        seconds = now.timestamp()
        if marks.get("user") == user[0] and (
            seconds - marks["seen"] > SESSION_IDLE_SECONDS
            or seconds - marks["started"] > SESSION_ABSOLUTE_SECONDS
        ):
            return sign_in
        roles = {row[-1] for row in rows if row[-1] is not None}
        if roles & STAFF_ROLES:
            return Response("Staff views are not part of this benchmark.", 501)
        view = await _tracker(conn, user[0], case_id, now)
    if view is None:
        return Response("Not Found", 404)
    token = "".join(secrets.choice(CSRF_CHARACTERS) for _ in range(64))
    # Passage's security headers, with a fresh nonce for the page's styles each time.
    nonce = base64.b64encode(os.urandom(16)).decode("ascii")
    body = _page(view, path, user[5] or user[4], token, nonce)
    headers = {
        "Set-Cookie": f"csrftoken={token[:32]}; HttpOnly; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
        "Vary": "Cookie, Accept-Language",
        "Content-Language": "en",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.format(nonce=nonce),
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cache-Control": "private",
    }
    return Response(body, 200, headers, media_type="text/html; charset=utf-8")


def _day(value: str | None) -> str:
    moment = datetime.fromisoformat(value) if value else None
    return "" if moment is None else f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _time(value: str | None) -> str:
    return f'<time datetime="{value}">{_day(value)}</time>' if value else "—"


e = html.escape

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

PAGE_HEAD = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="csp-nonce" content="{nonce}">
  <title>Application {reference} – Passage</title>
  <link rel="alternate" hreflang="fr" href="{other}">
  <link rel="stylesheet" href="/static/gcds/gcds.css">
  <link rel="stylesheet" href="/static/web/passage.css">
  <script type="module" src="/static/gcds/gcds.esm.js"></script>
</head>
<body>
  <div class="gc-header">
    <div class="gc-fallback">
      <nav class="gc-skip" aria-label="Skip to">
        <a href="#main-content">Skip to main content</a>
      </nav>
      <header class="gc-brand">
        <div class="gc-container gc-brand__container">
          <a class="gc-signature" href="https://www.canada.ca/en.html">
            <img src="/static/gcds/signature/sig-blk-en.svg" width="819" height="78" alt="Government of Canada"><span class="gc-sr-only" lang="fr"> / Gouvernement du Canada</span>
          </a>
          <section class="gc-lang-toggle" aria-labelledby="lang-toggle-heading">
            <h2 id="lang-toggle-heading" class="gc-sr-only">Language selection</h2>
            <a href="{other}" lang="fr" hreflang="fr">Français</a>
          </section>
        </div>
      </header>
    </div>
    <gcds-header lang-href="{other}" skip-to-href="#main-content"></gcds-header>
    <nav class="gc-account" aria-label="Your account">
      <div class="gc-container gc-account__container">
        <p><a href="/en/apply/my-applications/">My applications</a></p>
        <p>Signed in as <strong>{name}</strong></p>
        <p><a href="/en/account/">Account and security</a></p>
        <form method="post" action="/en/sign-out/">
          <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
          <button type="submit" class="gc-button gc-button--secondary gc-button--small">Sign out</button>
        </form>
      </div>
    </nav>
  </div>
  <main id="main-content" class="gc-container" tabindex="-1">
  <p><a href="/en/apply/my-applications/" class="gc-back-link">My applications</a></p>
  <h1>Application {reference}</h1>
  <h2>What you need to do</h2>
"""
PAGE_REQUEST = """  <section class="gc-next-step" aria-labelledby="request-{id}">
    <h3 id="request-{id}">Send documents for “{step}” by {due} (end of day, {tz} time)</h3>
    <ul>{items}</ul>
    {message}
    <form method="post" enctype="multipart/form-data" action="/en/cases/{case}/documents/">
      <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
      <input type="hidden" name="request" value="{id}" id="id_request"><input type="hidden" name="idempotency_key" value="{key}" id="id_idempotency_key">
      <div class="gc-field">
        <label for="documents-{id}">Files (PDF, JPEG or PNG)</label>
        <input type="file" id="documents-{id}" name="documents" multiple accept="application/pdf,image/jpeg,image/png">
      </div>
      <button type="submit" class="gc-button">Send the documents</button>
    </form>
  </section>
"""
PAGE_STATUS = """  <h2>Messages</h2>
  <p>
    {unread}
    <a href="/en/cases/{case}/messages/">Read and send messages</a>
  </p>
<section class="gc-tracker" aria-labelledby="tracker-status-{case}">
  <h2 id="tracker-status-{case}">Where your application is</h2>
  <p class="gc-tracker__status"><strong>{status}</strong></p>
  <p>{explanation}</p>
  <dl class="gc-summary">
    <div><dt>Application number</dt><dd>{reference}</dd></div>
    <div><dt>Program</dt><dd>{program}</dd></div>
    <div><dt>Received on</dt><dd>{received}</dd></div>
    <div><dt>Status since</dt><dd>{since}</dd></div>
  </dl>
  <h3>Steps</h3>
  <div class="gc-table-wrapper">
    <table class="gc-table">
      <caption>Each step of the processing, with its state and when it last changed</caption>
      <thead><tr><th scope="col">Step</th><th scope="col">State</th><th scope="col">Last changed</th></tr></thead>
      <tbody>
{steps}      </tbody>
    </table>
  </div>
  <h3>How long it takes</h3>
{estimate}  <h3>History</h3>
  <ol class="gc-history" reversed>
{history}  </ol>
</section>
  </main>
  <gcds-footer display="compact">
    <footer class="gc-fallback gc-footer">
      <h2 class="gc-sr-only">About this site</h2>
      <div class="gc-container gc-footer__container">
        <nav aria-labelledby="footer-links-heading">
          <h3 id="footer-links-heading" class="gc-sr-only">Government of Canada Corporate</h3>
          <ul>
            <li><a href="https://www.canada.ca/en/social.html">Social media</a></li>
            <li><a href="https://www.canada.ca/en/mobile.html">Mobile applications</a></li>
            <li><a href="https://www.canada.ca/en/government/about.html">About Canada.ca</a></li>
            <li><a href="https://www.canada.ca/en/transparency/terms.html">Terms and conditions</a></li>
            <li><a href="https://www.canada.ca/en/transparency/privacy.html">Privacy</a></li>
          </ul>
        </nav>
        <p class="gc-wordmark"><span class="gc-sr-only">Symbol of the Government of Canada</span><span aria-hidden="true">Canada</span></p>
      </div>
    </footer>
  </gcds-footer>
</body>
</html>
"""


def _page(view: dict[str, Any], path: str, name: str, csrf: str, nonce: str) -> str:
    case = view["public_id"]
    parts = [
        PAGE_HEAD.format(
            nonce=nonce,
            reference=e(view["reference"]),
            other=e(path.replace("/en/", "/fr/", 1)),
            name=e(name),
            csrf=csrf,
        )
    ]
    for due in view["documents_due"]:
        parts.append(
            PAGE_REQUEST.format(
                id=due["request_id"],
                step=e(due["step_label"]),
                due=_day(due["due_on"]),
                tz=e(due["time_zone"]),
                items="".join(f"<li>{e(item)}</li>" for item in due["items"]),
                message=f"<p>{e(due['message'])}</p>" if due["message"] else "",
                case=case,
                csrf=csrf,
                key=uuid.uuid4().hex,
            )
        )
    if not view["documents_due"]:
        parts.append("  <p>Nothing for now. We will email you if we need something.</p>\n")
    unread = view["unread_messages"]
    estimate = view["estimate"]
    lines = []
    if estimate["median_days"] is not None:
        lines.append(
            f"  <p>Of the {estimate['sample_size']} applications to this program decided in the "
            f"last {estimate['window_days']} days, half took {estimate['median_days']} days or "
            f"less and 8 in 10 took {estimate['p80_days']} days or less.</p>\n"
        )
    else:
        lines.append(
            "  <p>Too few applications to this program were decided recently to estimate "
            "from them.</p>\n"
        )
    lines.append(
        f"  <p>The service standard is {estimate['service_standard_days']} days for most "
        "complete applications.</p>\n"
    )
    if estimate["inquiry_date"]:
        lines.append(
            f"  <p>If there is no decision by <strong>{_day(estimate['inquiry_date'])}</strong>, "
            "you may ask us about your application.</p>\n"
        )
    parts.append(
        PAGE_STATUS.format(
            unread=(
                "No unread messages."
                if not unread
                else f"You have {unread} unread message{'s' if unread != 1 else ''}."
            ),
            case=case,
            status=e(view["status_label"]),
            explanation=e(view["status_explanation"]),
            reference=e(view["reference"]),
            program=e(view["program_name"]),
            received=_time(view["received_at"]),
            since=_time(view["status_changed_at"]),
            steps="".join(
                f'        <tr>\n          <th scope="row">{e(step["label"])}</th>\n'
                f'          <td><span class="gc-tag gc-tag--{step["state"]}">'
                f"{e(step['state_label'])}</span></td>\n"
                f"          <td>{_time(step['changed_at'])}</td>\n        </tr>\n"
                for step in view["steps"]
            ),
            estimate="".join(lines),
            history="".join(
                f"      <li>{_time(line['occurred_at'])} — {e(line['text'])}</li>\n"
                for line in view["history"]
            ),
        )
    )
    return "".join(parts)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    set_json_dumps(lambda value: orjson.dumps(value).decode())
    set_json_loads(orjson.loads)
    # Only the signing module's key, here rather than at import: the benchmark imports
    # this module for its statements in a process where Django runs Passage.
    if not django_settings.configured:
        django_settings.configure(SECRET_KEY=SECRET_KEY, SECRET_KEY_FALLBACKS=[])
    await pool.open(wait=True)
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/cases/{case_id}/tracker", tracker_api, methods=["GET"]),
        Route("/api/v1/cases/{case_id}", unauthorised, methods=["GET"]),
        Route("/en/cases/{case_id}/", tracker_page, methods=["GET"]),
    ],
    lifespan=lifespan,
)
