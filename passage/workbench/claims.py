"""The "next file" look-up: which files an officer's skills cover in their office's
programs, and the one statement that finds and locks the oldest of them.

It is the officers' hot path, so the statement is written out here rather than built by
the ORM for every claim (compiling a condition with a term per program and category cost
more than running it). Every condition is on the case row that gets locked, so once
PostgreSQL holds the lock it checks them again: a file another officer has just started
no longer matches, and is never handed out twice.
"""

import json
from dataclasses import dataclass

from django.db import connections, router

from passage.accounts.models import User
from passage.cases.conflicts import conflict_params, conflict_sql
from passage.cases.models import Case
from passage.cases.status import CaseStatus, EventKind
from passage.workbench.skills import PROFICIENCY_BY_TIER, officer_skill_keys, program_key

_HIGHEST_TIER_NEEDED = max(PROFICIENCY_BY_TIER.values())


@dataclass(frozen=True)
class Coverage:
    """The files an officer may take: (program id, category, highest tier) triples, the
    client languages they work in, and the risk areas they hold."""

    programs: tuple[tuple[int, str, int], ...]
    languages: tuple[str, ...]
    risk_areas: tuple[str, ...]


def coverage_of(officer: User) -> Coverage | None:
    """What an officer's skills cover in the programs their office processes (a program
    naming no office is every office's), or None when they cover no file at all: an
    officer without an office takes only the files routed or given to them."""
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute(_OFFICE, [officer.pk])
        office = cursor.fetchone()
        if office is None:
            return None
        cursor.execute(_PROGRAMS)
        programs = [
            (pk, code, _list(categories))
            for pk, code, categories, offices in cursor.fetchall()
            if not _list(offices) or office[0] in _list(offices)
        ]
        cursor.execute(_SKILLS, [officer.pk])
        skills = cursor.fetchall()
    keys = officer_skill_keys(skills, {code: categories for _pk, code, categories in programs})
    covered = []
    for program_id, code, categories in programs:
        for category in categories or [""]:
            proficiency = keys.get(program_key(code, category), 0)
            if proficiency:
                # A proficiency takes the tiers that need no more than it: 1 takes tier 1,
                # 2 up to tier 2, 3 and above every tier.
                highest = 3 if proficiency >= _HIGHEST_TIER_NEEDED else proficiency
                covered.append((program_id, category, highest))
    languages = tuple(key.split(":", 1)[1] for key in keys if key.startswith("language:"))
    risks = tuple(key.split(":", 1)[1] for key in keys if key.startswith("risk:"))
    if not covered or not languages:
        return None
    return Coverage(programs=tuple(covered), languages=languages, risk_areas=risks)


_OFFICE = (
    'SELECT "accounts_office"."code" FROM "accounts_user" INNER JOIN "accounts_office" '
    'ON ("accounts_office"."id" = "accounts_user"."office_id") WHERE "accounts_user"."id" = %s'
)
_PROGRAMS = 'SELECT "id", "code", "categories", "processing_offices" FROM "intake_program"'
_SKILLS = 'SELECT "kind", "value", "proficiency" FROM "workbench_skill" WHERE "officer_id" = %s'
_CLAIMED_WITH_KEY = (
    'SELECT "case_id" FROM "cases_caseevent" '
    'WHERE "kind" = %s AND "actor_id" = %s AND "idempotency_key" = %s LIMIT 1'
)
_READY = (
    'SELECT "id" FROM "cases_case" WHERE "status" = %s AND "work_started_at" IS NULL '
    'AND {who} AND NOT {conflict} ORDER BY "received_at", "id" LIMIT 1{lock}'
)
# The file routed to the officer if there is one, else the oldest shared file they may
# take: one round trip. COALESCE only runs the second look-up when the first finds none.
_NEXT = 'SELECT * FROM "cases_case" WHERE "id" = COALESCE(({routed}), ({shared})){lock}'


def file_claimed_with(officer: User, idempotency_key: str) -> Case | None:
    """The file an earlier claim by this officer with this key took, if any."""
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute(_CLAIMED_WITH_KEY, [EventKind.WORK_STARTED, officer.pk, idempotency_key])
        row = cursor.fetchone()
    return None if row is None else Case.objects.get(pk=row[0])


def _list(value: object) -> list[str]:
    # JSON columns come back decoded from PostgreSQL and as text from SQLite.
    decoded = json.loads(value) if isinstance(value, str) else value
    return [str(item) for item in decoded or []] if isinstance(decoded, list) else []


def lock_next_file(officer: User, coverage: Coverage | None) -> Case | None:
    """The oldest unstarted file routed to this officer, else the oldest unassigned file
    in review that their coverage takes, locked; None if there is none."""
    connection = connections[router.db_for_write(Case)]
    # SQLite has no row locks: its writers queue on the database lock instead. On
    # PostgreSQL the outer lock (already held) returns the row as its latest version.
    locks = connection.features.has_select_for_update_skip_locked
    skip_locked = " FOR UPDATE SKIP LOCKED" if locks else ""
    # Never a file that concerns the officer (cases/conflicts.py), even one routed to them.
    conflict = conflict_sql("cases_case")
    routed = _READY.format(who='"assigned_to_id" = %s', conflict=conflict, lock=skip_locked)
    params: list[object] = [CaseStatus.IN_REVIEW, officer.pk, *conflict_params(officer.pk)]
    if coverage is None:
        shared = "NULL"
    else:
        who, shared_params = _shared_condition(coverage)
        shared = _READY.format(who=who, conflict=conflict, lock=skip_locked)
        params += [CaseStatus.IN_REVIEW, *shared_params, *conflict_params(officer.pk)]
    sql = _NEXT.format(routed=routed, shared=shared, lock=" FOR UPDATE" if locks else "")
    return next(iter(Case.objects.raw(sql, params)), None)


def _shared_condition(coverage: Coverage) -> tuple[str, list[object]]:
    programs = " OR ".join(
        '("program_id" = %s AND "category" = %s AND COALESCE("tier", 3) <= %s)'
        for _ in coverage.programs
    )
    languages = ", ".join("%s" for _ in coverage.languages)
    who = f'"assigned_to_id" IS NULL AND ({programs}) AND "language" IN ({languages})'
    params: list[object] = [value for triple in coverage.programs for value in triple]
    params += list(coverage.languages)
    if coverage.risk_areas:
        areas = ", ".join("%s" for _ in coverage.risk_areas)
        who += f' AND ("risk_area" = \'\' OR "risk_area" IN ({areas}))'
        params += list(coverage.risk_areas)
    else:
        who += " AND \"risk_area\" = ''"
    return who, params
