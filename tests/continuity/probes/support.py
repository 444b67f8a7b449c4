"""A clock the tests move by hand, and checks that fail when told to."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from passage.continuity.probes.failures import ProbeFailed

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fixed_clock(at: datetime) -> Callable[[], datetime]:
    return lambda: at


class Clock:
    """Now, moved on by `advance`; each reading a millisecond later than the one before,
    as the checks of one pass run one after the other."""

    def __init__(self, start: datetime = T0) -> None:
        self.at = start

    def __call__(self) -> datetime:
        self.at += timedelta(milliseconds=1)
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


class Switchboard:
    """Checks for the named components that fail while their component is in `failing`."""

    def __init__(self, *components: str) -> None:
        self.components = components
        self.failing: set[str] = set()

    def checks(self) -> dict[str, Callable[[], None]]:
        return {component: self._check(component) for component in self.components}

    def _check(self, component: str) -> Callable[[], None]:
        def check() -> None:
            if component in self.failing:
                raise ProbeFailed(f"{component} answered 503")

        return check
