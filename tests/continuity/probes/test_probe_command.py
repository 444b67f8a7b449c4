"""`passage probe --once` against a running site: one result per monitored component, and
an incident opened exactly once however many passes see the same failure."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from passage.continuity.models import Outage, ProbeResult
from tests.continuity.probes.support import Clock
from tests.outbox.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)
MONITORED = {"sign-in", "intake", "uploads", "tracker", "messages", "api", "email"}


@pytest.fixture
def site(live_server, settings, smtp_server):
    settings.PASSAGE_PROBE_BASE_URL = live_server.url
    settings.PASSAGE_PROBE_OPEN_AFTER = 180
    return live_server


def probe_once() -> str:
    output = StringIO()
    call_command("probe", "--once", stdout=output)
    return output.getvalue()


def test_one_pass_writes_a_result_for_each_monitored_component(site):
    output = probe_once()

    results = list(ProbeResult.objects.all())
    assert {result.component for result in results} == MONITORED
    assert all(result.ok for result in results), [r.detail for r in results if not r.ok]
    assert "payments: not monitored" in output
    assert not Outage.objects.exists()


def test_repeated_passes_open_the_incident_exactly_once(site, settings, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("passage.clock.now", clock)
    settings.EMAIL_PORT = free_port()  # the mail server goes away

    outputs = []
    for _ in range(8):
        outputs.append(probe_once())
        clock.advance(minutes=1)

    (outage,) = Outage.objects.all()
    assert outage.components == ["email"]
    assert outage.opened_by_probes
    assert outage.ends_at is None
    first_failure = ProbeResult.objects.filter(component="email").order_by("at").first()
    assert outage.starts_at == first_failure.at
    assert [f"Opened incident {outage.reference}" in output for output in outputs] == (
        [False] * 3 + [True] + [False] * 4
    )
    assert ProbeResult.objects.filter(ok=False).exclude(component="email").count() == 0
    assert ProbeResult.objects.count() == 8 * len(MONITORED)
    assert outage.starts_at + timedelta(minutes=3) <= clock.at
