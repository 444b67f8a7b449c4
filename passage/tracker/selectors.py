"""Reads of the tracker, scoped by the person asking: a case they may not see raises
`Case.DoesNotExist`, which callers turn into the same 404 as a missing case.

The tracker is a hot path (every client's page and the tracker API): its reads are
statements written out once, as in `cases.selectors.case_status`, with no query to build
and no model instances; values come back as the ORM would give them (`passage.sql`)."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple
from uuid import UUID

from django.db import connections, router

from passage.accounts.models import Office, User
from passage.cases.conflicts import conflict_params, conflict_sql
from passage.cases.models import Case, DocumentRequest
from passage.cases.parties import client_scope, covers_step, scope_of, widest_scope
from passage.cases.selectors import (
    EVENT_COLUMNS,
    STATUS_COLUMNS,
    StatusStatements,
    cases_of_party,
    cases_visible_to,
    status_row,
    status_statements,
)
from passage.cases.status import PartyRole
from passage.conversations.selectors import unread_count_params, unread_count_sql
from passage.intake.document_names import REQUEST_PREFIX, document_namer
from passage.intake.models import Document, Program
from passage.languages import in_language
from passage.sql import Converters, column_list, convert_row, converters_for
from passage.tracker.estimates import processing_estimate
from passage.tracker.status_model import TrackerView, build_view

RECENT_EVENTS = 50
DEFAULT_TIME_ZONE = "America/Toronto"
_REQUEST_COLUMNS = (
    "id",
    "step",
    "items",
    "message",
    "due_on",
    "requested_at",
    "time_zone",
    "set_due_on",
    "relief_outages",
    "relief_flagged",
)


def tracker_view(*, person: User, case_id: UUID, now: datetime, language: str) -> TrackerView:
    """The case as its client sees it: status, steps, documents due, history, estimate
    and unread messages. Staff get the applicant's view: "what the client sees".

    Three statements: the case with its program, the person's parties to it and the unread
    count; its latest events for clients; its open document requests."""
    if not person.is_active:
        raise Case.DoesNotExist("Case matching query does not exist.")
    # Staff read the cases in their reach (`cases_visible_to`), as everywhere else.
    staff = (
        person.is_department_staff and cases_visible_to(person).filter(public_id=case_id).exists()
    )
    alias = router.db_for_read(Case)
    connection = connections[alias]
    statements = _tracker_statements(alias)
    public_id = Case._meta.get_field("public_id").get_db_prep_value(case_id, connection)
    with connection.cursor() as cursor:
        case_rows = []
        if staff:
            cursor.execute(
                statements.staff_case_sql,
                [
                    *unread_count_params(person=person, staff=True),
                    public_id,
                    *conflict_params(person.pk),
                ],
            )
            case_rows = cursor.fetchall()
            # A case that concerns a staff member is theirs only as a client reads it.
            staff = bool(case_rows)
        if not case_rows:
            cursor.execute(
                statements.party_case_sql,
                [*unread_count_params(person=person, staff=False), person.pk, public_id],
            )
            case_rows = cursor.fetchall()
        if not case_rows:
            raise Case.DoesNotExist("Case matching query does not exist.")
        case_pk = case_rows[0][0]
        cursor.execute(statements.status.client_events_sql, [case_pk, RECENT_EVENTS])
        event_rows = cursor.fetchall()
        cursor.execute(statements.requests_sql, [case_pk])
        request_rows = cursor.fetchall()
    first = case_rows[0]
    status = status_row(first, event_rows, statements.status, connection)
    program_id, name_en, name_fr, service_standard_days = convert_row(
        first[_PROGRAM_AT : _PROGRAM_AT + 4], statements.program_converters, connection
    )
    unread = int(first[_PROGRAM_AT + 4])
    if staff:
        role = PartyRole.APPLICANT.value
    else:
        # The part of the case the person sees: a representative that of their client.
        parties = (row[_PROGRAM_AT + 5 :] for row in case_rows)
        scope = widest_scope(scope_of(role, acts_for) for role, acts_for in parties)
        if scope is None:
            raise Case.DoesNotExist("Case matching query does not exist.")
        role = scope.value
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
        status_row=status,
        program_name=in_language(name_en, name_fr, language),
        role=role,
        document_requests=requests,
        estimate=estimate,
        unread_messages=unread,
    )


_PROGRAM_COLUMNS = ("id", "name_en", "name_fr", "service_standard_days")
# Where the program's columns start in the case statement (after STATUS_COLUMNS); the unread
# count follows them, then, for a client, the role and acts_for of each of their parties.
_PROGRAM_AT = len(STATUS_COLUMNS)
_CASE_SQL = (
    "SELECT {case_columns}, {program_columns}, ({unread}){party_columns} "
    'FROM "cases_case" '
    'INNER JOIN "intake_program" ON ("cases_case"."program_id" = "intake_program"."id") '
    "{party_join}"
    'WHERE "cases_case"."public_id" = %s{no_conflict}'
)
# The client side of cases_visible_to (an active party to the case), one row per party.
_PARTY_COLUMNS = ', "cases_caseparty"."role", "cases_caseparty"."acts_for"'
_PARTY_JOIN = (
    'INNER JOIN "cases_caseparty" ON ("cases_caseparty"."case_id" = "cases_case"."id" '
    'AND "cases_caseparty"."person_id" = %s AND "cases_caseparty"."revoked_at" IS NULL) '
)
# Open requests (neither answered nor closed), soonest due first, with the time zone of
# the office that asked.
_REQUESTS_SQL = (
    'SELECT {columns} FROM "cases_documentrequest" '
    'INNER JOIN "accounts_user" '
    'ON ("cases_documentrequest"."requested_by_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_office" ON ("accounts_user"."office_id" = "accounts_office"."id") '
    'WHERE "cases_documentrequest"."case_id" = %s '
    'AND "cases_documentrequest"."answered_at" IS NULL '
    'AND "cases_documentrequest"."closed_at" IS NULL '
    'ORDER BY "cases_documentrequest"."due_on" ASC, "cases_documentrequest"."requested_at" ASC'
)


class _TrackerStatements(NamedTuple):
    status: StatusStatements
    staff_case_sql: str
    party_case_sql: str
    requests_sql: str
    program_converters: Converters
    request_converters: Converters


@cache
def _tracker_statements(alias: str) -> _TrackerStatements:
    """The statements of `tracker_view`, and the converters the ORM would apply to each
    column (they differ by database)."""
    connection = connections[alias]
    status = status_statements(alias, EVENT_COLUMNS)
    program_fields = [Program._meta.get_field(name) for name in _PROGRAM_COLUMNS]
    request_fields = [
        Office._meta.get_field(name)
        if name == "time_zone"
        else DocumentRequest._meta.get_field(name)
        for name in _REQUEST_COLUMNS
    ]

    def case_sql(staff: bool) -> str:
        return _CASE_SQL.format(
            case_columns=status.case_columns,
            program_columns=column_list(program_fields),
            unread=unread_count_sql(staff=staff),
            party_columns="" if staff else _PARTY_COLUMNS,
            party_join="" if staff else _PARTY_JOIN,
            no_conflict=" AND NOT " + conflict_sql("cases_case") if staff else "",
        )

    return _TrackerStatements(
        status=status,
        staff_case_sql=case_sql(staff=True),
        party_case_sql=case_sql(staff=False),
        requests_sql=_REQUESTS_SQL.format(columns=column_list(request_fields)),
        program_converters=converters_for(program_fields, connection),
        request_converters=converters_for(request_fields, connection),
    )


@dataclass(frozen=True)
class SentDocument:
    """A file the client sent, as their documents list shows it."""

    id: int
    name: str
    filename: str
    size: int
    sent_at: datetime


def documents_sent(*, person: User, case_id: UUID, language: str) -> list[SentDocument]:
    """The files sent for a case the person is a client of, oldest first, each named by
    what it is; only those of the steps their part of the case covers (a sponsor does not
    see the answers to a medical request). Case.DoesNotExist for anyone else."""
    case = cases_of_party(person).select_related("program").get(public_id=case_id)
    scope = client_scope(person_id=person.pk, case=case)
    requests = {request.pk: request for request in case.document_requests.all()}
    name = document_namer(case.program.code, requests.values(), language)
    shown = []
    for document in Document.objects.filter(application_id=case.application_id).order_by(
        "uploaded_at", "pk"
    ):
        request = _answered_request(document.kind, requests)
        if request is not None and not covers_step(scope, request.step):
            continue
        shown.append(
            SentDocument(
                id=document.pk,
                name=name(document.kind, document.description),
                filename=document.filename,
                size=document.size,
                sent_at=document.uploaded_at,
            )
        )
    return shown


def document_for_download(*, person: User, case_id: UUID, document_id: int) -> Document:
    """One file the person may see in `documents_sent`, or Document.DoesNotExist."""
    for sent in documents_sent(person=person, case_id=case_id, language="en"):
        if sent.id == document_id:
            return Document.objects.get(pk=document_id)
    raise Document.DoesNotExist("Document matching query does not exist.")


def _answered_request(kind: str, requests: dict[int, DocumentRequest]) -> DocumentRequest | None:
    if not kind.startswith(REQUEST_PREFIX):
        return None
    request_id = kind.removeprefix(REQUEST_PREFIX)
    return requests.get(int(request_id)) if request_id.isdigit() else None
