"""Builders for message tests: a case with its applicant, a representative, and
conversations started through the real services."""

import uuid
from datetime import datetime
from typing import Any

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case, CaseParty
from passage.cases.status import PartyRole
from passage.conversations import services
from passage.conversations.models import Message
from tests.builders import create_user, submit_case


def case_with_applicant(**fields: Any) -> tuple[Case, User]:
    """A submitted case and the applicant who is its party."""
    applicant = create_user(Role.APPLICANT, **fields)
    return submit_case(applicant), applicant


def add_party(case: Case, role: str = PartyRole.REPRESENTATIVE, **fields: Any) -> User:
    """Give someone an active client role on the case."""
    person = create_user(Role(role), **fields)
    CaseParty.objects.create(case=case, person=person, role=role, granted_at=clock.now())
    return person


def revoke(case: Case, person: User) -> None:
    CaseParty.objects.filter(case=case, person=person, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )


def start(
    case: Case,
    person: User,
    body: str = "Is my file complete?",
    subject: str = "A question",
    now: datetime | None = None,
    **fields: Any,
) -> Message:
    """A new conversation on the case, started by the person."""
    return services.start_thread(
        case_id=case.public_id,
        person=person,
        subject=subject,
        body=body,
        idempotency_key=fields.pop("idempotency_key", uuid.uuid4().hex),
        now=now,
        **fields,
    ).message


def reply(message: Message, person: User, body: str = "Thank you.", **fields: Any) -> Message:
    return services.post_message(
        thread_id=message.thread.public_id,
        person=person,
        body=body,
        idempotency_key=fields.pop("idempotency_key", uuid.uuid4().hex),
        **fields,
    ).message
