"""Drill: PostgreSQL stops twice, and starts again, while clients submit 500 applications
through the API (granian as deployed, the file journal as the spool), the public status
page is asked for again and again, and the replayer, the probes and relief by rule run
as deployed (`passage replay_spool`, `passage probe`, `passage relieve`).

What the people behind the clients care about: every application they were told was
received (201 with a reference, or 202 with a receipt) becomes exactly one case, none
is lost, none is made twice, and one received while the database was down is filed at
the time it was received; the status page answers throughout; the probes open the
incident by themselves; and the documents due today move to a later day, each client
told by email, with nobody asking."""

import time
from collections import Counter
from datetime import datetime

import pytest

from passage.cases.models import Case, DocumentRequest
from passage.continuity.models import Outage, SpooledSubmission
from passage.intake.models import Application
from passage.outbox.models import OutboxMessage
from tests.drills.cluster import Cluster
from tests.drills.site import SCRIPTS, Site
from tests.drills.spool_load import BoundedLoad
from tests.drills.status_poll import StatusPoll

pytestmark = [pytest.mark.drill, pytest.mark.postgres_only]

SUBMISSIONS = 500
# The outages, by progress: the database stops once this many applications were
# acknowledged, and starts again this many later (or after MAX_STOPPED seconds).
STOPS = [(100, 100), (300, 100)]
MAX_STOPPED = 6.0
MIN_STOPPED = 5.0
# Seconds between two applications of one client: both outages fall within the load.
PACE = 0.2
FILED_WITHIN = 60.0  # seconds, for the replayer to file the spool after the last outage
SPOOL = {"PASSAGE_SPOOL": "journal", "PASSAGE_SPOOL_REPLAY_INTERVAL": "0.5"}
DUE_TODAY = 5  # document requests due on the day of the drill
# The drill's outages last seconds, not the half hour the published thresholds ask of an
# incident: its own thresholds let any outage give relief.
THRESHOLDS = """
- effective: 2026-01-01
  unplanned_minutes: 0
  planned_hours: 4
  notice_business_days: 2
  grace_business_days: 0
  source: {title: The drill's own thresholds, href: "https://example.com/drill"}
"""


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def stop_while_load_runs(cluster: Cluster, load: BoundedLoad, at: int, during: int) -> None:
    """Stop the database once `at` applications were acknowledged; start it again once
    `during` more were (all of them spooled), or after MAX_STOPPED seconds, and never
    before MIN_STOPPED seconds: long enough for the probes to call it an incident."""
    wait_for(lambda: load.progress >= at, 60)
    cluster.stop()
    stopped = time.monotonic()
    wait_for(lambda: load.progress >= at + during, MAX_STOPPED)
    time.sleep(max(0.0, MIN_STOPPED - (time.monotonic() - stopped)))
    cluster.start()


def cases_by_key(site: Site) -> list[tuple[str, str, datetime]]:
    """(idempotency key, reference, time received) of every application in the site."""
    return site.cluster.query(
        site.database,
        f"SELECT application.idempotency_key, file.reference, file.received_at "  # noqa: S608 - the models' tables
        f"FROM {Application._meta.db_table} application "
        f"JOIN {Case._meta.db_table} file ON file.application_id = application.id",
    )


def probe_command() -> list[str]:
    return [str(SCRIPTS / "passage"), "probe", "--every", "0.5"]


