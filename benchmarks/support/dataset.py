"""A realistic benchmark dataset, loaded in bulk straight into a migrated database.

People, applications, cases and parties are generated in Python and sent with COPY; the
events (about ten per case) are generated inside PostgreSQL with one INSERT ... SELECT,
in time order so that one case's events are spread over the table as in real life.
Rows follow the models' constraints; hash-chain values are realistic SHA-256 hex strings
chained per case (previous_hash of event n is the hash of event n-1) but not recomputed
from the event contents.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import psycopg
from bulk_load import drop_indexes_and_constraints, reset_sequences, without_conflict_check

from passage.cases.reference import damm_check_digit

PROGRAM_CODE = "iec"
CATEGORIES = ["working-holiday", "young-professionals", "international-coop"]
RULESET_VERSION = "iec-2025.1"
STEPS = ["eligibility", "background", "medical", "biometrics"]
GIVEN_NAMES = ["Amélie", "Lucas", "Hana", "Kenji", "Sofia", "Mateo", "Chloé", "Noah", "Aiko", "Léa"]
FAMILY_NAMES = ["Poulain", "Martin", "Sato", "Tanaka", "Rossi", "García", "Dubois", "Kim", "Müller"]
COUNTRIES = ["FR", "JP", "IE", "AU", "KR", "DE", "IT", "ES", "BE", "NZ"]
EVENT_GAP = timedelta(hours=36)
# Django's marker for an account that cannot sign in with a password.
UNUSABLE_PASSWORD = "!benchmark-account-without-password"  # noqa: S105


@dataclass
class Dataset:
    """What the load generators need: who holds which token, and which cases each may see."""

    cases: int = 0
    events: int = 0
    applicants: int = 0
    officers: int = 0
    # (raw bearer token, user id) of every applicant given a token.
    tokens: list[tuple[str, int]] = field(default_factory=list)
    # Public ids of the cases of each applicant, by user id.
    cases_of: dict[int, list[str]] = field(default_factory=dict)


def case_hash(case_id: int, sequence: int) -> str:
    """The chain value of a loaded event; the SQL below computes the same thing."""
    if sequence == 0:
        return "0" * 64
    return hashlib.sha256(f"{case_id}:{sequence}".encode()).hexdigest()


def damm_reference(rng: random.Random) -> str:
    """A reference in Passage's format, from a seeded generator so that loads repeat."""
    body = f"{rng.randrange(10**14):014d}"
    return f"P{body}{damm_check_digit(body)}"


def _steps_after(step_events: int) -> list[str]:
    """Each step takes two events (in progress, then completed), in order."""
    states = []
    for index in range(len(STEPS)):
        if step_events >= 2 * (index + 1):
            states.append("completed")
        elif step_events == 2 * index + 1:
            states.append("in_progress")
        else:
            states.append("not_started")
    return states


