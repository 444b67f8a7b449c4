"""Builders for workbench tests: officers with skills, and files ready for review or taken."""

import uuid
from datetime import datetime
from typing import Any

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.triage.services import triage_case
from passage.workbench.models import OfficerProfile, Skill
from passage.workbench.services import claim_next_case
from tests.builders import create_office, create_officer, create_user, iec_answers, submit_case


def create_skilled_officer(
    *skills: tuple[str, str, int], capacity: int = 10, office: str = "ottawa", **fields: Any
) -> User:
    """An officer holding `skills` (kind, value, proficiency); by default IEC at 3 in both
    official languages."""
    officer = create_officer(**fields)
    if officer.office is None or officer.office.code != office:
        officer.office = create_office(office)
        officer.save(update_fields=["office"])
    OfficerProfile.objects.create(officer=officer, weekly_capacity=capacity)
    for kind, value, proficiency in skills or (
        ("program", "iec", 3),
        ("language", "en", 3),
        ("language", "fr", 3),
    ):
        Skill.objects.create(officer=officer, kind=kind, value=value, proficiency=proficiency)
    return officer


def create_supervisor(office: str = "ottawa", **fields: Any) -> User:
    """A supervisor of the office (by default Ottawa, where the officers above work)."""
    return create_user(Role.SUPERVISOR, office=create_office(office), **fields)


def ready_case(**overrides: Any) -> Case:
    """A triaged IEC file waiting in review (tier 1 unless the answers say otherwise)."""
    answers = overrides.pop("answers", iec_answers())
    case = submit_case(answers=answers, **overrides)
    return triage_case(case_id=case.public_id, now=overrides.get("now"))


def claimed_case(officer: User, *, received: datetime, **answers: Any) -> Case:
    """An IEC file received at `received`, triaged, and taken by the officer (the oldest
    file waiting, so the one made here when no other waits)."""
    case = ready_case(answers=iec_answers(**answers), now=received)
    claimed = claim_next_case(officer=officer, idempotency_key=uuid.uuid4().hex, now=received)
    assert claimed.case is not None
    assert claimed.case.pk == case.pk
    return claimed.case