def probes_watching(port: int) -> dict[str, str]:
    """The probes' settings in the drill: the site at `port`, an incident opened after
    two seconds of failures, no mail server to check."""
    return {
        "PASSAGE_PROBE_BASE_URL": f"http://127.0.0.1:{port}",
        "PASSAGE_PROBE_OPEN_AFTER": "2",
        "PASSAGE_PROBE_TIMEOUT": "2",
        "PASSAGE_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def moved_requests(site: Site) -> list[int]:
    """The document requests relief moved past the day set."""
    return [
        row[0]
        for row in site.cluster.query(
            site.database,
            f"SELECT id FROM {DocumentRequest._meta.db_table} "  # noqa: S608
            "WHERE due_on > set_due_on ORDER BY id",
        )
    ]


def probe_incidents(site: Site) -> list[tuple[datetime, datetime | None]]:
    """(start, end) of the incidents the probes opened."""
    return site.cluster.query(
        site.database,
        f"SELECT starts_at, ends_at FROM {Outage._meta.db_table} "  # noqa: S608
        "WHERE opened_by_probes",
    )


def deadline_emails(site: Site) -> int:
    """The emails queued to tell clients a date moved."""
    rows = site.cluster.query(
        site.database,
        f"SELECT count(*) FROM {OutboxMessage._meta.db_table} "  # noqa: S608
        "WHERE kind = 'deadline.moved'",
    )
    return int(rows[0][0])


def spooled_receipts(site: Site) -> list[tuple[str, str]]:
    """(receipt, outcome) of every submission the replayer recorded."""
    return site.cluster.query(
        site.database,
        f"SELECT receipt, outcome FROM {SpooledSubmission._meta.db_table}",  # noqa: S608
    )


def test_drill_every_application_acknowledged_through_two_outages_is_one_case(
    site, template, tmp_path
):
    thresholds = tmp_path / "relief.yaml"
    thresholds.write_text(THRESHOLDS)
    relief = {"PASSAGE_RELIEF_THRESHOLDS": str(thresholds)}
    due_today = site.seed("deadlines", template.applicants[-1].username, str(DUE_TODAY))
    site.passage("write_status_copy")
    replayer = [str(SCRIPTS / "passage"), "replay_spool"]
    relieve = [str(SCRIPTS / "passage"), "relieve", "--every", "1"]
    load = BoundedLoad(0, template.applicants[:-1], SUBMISSIONS, pace=PACE)
    with (
        site.web(**SPOOL) as web,
        site.process(replayer, "replay_spool", **SPOOL),
        site.process(probe_command(), "probe", **probes_watching(web.port)),
        site.process(relieve, "relieve", **relief),
    ):
        load.port = web.port
        with StatusPoll(web.port).running() as status, load.running():
            for at, during in STOPS:
                stop_while_load_runs(site.cluster, load, at, during)
        assert load.given_up == []
        spooled = [each for each in load.acknowledged if each.status == 202]
        # The replayer files the spool once the database is back.
        assert wait_for(lambda: len(spooled_receipts(site)) >= len(spooled), FILED_WITHIN)
        # The probes open the incident once the database answers; relief follows.
        assert wait_for(lambda: moved_requests(site) == sorted(due_today), FILED_WITHIN)

    # The status page answered throughout: from the register, or from its copy.
    assert status.failures == []
    assert status.from_copy > 0
    incidents = probe_incidents(site)
    assert incidents, "the probes opened no incident"
    assert all(end is not None for _, end in incidents)
    # Each client whose date moved is told by a link-only email.
    assert deadline_emails(site) == DUE_TODAY
    # The cases submitted through the load (the seeded ones with documents due aside).
    cases = [case for case in cases_by_key(site) if not case[0].startswith("drill-seed-")]
    # Every application acknowledged, and no other, is one case: none lost, none twice.
    assert len(load.acknowledged) == SUBMISSIONS
    assert [key for key, n in Counter(key for key, _, _ in cases).items() if n > 1] == []
    assert {key for key, _, _ in cases} == {each.key for each in load.acknowledged}
    # A 201 named its case; a 202's receipt became one case, filed at its time received.
    filed = {key: (reference, received_at) for key, reference, received_at in cases}
    for each in load.acknowledged:
        if each.status == 201:
            assert filed[each.key][0] == each.reference
        else:
            assert filed[each.key][1] == datetime.fromisoformat(each.received_at)
    assert spooled, "no submission met an outage"
    assert sorted(receipt for receipt, _ in spooled_receipts(site)) == sorted(
        each.receipt for each in spooled
    )
    assert {outcome for _, outcome in spooled_receipts(site)} <= {"created", "replayed"}
    statuses = Counter(answer.status for answer in load.answers)
    print(  # the drill's figures, shown with -s
        f"{SUBMISSIONS} applications: {statuses[201]} filed at once, {len(spooled)} spooled "
        f"and filed later; answers {dict(statuses)}"
    )
