"""The ceiling of the API baseline: Passage's two hot API endpoints with no framework.

Starlette, a psycopg 3 async connection pool and orjson, served by uvicorn. For each
request it runs the same SQL statements as Passage (the benchmark captures Passage's
statements and checks that they equal the ones below before it measures anything), does
the same work around them (token hash, role check, validation, request and event
hashes, a reference number, the confirmation email's sign-in link, template version and
context check, the triage job) and answers with the same JSON, so that Passage's rate
divided by this one measures the framework and application overhead, not different work.

It serves only what the benchmark sends: status look-ups and submissions without
documents, from clients who have authorised no representative (for one who has, it writes
nothing and answers 501); a replayed Idempotency-Key is answered as a replay or a conflict.

Run (the benchmark does this): BARE_DATABASE_URL=postgresql://... BARE_POOL_SIZE=4
    uvicorn --app-dir benchmarks/support bare_api:app --host 127.0.0.1 --port 8001
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb, set_json_dumps, set_json_loads
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wording import EVENT_LABELS, STATE_LABELS, STATUS_LABELS

# No Django settings needed: references, and the outbox's template versions and context
# allow-list, come from the same code as Passage's.
from passage.cases.reference import new_reference
from passage.outbox.emails import check_context, current_version

# The statements Passage runs for a status look-up, in order: the holder of the bearer
# token with the names of their roles, the case if they may see it, its latest events
# (department staff run CASE_FOR_STAFF_SQL and EVENTS_SQL instead of CASE_FOR_PARTY_SQL
# and CLIENT_EVENTS_SQL, which leaves out the department's internal events).
PERSON_SQL = (
    'SELECT "accounts_user"."id", "accounts_user"."password", "accounts_user"."last_login", '
    '"accounts_user"."is_superuser", "accounts_user"."username", "accounts_user"."first_name", '
    '"accounts_user"."last_name", "accounts_user"."email", "accounts_user"."is_staff", '
    '"accounts_user"."is_active", "accounts_user"."date_joined", '
    '"accounts_user"."preferred_language", "accounts_user"."office_id", '
    '"accounts_user"."email_verified_at", "accounts_user"."session_salt", "auth_group"."name" '
    'FROM "accounts_apitoken" '
    'INNER JOIN "accounts_user" ON ("accounts_apitoken"."user_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_user_groups" '
    'ON ("accounts_user"."id" = "accounts_user_groups"."user_id") '
    'LEFT OUTER JOIN "auth_group" ON ("accounts_user_groups"."group_id" = "auth_group"."id") '
    'WHERE "accounts_apitoken"."token_hash" = %s AND "accounts_apitoken"."revoked_at" IS NULL '
    'AND "accounts_user"."is_active"'
)
_CASE_SELECT = (
    'SELECT "cases_case"."id", "cases_case"."public_id", "cases_case"."reference", '
    '"cases_case"."status", "cases_case"."status_changed_at", "cases_case"."received_at", '
    '"cases_case"."decided_at", "cases_case"."version", "intake_program"."code", '
    '"cases_case"."eligibility", "cases_case"."eligibility_changed_at", '
    '"cases_case"."background", "cases_case"."background_changed_at", "cases_case"."medical", '
    '"cases_case"."medical_changed_at", "cases_case"."biometrics", '
    '"cases_case"."biometrics_changed_at" FROM "cases_case" '
    'INNER JOIN "intake_program" ON ("cases_case"."program_id" = "intake_program"."id") '
    'WHERE "cases_case"."public_id" = %s'
)
CASE_FOR_STAFF_SQL = _CASE_SELECT
CASE_FOR_PARTY_SQL = _CASE_SELECT + (  # noqa: S608 (constants only)
    ' AND EXISTS(SELECT 1 FROM "cases_caseparty" U0 WHERE U0."case_id" = "cases_case"."id" '
    'AND U0."person_id" = %s AND U0."revoked_at" IS NULL)'
)
_EVENTS_SELECT = (
    'SELECT "cases_caseevent"."sequence", "cases_caseevent"."kind", '
    '"cases_caseevent"."actor_role", "cases_caseevent"."occurred_at", '
    '"cases_caseevent"."ruleset_version" '
    'FROM "cases_caseevent" WHERE "cases_caseevent"."case_id" = %s'
)
_INTERNAL_KINDS = (
    ' AND "cases_caseevent"."kind" NOT IN '
    "('case.assigned', 'case.unassigned', 'note.added', 'quality.reviewed', "
    "'triage.assessed', 'work.started')"
)
_LATEST = ' ORDER BY "cases_caseevent"."sequence" DESC LIMIT %s'
EVENTS_SQL = _EVENTS_SELECT + _LATEST
CLIENT_EVENTS_SQL = _EVENTS_SELECT + _INTERNAL_KINDS + _LATEST
STATUS_STATEMENTS = (PERSON_SQL, CASE_FOR_PARTY_SQL, CLIENT_EVENTS_SQL)

# The statements Passage runs for a new submission, in order; all but the first two
# share one transaction (BEGIN and COMMIT around them).
PROGRAM_SQL = (
    'SELECT "intake_program"."id", "intake_program"."code", "intake_program"."name_en", '
    '"intake_program"."name_fr", "intake_program"."service_standard_days", '
    '"intake_program"."categories", "intake_program"."is_open", '
    '"intake_program"."risk_areas", "intake_program"."processing_offices", '
    '"intake_program"."submitter_role" FROM "intake_program" '
    'WHERE ("intake_program"."code" = %s AND "intake_program"."is_open") '
    'ORDER BY "intake_program"."id" ASC LIMIT 1'
)
INSERT_APPLICATION_SQL = (
    'INSERT INTO "intake_application" ("program_id", "category", "applicant_id", '
    '"submitted_by_id", "given_name", "family_name", "date_of_birth", "citizenship", "email", '
    '"preferred_language", "submitted_at", "idempotency_key", "request_hash") '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    'RETURNING "intake_application"."id"'
)
INSERT_ANSWERS_SQL = (
    'INSERT INTO "intake_applicationanswers" ("application_id", "version", "answers", '
    '"recorded_at", "recorded_by_id") VALUES (%s, %s, %s, %s, %s) '
    'RETURNING "intake_applicationanswers"."id"'
)
INSERT_CASE_SQL = (
    'INSERT INTO "cases_case" ("public_id", "reference", "application_id", "program_id", '
    '"category", "language", "status", "status_changed_at", "received_at", "eligibility", '
    '"eligibility_changed_at", "background", "background_changed_at", "medical", '
    '"medical_changed_at", "biometrics", "biometrics_changed_at", "decided_at", '
    '"decided_by_id", "decision_reasons", "tier", "risk_area", "blind_review", '
    '"assigned_to_id", "assigned_at", "work_started_at", "version", "last_event_sequence", '
    '"last_event_hash") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '
    '%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "cases_case"."id"'
)
INSERT_PARTY_SQL = (
    'INSERT INTO "cases_caseparty" ("case_id", "person_id", "role", "acts_for", "granted_at", '
    '"revoked_at") VALUES (%s, %s, %s, %s, %s, %s) RETURNING "cases_caseparty"."id"'
)
INSERT_EVENT_SQL = (
    'INSERT INTO "cases_caseevent" ("case_id", "sequence", "kind", "actor_id", "actor_role", '
    '"occurred_at", "payload", "ruleset_version", "idempotency_key", "previous_hash", "hash") '
    'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "cases_caseevent"."id"'
)
UPDATE_CASE_SQL = (
    'UPDATE "cases_case" SET "version" = %s, "last_event_sequence" = %s, '
    '"last_event_hash" = %s WHERE "cases_case"."id" = %s'
)
INSERT_OUTBOX_SQL = (
    'INSERT INTO "messaging_outboxmessage" ("kind", "case_id", "to_email", "language", '
    '"template", "template_version", "context", "created_at", "status", "attempts", '
    '"next_attempt_at", "sent_at", "last_error") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '
    '%s, %s, %s, %s) RETURNING "messaging_outboxmessage"."id"'
)
# The client's active authorisations with their representatives: they get access to the
# new case.
_REPRESENTATIVE_COLUMNS = ", ".join(
    f'T3."{column}"'
    for column in (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "preferred_language",
        "office_id",
        "email_verified_at",
        "session_salt",
    )
)
REPRESENTATIONS_SQL = (
    'SELECT "intake_representation"."id", "intake_representation"."client_id", '  # noqa: S608
    '"intake_representation"."representative_id", '
    '"intake_representation"."membership_number", "intake_representation"."authorised_at", '
    f'"intake_representation"."revoked_at", {_REPRESENTATIVE_COLUMNS} '
    'FROM "intake_representation" INNER JOIN "accounts_user" T3 '
    'ON ("intake_representation"."representative_id" = T3."id") '
    'WHERE ("intake_representation"."client_id" = %s '
    'AND "intake_representation"."revoked_at" IS NULL) '
    'ORDER BY "intake_representation"."authorised_at" DESC'
)
# The triage job, queued through the database task backend in the same transaction.
INSERT_TASK_SQL = (
    'INSERT INTO "django_tasks_database_dbtaskresult" ("id", "status", "enqueued_at", '
    '"started_at", "finished_at", "args_kwargs", "priority", "task_path", "worker_ids", '
    '"queue_name", "backend_name", "run_after", "return_value", "exception_class_path", '
    '"traceback") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)'
)
SUBMIT_STATEMENTS = (
    PERSON_SQL,
    PROGRAM_SQL,
    INSERT_APPLICATION_SQL,
    INSERT_ANSWERS_SQL,
    INSERT_CASE_SQL,
    INSERT_PARTY_SQL,
    INSERT_EVENT_SQL,
    UPDATE_CASE_SQL,
    INSERT_OUTBOX_SQL,
    REPRESENTATIONS_SQL,
    INSERT_TASK_SQL,
)
# Only for a reused Idempotency-Key (never on the measured path).
EARLIER_SQL = (
    'SELECT a."request_hash", c."public_id", c."reference", c."status", c."received_at" '
    'FROM "intake_application" a JOIN "cases_case" c ON c."application_id" = a."id" '
    'WHERE a."submitted_by_id" = %s AND a."idempotency_key" = %s'
)

STAFF_ROLES = frozenset({"officer", "supervisor", "analyst"})
STEPS = ("eligibility", "background", "medical", "biometrics")
GENESIS_HASH = "0" * 64
# The confirmation email links to the sign-in page on the public site (PASSAGE_SITE_URL,
# as Passage reads it) in the applicant's language.
SITE_URL = os.environ.get("PASSAGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SIGN_IN_PATHS = {"en": "/en/sign-in/", "fr": "/fr/connexion/"}
# What the database task backend writes for passage.triage.tasks.triage_submitted_case.
TRIAGE_TASK_PATH = "passage.triage.tasks.triage_submitted_case"
NO_RUN_AFTER = datetime(9999, 1, 1, tzinfo=UTC)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"[A-Z]{2}")

pool = AsyncConnectionPool(
    os.environ.get("BARE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/passage_bench"),
    min_size=int(os.environ.get("BARE_POOL_SIZE", "4")),
    max_size=int(os.environ.get("BARE_POOL_SIZE", "4")),
    # Django's connections run in UTC: the datetimes read come back the same.
    kwargs={"autocommit": True, "options": "-c TimeZone=UTC"},
    open=False,
)


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def _error(status: int, detail: str, errors: dict[str, str] | None = None) -> Response:
    if errors is None:
        return _json({"detail": detail}, status)
    return _json({"detail": detail, "errors": errors}, status)


async def _person(conn: psycopg.AsyncConnection[Any], request: Request) -> tuple[int, bool] | None:
    """(user id, is department staff) for the request's bearer token, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    rows = await (await conn.execute(PERSON_SQL, (digest,))).fetchall()
    if not rows:
        return None
    return rows[0][0], any(row[-1] in STAFF_ROLES for row in rows)


