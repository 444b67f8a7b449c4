"""Reads of the tracker, scoped by the person asking: a case they may not see raises
`Case.DoesNotExist`, which callers turn into the same 404 as a missing case.

The tracker is a hot path (every client's page and the tracker API): its reads are
statements written out once, as in `cases.selectors.case_status`, with no query to build
and no model instances; values come back as the ORM would give them (`passage.sql`)."""

from datetime import datetime
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connections, router

from passage.accounts.models import Office, User
from passage.cases.models import Case, DocumentRequest
from passage.cases.parties import scope_of, widest_scope
from passage.cases.selectors import case_status
from passage.cases.status import PartyRole
from passage.conversations.selectors import unread_count
from passage.intake.models import Program
from passage.sql import Converters, column_list, convert_row, converters_for
from passage.tracker.estimates import processing_estimate
from passage.tracker.status_model import TrackerView, build_view

RECENT_EVENTS = 50
DEFAULT_TIME_ZONE = "America/Toronto"
_REQUEST_COLUMNS = ("id", "step", "items", "message", "due_on", "requested_at", "time_zone")


def tracker_view(*, person: User, case_id: UUID, now: datetime, language: str) -> TrackerView:
    """The case as its client sees it: status, steps, documents due, history, estimate
    and unread messages. Staff get the applicant's view: "what the client sees"."""
    row = case_status(
        person=person, case_id=case_id, recent_events=RECENT_EVENTS, client_events=True
    )
    alias = router.db_for_read(Case)
    connection = connections[alias]
    statements = _tracker_statements(alias)
    public_id = Case._meta.get_field("public_id").get_db_prep_value(case_id, connection)
    with connection.cursor() as cursor:
        role = _role(cursor, statements, person, public_id)
        cursor.execute(statements.program_sql, [row["program__code"]])
        program_row = cursor.fetchone()
        if program_row is None:
            raise Program.DoesNotExist("Program matching query does not exist.")
        cursor.execute(statements.requests_sql, [public_id])
        request_rows = cursor.fetchall()
    program_id, name_en, name_fr, service_standard_days = convert_row(
        program_row, statements.program_converters, connection
    )
    requests = []
    for request_row in request_rows:
        request = dict(
            zip(
                _REQUEST_COLUMNS,
                convert_row(request_row, statements.request_converters, connection),
                strict=True,
            )
        )
        request["time_zone"] = request["time_zone"] or DEFAULT_TIME_ZONE
        requests.append(request)
    estimate = processing_estimate(
        program_id=program_id, service_standard_days=service_standard_days, now=now
    )
    return build_view(
        status_row=row,
        program_name=Program(name_en=name_en, name_fr=name_fr).name(language),
        role=role,
        document_requests=requests,
        estimate=estimate,
        unread_messages=unread_count(person=person, case_id=case_id),
    )


def _role(cursor: Any, statements: "_TrackerStatements", person: User, public_id: Any) -> str:
    if person.is_department_staff:
        return PartyRole.APPLICANT.value
    cursor.execute(statements.roles_sql, [public_id, person.pk])
    # The part of the case the person sees: a representative that of their client.
    scope = widest_scope(scope_of(role, acts_for) for role, acts_for in cursor.fetchall())
    if scope is None:
        # Access ended between the two reads: the case is gone for them.
        raise Case.DoesNotExist("Case matching query does not exist.")
    return scope.value


# The person's active parties on the case (the client side of cases_visible_to).
_ROLES_SQL = (
    'SELECT "cases_caseparty"."role", "cases_caseparty"."acts_for" FROM "cases_caseparty" '
    'INNER JOIN "cases_case" ON ("cases_caseparty"."case_id" = "cases_case"."id") '
    'WHERE "cases_case"."public_id" = %s AND "cases_caseparty"."person_id" = %s '
    'AND "cases_caseparty"."revoked_at" IS NULL'
)
_PROGRAM_SQL = 'SELECT {columns} FROM "intake_program" WHERE "intake_program"."code" = %s'
# Open requests, soonest due first, with the time zone of the office that asked.
_REQUESTS_SQL = (
    'SELECT {columns} FROM "cases_documentrequest" '
    'INNER JOIN "cases_case" ON ("cases_documentrequest"."case_id" = "cases_case"."id") '
    'INNER JOIN "accounts_user" '
    'ON ("cases_documentrequest"."requested_by_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_office" ON ("accounts_user"."office_id" = "accounts_office"."id") '
    'WHERE "cases_case"."public_id" = %s AND "cases_documentrequest"."answered_at" IS NULL '
    'ORDER BY "cases_documentrequest"."due_on" ASC, "cases_documentrequest"."requested_at" ASC'
)


class _TrackerStatements(NamedTuple):
    roles_sql: str
    program_sql: str
    requests_sql: str
    program_converters: Converters
    request_converters: Converters


@cache
def _tracker_statements(alias: str) -> _TrackerStatements:
    """The statements of `tracker_view` beyond the case status, and the converters the
    ORM would apply to each column (they differ by database)."""
    connection = connections[alias]
    program_fields = [
        Program._meta.get_field(name)
        for name in ("id", "name_en", "name_fr", "service_standard_days")
    ]
    request_fields = [
        Office._meta.get_field(name)
        if name == "time_zone"
        else DocumentRequest._meta.get_field(name)
        for name in _REQUEST_COLUMNS
    ]
    return _TrackerStatements(
        roles_sql=_ROLES_SQL,
        program_sql=_PROGRAM_SQL.format(columns=column_list(program_fields)),
        requests_sql=_REQUESTS_SQL.format(columns=column_list(request_fields)),
        program_converters=converters_for(program_fields, connection),
        request_converters=converters_for(request_fields, connection),
    )
