"""How long to wait before the next delivery attempt: pure arithmetic, no clock."""

import random
from datetime import timedelta


def retry_delay(
    *, attempts: int, base_seconds: float, cap_seconds: float, rng: random.Random
) -> timedelta:
    """The wait after the `attempts`-th failure: doubling from `base_seconds`, never above
    `cap_seconds`, then drawn between half and all of it so that many rows failing at the
    same moment (a mail server going down) do not all come back at the same moment."""
    ceiling = min(cap_seconds, base_seconds * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=rng.uniform(ceiling / 2, ceiling))