async def case_status(request: Request) -> Response:
    try:
        case_id = uuid.UUID(request.path_params["case_id"])
    except ValueError:
        return _error(422, "case_id is not a valid UUID.")
    async with pool.connection() as conn:
        person = await _person(conn, request)
        if person is None:
            return _error(401, "Unauthorized")
        user_id, staff = person
        if staff:
            cursor = await conn.execute(CASE_FOR_STAFF_SQL, (case_id,))
        else:
            cursor = await conn.execute(CASE_FOR_PARTY_SQL, (case_id, user_id))
        case = await cursor.fetchone()
        if case is None:
            return _error(404, "Not Found")
        events_sql = EVENTS_SQL if staff else CLIENT_EVENTS_SQL
        events = await (await conn.execute(events_sql, (case[0], 20))).fetchall()
    steps = []
    for index, step in enumerate(STEPS):
        state, changed_at = case[9 + 2 * index], case[10 + 2 * index]
        steps.append(
            {"step": step, "state": state, "label": STATE_LABELS[state], "changed_at": changed_at}
        )
    return _json(
        {
            "case_id": case[1],
            "reference": case[2],
            "program": case[8],
            "status": case[3],
            "status_label": STATUS_LABELS[case[3]],
            "status_changed_at": case[4],
            "received_at": case[5],
            "decided_at": case[6],
            "version": case[7],
            "steps": steps,
            "recent_events": [
                {
                    "sequence": sequence,
                    "kind": kind,
                    "description": EVENT_LABELS[kind],
                    "actor_role": actor_role,
                    "occurred_at": occurred_at,
                    "ruleset_version": ruleset_version,
                }
                for sequence, kind, actor_role, occurred_at, ruleset_version in events
            ],
        }
    )


