"""Reads of cases, always scoped by the person asking. A case they may not see does not
exist for them: the caller turns `Case.DoesNotExist` into a 404."""

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from django.apps import apps
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, OuterRef, Q, QuerySet

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.conflicts import conflict_condition, conflict_params, conflict_sql
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.parties import (
    client_scope_of,
    client_sees_event,
    covers_step,
    scope_of,
    widest_scope,
)
from passage.cases.status import INTERNAL_EVENT_KINDS, PartyRole, Step
from passage.sql import Converters, column_list, convert_row, converters_for

# What an officer or supervisor reads, as a condition on `Case` (None: nothing). The
# workbench owns what it is made of (offices, the programs they process, officers'
# skills) and names it when it starts (`WorkbenchConfig.ready`, `selectors.reach_of`);
# every read of a case applies it here, the tracker's, the messages' and the letters' too.
StaffReach = Callable[[User], Q | None]
_staff_reach: list[StaffReach] = []


def limit_staff_reads(reach: StaffReach) -> None:
    """Make `reach` what officers and supervisors read of the cases, everywhere."""
    _staff_reach[:] = [reach]


def cases_visible_to(person: User) -> QuerySet[Case]:
    """Department staff see the cases they may read (officers and supervisors: those in
    their reach, `limit_staff_reads`; analysts: all), but never one they have a conflict
    of interest with; a client sees the cases they are an active party to."""
    if not person.is_active:
        return Case.objects.none()
    if person.is_department_staff:
        cases = Case.objects.exclude(conflict_condition(person.pk))
        if _staff_reach and (person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)):
            reach = _staff_reach[0](person)
            return cases.none() if reach is None else cases.filter(reach)
        return cases
    return cases_of_party(person)


def _in_staff_reach(person: User, case_id: UUID) -> bool:
    """Whether a staff member's reach takes in the case (always, for staff who read every
    case: no query is made for them)."""
    if not _staff_reach or not (person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)):
        return True
    return cases_visible_to(person).filter(public_id=case_id).exists()


def cases_of_party(person: User) -> QuerySet[Case]:
    """The cases the person is an active party to (applicant, sponsor, representative)."""
    if not person.is_active:
        return Case.objects.none()
    active_party = CaseParty.objects.filter(
        case=OuterRef("pk"), person=person, revoked_at__isnull=True
    )
    return Case.objects.filter(Exists(active_party))


def applicant_of(case: Case) -> User | None:
    """The person with the applicant's active access to a case the caller may already
    see (a sponsorship's applicant may have no account: then None)."""
    party = (
        CaseParty.objects.filter(case=case, role=PartyRole.APPLICANT, revoked_at__isnull=True)
        .select_related("person")
        .order_by("granted_at")
        .first()
    )
    return party.person if party is not None else None


def get_case(*, person: User, case_id: UUID) -> Case:
    """One case the person may see, or Case.DoesNotExist."""
    return cases_visible_to(person).select_related("program").get(public_id=case_id)


STATUS_COLUMNS = (
    "id",
    "public_id",
    "reference",
    "status",
    "status_changed_at",
    "received_at",
    "decided_at",
    "version",
    "program__code",
    *[column for step in Step for column in (step.value, f"{step.value}_changed_at")],
)
EVENT_COLUMNS = ("sequence", "kind", "actor_role", "occurred_at", "payload", "ruleset_version")
_EVENT_COLUMNS_WITHOUT_PAYLOAD = tuple(column for column in EVENT_COLUMNS if column != "payload")


def case_status(
    *,
    person: User,
    case_id: UUID,
    recent_events: int = 20,
    event_payloads: bool = True,
    client_events: bool = False,
) -> dict[str, Any]:
    """The status of a case with the steps the person sees (`visible_steps`) and its latest
    events, as plain values (without each event's payload if `event_payloads` is false).
    Staff get every step and event unless `client_events` asks for those the case's clients
    see; a client gets the part of the case their parties give them (`client_sees_event`:
    a sponsor, only the sponsorship part).

    This is the hot path of the tracker: two statements written out once (the case, scoped
    by the same rule as `cases_visible_to`, then its latest events), no query to build and
    no model instances.
    """
    if not person.is_active:
        raise Case.DoesNotExist("Case matching query does not exist.")
    alias = router.db_for_read(Case)
    connection = connections[alias]
    statements = status_statements(alias, EVENT_COLUMNS)
    public_id = Case._meta.get_field("public_id").get_db_prep_value(case_id, connection)
    scope: PartyRole | None = None
    with connection.cursor() as cursor:
        case_row = None
        # Staff read the cases in their reach (`cases_visible_to`), as everywhere else.
        if person.is_department_staff and _in_staff_reach(person, case_id):
            cursor.execute(statements.staff_case_sql, [public_id, *conflict_params(person.pk)])
            case_row = cursor.fetchone()
        if case_row is None:
            # A client; or a staff member reading a case that concerns them, as its client.
            cursor.execute(statements.party_case_sql, [person.pk, public_id])
            party_rows = cursor.fetchall()
            scope = widest_scope(scope_of(role, acts_for) for *_, role, acts_for in party_rows)
            if scope is None:
                raise Case.DoesNotExist("Case matching query does not exist.")
            case_row = party_rows[0]
        staff_view = scope is None and not client_events
        events_sql = statements.events_sql if staff_view else statements.client_events_sql
        cursor.execute(events_sql, [case_row[0], recent_events])
        event_rows = cursor.fetchall()
    row = status_row(case_row, event_rows, statements, connection)
    if scope is not None:
        row["recent_events"] = [
            event
            for event in row["recent_events"]
            if client_sees_event(scope, event["kind"], event["payload"])
        ]
    row["visible_steps"] = [
        step.value for step in Step if scope is None or covers_step(scope, step)
    ]
    if not event_payloads:
        for event in row["recent_events"]:
            del event["payload"]
    return row


