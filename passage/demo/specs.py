"""What each demo case will be: its program, its status, its age and, for some, the
state of each step.

The first cases are fixed (`FORCED`), so that a demo of any size shows every status and
step state; the others are drawn from each case's own random generator, in proportion to
the programs' demo shares.
"""

import random
from dataclasses import dataclass

from passage.cases.status import CaseStatus, Step, StepState
from passage.programs import ProgramBundle

STEP_ORDER = (Step.ELIGIBILITY, Step.BACKGROUND, Step.MEDICAL, Step.BIOMETRICS)
STEP_STATES = (
    StepState.NOT_STARTED,
    StepState.WAITING_ON_YOU,
    StepState.IN_PROGRESS,
    StepState.COMPLETED,
    StepState.EXEMPTED,
)


@dataclass(frozen=True)
class Spec:
    """What a forced case must be; anything left as None is drawn at random."""

    program: str
    status: CaseStatus
    account: str | None = None
    category: str | None = None
    age_days: float | None = None
    officer: str | None = None
    steps: dict[Step, StepState] | None = None
    tier_one: bool | None = None
    withdraw_from: CaseStatus | None = None


def _latin_square() -> list[Spec]:
    """Five officer-review cases in which each step takes each of its five states once."""
    specs = []
    for row in range(5):
        steps = {step: STEP_STATES[(row + column) % 5] for column, step in enumerate(STEP_ORDER)}
        specs.append(
            Spec(
                "iec",
                CaseStatus.IN_REVIEW,
                account=(
                    "liam.obrien",
                    "sophie.muller",
                    "lucia.fernandez",
                    "ana.silva",
                    "tomas.novak",
                )[row],
                category="young-professionals",
                age_days=20 + 6 * row,
                officer="officer",
                steps=steps,
                tier_one=False,
            )
        )
    return specs


# The first cases are fixed, so that a demo of any size shows every status and step state,
# and so that the demo applicant and officer have something to look at.
FORCED: tuple[Spec, ...] = (
    Spec(
        "iec",
        CaseStatus.APPROVED,
        account="amelie",
        category="working-holiday",
        age_days=330,
        officer="officer",
        tier_one=True,
    ),
    Spec("eta", CaseStatus.APPROVED, account="amelie", age_days=320, tier_one=True),
    Spec(
        "iec",
        CaseStatus.REFUSED,
        account="amelie",
        category="international-coop",
        age_days=230,
        officer="officer",
        tier_one=False,
    ),
    Spec(
        "iec",
        CaseStatus.WITHDRAWN,
        account="amelie",
        category="working-holiday",
        age_days=150,
        officer="officer",
        withdraw_from=CaseStatus.IN_REVIEW,
    ),
    Spec(
        "iec",
        CaseStatus.IN_REVIEW,
        account="amelie",
        category="young-professionals",
        age_days=38,
        officer="officer",
        tier_one=True,
        steps={
            Step.ELIGIBILITY: StepState.COMPLETED,
            Step.BACKGROUND: StepState.IN_PROGRESS,
            Step.MEDICAL: StepState.EXEMPTED,
            Step.BIOMETRICS: StepState.WAITING_ON_YOU,
        },
    ),
    Spec("eta", CaseStatus.RECEIVED, account="amelie", age_days=0.02),
    *_latin_square(),
    Spec("citizenship", CaseStatus.TRIAGE, account="priya.sharma", age_days=0.3),
    Spec("pr-card", CaseStatus.RECEIVED, account="wei.zhang", age_days=0.05),
    Spec(
        "family-sponsor",
        CaseStatus.IN_REVIEW,
        account="sponsor",
        category="spouse",
        age_days=95,
        steps={Step.ELIGIBILITY: StepState.COMPLETED, Step.BACKGROUND: StepState.IN_PROGRESS},
    ),
    Spec(
        "family-dependent-child",
        CaseStatus.IN_REVIEW,
        account="lea.tremblay",
        age_days=80,
        steps={
            Step.ELIGIBILITY: StepState.IN_PROGRESS,
            Step.MEDICAL: StepState.WAITING_ON_YOU,
            Step.BIOMETRICS: StepState.COMPLETED,
        },
    ),
    Spec(
        "citizenship",
        CaseStatus.WITHDRAWN,
        account="mamadou.diallo",
        age_days=200,
        withdraw_from=CaseStatus.TRIAGE,
    ),
    Spec("pr-card", CaseStatus.REFUSED, account="olena.kovalenko", age_days=140),
    Spec("family-sponsor", CaseStatus.APPROVED, account="marc.gagnon", age_days=300),
)


def random_spec(rng: random.Random, programs: dict[str, ProgramBundle]) -> Spec | None:
    """A case drawn at random: a program by its demo share, an age (newer files are more
    numerous) and a status likely for that age. None when no program is drawn from."""
    if not programs:
        return None
    codes = sorted(programs)
    shares = [programs[code].definition.demo.share for code in codes]
    program = rng.choices(codes, weights=shares)[0]
    # Newer files are more numerous: a year of intake with an inventory still in progress.
    age = 365 * rng.random() ** 1.4
    standard = programs[program].definition.service_standard.days
    decided_odds = min(0.92, age / standard)
    if rng.random() < decided_odds:
        status = rng.choices(
            (CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN), weights=(72, 12, 16)
        )[0]
    elif age < 1:
        status = rng.choice((CaseStatus.RECEIVED, CaseStatus.TRIAGE, CaseStatus.TRIAGE))
    elif age < 15:
        status = rng.choice((CaseStatus.TRIAGE, CaseStatus.IN_REVIEW, CaseStatus.IN_REVIEW))
    else:
        status = CaseStatus.IN_REVIEW
    if status in (CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        age = max(age, 2.0)
    elif status == CaseStatus.IN_REVIEW:
        age = max(age, 1.5)
    withdraw_from = None
    if status == CaseStatus.WITHDRAWN:
        withdraw_from = rng.choices(
            (CaseStatus.RECEIVED, CaseStatus.TRIAGE, CaseStatus.IN_REVIEW), weights=(1, 2, 5)
        )[0]
    return Spec(program, status, age_days=age, withdraw_from=withdraw_from)
