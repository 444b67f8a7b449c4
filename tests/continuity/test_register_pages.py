"""The supervisors' pages of the outage register: supervisors announce maintenance,
record incidents, change, confirm and withdraw them, in their own time zone; officers and
clients are refused; a form sent twice records once; errors show beside their fields."""

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from passage import clock
from passage.accounts.roles import Role
from passage.continuity import services
from passage.continuity.models import Outage, OutageUpdate
from passage.forms import new_idempotency_key
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_officer, create_user
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Vancouver")
TEXTS = {
    "title_en": "Uploads are slow",
    "title_fr": "Les téléversements sont lents",
    "text_en": "Sending documents may fail.",
    "text_fr": "L\u2019envoi de documents peut échouer.",
    "advice_en": "",
    "advice_fr": "",
}


@pytest.fixture
def supervisor() -> Any:
    person = create_supervisor(first_name="Robert", last_name="Nadeau")
    person.time_zone = "America/Vancouver"  # the zone they read and type times in
    person.save(update_fields=["time_zone"])
    return person


@pytest.fixture
def client(supervisor: Any) -> Client:
    return signed_in_with_mfa(supervisor)


def local(value: datetime) -> str:
    """An instant as the supervisor types it: to the minute, in their time zone."""
    return value.astimezone(PACIFIC).strftime("%Y-%m-%dT%H:%M")


def the_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def form_of(**fields: Any) -> dict[str, Any]:
    """What a form sends: a fresh key, and the fields given."""
    return {"idempotency_key": new_idempotency_key(), **TEXTS, **fields}


def key_on(html: str, prefix: str) -> str:
    found = re.search(rf'name="idempotency_key" value="([0-9a-f]+)" id="{prefix}-', html)
    if found is None:  # the attributes in the order Django writes them
        found = re.search(rf'id="{prefix}-idempotency_key"[^>]*value="([0-9a-f]+)"', html)
    assert found is not None, f"no key on the {prefix} form"
    return found.group(1)


def record_incident(supervisor: Any, **fields: Any) -> Outage:
    return services.record_incident(
        actor=supervisor,
        components=fields.pop("components", ["uploads"]),
        starts_at=fields.pop("starts_at", clock.now() - timedelta(hours=2)),
        texts=TEXTS,
        idempotency_key=new_idempotency_key(),
        **fields,
    ).outage


def test_a_supervisor_announces_maintenance_in_their_own_time_zone(client: Client) -> None:
    starts = the_minute(clock.now() + timedelta(days=3))
    page = client.get(reverse("outages:announce"))
    assert page.status_code == 200
    assert "Pacific time" in page.content.decode()

    sent = client.post(
        reverse("outages:announce"),
        form_of(
            components=["sign-in", "intake"],
            starts_at=local(starts),
            ends_at=local(starts + timedelta(hours=4)),
        ),
    )

    outage = Outage.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("outages:outage", kwargs={"reference": outage.reference})
    assert outage.kind == "planned"
    assert outage.status == "scheduled"
    assert outage.components == ["intake", "sign-in"]
    assert outage.starts_at == starts
    assert outage.ends_at == starts + timedelta(hours=4)
    assert outage.title_fr == TEXTS["title_fr"]
    shown = client.get(sent["Location"]).content.decode()
    assert f"Recorded {outage.reference}." in shown
    assert "Robert Nadeau" in shown


def test_a_supervisor_records_an_incident_and_the_register_lists_it(client: Client) -> None:
    started = the_minute(clock.now() - timedelta(hours=1))

    sent = client.post(
        reverse("outages:record"),
        form_of(status="identified", components=["uploads"], starts_at=local(started)),
    )

    assert sent.status_code == 302
    outage = Outage.objects.get()
    assert (outage.kind, outage.status, outage.ends_at) == ("incident", "identified", None)
    assert outage.starts_at == started
    register = client.get(reverse("outages:register")).content.decode()
    assert outage.reference in register
    assert "Document uploads" in register
    assert "Ongoing" in register