def _canonical(value: object) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _parse(body: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The normalised fields of an application body and what is wrong with them."""
    if not isinstance(body, dict):
        return {}, {"body": "Expected an object."}
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name, default in (
        ("program", None),
        ("category", ""),
        ("given_name", None),
        ("family_name", None),
        ("citizenship", None),
        ("email", None),
        ("preferred_language", "en"),
    ):
        value = body.get(name, default)
        if not isinstance(value, str):
            errors[name] = "A string is required."
        fields[name] = value.strip() if isinstance(value, str) else value
    if isinstance(fields["citizenship"], str):
        fields["citizenship"] = fields["citizenship"].upper()
    try:
        fields["date_of_birth"] = date.fromisoformat(str(body.get("date_of_birth")))
    except ValueError:
        errors["date_of_birth"] = "A date is required."
    fields["answers"] = body.get("answers", {})
    if not isinstance(fields["answers"], dict):
        errors["answers"] = "Answers must be an object."
    if body.get("documents"):
        errors["documents"] = "This endpoint takes no documents."
    return fields, errors


def _check(fields: dict[str, Any], program: Any, today: date) -> dict[str, str]:
    errors = {}
    if program is None:
        errors["program"] = "There is no open program with this code."
    elif program[5] and fields["category"] not in program[5]:
        errors["category"] = "Choose one of: " + ", ".join(program[5]) + "."
    for name in ("given_name", "family_name"):
        if not fields[name] or len(fields[name]) > 100:
            errors[name] = "Enter a name of 1 to 100 characters."
    birth = fields["date_of_birth"]
    if birth > today:
        errors["date_of_birth"] = "The date of birth cannot be in the future."
    elif birth.year < 1900:
        errors["date_of_birth"] = "Enter a date of birth after 1900."
    if not _COUNTRY.fullmatch(fields["citizenship"]):
        errors["citizenship"] = "Enter a two-letter country code, such as FR or JP."
    if len(fields["email"]) > 254 or not _EMAIL.match(fields["email"]):
        errors["email"] = "Enter an email address such as name@example.com."
    if fields["preferred_language"] not in ("en", "fr"):
        errors["preferred_language"] = "Choose English (en) or French (fr)."
    return errors


async def _replay(
    conn: psycopg.AsyncConnection[Any], user_id: int, key: str, request_hash: str
) -> Response | None:
    earlier = await (await conn.execute(EARLIER_SQL, (user_id, key))).fetchone()
    if earlier is None:
        return None
    if earlier[0] != request_hash:
        return _error(422, "This idempotency key was already used for a different application.")
    body = {"case_id": earlier[1], "reference": earlier[2], "status": earlier[3]}
    body["received_at"] = earlier[4]
    return _json(body, 201, {"Idempotent-Replayed": "true"})


async def submit(request: Request) -> Response:
    key = request.headers.get("idempotency-key", "")
    if not 1 <= len(key) <= 255:
        return _error(422, "An idempotency key of 1 to 255 characters is required.")
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _error(400, "The body is not valid JSON.")
    fields, errors = _parse(body)
    if errors:
        return _error(422, "The application has errors.", errors)
    at = datetime.now(UTC)
    request_hash = hashlib.sha256(
        _canonical({**fields, "date_of_birth": fields["date_of_birth"], "documents": []})
    ).hexdigest()
    async with pool.connection() as conn:
        person = await _person(conn, request)
        if person is None:
            return _error(401, "Unauthorized")
        user_id = person[0]
        program = await (await conn.execute(PROGRAM_SQL, (fields["program"],))).fetchone()
        errors = _check(fields, program, at.date())
        if errors or program is None:
            replay = await _replay(conn, user_id, key, request_hash)
            return replay or _error(422, "The application has errors.", errors)
        public_id, reference = uuid.uuid4(), new_reference()
        # The submitter applies for themselves, in the party role the program gives them.
        role = program[9]
        payload = {"program": program[1], "category": fields["category"]}
        payload |= {"answers_version": 1, "documents": []}
        event_hash = hashlib.sha256(
            GENESIS_HASH.encode()
            + b"\n"
            + _canonical(
                {
                    "case": str(public_id),
                    "sequence": 1,
                    "kind": "application.submitted",
                    "actor": user_id,
                    "actor_role": role,
                    "occurred_at": at.isoformat(timespec="microseconds"),
                    "payload": payload,
                    "ruleset_version": "",
                    "idempotency_key": key,
                }
            )
        ).hexdigest()
        language = fields["preferred_language"]
        email_context = {"reference": reference, "link": SITE_URL + SIGN_IN_PATHS[language]}
        template_version = current_version("application_received")
        check_context("application_received", email_context)
        try:
            async with conn.transaction():
                application_id = await _insert(
                    conn,
                    INSERT_APPLICATION_SQL,
                    program[0],
                    fields["category"],
                    user_id,
                    user_id,
                    fields["given_name"],
                    fields["family_name"],
                    fields["date_of_birth"],
                    fields["citizenship"],
                    fields["email"],
                    language,
                    at,
                    key,
                    request_hash,
                )
                await _insert(
                    conn,
                    INSERT_ANSWERS_SQL,
                    application_id,
                    1,
                    Jsonb(fields["answers"]),
                    at,
                    user_id,
                )
                case_id = await _insert(
                    conn,
                    INSERT_CASE_SQL,
                    public_id,
                    reference,
                    application_id,
                    program[0],
                    fields["category"],
                    language,
                    "received",
                    at,
                    at,
                    *("not_started", None) * 4,
                    None,  # decided_at
                    None,  # decided_by_id
                    "",  # decision_reasons
                    None,  # tier
                    "",  # risk_area
                    False,  # blind_review
                    None,  # assigned_to_id
                    None,  # assigned_at
                    None,  # work_started_at
                    0,
                    0,
                    GENESIS_HASH,
                )
                await _insert(conn, INSERT_PARTY_SQL, case_id, user_id, role, "", at, None)
                await _insert(
                    conn,
                    INSERT_EVENT_SQL,
                    case_id,
                    1,
                    "application.submitted",
                    user_id,
                    role,
                    at,
                    Jsonb(payload),
                    "",
                    key,
                    GENESIS_HASH,
                    event_hash,
                )
                await conn.execute(UPDATE_CASE_SQL, (1, 1, event_hash, case_id))
                await _insert(
                    conn,
                    INSERT_OUTBOX_SQL,
                    "application.received",
                    case_id,
                    fields["email"],
                    language,
                    "application_received",
                    template_version,
                    Jsonb(email_context),
                    at,
                    "pending",
                    0,
                    at,
                    None,
                    "",
                )
                representations = await conn.execute(REPRESENTATIONS_SQL, (user_id,))
                if await representations.fetchall():
                    raise _RepresentedClient
                await conn.execute(
                    INSERT_TASK_SQL,
                    (
                        uuid.uuid4(),
                        "READY",
                        datetime.now(UTC),
                        None,
                        None,
                        Jsonb({"args": [str(public_id)], "kwargs": {}}),
                        0,
                        TRIAGE_TASK_PATH,
                        Jsonb([]),
                        "default",
                        "default",
                        NO_RUN_AFTER,
                        None,
                        "",
                        "",
                    ),
                )
        except psycopg.errors.UniqueViolation:
            replay = await _replay(conn, user_id, key, request_hash)
            if replay is None:
                raise
            return replay
        except _RepresentedClient:
            return _error(501, "Clients with representatives are not part of this benchmark.")
    return _json(
        {"case_id": public_id, "reference": reference, "status": "received", "received_at": at},
        201,
    )


class _RepresentedClient(Exception):
    """The client has authorised a representative: Passage would give them access to the
    new case, which this endpoint does not do (the transaction is rolled back)."""


async def _insert(conn: psycopg.AsyncConnection[Any], sql: str, *params: object) -> int:
    row = await (await conn.execute(sql, params)).fetchone()
    assert row is not None
    return int(row[0])


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    set_json_dumps(lambda value: orjson.dumps(value).decode())
    set_json_loads(orjson.loads)
    await pool.open(wait=True)
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/cases/{case_id}", case_status, methods=["GET"]),
        Route("/api/v1/applications", submit, methods=["POST"]),
    ],
    lifespan=lifespan,
)
