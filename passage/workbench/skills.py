"""The skill keys that routing matches: what a file needs, and what an officer holds.

A file needs its program (and category, when the program has them) at a proficiency that
rises with its tier, its client's language, and the risk area triage found, if any.
"""

from collections.abc import Iterable

from passage.cases.models import Case
from passage.cases.status import Tier

# The proficiency a file needs on its program skill, by tier; an untriaged file is tier 3.
PROFICIENCY_BY_TIER = {Tier.ROUTINE: 1, Tier.COMPLETE: 2, Tier.ASSESS: 3}
RISK_AREA_PROFICIENCY = 2


def program_key(program: str, category: str = "") -> str:
    return f"program:{program}/{category}" if category else f"program:{program}"


def case_requirements(case: Case, program_code: str) -> tuple[tuple[str, int], ...]:
    """The (skill key, minimum proficiency) pairs an officer must all hold for this file."""
    tier = Tier(case.tier) if case.tier else Tier.ASSESS
    needs = [
        (program_key(program_code, case.category), PROFICIENCY_BY_TIER[tier]),
        (f"language:{case.language}", 1),
    ]
    if case.risk_area:
        needs.append((f"risk:{case.risk_area}", RISK_AREA_PROFICIENCY))
    return tuple(needs)


def officer_skill_keys(
    skills: Iterable[tuple[str, str, int]], categories: dict[str, list[str]]
) -> dict[str, int]:
    """An officer's skills as keys with proficiency. A program skill without a category
    covers every category of the program."""
    keys: dict[str, int] = {}

    def hold(key: str, proficiency: int) -> None:
        keys[key] = max(keys.get(key, 0), proficiency)

    for kind, value, proficiency in skills:
        if kind == "program":
            program, _, category = value.partition("/")
            if category:
                hold(program_key(program, category), proficiency)
            else:
                hold(program_key(program), proficiency)
                for each in categories.get(program, []):
                    hold(program_key(program, each), proficiency)
        elif kind == "language":
            hold(f"language:{value}", proficiency)
        elif kind == "risk_area":
            hold(f"risk:{value}", proficiency)
    return keys