def test_the_same_form_sent_twice_records_one_outage(client: Client) -> None:
    data = form_of(
        status="investigating",
        components=["email"],
        starts_at=local(clock.now() - timedelta(minutes=30)),
    )

    first = client.post(reverse("outages:record"), data)
    second = client.post(reverse("outages:record"), data)

    assert Outage.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert "nothing was recorded twice" in client.get(second["Location"]).content.decode()


def test_errors_show_beside_their_fields(client: Client) -> None:
    sent = client.post(
        reverse("outages:announce"),
        form_of(
            components=[],
            starts_at=local(clock.now() - timedelta(days=1)),
            ends_at="",
            title_fr="",
        ),
    )

    html = sent.content.decode()
    assert sent.status_code == 422
    assert Outage.objects.count() == 0
    assert 'id="maintenance-components_error"' in html
    assert "Choose at least one service." in html
    assert 'id="maintenance-ends_at_error"' in html
    assert 'id="maintenance-title_fr_error"' in html
    assert "Give a title in French." in html
    assert 'href="#maintenance-components_0"' in html  # the error summary links to the boxes


def test_a_start_the_service_refuses_is_shown_beside_the_start(client: Client) -> None:
    sent = client.post(
        reverse("outages:announce"),
        form_of(
            components=["api"],
            starts_at=local(clock.now() - timedelta(days=1)),
            ends_at=local(clock.now() + timedelta(days=1)),
        ),
    )

    html = sent.content.decode()
    assert sent.status_code == 422
    assert 'id="maintenance-starts_at_error"' in html
    assert "Give a start after the present time." in html
    # Shown again under a fresh key, so that the corrected form is a new request.
    assert key_on(html, "maintenance") != sent.wsgi_request.POST["idempotency_key"]


def test_a_supervisor_resolves_an_incident_and_the_trail_says_who_and_what(
    client: Client, supervisor: Any
) -> None:
    outage = record_incident(supervisor)
    page = client.get(reverse("outages:outage", kwargs={"reference": outage.reference}))
    html = page.content.decode()
    data = {
        "idempotency_key": key_on(html, "change"),
        "expected_version": str(outage.version),
        "status": "resolved",
        "components": ["uploads"],
        "starts_at": local(outage.starts_at),
        "ends_at": "",
        **TEXTS,
    }

    sent = client.post(reverse("outages:change", kwargs={"reference": outage.reference}), data)

    assert sent.status_code == 302
    outage.refresh_from_db()
    assert outage.status == "resolved"
    assert outage.ends_at is not None  # resolving with no end ends it now
    update = OutageUpdate.objects.filter(outage=outage).last()
    assert update is not None
    assert set(update.changes) == {"status", "ends_at"}  # the start was left as it was
    trail = client.get(sent["Location"]).content.decode()
    assert "changed by Robert Nadeau" in trail
    assert "Investigating" in trail
    assert "Resolved" in trail


def test_a_change_over_a_newer_version_is_refused_and_shown_again(
    client: Client, supervisor: Any
) -> None:
    outage = record_incident(supervisor)
    data = {
        "idempotency_key": new_idempotency_key(),
        "expected_version": str(outage.version),
        "status": "monitoring",
        "components": ["uploads"],
        "starts_at": local(outage.starts_at),
        **TEXTS,
    }
    services.change_outage(
        actor=supervisor,
        reference=outage.reference,
        changes={"status": "identified"},
        idempotency_key=new_idempotency_key(),
    )

    sent = client.post(reverse("outages:change", kwargs={"reference": outage.reference}), data)

    assert sent.status_code == 409
    assert "Someone changed this outage" in sent.content.decode()
    outage.refresh_from_db()
    assert outage.status == "identified"


