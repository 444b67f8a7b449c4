import random

from passage.outbox.backoff import retry_delay


def waits(attempts, rng):
    return retry_delay(attempts=attempts, base_seconds=60, cap_seconds=3600, rng=rng)


def test_the_wait_doubles_with_each_attempt_between_half_and_all_of_it():
    rng = random.Random(1)
    for attempts, ceiling in [(1, 60), (2, 120), (3, 240), (6, 1920)]:
        for _ in range(50):
            assert ceiling / 2 <= waits(attempts, rng).total_seconds() <= ceiling


def test_the_wait_never_passes_the_cap():
    rng = random.Random(2)
    assert all(waits(n, rng).total_seconds() <= 3600 for n in range(1, 200))


def test_emails_failing_together_come_back_at_different_moments():
    rng = random.Random(3)
    assert len({waits(4, rng) for _ in range(20)}) > 10
