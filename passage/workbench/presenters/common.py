"""What the workbench's view models share: step states, ages and due dates, tier labels
and people's names, worded for the page."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from passage.accounts.models import User
from passage.cases.models import Case
from passage.cases.status import FINISHED_STEP_STATES, ActorRole, Step, StepState, Tier
from passage.intake.catalogue import category_name, current_programs
from passage.intake.models import Program


@dataclass(frozen=True)
class StepStatus:
    """One step of a file and its state."""

    step: Step
    state: StepState

    @property
    def label(self) -> str:
        return str(self.step.label)

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STEP_STATES


def steps(case: Case) -> list[StepStatus]:
    """Each step of the file, in order, with its state."""
    return [StepStatus(step, StepState(getattr(case, step.value))) for step in Step]


def age_days(received_at: datetime, now: datetime) -> int:
    """Whole days since the file was received."""
    return max(0, (now - received_at).days)


def due_on(received_at: datetime, program: Program) -> date:
    """The service standard's date: the day received plus the program's standard."""
    return timezone.localdate(received_at) + timedelta(days=program.service_standard_days)


def tier_label(case: Case) -> str:
    """The file's tier as the officer reads it."""
    # A file in blind review is routine by construction: its tier would give the outcome away.
    if case.blind_review:
        return _("Blind review")
    return str(Tier(case.tier).label) if case.tier else _("Not triaged")


def person_name(person: User | None) -> str:
    """A person's full name (else their username); nobody is the system."""
    if person is None:
        return str(ActorRole.SYSTEM.label)
    return person.get_full_name() or person.get_username()


def officer_name(officer: User | None) -> str:
    """The name of the officer who has a file, or nothing when nobody has it."""
    return person_name(officer) if officer is not None else ""


def risk_area_name(area: str) -> str:
    """A risk area (a code of the programs' `risk_areas`) in words; an unknown one as it is."""
    names = {
        "criminality": pgettext("risk area", "Criminality"),
        "financial": pgettext("risk area", "Finances"),
        "inadmissibility": pgettext("risk area", "Inadmissibility"),
        "medical": pgettext("risk area", "Medical"),
        "passport": pgettext("risk area", "Passport"),
        "proof-of-status": pgettext("risk area", "Proof of status"),
    }
    return names.get(area, area)


def skill_name(value: str, language: str) -> str:
    """A skill as people read it: a program (or one of its categories) by its name, a
    language or a risk area in words."""
    languages = {"en": _("English"), "fr": _("French")}
    if value in languages:
        return languages[value]
    program, _slash, category = value.partition("/")
    bundle = current_programs().get(program)
    if bundle is None:
        return risk_area_name(value)
    name = bundle.definition.name_fr if language == "fr" else bundle.definition.name_en
    if category:
        return f"{name} \u2013 {category_name(program, category, language)}"
    return name