def test_a_supervisor_confirms_and_describes_what_the_probes_opened(
    client: Client, supervisor: Any
) -> None:
    opened = services.open_from_probes(
        components=["tracker"],
        starts_at=clock.now() - timedelta(minutes=20),
        ends_at=None,
        detail="The status page answered 500 three times.",
    ).outage
    register = client.get(reverse("outages:register")).content.decode()
    assert "To confirm" in register
    page = client.get(reverse("outages:outage", kwargs={"reference": opened.reference}))
    html = page.content.decode()
    assert "The status page answered 500 three times." in html

    sent = client.post(
        reverse("outages:confirm", kwargs={"reference": opened.reference}),
        {
            "idempotency_key": key_on(html, "confirm"),
            "expected_version": str(opened.version),
            "components": ["tracker", "messages"],
            **TEXTS,
        },
    )

    assert sent.status_code == 302
    opened.refresh_from_db()
    assert opened.confirmed_at is not None
    assert opened.components == ["messages", "tracker"]
    assert opened.title_en == TEXTS["title_en"]
    assert "To confirm" not in client.get(reverse("outages:register")).content.decode()
    assert "confirmed by Robert Nadeau" in client.get(sent["Location"]).content.decode()


def test_withdrawing_asks_for_a_reason_and_a_confirmation_and_keeps_the_record(
    client: Client, supervisor: Any
) -> None:
    outage = record_incident(supervisor)
    address = reverse("outages:withdraw", kwargs={"reference": outage.reference})

    refused = client.post(address, {"idempotency_key": new_idempotency_key(), "reason": ""})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert 'id="withdraw-reason_error"' in html
    assert 'id="withdraw-confirmed_error"' in html

    data = {
        "idempotency_key": new_idempotency_key(),
        "reason": "Recorded on the wrong service",
        "confirmed": "on",
    }
    sent = client.post(address, data)
    again = client.post(address, data)

    assert (sent.status_code, again.status_code) == (302, 302)
    outage.refresh_from_db()
    assert outage.is_withdrawn
    assert outage.withdrawn_because == "Recorded on the wrong service"
    assert OutageUpdate.objects.filter(outage=outage).count() == 2  # recorded, withdrawn
    page = client.get(sent["Location"]).content.decode()
    assert "Recorded on the wrong service" in page
    assert "Withdraw this record</button>" not in page
    assert "Withdrawn" in client.get(reverse("outages:register")).content.decode()


@pytest.mark.parametrize("who", ["officer", "client"])
def test_officers_and_clients_cannot_use_the_register(who: str, supervisor: Any) -> None:
    outage = record_incident(supervisor)
    person = create_officer() if who == "officer" else create_user(Role.APPLICANT)
    client = signed_in_with_mfa(person) if who == "officer" else Client()
    if who == "client":
        client.force_login(person)
    reference = {"reference": outage.reference}

    for name, kwargs in [
        ("outages:register", {}),
        ("outages:announce", {}),
        ("outages:record", {}),
        ("outages:outage", reference),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    for name in ("outages:change", "outages:withdraw", "outages:confirm"):
        sent = client.post(
            reverse(name, kwargs=reference),
            {"idempotency_key": new_idempotency_key(), "reason": "x", "confirmed": "on"},
        )
        assert sent.status_code == 403
    assert client.post(reverse("outages:record"), form_of()).status_code == 403
    outage.refresh_from_db()
    assert not outage.is_withdrawn
    assert Outage.objects.count() == 1


def test_an_unknown_outage_is_not_found(client: Client) -> None:
    assert (
        client.get(reverse("outages:outage", kwargs={"reference": "OUT-2026-9999"})).status_code
        == 404
    )


def test_the_supervisors_overview_links_to_the_register(client: Client) -> None:
    overview = client.get(reverse("workbench:overview")).content.decode()
    assert f'href="{reverse("outages:register")}"' in overview


def test_saving_a_change_form_with_nothing_changed_records_nothing(
    client: Client, supervisor: Any
) -> None:
    outage = record_incident(supervisor)
    html = client.get(reverse("outages:outage", kwargs={"reference": outage.reference})).content
    data = {
        "idempotency_key": key_on(html.decode(), "change"),
        "expected_version": str(outage.version),
        "status": outage.status,
        "components": outage.components,
        "starts_at": local(outage.starts_at),
        "ends_at": "",
        **TEXTS,
    }

    sent = client.post(reverse("outages:change", kwargs={"reference": outage.reference}), data)

    assert sent.status_code == 422
    assert "Nothing was changed." in sent.content.decode()
    assert OutageUpdate.objects.filter(outage=outage).count() == 1
