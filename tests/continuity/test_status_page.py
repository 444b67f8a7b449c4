"""The public status page at /en/status/ and /fr/status/, its JSON summary (shaped like
Statuspage's) and its Atom feed: each service's state as the register and the probes
say, incidents and maintenance under way or announced, and the history of every outage
with what it changed for clients and what to do instead. Open to everyone."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from passage import clock
from passage.cases.actors import SYSTEM
from passage.cases.events import append_event
from passage.cases.status import ActorRole, EventKind
from passage.continuity import services
from passage.continuity.models import ProbeResult
from passage.continuity.status_selectors import State, deadlines_moved_by, status_report
from tests.builders import submit_case
from tests.continuity.support.outages import incident, maintenance, supervisor

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
STATUSPAGE_COMPONENT_STATES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}


@pytest.fixture(autouse=True)
def _now(monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def states() -> dict[str, State]:
    return {item.component.value: item.state for item in status_report(NOW).components}


def test_every_service_works_normally_when_the_register_is_empty() -> None:
    assert set(states().values()) == {State.OPERATIONAL}
    html = Client().get("/en/status/").content.decode()
    assert "Every service is working normally." in html
    assert "No incident is under way." in html
    assert "No outage has been recorded." in html


def test_an_ongoing_incident_puts_its_services_down_and_shows_under_way() -> None:
    outage = incident(
        supervisor(),
        ["uploads"],
        NOW - timedelta(hours=1),
        NOW,
        texts={"text": "Files cannot be sent.", "advice": "Send them by mail."},
    )

    assert states()["uploads"] == State.DOWN
    assert states()["sign-in"] == State.OPERATIONAL
    report = status_report(NOW)
    assert report.incidents == (outage,)
    assert report.worst == State.DOWN
    html = Client().get("/en/status/").content.decode()
    assert "Some services are not working." in html
    assert outage.reference in html
    assert "Send them by mail." in html


def test_a_resolved_incident_is_history_only() -> None:
    actor = supervisor()
    outage = incident(actor, ["uploads"], NOW - timedelta(hours=2), NOW - timedelta(minutes=10))
    services.change_outage(
        actor=actor,
        reference=outage.reference,
        changes={"status": "resolved"},
        idempotency_key="7d0cbb8e-9f57-4a3e-a0b4-4b1d8e3c2a01",
        now=NOW - timedelta(minutes=5),
    )

    report = status_report(NOW)
    assert report.incidents == ()
    assert states()["uploads"] == State.OPERATIONAL
    (entry,) = report.history
    assert [update.status for update in entry.updates] == ["investigating", "resolved"]


def test_planned_maintenance_is_announced_then_under_way() -> None:
    actor = supervisor()
    outage = maintenance(
        actor, ["payments"], NOW + timedelta(hours=2), NOW + timedelta(hours=4), NOW
    )

    ahead = status_report(NOW)
    assert ahead.maintenance_ahead == (outage,)
    assert states()["payments"] == State.OPERATIONAL

    during = status_report(NOW + timedelta(hours=3))
    assert during.maintenance_now == (outage,)
    assert {c.component.value: c.state for c in during.components}["payments"] == (
        State.MAINTENANCE
    )


def test_a_withdrawn_outage_stays_in_the_history_marked_withdrawn_and_changes_no_state() -> None:
    actor = supervisor()
    outage = incident(actor, ["tracker"], NOW - timedelta(hours=1), NOW)
    services.withdraw_outage(
        actor=actor,
        reference=outage.reference,
        reason="Recorded on the wrong service.",
        idempotency_key="2f1d9d62-3f0f-4a6e-8f1c-8f0f6b1e5c11",
        now=NOW,
    )

    assert states()["tracker"] == State.OPERATIONAL
    html = Client().get("/en/status/").content.decode()
    assert outage.reference in html
    assert "Withdrawn on" in html
    assert "Nothing: due dates it had moved went back." in html
    summary = Client().get("/en/status/summary.json").json()
    assert summary["incidents"] == []


def test_an_incident_the_probes_opened_shows_with_its_generic_text_until_confirmed() -> None:
    services.open_from_probes(
        components=["sign-in"],
        starts_at=NOW - timedelta(minutes=10),
        ends_at=None,
        detail="3 failed sign-ins in a row",
        now=NOW,
    )

    assert states()["sign-in"] == State.DOWN
    html = Client().get("/en/status/").content.decode()
    assert "Service disruption detected" in html
    assert "3 failed sign-ins" not in html  # what the probes saw is for staff


def test_a_service_whose_latest_probe_failed_is_degraded() -> None:
    ProbeResult.objects.create(component="email", at=NOW - timedelta(minutes=2), ok=True)
    ProbeResult.objects.create(component="email", at=NOW - timedelta(minutes=1), ok=False)
    ProbeResult.objects.create(component="api", at=NOW - timedelta(minutes=2), ok=False)
    ProbeResult.objects.create(component="api", at=NOW - timedelta(minutes=1), ok=True)

    assert states()["email"] == State.DEGRADED
    assert states()["api"] == State.OPERATIONAL


def test_the_history_says_how_many_due_dates_each_outage_moved() -> None:
    outage = incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), NOW)
    case = submit_case()
    with transaction.atomic():
        for request, outages in [(1, [outage.reference]), (2, [outage.reference]), (2, [])]:
            append_event(
                case=case,
                kind=EventKind.DEADLINE_MOVED,
                actor=SYSTEM,
                actor_role=ActorRole.SYSTEM,
                occurred_at=NOW,
                payload={"request": request, "outages": outages},
                idempotency_key=None,
            )
            case.save()

    assert deadlines_moved_by(outage.reference) == 2
    assert deadlines_moved_by("OUT-2026-9999") == 0
    assert "It moved 2 due dates." in Client().get("/en/status/").content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "title"),
    [("en", "Service status", "Uploads fail"), ("fr", "État des services", "Uploads fail (fr)")],
)
def test_the_page_answers_in_both_languages_at_the_announced_addresses(
    language: str, heading: str, title: str
) -> None:
    incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), NOW)

    response = Client().get(f"/{language}/status/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert title in html
    assert "(heure de l" in html if language == "fr" else "(Eastern time)" in html
    assert Client().get(f"/{language}/status").status_code == 301  # the address without "/"


def test_the_page_is_open_to_everyone() -> None:
    for address in ("/en/status/", "/fr/status/summary.json", "/en/status/feed.atom"):
        assert Client().get(address).status_code == 200


def test_the_summary_is_shaped_like_statuspages() -> None:
    actor = supervisor()
    outage = incident(actor, ["uploads", "api"], NOW - timedelta(hours=1), NOW)
    planned = maintenance(
        actor, ["payments"], NOW + timedelta(days=1), NOW + timedelta(days=1, hours=2), NOW
    )

    response = Client().get("/en/status/summary.json")

    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"page", "status", "components", "incidents", "scheduled_maintenances"}
    assert body["page"]["id"] == "passage"
    assert body["status"]["indicator"] == "major"
    components = {c["id"]: c for c in body["components"]}
    assert components["uploads"]["status"] == "major_outage"
    assert components["sign-in"]["status"] == "operational"
    assert {c["status"] for c in body["components"]} <= STATUSPAGE_COMPONENT_STATES
    (shown,) = body["incidents"]
    assert shown["id"] == outage.reference
    assert shown["status"] == "investigating"
    assert {c["id"] for c in shown["components"]} == {"uploads", "api"}
    assert shown["incident_updates"][0]["status"] == "investigating"
    (announced,) = body["scheduled_maintenances"]
    assert announced["id"] == planned.reference
    assert announced["status"] == "scheduled"
    assert announced["scheduled_for"] == (NOW + timedelta(days=1)).isoformat().replace(
        "+00:00", "Z"
    )
    french = Client().get("/fr/status/summary.json").json()
    assert french["incidents"][0]["name"] == "Uploads fail (fr)"
    json.dumps(body)


def test_the_feed_is_valid_atom_with_every_outage_newest_first() -> None:
    actor = supervisor()
    older = incident(actor, ["uploads"], NOW - timedelta(days=2), NOW - timedelta(days=2))
    newer = incident(actor, ["email"], NOW - timedelta(hours=1), NOW, title="Emails late")

    response = Client().get("/fr/status/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        f"{newer.reference}: Emails late (fr)",
        f"{older.reference}: Uploads fail (fr)",
    ]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}updated")
        reference = (entry.findtext(f"{ATOM}title") or "").split(":")[0]
        link = entry.find(f"{ATOM}link")
        assert link is not None
        assert (link.get("href") or "").endswith(f"/fr/status/#{reference}")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/en/status/", "text/html"),
        ("/fr/status/", "text/html"),
        ("/en/status/summary.json", "application/json"),
        ("/en/status/feed.atom", "application/atom+xml"),
    ],
)
def test_with_the_database_down_the_status_answers_from_its_static_copy(
    settings, tmp_path, path: str, kind: str
) -> None:
    from passage.continuity.status_copy import write_status_copy
    from tests.support.outage import database_down

    settings.PASSAGE_STATUS_DIR = tmp_path / "status"
    incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), None)
    write_status_copy()
    copy = (tmp_path / "status" / path.strip("/")).with_suffix("")

    with database_down():
        response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response["X-Status-Copy"] == "true"
    written = copy / "index.html" if kind == "text/html" else copy.with_suffix(Path(path).suffix)
    assert response.content == written.read_bytes()
