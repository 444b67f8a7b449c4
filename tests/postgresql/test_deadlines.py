"""The watchdog ends a wait on a server that never answers: past its deadline the socket
is shut down and the wait returns at once; a call done in time is left alone; a short
deadline armed while a long one waits still fires on time."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from passage.postgresql.deadlines import Watchdog


@pytest.fixture
def silent_server() -> Iterator[tuple[socket.socket, socket.socket]]:
    """Two ends of a connection whose far end never says a word."""
    ours, theirs = socket.socketpair()
    yield ours, theirs
    ours.close()
    theirs.close()


def wait_for_an_answer(end: socket.socket, watchdog: Watchdog, seconds: float) -> float:
    started = time.monotonic()
    with watchdog.deadline(seconds, end.fileno):
        assert end.recv(1) == b""  # shut down, not answered
    return time.monotonic() - started


def test_a_wait_past_its_deadline_ends_at_the_deadline(silent_server):
    ours, _ = silent_server
    watchdog = Watchdog()

    waited = wait_for_an_answer(ours, watchdog, 0.3)

    assert 0.3 <= waited < 1.5
    assert watchdog.fired == 1


def test_a_call_done_in_time_is_left_alone(silent_server):
    ours, theirs = silent_server
    watchdog = Watchdog()

    with watchdog.deadline(0.2, ours.fileno):
        theirs.sendall(b"x")
        assert ours.recv(1) == b"x"
    time.sleep(0.4)

    theirs.sendall(b"y")
    assert ours.recv(1) == b"y"  # the socket still works
    assert watchdog.fired == 0


def test_a_short_deadline_armed_while_a_long_one_waits_fires_on_time():
    watchdog = Watchdog()
    long_end, long_far = socket.socketpair()
    short_end, short_far = socket.socketpair()
    try:
        long_wait = threading.Thread(
            target=wait_for_an_answer, args=(long_end, watchdog, 30), daemon=True
        )
        long_wait.start()
        time.sleep(0.2)  # the watchdog now sleeps until the long deadline

        waited = wait_for_an_answer(short_end, watchdog, 0.3)

        assert waited < 1.5
        assert long_wait.is_alive()  # the long call still waits
    finally:
        long_far.close()  # ends the long wait
        for end in (long_end, short_end, short_far):
            end.close()
