"""The invitation to confirm permanent residence, made in the transaction of an approval
(a receiver of `cases.signals.case_ended`): one confirmation for each person on the case
who becomes a permanent resident and is not known to be outside Canada, an event on the
case for each, and one bilingual, link-only email to the principal applicant."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from passage.calendar.business_days import end_of_day
from passage.cases.actors import SYSTEM
from passage.cases.commands.engine import carry_out
from passage.cases.models import Case, CaseEvent
from passage.cases.notifications import REFERENCE_END
from passage.cases.signals import case_ended
from passage.cases.status import ActorRole
from passage.intake.catalogue import current_programs
from passage.outbox.services import queue_email
from passage.programs.permanent_residence import PermanentResidence
from passage.residence.invitation_links import invitation_reference
from passage.residence.models import Confirmation
from passage.residence.specs import INVITE

# Immigration and Refugee Protection Regulations: the photo and the address are due
# within 180 days of becoming a permanent resident; the portal gives the same from the
# invitation.
DAYS_TO_CONFIRM = 180


def invite_on_approval(
    sender: object, *, case: Case, event: CaseEvent, letter: str, **kwargs: Any
) -> list[Confirmation]:
    """Invite the people of an approved case whose program leads to permanent residence
    (`program.yaml`, `permanent_residence:`); nothing for another case or decision."""
    if letter != "approval":
        return []
    bundle = current_programs().get(case.program.code)
    residence = bundle.definition.permanent_residence if bundle else None
    if residence is None:
        return []
    return invite(case, residence, at=event.occurred_at)


def invite(case: Case, residence: PermanentResidence, *, at: datetime) -> list[Confirmation]:
    """Make the confirmations of the case's people and invite the principal applicant;
    the caller holds the case row locked in its transaction."""
    people = people_of(case, residence)
    if not people:
        return []
    zone = settings.PASSAGE_DISPLAY_TIME_ZONE
    # Counted from the day of the approval where the department is, not in UTC.
    invited_on = at.astimezone(ZoneInfo(zone)).date()
    due = end_of_day(invited_on + timedelta(days=DAYS_TO_CONFIRM), zone)
    made = []
    for position, person in enumerate(people):
        confirmation = Confirmation.objects.create(
            case=case,
            position=position,
            given_names=person["given_names"],
            family_name=person["family_name"],
            date_of_birth=person["date_of_birth"],
            email=person["email"] if position == 0 else "",
            state_changed_at=at,
            invited_at=at,
            set_due_at=due,
            due_at=due,
            citizenship=case.application.citizenship
            if position == 0 and residence.principal is None
            else "",
        )
        carry_out(
            INVITE,
            case,
            SYSTEM,
            ActorRole.SYSTEM,
            {"person": position, "due": due.isoformat()},
            None,
            at=at,
            idempotency_key=None,
        )
        made.append(confirmation)
    if made[0].email:
        _email_invitation(case, made[0], at)
    return made


def people_of(case: Case, residence: PermanentResidence) -> list[dict[str, Any]]:
    """The principal applicant and the dependants who come with them, from the latest
    answers; nobody when the answers say the principal applicant is outside Canada."""
    application = case.application
    latest = application.answers.order_by("-version").first()
    answers: dict[str, Any] = latest.answers if latest is not None else {}
    principal = residence.principal
    if principal is None:
        first = {
            "given_names": application.given_name,
            "family_name": application.family_name,
            "date_of_birth": application.date_of_birth,
            "email": application.email,
        }
    else:
        if answers.get(principal.in_canada) is False:
            return []
        born = _day(answers.get(principal.date_of_birth))
        if born is None:
            return []
        first = {
            "given_names": str(answers.get(principal.given_names, "")),
            "family_name": str(answers.get(principal.family_name, "")),
            "date_of_birth": born,
            "email": str(answers.get(principal.email) or ""),
        }
    people = [first]
    rows = answers.get(residence.dependants) if residence.dependants else None
    for row in rows if isinstance(rows, list) else []:
        born = _day(row.get("date_of_birth")) if isinstance(row, dict) else None
        if born is not None:
            people.append(
                {
                    "given_names": str(row.get("given_name", "")),
                    "family_name": str(row.get("family_name", "")),
                    "date_of_birth": born,
                    "email": "",
                }
            )
    return people


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _email_invitation(case: Case, principal: Confirmation, at: datetime) -> None:
    """The invitation, in both languages, its link made when it is sent."""
    queue_email(
        kind="pr_invitation",
        case=case,
        to_email=principal.email,
        language=case.language if case.language in ("en", "fr") else "en",
        template="pr_invitation",
        context={
            "secret": invitation_reference(principal),
            "program": case.program.name_en,
            "program_fr": case.program.name_fr,
            "reference_end": case.reference[-REFERENCE_END:],
        },
        now=at,
    )


case_ended.connect(invite_on_approval, dispatch_uid="residence.invite_on_approval")
