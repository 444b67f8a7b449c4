"""Long-running processes wait longer after each failure in a row, never forever, and a
database error ends a pass, not the loop."""

from django.db import OperationalError

from passage.resilience import Backoff, run_every


def test_the_wait_doubles_after_each_failure_up_to_the_cap():
    backoff = Backoff(base=1, cap=30)

    waits = [backoff.next() for _ in range(8)]

    assert 0.8 <= waits[0] <= 1.2
    assert 1.6 <= waits[1] <= 2.4
    assert all(24 <= wait <= 36 for wait in waits[5:])


def test_a_day_long_outage_keeps_the_wait_at_the_cap():
    backoff = Backoff(base=1, cap=30)

    waits = [backoff.next() for _ in range(5_000)]

    assert max(waits) <= 36


def test_a_success_starts_the_waits_again_from_the_base():
    backoff = Backoff(base=1, cap=30)
    for _ in range(6):
        backoff.next()

    backoff.reset()

    assert backoff.next() <= 1.2


def test_a_database_error_ends_the_pass_and_the_loop_goes_on(monkeypatch):
    monkeypatch.setattr("passage.resilience.drop_connections", lambda: None)
    outcomes = iter([OperationalError("the server closed the connection"), None, None])
    steps, waits = [], []

    def step():
        steps.append(1)
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome

    run_every(10, step, name="test", sleep=waits.append, keep_going=lambda: len(steps) < 3)

    assert len(steps) == 3
    assert waits[0] < 10  # the first wait after a failure is the backoff's
    assert waits[1:] == [10, 10]
