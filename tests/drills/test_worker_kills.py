"""Drill: task workers killed (SIGKILL) in the middle of their work, a new one started
each time; and the database restarting under a busy worker. Each submitted file must be
assessed by triage exactly once, and no job may be left running: a job cut short by a kill
is taken again once its lease has run out, one cut short by the database is put back by
its own worker once the database is back, and running a job again repeats nothing.

The lease, heartbeat and sweep are set to seconds (PASSAGE_WORKER_*), so that abandoned
jobs come back within the drill; the sweep that queues triage for files no job will reach
stays at its default of minutes, so only the leases can bring a job back here."""

import signal
from collections import Counter
from collections.abc import Callable

import pytest

from tests.drills.records import assessments_per_case, job_statuses
from tests.drills.site import Site, end
from tests.drills.watcher import Watcher

pytestmark = [pytest.mark.drill, pytest.mark.postgres_only]

FILES = 40
LEASE = 3.0
WORKER_SETTINGS = {
    "PASSAGE_WORKER_LEASE_SECONDS": str(LEASE),
    "PASSAGE_WORKER_HEARTBEAT_SECONDS": "0.5",
    "PASSAGE_JOB_SWEEP_SECONDS": "1",
}
KILLS = 3
# A kill can fall between two jobs, leaving none behind; it then counts for nothing.
MOST_KILLS = 8
# A job left behind comes back after its lease, at a sweep, once its new worker is up.
FINISH_WITHIN = 3 * LEASE + 5


def submit_files(site: Site, applicant: str) -> list[str]:
    references: list[str] = site.seed("submit", applicant, str(FILES))
    return references


def assert_every_file_assessed_once(site: Site, references: list[str]) -> None:
    assert assessments_per_case(site) == dict.fromkeys(references, 1)
    assert job_statuses(site) == Counter({"SUCCESSFUL": FILES})


def at_work(watcher: Watcher, worker_id: str) -> Callable[[], bool]:
    """Whether the worker has assessed two files from now on and holds a job."""
    done_before = watcher.assessed()
    return lambda: watcher.assessed() >= done_before + 2 and watcher.holds(worker_id)


def test_drill_with_workers_killed_mid_work_every_file_is_assessed_once(site, template):
    references = submit_files(site, template.applicants[0].username)
    abandoned = 0
    with Watcher(site) as watcher:
        for attempt in range(MOST_KILLS):
            worker_id = f"drill-worker-{attempt}"
            with site.worker(worker_id, **WORKER_SETTINGS) as worker:
                watcher.wait_for(at_work(watcher, worker_id), f"{worker_id} to be at work")
                end(worker, how=signal.SIGKILL)
                abandoned += watcher.holds(worker_id)
            if abandoned == KILLS:
                break
        with site.worker("drill-worker-last", **WORKER_SETTINGS):
            watcher.wait_until(lambda: watcher.unfinished() == 0, FINISH_WITHIN)

    assert abandoned == KILLS
    assert_every_file_assessed_once(site, references)


def test_drill_with_the_database_restarting_under_a_busy_worker_every_file_is_assessed_once(
    site, template
):
    references = submit_files(site, template.applicants[0].username)
    with Watcher(site) as watcher, site.worker("drill-worker", **WORKER_SETTINGS):
        watcher.wait_for(lambda: watcher.assessed() >= 5, "the worker to be at work")
        # A job waiting on the events table is one the restart finds in the middle of its
        # work, rather than between two jobs.
        with watcher.holding_events():
            watcher.wait_for(
                lambda: watcher.holds("drill-worker") and watcher.waiting_on_locks() > 0,
                "a job to wait on the events table",
            )
            site.cluster.restart()
        watcher.wait_until(lambda: watcher.unfinished() == 0, FINISH_WITHIN)

    assert_every_file_assessed_once(site, references)
