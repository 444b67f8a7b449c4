"""Drill: the database restarts three times and stops for a few seconds while clients
submit applications through the API without pause (granian as deployed, six clients,
each retrying the same request with the same Idempotency-Key after a 503).

What the people behind the clients care about: no application they were told was received
is lost, none is stored twice, an outage is answered 503 with Retry-After (never a 500,
never a hang), and once the database is back the very next request works: each web
worker's dead connection is noticed and replaced (CONN_HEALTH_CHECKS), not failed on."""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.drills.cluster import Cluster
from tests.drills.load import SubmissionLoad, Try
from tests.drills.records import stored_applications
from tests.drills.site import RETRY_AFTER

pytestmark = [pytest.mark.drill, pytest.mark.postgres_only]

QUIET = 3.0  # seconds of normal service before, between and after the faults
STOPPED = 3.0


@dataclass(frozen=True)
class Outage:
    began: float
    back: float


def restart(cluster: Cluster) -> None:
    cluster.restart()


def stop_for_a_while(cluster: Cluster) -> None:
    cluster.stop()
    time.sleep(STOPPED)
    cluster.start()


FAULTS: list[Callable[[Cluster], None]] = [restart, restart, stop_for_a_while, restart]


def tries_between(tries: list[Try], start: float, end: float) -> list[Try]:
    """The tries sent at or after `start` and answered by `end`."""
    return [
        each for each in tries if each.answer.sent_at >= start and each.answer.answered_at <= end
    ]


def test_drill_with_restarts_and_a_stop_under_load_every_acknowledged_application_is_stored_once(
    site, template
):
    outages: list[Outage] = []
    with site.web() as web, SubmissionLoad(web.port, template.applicants).running() as load:
        time.sleep(QUIET)
        for fault in FAULTS:
            began = time.monotonic()
            fault(site.cluster)
            outages.append(Outage(began, time.monotonic()))
            time.sleep(QUIET)
        ended = time.monotonic()

    stored = stored_applications(site)
    tries = load.tries
    # Every try was answered within the client's timeout: no hang, no dropped connection.
    assert [each.answer.error for each in tries if each.answer.status is None] == []
    # Whatever was not acknowledged was a 503 that said when to come back (and some were).
    refused = [each.answer for each in tries if each.answer.status not in (200, 201)]
    assert {(answer.status, answer.retry_after) for answer in refused} == {(503, str(RETRY_AFTER))}
    assert load.given_up == []
    # Nothing lost, nothing twice: one stored application per key, the one acknowledged.
    per_key = Counter((each.submitter, each.idempotency_key) for each in stored)
    assert [key for key, count in per_key.items() if count > 1] == []
    assert {(each.submitter, each.idempotency_key): each.reference for each in stored} == (
        load.acknowledged
    )
    # Once the database is back, the very next request works, and every one after it.
    next_began = [*(later.began for later in outages[1:]), ended]
    for outage, until in zip(outages, next_began, strict=True):
        after = tries_between(tries, outage.back, until)
        assert after, "no request was sent between two faults"
        assert [each.answer for each in after if each.answer.status != 201] == []
    print(  # the drill's figures, shown with -s
        f"{len(tries)} requests: {len(load.acknowledged)} applications acknowledged and "
        f"{len(stored)} stored, {len(refused)} answered 503; "
        f"{len(outages)} faults, back after {[round(o.back - o.began, 1) for o in outages]} s"
    )
