"""A client's new contact details, recorded on each of their open cases (the
`accounts.signals.contact_details_changed` signal), for the officers of the files."""

import hashlib
from datetime import datetime
from typing import Any

from passage.accounts.models import User
from passage.cases.selectors import cases_of_party
from passage.cases.services import report_change
from passage.cases.status import OPEN_STATUSES


def case_key(idempotency_key: str, case_id: object) -> str:
    """The key of the change's event on one case, made from the form's key and the case:
    a form sent again finds the event it recorded there the first time."""
    digest = hashlib.sha256(f"{idempotency_key}:{case_id}".encode()).hexdigest()
    return f"contact-{digest}"


def record_on_open_cases(
    sender: Any,
    *,
    person: User,
    changes: dict[str, str],
    idempotency_key: str,
    now: datetime,
    **kwargs: Any,
) -> None:
    """Record `changes` on each open case the person is an active client party to, as
    that party; decided and withdrawn cases keep their record as it was."""
    cases = cases_of_party(person).filter(status__in=OPEN_STATUSES).order_by("pk")
    for case_id in cases.values_list("public_id", flat=True):
        report_change(
            case_id=case_id,
            actor=person,
            changes=changes,
            idempotency_key=case_key(idempotency_key, case_id),
            now=now,
        )
