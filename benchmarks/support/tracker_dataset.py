"""The tracker benchmark's dataset, generated inside PostgreSQL so that a million cases
load in bounded time.

Every case follows one life (`LIFE` below, about twenty events on average): submitted,
sorted, assessed, assigned, reviewed, its four steps recorded one after another, document
requests and their answers, internal notes, and for many a decision. A case stops
somewhere along that life, and its row (status, step states and when each changed), its
open or answered document requests and its events agree with where it stopped. About a
third of the cases have a conversation with the officer, some of whose messages the
client has not read yet.

Rows are written with INSERT ... SELECT over generate_series (reference numbers with
their check digit are sent with COPY); the big tables lose their secondary indexes and
constraints during the load and get them back, unchanged, afterwards; then VACUUM
(ANALYZE). Hash-chain values are realistic SHA-256 hex strings chained per case, not
recomputed from the events' contents.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
import psycopg.sql
from bulk_load import drop_indexes_and_constraints, reset_sequences, without_conflict_check

from passage.cases.reference import damm_check_digit

PROGRAM_CODE = "iec"
CATEGORIES = ["working-holiday", "young-professionals", "international-coop"]
STEPS = ("eligibility", "background", "medical", "biometrics")
# (kind, actor role, payload) of event n of a case's life, n = 1, 2, ...; past the end,
# internal notes. A decision, when there is one, replaces the event where the case stops.
LIFE: list[tuple[str, str, dict[str, object]]] = [
    ("application.submitted", "applicant", {"program": PROGRAM_CODE, "answers_version": 1}),
    ("triage.started", "system", {}),
    ("triage.assessed", "system", {"tier": 2, "lines": []}),
    ("case.assigned", "officer", {}),
    ("review.started", "officer", {}),
    ("work.started", "officer", {}),
    ("step.recorded", "officer", {"step": "eligibility", "state": "in_progress", "note": ""}),
    ("note.added", "officer", {"text": "Checked the funds."}),
    ("step.recorded", "officer", {"step": "eligibility", "state": "completed", "note": ""}),
    ("step.recorded", "officer", {"step": "background", "state": "in_progress", "note": ""}),
    (
        "documents.requested",
        "officer",
        {"step": "background", "items": ["Police certificate"], "message": ""},
    ),
    ("documents.received", "applicant", {"documents": []}),
    ("step.recorded", "officer", {"step": "background", "state": "completed", "note": ""}),
    ("step.recorded", "officer", {"step": "medical", "state": "in_progress", "note": ""}),
    ("note.added", "officer", {"text": "Exam booked."}),
    ("step.recorded", "officer", {"step": "medical", "state": "completed", "note": ""}),
    ("step.recorded", "officer", {"step": "biometrics", "state": "in_progress", "note": ""}),
    (
        "documents.requested",
        "officer",
        {"step": "biometrics", "items": ["Biometrics collection letter"], "message": ""},
    ),
    ("documents.received", "applicant", {"documents": []}),
    ("step.recorded", "officer", {"step": "biometrics", "state": "completed", "note": ""}),
]
NOTE = ("note.added", "officer", {"text": "Reviewed the file."})
MIN_EVENTS, MAX_EVENTS = 8, 32  # uniform: 20 events a case on average
DECIDED_FROM = len(LIFE) + 1  # a decision comes after the whole life
DOCUMENT_REQUESTS = {11: 12, 18: 19}  # event that asks -> event that answers
UNUSABLE_PASSWORD = "!benchmark-account-without-password"  # noqa: S105
# The tables loaded in bulk.
TABLES = (
    "accounts_user",
    "intake_application",
    "cases_case",
    "cases_caseparty",
    "cases_caseevent",
    "cases_documentrequest",
    "conversations_thread",
    "conversations_message",
    "conversations_messageread",
)


@dataclass
class Dataset:
    cases: int = 0
    events: int = 0
    applicants: int = 0
    officers: int = 0
    threads: int = 0
    messages: int = 0
    open_requests: int = 0
    decided_in_window: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def shape(stopped_at: int) -> dict[str, object]:
    """Status and step states of a case whose life stopped after event `stopped_at`
    (no decision), with the sequence of the event that last changed each."""
    status, status_seq = "received", 1
    steps: dict[str, tuple[str, int | None]] = {step: ("not_started", None) for step in STEPS}
    for number in range(1, stopped_at + 1):
        kind, _role, payload = LIFE[number - 1] if number <= len(LIFE) else NOTE
        if kind == "triage.started":
            status, status_seq = "triage", number
        elif kind == "review.started":
            status, status_seq = "in_review", number
        elif kind == "step.recorded":
            steps[str(payload["step"])] = (str(payload["state"]), number)
        elif kind == "documents.requested":
            steps[str(payload["step"])] = ("waiting_on_you", number)
        elif kind == "documents.received":
            asked = next(a for a, answered in DOCUMENT_REQUESTS.items() if answered == number)
            steps[str(LIFE[asked - 1][2]["step"])] = ("in_progress", number)
    row: dict[str, object] = {"stopped_at": stopped_at, "status": status, "status_seq": status_seq}
    for step, (state, seq) in steps.items():
        row[step], row[f"{step}_seq"] = state, seq
    return row


def load(
    conninfo: str,
    *,
    cases: int,
    officers: int = 50,
    seed: float = 0.2026,
    log: Callable[[str], None] = print,
) -> Dataset:
    """Fill a freshly migrated database with `cases` cases (about 20 events each)."""
    data = Dataset(cases=cases, applicants=max(cases * 6 // 10, 1), officers=officers)
    now = datetime.now(UTC).replace(microsecond=0)
    applicants = data.applicants

    def timed(label: str, started: float) -> None:
        data.timings[label] = time.monotonic() - started
        log(f"  {label}: {data.timings[label]:.0f} s")

    with psycopg.connect(conninfo, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET work_mem = '512MB'")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SELECT setseed(%s)", (seed,))
        started = time.monotonic()
        restore = []
        for table in TABLES:
            restore += drop_indexes_and_constraints(cur, table, "fuc")
        defaults = _model_defaults_for_new_columns(cur, TABLES)
        groups: dict[str, int] = dict(cur.execute("SELECT name, id FROM auth_group").fetchall())
        office_id = cur.execute(
            "INSERT INTO accounts_office (code, name_en, name_fr, time_zone) VALUES "
            "('ottawa', 'Ottawa office', 'Bureau d''Ottawa', 'America/Toronto') RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
        program_id = cur.execute(
            "INSERT INTO intake_program (code, name_en, name_fr, service_standard_days, "
            "categories, is_open, risk_areas, processing_offices, submitter_role) VALUES "
            "(%s, 'International Experience Canada', 'Expérience internationale Canada', 56, "
            "%s::jsonb, true, '{}', '[]', 'applicant') RETURNING id",
            (PROGRAM_CODE, json.dumps(CATEGORIES)),
        ).fetchone()[0]  # type: ignore[index]

        # People: applicants 1..A, then officers (with an office, whose time zone the
        # document requests show).
        cur.execute(
            "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined, preferred_language, "
            "office_id, email_verified_at, session_salt) "
            "SELECT i, %(password)s, false, "
            "CASE WHEN i > %(applicants)s THEN 'officer' || (i - %(applicants)s) "
            "     ELSE 'applicant' || i END, "
            "(ARRAY['Amélie','Lucas','Hana','Kenji','Sofia','Mateo','Chloé','Noah'])[i %% 8 + 1], "
            "(ARRAY['Poulain','Martin','Sato','Tanaka','Rossi','García','Dubois'])[i %% 7 + 1], "
            "'person' || i || '@example.com', false, true, %(now)s - interval '900 days', "
            "CASE WHEN i %% 3 = 0 THEN 'fr' ELSE 'en' END, "
            "CASE WHEN i > %(applicants)s THEN %(office)s END, %(now)s - interval '900 days', "
            "md5(i::text) FROM generate_series(1, %(people)s) i",
            {
                "password": UNUSABLE_PASSWORD,
                "applicants": applicants,
                "office": office_id,
                "now": now,
                "people": applicants + officers,
            },
        )
        cur.execute(
            "INSERT INTO accounts_user_groups (user_id, group_id) SELECT i, "
            "CASE WHEN i > %s THEN %s ELSE %s END FROM generate_series(1, %s) i",
            (applicants, groups["officer"], groups["applicant"], applicants + officers),
        )
        timed("people", started)

        # The plan: one row per case, drawn at random (seeded above).
        started = time.monotonic()
        cur.execute(
            "CREATE TEMP TABLE plan ON COMMIT DROP AS SELECT id, "
            "1 + floor(random() * %(applicants)s)::bigint AS applicant_id, "
            "%(applicants)s + 1 + floor(random() * %(officers)s)::bigint AS officer_id, "
            "%(low)s + floor(random() * (%(high)s - %(low)s + 1))::int AS events, "
            "interval '1 hour' * (12 + floor(random() * 60)) AS gap, "
            "random() AS decision_draw, random() AS thread_draw, "
            "floor(random() * 600 * 86400) * interval '1 second' AS age "
            "FROM generate_series(1, %(cases)s) id",
            {
                "applicants": applicants,
                "officers": officers,
                "low": MIN_EVENTS,
                "high": MAX_EVENTS,
                "cases": cases,
            },
        )
        # Cases past their whole life are decided six times in ten (one in ten refused).
        cur.execute(
            "ALTER TABLE plan ADD COLUMN decided text, ADD COLUMN stopped_at int, "
            "ADD COLUMN received_at timestamptz"
        )
        cur.execute(
            "UPDATE plan SET decided = CASE WHEN events >= %s AND decision_draw < 0.54 "
            "THEN 'approved' WHEN events >= %s AND decision_draw < 0.6 THEN 'refused' END",
            (DECIDED_FROM, DECIDED_FROM),
        )
        cur.execute(
            "UPDATE plan SET stopped_at = CASE WHEN decided IS NULL THEN events "
            "ELSE events - 1 END, received_at = %s - gap * events - age",
            (now,),
        )
        cur.execute(
            "CREATE TEMP TABLE shape (stopped_at int PRIMARY KEY, status text, "
            "status_seq int, eligibility text, eligibility_seq int, background text, "
            "background_seq int, medical text, medical_seq int, biometrics text, "
            "biometrics_seq int) ON COMMIT DROP"
        )
        with cur.copy("COPY shape FROM STDIN") as copy:
            for stopped_at in range(1, MAX_EVENTS + 1):
                row = shape(stopped_at)
                copy.write_row(
                    (
                        stopped_at,
                        row["status"],
                        row["status_seq"],
                        *[value for step in STEPS for value in (row[step], row[f"{step}_seq"])],
                    )
                )
        cur.execute(
            "CREATE TEMP TABLE life (seq int PRIMARY KEY, kind text, role text, payload jsonb) "
            "ON COMMIT DROP"
        )
        with cur.copy("COPY life FROM STDIN") as copy:
            for number in range(1, MAX_EVENTS + 1):
                kind, role, payload = LIFE[number - 1] if number <= len(LIFE) else NOTE
                copy.write_row((number, kind, role, json.dumps(payload)))
        # Public ids and reference numbers (random-looking, unique, with the check digit).
        cur.execute("CREATE TEMP TABLE refs (id bigint, reference text) ON COMMIT DROP")
        with cur.copy("COPY refs FROM STDIN") as copy:
            for case_id in range(1, cases + 1):
                body = f"{case_id * 7_919_000_003 % 10**14:014d}"
                copy.write_row((case_id, f"P{body}{damm_check_digit(body)}"))
        timed("plan", started)

        started = time.monotonic()
        cur.execute(
            "INSERT INTO intake_application (id, category, given_name, family_name, "
            "date_of_birth, citizenship, email, preferred_language, submitted_at, "
            "idempotency_key, request_hash, applicant_id, submitted_by_id, program_id) "
            "SELECT p.id, (%(categories)s::text[])[p.id %% 3 + 1], u.first_name, u.last_name, "
            "date '1990-01-01' + (p.id %% 4000)::int, "
            "(ARRAY['FR','JP','IE','AU','KR','DE','IT','ES','BE','NZ'])[p.id %% 10 + 1], "
            "u.email, u.preferred_language, p.received_at, md5(p.id::text), "
            "encode(sha256(convert_to(p.id::text, 'UTF8')), 'hex'), p.applicant_id, "
            "p.applicant_id, %(program)s FROM plan p JOIN accounts_user u ON u.id = p.applicant_id",
            {"categories": CATEGORIES, "program": program_id},
        )
        step_columns = ", ".join(f"{step}, {step}_changed_at" for step in STEPS)
        step_values = ", ".join(
            f"CASE WHEN p.decided IS NOT NULL THEN 'completed' ELSE s.{step} END, "
            f"p.received_at + p.gap * (s.{step}_seq - 1)"
            for step in STEPS
        )
        cur.execute(
            "INSERT INTO cases_case (id, public_id, reference, status, status_changed_at, "  # noqa: S608
            f"received_at, {step_columns}, decided_at, decided_by_id, decision_reasons, "
            "version, last_event_sequence, last_event_hash, application_id, program_id, "
            "category, language, risk_area, blind_review, tier, assigned_to_id, assigned_at, "
            "work_started_at) "
            "SELECT p.id, md5('case' || p.id)::uuid, r.reference, coalesce(p.decided, s.status), "
            "p.received_at + p.gap * (CASE WHEN p.decided IS NOT NULL THEN p.events "
            "ELSE s.status_seq END - 1), p.received_at, "
            f"{step_values}, "
            "CASE WHEN p.decided IS NOT NULL THEN p.received_at + p.gap * (p.events - 1) END, "
            "CASE WHEN p.decided IS NOT NULL THEN p.officer_id END, "
            "CASE WHEN p.decided = 'refused' THEN 'Insufficient funds.' ELSE '' END, "
            "p.events, p.events, encode(sha256(convert_to(p.id || ':' || p.events, 'UTF8')), "
            "'hex'), p.id, %(program)s, (%(categories)s::text[])[p.id %% 3 + 1], "
            "CASE WHEN p.applicant_id %% 3 = 0 THEN 'fr' ELSE 'en' END, '', false, "
            "CASE WHEN p.stopped_at >= 3 THEN 2 END, "
            "CASE WHEN p.stopped_at >= 4 THEN p.officer_id END, "
            "CASE WHEN p.stopped_at >= 4 THEN p.received_at + p.gap * 3 END, "
            "CASE WHEN p.stopped_at >= 6 THEN p.received_at + p.gap * 5 END "
            "FROM plan p JOIN shape s ON s.stopped_at = p.stopped_at JOIN refs r ON r.id = p.id",
            {"program": program_id, "categories": CATEGORIES},
        )
        cur.execute(
            "INSERT INTO cases_caseparty (role, granted_at, revoked_at, case_id, person_id) "
            "SELECT 'applicant', received_at, NULL, id, applicant_id FROM plan"
        )
        timed("applications, cases, parties", started)

        started = time.monotonic()
        with without_conflict_check(cur):
            cur.execute(
                "INSERT INTO cases_caseevent (sequence, kind, actor_role, occurred_at, payload, "
                "ruleset_version, idempotency_key, previous_hash, hash, actor_id, case_id) "
                "SELECT n, e.kind, e.role, p.received_at + p.gap * (n - 1), e.payload, "
                "CASE WHEN e.kind = 'triage.assessed' THEN 'iec-2025.1' ELSE '' END, "
                "CASE WHEN n = 1 THEN md5(p.id::text) END, "
                "CASE WHEN n = 1 THEN repeat('0', 64) "
                "ELSE encode(sha256(convert_to(p.id || ':' || (n - 1), 'UTF8')), 'hex') END, "
                "encode(sha256(convert_to(p.id || ':' || n, 'UTF8')), 'hex'), "
                "CASE e.role WHEN 'applicant' THEN p.applicant_id WHEN 'system' THEN NULL "
                "ELSE p.officer_id END, p.id "
                "FROM plan p CROSS JOIN LATERAL generate_series(1, p.events) n "
                "CROSS JOIN LATERAL (SELECT CASE WHEN p.decided IS NOT NULL AND n = p.events "
                "  THEN 'case.' || p.decided ELSE l.kind END AS kind, "
                "  CASE WHEN p.decided IS NOT NULL AND n = p.events THEN 'officer' "
                "  ELSE l.role END AS role, "
                "  CASE WHEN p.decided = 'refused' AND n = p.events THEN "
                '    \'{"reasons": "Insufficient funds.", "legal_grounds": ["R200"]}\'::jsonb '
                "  WHEN p.decided IS NOT NULL AND n = p.events THEN "
                '    \'{"reasons": "", "legal_grounds": []}\'::jsonb '
                "  ELSE l.payload END AS payload FROM life l WHERE l.seq = n) e "
                "ORDER BY p.received_at + p.gap * (n - 1), p.id"
            )
            data.events = cur.rowcount
        timed("events", started)

        started = time.monotonic()
        for asked, answered in DOCUMENT_REQUESTS.items():
            kind, _role, payload = LIFE[asked - 1]
            cur.execute(
                "INSERT INTO cases_documentrequest (step, items, message, due_on, requested_at, "
                "answered_at, case_id, requested_by_id) "
                "SELECT %(step)s, %(items)s::jsonb, 'Please send a clear scan.', "
                "(p.received_at + p.gap * (%(asked)s - 1) + interval '30 days')::date, "
                "p.received_at + p.gap * (%(asked)s - 1), "
                "CASE WHEN p.stopped_at >= %(answered)s "
                "THEN p.received_at + p.gap * (%(answered)s - 1) END, p.id, p.officer_id "
                "FROM plan p WHERE p.stopped_at >= %(asked)s",
                {
                    "step": payload["step"],
                    "items": json.dumps(payload["items"]),
                    "asked": asked,
                    "answered": answered,
                },
            )
        # A third of the cases have a conversation: officer, client, officer. The client
        # read the first officer message; the second is unread for half of them.
        cur.execute(
            "INSERT INTO conversations_thread (id, public_id, subject, created_at, "
            "last_message_at, case_id, created_by_id) "
            "SELECT p.id, md5('thread' || p.id)::uuid, 'About your application', "
            "p.received_at + p.gap * 6, p.received_at + p.gap * 8, p.id, p.officer_id "
            "FROM plan p WHERE p.thread_draw < 0.34"
        )
        data.threads = cur.rowcount
        cur.execute(
            "INSERT INTO conversations_message (id, public_id, author_role, body, sent_at, "
            "idempotency_key, request_hash, author_id, thread_id) "
            "SELECT t.id * 3 + k, md5('message' || (t.id * 3 + k))::uuid, "
            "CASE WHEN k = 1 THEN 'applicant' ELSE 'officer' END, "
            "CASE WHEN k = 1 THEN 'Thank you, I will send it this week.' "
            "ELSE 'Please send your police certificate from every country you lived in.' END, "
            "p.received_at + p.gap * (6 + k), md5('key' || (t.id * 3 + k)), "
            "encode(sha256(convert_to('m' || (t.id * 3 + k), 'UTF8')), 'hex'), "
            "CASE WHEN k = 1 THEN p.applicant_id ELSE p.officer_id END, t.id "
            "FROM conversations_thread t JOIN plan p ON p.id = t.case_id "
            "CROSS JOIN generate_series(0, 2) k"
        )
        data.messages = cur.rowcount
        cur.execute(
            "INSERT INTO conversations_messageread (read_at, message_id, person_id) "
            "SELECT m.sent_at + interval '2 hours', m.id, "
            "CASE WHEN m.author_role = 'officer' THEN p.applicant_id ELSE p.officer_id END "
            "FROM conversations_message m JOIN plan p ON p.id = m.thread_id "
            "WHERE m.id % 3 <> 2 OR p.thread_draw < 0.17"
        )
        timed("document requests and conversations", started)

        started = time.monotonic()
        for statement in restore:
            cur.execute(statement)
        for statement in defaults:
            cur.execute(statement)
        timed("indexes and constraints", started)
        reset_sequences(
            cur,
            (
                "accounts_user",
                "accounts_office",
                "intake_program",
                "intake_application",
                "cases_case",
                "cases_caseparty",
                "cases_caseevent",
                "cases_documentrequest",
                "conversations_thread",
                "conversations_message",
                "conversations_messageread",
                "accounts_user_groups",
            ),
        )
        data.open_requests = cur.execute(
            "SELECT count(*) FROM cases_documentrequest WHERE answered_at IS NULL"
        ).fetchone()[0]  # type: ignore[index]
        conn.commit()
    started = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        data.decided_in_window = conn.execute(
            "SELECT count(*) FROM cases_case WHERE status IN ('approved', 'refused') "
            "AND decided_at >= %s - interval '180 days'",
            (now,),
        ).fetchone()[0]  # type: ignore[index]
    timed("vacuum and analyze", started)
    return data


def add_tokens(conninfo: str, user_ids: list[int]) -> list[tuple[str, int]]:
    """An API token for each of the people given: (raw bearer token, user id)."""
    tokens = []
    created_at = datetime.now(UTC)
    with (
        psycopg.connect(conninfo) as conn,
        conn.cursor() as cur,
        cur.copy(
            "COPY accounts_apitoken (name, token_hash, created_at, user_id) FROM STDIN"
        ) as copy,
    ):
        for user_id in user_ids:
            raw = f"psg_tracker{user_id:07d}_{secrets.token_hex(12)}"
            tokens.append((raw, user_id))
            digest = hashlib.sha256(raw.encode()).hexdigest()
            copy.write_row(("benchmark", digest, created_at, user_id))
    return tokens


def _model_defaults_for_new_columns(cur: psycopg.Cursor, tables: tuple[str, ...]) -> list[str]:
    """Give every required column this loader does not fill (one added to a model after
    the loader was written) its model's default as a database default for the load, and
    return the statements that take those defaults away again. Needs Django set up."""
    from django.apps import apps

    models = {model._meta.db_table: model for model in apps.get_models()}
    restore = []
    for table in tables:
        for (column,) in cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL",
            (table,),
        ).fetchall():
            field = next(f for f in models[table]._meta.concrete_fields if f.column == column)
            value = field.get_default()
            if value is None or field.unique:
                continue  # the loader fills these itself
            if isinstance(value, dict | list):
                value = json.dumps(value)
            literal = psycopg.sql.Literal(value).as_string(cur)
            cur.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET DEFAULT {literal}')
            restore.append(f'ALTER TABLE {table} ALTER COLUMN "{column}" DROP DEFAULT')
    return restore
