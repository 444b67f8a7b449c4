"""Reads of secure messages, scoped by the person asking through the cases they may see.
A case, conversation or file they may not see does not exist for them (`DoesNotExist`).

Staff appear to clients as "Officer", never by name.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import connections, router
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.cases.models import Case, CaseParty
from passage.cases.selectors import get_case
from passage.cases.status import PartyRole
from passage.conversations.access import visible_threads
from passage.conversations.models import (
    STAFF_AUTHOR_ROLES,
    AuthorRole,
    Message,
    MessageAttachment,
    MessageRead,
    Thread,
)


class Receipt:
    """Who on the other side read a message: the words the page shows for each."""

    BY_OFFICER = "officer"
    BY_CLIENT = "client"
    BY_YOU = "you"


@dataclass(frozen=True)
class ThreadSummary:
    public_id: UUID
    subject: str
    last_message_at: datetime
    last_author: str
    message_count: int
    unread: int


@dataclass(frozen=True)
class CaseThreads:
    case: Case
    threads: list[ThreadSummary]


@dataclass(frozen=True)
class AttachmentView:
    public_id: UUID
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageView:
    public_id: UUID
    author: str
    mine: bool
    from_staff: bool
    body: str
    sent_at: datetime
    attachments: list[AttachmentView]
    # One of Receipt's words, and when; None while nobody concerned has read it.
    receipt: str | None
    read_at: datetime | None


@dataclass(frozen=True)
class ThreadView:
    case: Case
    thread: Thread
    messages: list[MessageView]


def case_threads(*, person: User, case_id: UUID) -> CaseThreads:
    """The conversations of a case, most recent first, each with its number of messages the
    person has not read and who wrote last."""
    case = get_case(person=person, case_id=case_id)
    last = Message.objects.filter(thread=OuterRef("pk")).order_by("-sent_at", "-pk")
    threads = list(
        visible_threads(person)
        .filter(case=case)
        .annotate(
            message_count=Count("messages"),
            unread=Coalesce(
                Subquery(_per_thread_count(_unread_messages(person)), output_field=IntegerField()),
                0,
            ),
            last_message_id=Subquery(last.values("pk")[:1]),
        )
        .order_by("-last_message_at", "-pk")
    )
    last_messages = Message.objects.select_related("author").in_bulk(
        [thread.last_message_id for thread in threads]  # type: ignore[attr-defined]
    )
    staff = person.is_department_staff
    return CaseThreads(
        case=case,
        threads=[
            ThreadSummary(
                public_id=thread.public_id,
                subject=thread.subject,
                last_message_at=thread.last_message_at,
                last_author=author_label(
                    last_messages[thread.last_message_id],  # type: ignore[attr-defined]
                    viewer=person,
                    viewer_is_staff=staff,
                ),
                message_count=thread.message_count,  # type: ignore[attr-defined]
                unread=thread.unread,  # type: ignore[attr-defined]
            )
            for thread in threads
        ],
    )


def thread_detail(*, person: User, case_id: UUID, thread_id: UUID) -> ThreadView:
    """One conversation with its messages oldest first, their files and read receipts."""
    thread = (
        visible_threads(person)
        .filter(case__public_id=case_id)
        .select_related("case", "case__program")
        .get(public_id=thread_id)
    )
    messages = list(
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related("attachments", "reads")
        .order_by("sent_at", "pk")
    )
    clients = set(CaseParty.objects.filter(case=thread.case).values_list("person_id", flat=True))
    staff = person.is_department_staff
    views = []
    for message in messages:
        from_staff = message.author_role in STAFF_AUTHOR_ROLES
        receipt, read_at = _receipt(message, person, staff, from_staff, clients)
        views.append(
            MessageView(
                public_id=message.public_id,
                author=author_label(message, viewer=person, viewer_is_staff=staff),
                mine=message.author_id == person.pk,
                from_staff=from_staff,
                body=message.body,
                sent_at=message.sent_at,
                attachments=[
                    AttachmentView(a.public_id, a.filename, a.content_type, a.size)
                    for a in message.attachments.all()
                ],
                receipt=receipt,
                read_at=read_at,
            )
        )
    return ThreadView(case=thread.case, thread=thread, messages=views)


def unread_count(*, person: User, case_id: UUID) -> int:
    """How many messages of a case, written by others, the person has not opened, in the
    conversations they may read (the rule of `access.visible_threads`): one statement
    written out once. The tracker reads the same count inside its case statement
    (`unread_count_sql`)."""
    if not person.is_active:
        return 0
    alias = router.db_for_read(Message)
    connection = connections[alias]
    public_id = Case._meta.get_field("public_id").get_db_prep_value(case_id, connection)
    staff = person.is_department_staff
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT ({unread_count_sql(staff=staff)}) FROM "cases_case" '  # noqa: S608
            'WHERE "cases_case"."public_id" = %s',
            [*unread_count_params(person=person, staff=staff), public_id],
        )
        row = cursor.fetchone()
    return 0 if row is None else int(row[0])


def unread_count_sql(*, staff: bool) -> str:
    """The unread count as a subquery of a statement on "cases_case" (one row per case);
    its parameters are `unread_count_params`. Staff read every conversation of a case."""
    return _UNREAD_SQL if staff else _UNREAD_SQL + _UNREAD_ON_THE_CLIENTS_SIDE


def unread_count_params(*, person: User, staff: bool) -> list[int]:
    """The parameters of `unread_count_sql`, in order."""
    return [person.pk] * (2 if staff else 3)


# Messages of the case by someone else that the person has no read of.
_UNREAD_SQL = (
    'SELECT COUNT(*) FROM "conversations_message" '
    'INNER JOIN "conversations_thread" '
    'ON ("conversations_message"."thread_id" = "conversations_thread"."id") '
    'WHERE "conversations_thread"."case_id" = "cases_case"."id" '
    'AND "conversations_message"."author_id" <> %s '
    'AND NOT EXISTS(SELECT 1 FROM "conversations_messageread" U0 '
    'WHERE U0."message_id" = "conversations_message"."id" AND U0."person_id" = %s)'
)
# The client side of `access.visible_threads`: an active party to the case on the side the
# conversation is with (the applicant's, or the sponsor's; a representative on the side of
# the client they act for).
_APPLICANT, _SPONSOR, _REPRESENTATIVE = (
    PartyRole.APPLICANT.value,
    PartyRole.SPONSOR.value,
    PartyRole.REPRESENTATIVE.value,
)
_UNREAD_ON_THE_CLIENTS_SIDE = (
    ' AND EXISTS(SELECT 1 FROM "cases_caseparty" U1 WHERE U1."case_id" = "cases_case"."id" '  # noqa: S608
    'AND U1."person_id" = %s AND U1."revoked_at" IS NULL AND ('
    f'("conversations_thread"."audience" = \'{_APPLICANT}\' AND (U1."role" = \'{_APPLICANT}\' '
    f"OR (U1.\"role\" = '{_REPRESENTATIVE}' AND U1.\"acts_for\" IN ('', '{_APPLICANT}')))) "
    f'OR ("conversations_thread"."audience" = \'{_SPONSOR}\' AND (U1."role" = \'{_SPONSOR}\' '
    f"OR (U1.\"role\" = '{_REPRESENTATIVE}' AND U1.\"acts_for\" = '{_SPONSOR}')))))"
)


def attachment_for_download(
    *, person: User, case_id: UUID, attachment_id: UUID
) -> MessageAttachment:
    """A file sent in a conversation of a case the person may see."""
    return MessageAttachment.objects.select_related("message__thread").get(
        public_id=attachment_id,
        message__thread__case__public_id=case_id,
        message__thread__in=visible_threads(person),
    )


def author_label(message: Message, *, viewer: User, viewer_is_staff: bool) -> str:
    """How the author of a message is named to the viewer: "You"; staff as "Officer" to
    clients (never by name); anyone else by name and capacity."""
    if message.author_id == viewer.pk:
        return _("You")
    role = AuthorRole(message.author_role)
    if role in STAFF_AUTHOR_ROLES and not viewer_is_staff:
        return str(AuthorRole.OFFICER.label)
    name = message.author.get_full_name() or message.author.get_username()
    return _("%(name)s (%(role)s)") % {"name": name, "role": role.label}


def _unread_messages(person: User) -> QuerySet[Message]:
    read = MessageRead.objects.filter(message=OuterRef("pk"), person=person)
    return Message.objects.filter(~Q(author=person), ~Exists(read))


def _per_thread_count(messages: QuerySet[Message]) -> QuerySet[Any, Any]:
    return (
        messages.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(count=Count("pk"))
        .values("count")
    )


def _receipt(
    message: Message, viewer: User, viewer_is_staff: bool, from_staff: bool, clients: set[int]
) -> tuple[str | None, datetime | None]:
    """For a message from the viewer's side, the first read by the other side; for one from
    the other side, the viewer's own read."""
    reads = message.reads.all()
    if from_staff != viewer_is_staff:
        mine = _first_read(read for read in reads if read.person_id == viewer.pk)
        return (Receipt.BY_YOU, mine.read_at) if mine else (None, None)
    # The other side of a staff viewer is the case's clients; of a client, the staff.
    other_side = _first_read(
        read for read in reads if (read.person_id in clients) == viewer_is_staff
    )
    if other_side is None:
        return None, None
    word = Receipt.BY_CLIENT if viewer_is_staff else Receipt.BY_OFFICER
    return word, other_side.read_at


def _first_read(reads: Iterable[MessageRead]) -> MessageRead | None:
    return min(reads, key=lambda read: read.read_at, default=None)
