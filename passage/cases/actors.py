"""Who does things to a case: a person, or Passage itself."""

from typing import Final, TypeAlias

from passage.accounts.models import User


class SystemActor:
    """Passage acting on its own (triage, timers). It can never refuse."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()
Actor: TypeAlias = User | SystemActor