def status_row(
    case_row: tuple[Any, ...] | list[Any],
    event_rows: list[tuple[Any, ...]],
    statements: "StatusStatements",
    connection: BaseDatabaseWrapper,
) -> dict[str, Any]:
    """`case_status`'s answer from the raw case row (its STATUS_COLUMNS first, in order)
    and event rows of `statements`."""
    values = convert_row(
        tuple(case_row[: len(STATUS_COLUMNS)]), statements.case_converters, connection
    )
    row = dict(zip(STATUS_COLUMNS, values, strict=True))
    row.pop("id")
    row["recent_events"] = [
        dict(
            zip(
                statements.event_columns,
                convert_row(event, statements.event_converters, connection),
                strict=True,
            )
        )
        for event in event_rows
    ]
    return row


_CASE_SELECT = (
    'SELECT {columns} FROM "cases_case" '
    'INNER JOIN "intake_program" ON ("cases_case"."program_id" = "intake_program"."id") '
    'WHERE "cases_case"."public_id" = %s'
)
# The staff side of cases_visible_to: every case but those with a conflict of interest.
_NO_CONFLICT = " AND NOT " + conflict_sql("cases_case")
# The client side of cases_visible_to: a row per active party of the person to the case,
# with the party's role and the part of the case it acts for.
_PARTY_CASE_SELECT = (
    'SELECT {columns}, "cases_caseparty"."role", "cases_caseparty"."acts_for" '
    'FROM "cases_case" '
    'INNER JOIN "intake_program" ON ("cases_case"."program_id" = "intake_program"."id") '
    'INNER JOIN "cases_caseparty" ON ("cases_caseparty"."case_id" = "cases_case"."id" '
    'AND "cases_caseparty"."person_id" = %s AND "cases_caseparty"."revoked_at" IS NULL) '
    'WHERE "cases_case"."public_id" = %s'
)
_EVENTS_SELECT = (
    'SELECT {columns} FROM "cases_caseevent" WHERE "cases_caseevent"."case_id" = %s{filter} '
    'ORDER BY "cases_caseevent"."sequence" DESC LIMIT %s'
)
# Clients never see the department's internal work (assessments, assignments, notes).
_CLIENT_EVENTS_FILTER = ' AND "cases_caseevent"."kind" NOT IN ({kinds})'.format(
    kinds=", ".join(f"'{kind.value}'" for kind in sorted(INTERNAL_EVENT_KINDS))
)


class StatusStatements(NamedTuple):
    event_columns: tuple[str, ...]
    # The select list of STATUS_COLUMNS, for statements that read more of the case.
    case_columns: str
    staff_case_sql: str
    party_case_sql: str
    events_sql: str
    client_events_sql: str
    case_converters: Converters
    event_converters: Converters


@cache
def status_statements(alias: str, event_columns: tuple[str, ...]) -> StatusStatements:
    """The statements of `case_status`, and for each column the converters Django's ORM
    would apply to its raw values (they differ by database: SQLite keeps UUIDs as text)."""
    connection = connections[alias]
    program = apps.get_model("intake", "Program")
    case_fields = [
        program._meta.get_field("code") if name == "program__code" else Case._meta.get_field(name)
        for name in STATUS_COLUMNS
    ]
    event_fields = [CaseEvent._meta.get_field(name) for name in event_columns]
    case_columns = column_list(case_fields)
    case_select = _CASE_SELECT.format(columns=case_columns)
    return StatusStatements(
        event_columns=event_columns,
        case_columns=case_columns,
        staff_case_sql=case_select + _NO_CONFLICT,
        party_case_sql=_PARTY_CASE_SELECT.format(columns=case_columns),
        events_sql=_EVENTS_SELECT.format(columns=column_list(event_fields), filter=""),
        client_events_sql=_EVENTS_SELECT.format(
            columns=column_list(event_fields), filter=_CLIENT_EVENTS_FILTER
        ),
        case_converters=converters_for(case_fields, connection),
        event_converters=converters_for(event_fields, connection),
    )


def case_events(
    *, person: User, case_id: UUID, after_sequence: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Events of a case the person may see, oldest first, after a sequence number; a client
    gets only those of their part of the case (`client_sees_event`)."""
    scope: PartyRole | None = None
    case_pk: int | None = None
    if person.is_department_staff:
        staff_cases = cases_visible_to(person).filter(public_id=case_id)
        case_pk = staff_cases.values_list("pk", flat=True).first()
    if case_pk is None:
        case_pk = cases_of_party(person).values_list("pk", flat=True).get(public_id=case_id)
        scope = client_scope_of(person_id=person.pk, case_id=case_pk)
    events = CaseEvent.objects.filter(case_id=case_pk, sequence__gt=after_sequence)
    if scope is not None:
        steps = [step.value for step in Step if covers_step(scope, step)]
        events = events.exclude(kind__in=INTERNAL_EVENT_KINDS).filter(
            Q(payload__step__isnull=True) | Q(payload__step__in=steps)
        )
    return list(events.order_by("sequence").values(*EVENT_COLUMNS)[:limit])
