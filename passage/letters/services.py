"""Issuing decision letters, and showing an officer the letter a decision will send.

A letter is issued by the command that records a decision or a withdrawal, in its
transaction (`cases.signals.case_ended`): every decision reaches the client as a letter,
and no letter exists for a decision that was not recorded.
"""

import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from passage.accounts.models import User
from passage.cases.commands.engine import CommandResult
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.status import ActorRole, PartyRole
from passage.intake.catalogue import current_programs
from passage.letters.composing import Bilingual, LetterFacts, compose, decision_digest
from passage.letters.models import DecisionLetter

__all__ = ["decision_digest", "issue_on_case_end", "letter_it_would_send"]


def issue_on_case_end(
    sender: object, *, case: Case, event: CaseEvent, letter: str, **kwargs: Any
) -> DecisionLetter:
    """Write and keep the letter of the decision or withdrawal `event` records (a receiver
    of `case_ended`, run in the command's transaction)."""
    payload = event.payload
    reasons = payload.get("reasons", "") if letter != "withdrawal" else ""
    grounds = tuple(payload.get("legal_grounds", ())) if letter != "withdrawal" else ()
    decider = None if event.actor_role == ActorRole.SYSTEM else event.actor
    composed = compose(
        _facts(
            case,
            kind=letter,
            at=event.occurred_at,
            decider=decider,
            reasons=reasons,
            legal_grounds=grounds,
            ruleset_version=event.ruleset_version,
        )
    )
    return DecisionLetter.objects.create(
        case=case,
        event=event,
        kind=composed.kind,
        template_version=composed.version,
        language=case.language if case.language in ("en", "fr") else "en",
        issued_at=event.occurred_at,
        respond_by=composed.respond_by,
        body_en=composed.body_en,
        body_fr=composed.body_fr,
        sha256=composed.sha256,
    )


def letter_it_would_send(decide: Callable[[], CommandResult]) -> DecisionLetter | None:
    """The letter a decision would send, for the officer to read before sending it: runs
    `decide` (a call of the command that records the decision) and undoes everything it
    did, letter included. The decision is checked as if it were sent (finished steps,
    open requests, reasons), so what it would refuse raises here the error it would give.
    None if the call was a replay (the decision was recorded already)."""
    try:
        with transaction.atomic():
            result = decide()
            if result.replayed:
                return None
            raise _Undo(DecisionLetter.objects.get(event=result.event))
    except _Undo as undone:
        return undone.letter


class _Undo(Exception):
    """Rolls back a decision run only to see its letter."""

    def __init__(self, letter: DecisionLetter) -> None:
        self.letter = letter


def _facts(
    case: Case,
    *,
    kind: str,
    at: datetime,
    decider: User | None,
    reasons: str,
    legal_grounds: tuple[str, ...],
    ruleset_version: str = "",
) -> LetterFacts:
    bundle = current_programs()[case.program.code]
    terms = bundle.definition.letters
    assert terms is not None  # a definition without its letter terms does not load
    office = decider.office if decider is not None else None
    zone = office.time_zone if office is not None else settings.PASSAGE_DISPLAY_TIME_ZONE
    category = next(
        (known for known in bundle.definition.categories if known.code == case.category), None
    )
    return LetterFacts(
        kind=kind,
        reference=case.reference,
        addressee=_addressee(case),
        program=Bilingual(case.program.name_en, case.program.name_fr),
        category=Bilingual(category.name_en, category.name_fr) if category else None,
        decided_on=at.astimezone(zoneinfo.ZoneInfo(zone)).date(),
        office=Bilingual(office.name_en, office.name_fr) if office is not None else None,
        terms=terms,
        reasons=reasons,
        legal_grounds=legal_grounds,
        ruleset_version=ruleset_version,
    )


def _addressee(case: Case) -> str:
    """The name the application gives, else the name of the account that applied."""
    application = case.application
    named = f"{application.given_name} {application.family_name}".strip()
    if named:
        return named
    party = (
        CaseParty.objects.filter(case=case, role__in=[PartyRole.APPLICANT, PartyRole.SPONSOR])
        .select_related("person")
        .order_by("granted_at", "pk")
        .first()
    )
    if party is None:
        return ""
    return party.person.get_full_name().strip() or party.person.email