def load(
    conninfo: str,
    *,
    cases: int,
    applicants: int,
    tokens: int,
    officers: int = 20,
    max_events: int = 20,
    seed: int = 20260101,
) -> Dataset:
    """Fill a freshly migrated database. Returns what the load scripts need."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    data = Dataset(applicants=applicants, officers=officers)
    with psycopg.connect(conninfo, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        # The events table is rebuilt faster without its indexes and foreign keys.
        restore = drop_indexes_and_constraints(cur, "cases_caseevent")
        groups: dict[str, int] = dict(cur.execute("SELECT name, id FROM auth_group").fetchall())
        cur.execute(
            "INSERT INTO accounts_office (code, name_en, name_fr, time_zone) "
            "VALUES ('ottawa', 'Ottawa office', 'Bureau d''Ottawa', 'America/Toronto') "
            "RETURNING id"
        )
        office_id = cur.fetchone()[0]  # type: ignore[index]
        cur.execute(
            "INSERT INTO intake_program "
            "(code, name_en, name_fr, service_standard_days, categories, is_open, risk_areas, "
            "processing_offices, submitter_role) VALUES (%s, 'International Experience Canada', "
            "'Expérience internationale Canada', 56, %s::jsonb, true, '{}', '[]', 'applicant') "
            "RETURNING id",
            (PROGRAM_CODE, json.dumps(CATEGORIES)),
        )
        program_id = cur.fetchone()[0]  # type: ignore[index]

        # People: applicants first (ids 1..applicants), then officers.
        user_rows = []
        for user_id in range(1, applicants + officers + 1):
            officer = user_id > applicants
            name = f"officer{user_id - applicants:03d}" if officer else f"applicant{user_id:06d}"
            joined = now - timedelta(days=rng.randrange(30, 900))
            user_rows.append(
                (
                    user_id,
                    UNUSABLE_PASSWORD,
                    name,
                    rng.choice(GIVEN_NAMES),
                    rng.choice(FAMILY_NAMES),
                    f"{name}@example.com",
                    joined,
                    rng.choice(("en", "fr")),
                    office_id if officer else None,
                    # Everyone proved their address (the sign-up link) soon after joining.
                    joined + timedelta(minutes=rng.randrange(2, 60)),
                    f"{rng.getrandbits(128):032x}",
                )
            )
        with cur.copy(
            "COPY accounts_user (id, password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined, preferred_language, office_id, "
            "email_verified_at, session_salt) FROM STDIN"
        ) as copy:
            for row in user_rows:
                copy.write_row((*row[:2], False, *row[2:6], False, True, *row[6:]))
        with cur.copy("COPY accounts_user_groups (user_id, group_id) FROM STDIN") as copy:
            for user_id in range(1, applicants + officers + 1):
                role = "officer" if user_id > applicants else "applicant"
                copy.write_row((user_id, groups[role]))
        officer_ids = list(range(applicants + 1, applicants + officers + 1))

        # Applications, answers, cases and parties: one of each per case.
        plan = []  # (case_id, events, approved, received_at, applicant_id, officer_id)
        with (
            cur.copy(
                "COPY intake_application (id, category, given_name, family_name, date_of_birth, "
                "citizenship, email, preferred_language, submitted_at, idempotency_key, "
                "request_hash, applicant_id, submitted_by_id, program_id) FROM STDIN"
            ) as applications,
        ):
            for case_id in range(1, cases + 1):
                applicant_id = rng.randrange(1, applicants + 1)
                user = user_rows[applicant_id - 1]
                events = rng.randint(1, max_events)
                # The whole history lies in the past: received up to about two years ago.
                received_at = (
                    now - EVENT_GAP * events - timedelta(seconds=rng.randrange(700 * 86400))
                )
                approved = events >= 12 and rng.random() < 0.5
                plan.append(
                    (case_id, events, approved, received_at, applicant_id, rng.choice(officer_ids))
                )
                applications.write_row(
                    (
                        case_id,
                        CATEGORIES[case_id % len(CATEGORIES)],
                        user[3],
                        user[4],
                        date(1990, 1, 1) + timedelta(days=rng.randrange(0, 4000)),
                        rng.choice(COUNTRIES),
                        user[5],
                        user[7],
                        received_at,
                        uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                        hashlib.sha256(str(case_id).encode()).hexdigest(),
                        applicant_id,
                        applicant_id,
                        program_id,
                    )
                )
        with cur.copy(
            "COPY intake_applicationanswers "
            "(version, answers, recorded_at, application_id, recorded_by_id) FROM STDIN"
        ) as copy:
            for case_id, _events, _approved, received_at, applicant_id, _officer in plan:
                answers = {"funds_cad": 2500 + case_id % 5000, "job_offer": case_id % 3 == 0}
                copy.write_row((1, json.dumps(answers), received_at, case_id, applicant_id))

        with cur.copy(
            "COPY cases_case (id, public_id, reference, status, status_changed_at, received_at, "
            "eligibility, eligibility_changed_at, background, background_changed_at, medical, "
            "medical_changed_at, biometrics, biometrics_changed_at, decided_at, "
            "decision_reasons, version, last_event_sequence, last_event_hash, application_id, "
            "decided_by_id, program_id, category, language, risk_area, blind_review) FROM STDIN"
        ) as copy:
            references: set[str] = set()
            for case_id, events, approved, received_at, applicant_id, officer_id in plan:
                public_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                data.cases_of.setdefault(applicant_id, []).append(public_id)
                reference = damm_reference(rng)
                while reference in references:
                    reference = damm_reference(rng)
                references.add(reference)
                last = received_at + EVENT_GAP * (events - 1)
                if approved:
                    status, steps, changed_at = "approved", ["completed"] * 4, last
                else:
                    status = ("received", "triage", "in_review")[min(events, 3) - 1]
                    steps = _steps_after(max(events - 3, 0))
                    changed_at = received_at + EVENT_GAP * (min(events, 3) - 1)
                step_columns = []
                for index, state in enumerate(steps):
                    # Step event k (k >= 1) is event 3 + k; it completes step (k - 1) // 2.
                    done = 3 + 2 * (index + 1) if state == "completed" else 3 + 2 * index + 1
                    when = None if state == "not_started" else received_at + EVENT_GAP * (done - 1)
                    if approved and when is not None and when > last:
                        when = last
                    step_columns += [state, when]
                copy.write_row(
                    (
                        case_id,
                        public_id,
                        reference,
                        status,
                        changed_at,
                        received_at,
                        *step_columns,
                        last if approved else None,
                        "",
                        events,
                        events,
                        case_hash(case_id, events),
                        case_id,
                        officer_id if approved else None,
                        program_id,
                        CATEGORIES[case_id % len(CATEGORIES)],
                        user_rows[applicant_id - 1][7],
                        "",
                        False,
                    )
                )
        with cur.copy(
            "COPY cases_caseparty (role, acts_for, granted_at, revoked_at, case_id, person_id) "
            "FROM STDIN"
        ) as copy:
            for case_id, _events, _approved, received_at, applicant_id, _officer in plan:
                copy.write_row(("applicant", "", received_at, None, case_id, applicant_id))

        # Events, generated by PostgreSQL from the plan.
        cur.execute(
            "CREATE TEMP TABLE plan (case_id bigint, events int, approved bool, "
            "received_at timestamptz, applicant_id bigint, officer_id bigint) ON COMMIT DROP"
        )
        with cur.copy("COPY plan FROM STDIN") as copy:
            for step in plan:
                copy.write_row(step)
        with without_conflict_check(cur):
            cur.execute(
                """
                INSERT INTO cases_caseevent (sequence, kind, actor_role, occurred_at, payload,
                    ruleset_version, idempotency_key, previous_hash, hash, actor_id, case_id)
                SELECT s, kind, role,
                    p.received_at + (s - 1) * interval '36 hours',
                    payload, CASE WHEN s = 2 THEN %(ruleset)s::text ELSE '' END,
                    CASE WHEN s = 1 THEN a.idempotency_key
                         ELSE 'bench-' || p.case_id || '-' || s END,
                    CASE WHEN s = 1 THEN repeat('0', 64)
                         ELSE encode(sha256(convert_to(p.case_id || ':' || (s - 1), 'UTF8')), 'hex')
                    END,
                    encode(sha256(convert_to(p.case_id || ':' || s, 'UTF8')), 'hex'),
                    CASE role WHEN 'applicant' THEN p.applicant_id
                              WHEN 'system' THEN NULL ELSE p.officer_id END,
                    p.case_id
                FROM plan p
                JOIN intake_application a ON a.id = p.case_id
                CROSS JOIN LATERAL generate_series(1, p.events) AS s
                CROSS JOIN LATERAL (
                    SELECT
                        CASE WHEN s = 1 THEN 'application.submitted'
                             WHEN s = 2 THEN 'triage.started'
                             WHEN s = 3 THEN 'review.started'
                             WHEN p.approved AND s = p.events THEN 'case.approved'
                             ELSE 'step.recorded' END AS kind,
                        CASE WHEN s = 1 THEN 'applicant' WHEN s = 2 THEN 'system'
                             ELSE 'officer' END AS role,
                        CASE WHEN s = 1 THEN jsonb_build_object('program', %(program)s::text,
                                'category', a.category, 'answers_version', 1,
                                'documents', '[]'::jsonb)
                             WHEN s IN (2, 3) THEN '{}'::jsonb
                             WHEN p.approved AND s = p.events THEN
                                '{"reasons": "", "legal_grounds": []}'::jsonb
                             ELSE jsonb_build_object(
                                'step', (%(steps)s::text[])[((s - 4) / 2) %% 4 + 1],
                                'state', CASE WHEN (s - 4) %% 2 = 0 THEN 'in_progress'
                                              ELSE 'completed' END,
                                'note', '') END AS payload
                ) AS e
                ORDER BY p.received_at + (s - 1) * interval '36 hours', p.case_id
                """,
                {"ruleset": RULESET_VERSION, "program": PROGRAM_CODE, "steps": STEPS},
            )
            data.events = cur.rowcount
        for statement in restore:
            cur.execute(statement)
        data.cases = cases

        # API tokens for a sample of the applicants who have cases.
        holders = rng.sample(sorted(data.cases_of), min(tokens, len(data.cases_of)))
        with cur.copy(
            "COPY accounts_apitoken (name, token_hash, created_at, user_id) FROM STDIN"
        ) as copy:
            for user_id in holders:
                raw = f"psg_bench{user_id:06d}_{rng.getrandbits(96):024x}"
                data.tokens.append((raw, user_id))
                copy.write_row(
                    ("benchmark", hashlib.sha256(raw.encode()).hexdigest(), now, user_id)
                )
        reset_sequences(
            cur,
            (
                "accounts_user",
                "accounts_office",
                "intake_program",
                "intake_application",
                "intake_applicationanswers",
                "cases_case",
                "cases_caseparty",
                "cases_caseevent",
                "accounts_apitoken",
                "accounts_user_groups",
            ),
        )
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return data
