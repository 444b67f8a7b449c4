"""The demo data: cases in every status and step state, written through the real
services, with valid event chains, and a second load that writes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.cases.audit import verify_event_chains
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.status import ActorRole, CaseStatus, EventKind, PartyRole, Step, StepState
from passage.conversations.selectors import unread_count
from passage.correspondence.models import InboundEmail
from passage.demo.data import (
    DEMO_DEVICE_NAME,
    DEMO_PASSWORD,
    REPRESENTED,
    RESIDENCE,
    RETIRED_SHARED_TOTP_KEY,
)
from passage.demo.load import load_demo
from passage.demo.people import SIGN_INS
from passage.demo.specs import FORCED
from passage.intake.catalogue import current_programs
from passage.intake.models import Application, Document, Program, Representation
from passage.letters.models import DecisionLetter
from passage.outbox.models import OutboxMessage
from passage.paperforms.models import PaperScan

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
# Enough to hold every fixed case and a few drawn at random; the full size is tested once.
SMALL = len(FORCED) + 15
# The sponsorships whose people confirm permanent residence come with any demo of cases.
SPONSORSHIPS = len(RESIDENCE)


def row_counts() -> dict[str, int]:
    models = (User, Office, Program, Application, Document, Case, CaseEvent, CaseParty)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["pending emails"] = OutboxMessage.objects.filter(status="pending").count()
    return counts


def assert_every_status_and_step_state() -> None:
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    for step in Step:
        states = set(Case.objects.values_list(step.value, flat=True))
        assert states == set(StepState.values), step


def assert_every_refusal_is_an_officers_with_reasons() -> None:
    refused = Case.objects.filter(status=CaseStatus.REFUSED).select_related("decided_by")
    assert refused.exists()
    for case in refused:
        assert case.decided_by is not None
        assert case.decided_by.role_names() >= {"officer"}
        assert case.decision_reasons.strip()
        event = case.events.get(kind=EventKind.REFUSED)
        assert event.actor_role == ActorRole.OFFICER
        assert event.actor_id == case.decided_by_id
        assert event.payload["reasons"] == case.decision_reasons
        assert event.payload["legal_grounds"]


def test_a_small_demo_has_cases_in_every_status_and_every_step_state():
    report = load_demo(size=SMALL, now=NOW)

    assert report.cases_created == SMALL
    assert Case.objects.count() == SMALL + SPONSORSHIPS
    assert_every_status_and_step_state()


def test_every_refusal_is_by_an_officer_with_reasons_and_legal_grounds():
    load_demo(size=SMALL, now=NOW)

    assert_every_refusal_is_an_officers_with_reasons()


def test_every_event_chain_verifies_and_every_event_is_in_the_past_in_order():
    load_demo(size=SMALL, now=NOW)

    report = verify_event_chains()

    assert report.ok, report.breaks
    for case in Case.objects.prefetch_related("events"):
        instants = [event.occurred_at for event in case.events.all()]
        assert instants == sorted(instants)
        # Only what one transaction did shares an instant: a submission and the access it
        # gives the client's representative; an approval and its invitations to confirm
        # permanent residence.
        own = [e.occurred_at for e in case.events.all() if e.kind != EventKind.RESIDENCE_INVITED]
        assert len(set(own)) >= len(own) - 1
        assert instants[0] == case.received_at
        assert instants[-1] < NOW
        assert NOW - case.received_at < timedelta(days=366)


def test_only_the_system_acts_without_a_person_and_it_never_refuses():
    load_demo(size=SMALL, now=NOW)

    system_kinds = set(
        CaseEvent.objects.filter(actor_role=ActorRole.SYSTEM).values_list("kind", flat=True)
    )

    assert EventKind.REFUSED not in system_kinds
    assert not CaseEvent.objects.filter(actor__isnull=True).exclude(actor_role="system").exists()


def test_loading_twice_creates_nothing_new():
    load_demo(size=SMALL, now=NOW)
    before = row_counts()

    report = load_demo(size=SMALL, now=NOW + timedelta(days=40))

    assert not report.changed
    assert report.cases_replayed == SMALL
    assert report.anchor == NOW.replace(second=0)
    assert row_counts() == before


def test_loading_more_cases_later_keeps_the_first_ones_as_they_were():
    load_demo(size=10, now=NOW)
    first = list(Case.objects.order_by("id").values("reference", "status", "last_event_hash"))

    report = load_demo(size=14, now=NOW + timedelta(days=3))

    assert report.cases_replayed == 10
    assert report.cases_created == 4
    assert (
        list(
            Case.objects.order_by("id").values("reference", "status", "last_event_hash")[
                : len(first)
            ]
        )
        == first
    )


def test_every_decided_demo_case_has_its_letter_and_the_demo_applicant_a_refusal_to_read():
    load_demo(size=SMALL, now=NOW)

    ended = Case.objects.filter(
        status__in=[CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN]
    )
    assert ended.exists()
    for case in ended:
        letter = DecisionLetter.objects.get(case=case)
        assert letter.event.kind in (EventKind.APPROVED, EventKind.REFUSED, EventKind.WITHDRAWN)
    refused = DecisionLetter.objects.get(kind="refusal", case__parties__person__username="amelie")
    assert refused.case.decision_reasons in refused.body_en
    assert refused.respond_by is not None


def test_the_demo_applicant_owns_cases_in_several_states():
    load_demo(size=SMALL, now=NOW)

    amelie_cases = Case.objects.filter(
        parties__person__username="amelie", parties__role=PartyRole.APPLICANT
    )

    assert amelie_cases.count() >= 5
    assert amelie_cases.values("status").distinct().count() >= 5


def test_the_demo_applicant_has_a_document_to_send_and_a_message_to_read():
    load_demo(size=SMALL, now=NOW)

    amelie = User.objects.get(username="amelie")
    waiting = Case.objects.get(
        parties__person=amelie,
        parties__role=PartyRole.APPLICANT,
        document_requests__isnull=False,
        document_requests__answered_at=None,
    )
    assert StepState.WAITING_ON_YOU in {getattr(waiting, step.value) for step in Step}
    assert unread_count(person=amelie, case_id=waiting.public_id) == 1
    load_demo(size=SMALL, now=NOW)
    assert waiting.document_requests.count() == 1
    assert unread_count(person=amelie, case_id=waiting.public_id) == 1


def test_the_representative_and_sponsor_see_their_clients_cases():
    load_demo(size=SMALL, now=NOW)

    represented = CaseParty.objects.filter(person__username="rep", role=PartyRole.REPRESENTATIVE)
    sponsored = CaseParty.objects.filter(person__username="sponsor", role=PartyRole.SPONSOR)

    assert represented.exists()
    assert sponsored.exists()
    # Through the clients' recorded authorisations, which the clients can revoke.
    assert Representation.objects.filter(
        representative__username="rep", revoked_at=None
    ).count() == len(REPRESENTED)


def test_every_demo_sign_in_works_with_the_documented_password():
    load_demo(size=0, now=NOW)

    for sign_in in SIGN_INS:
        user = authenticate(username=sign_in.username, password=DEMO_PASSWORD)
        assert user is not None, sign_in.username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert User.objects.get(username="officer").has_role(Role.OFFICER)
    assert User.objects.get(username="supervisor").has_role(Role.SUPERVISOR)
    assert User.objects.get(username="analyst").has_role(Role.ANALYST)
    assert User.objects.get(username="rep").has_role(Role.REPRESENTATIVE)


def test_staff_work_in_offices_across_canada():
    load_demo(size=0, now=NOW)

    offices = Office.objects.annotate(staff_count=Count("staff"))

    assert offices.count() == 5
    assert all(office.staff_count >= 3 for office in offices)
    assert {office.time_zone for office in offices} >= {"America/Vancouver", "America/Halifax"}
    assert User.objects.filter(groups__name="officer").count() == 20


def test_every_application_has_one_small_valid_pdf():
    load_demo(size=SMALL, now=NOW)

    documents = Document.objects.all()

    assert documents.count() == SMALL + SPONSORSHIPS
    assert {document.content_type for document in documents} == {"application/pdf"}
    assert len({document.sha256 for document in documents}) == SMALL + SPONSORSHIPS


def test_the_full_demo_covers_every_status_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo", "--force")
    first = capsys.readouterr().out
    before = row_counts()

    call_command("load_demo", "--force")
    second = capsys.readouterr().out

    assert Case.objects.count() == 300 + SPONSORSHIPS
    # Every program open for applications that gives the demo a share of its files.
    assert set(Case.objects.values_list("program__code", flat=True)) == {
        code
        for code, bundle in current_programs().items()
        if bundle.definition.open_for_applications and bundle.definition.demo.share
    }
    assert_every_status_and_step_state()
    assert_every_refusal_is_an_officers_with_reasons()
    assert verify_event_chains().ok
    assert row_counts() == before
    assert "Cases: 300 created" in first
    assert "Nothing changed" in second
    assert "amelie" in second
    assert DEMO_PASSWORD in second


def test_with_debug_off_the_command_refuses_and_writes_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="known password: nothing was loaded"):
        call_command("load_demo", "--size", "0")

    assert not User.objects.exists()
    assert not Office.objects.exists()
    assert not Program.objects.exists()
    assert not TOTPDevice.objects.exists()


def test_with_debug_on_the_command_loads_without_being_forced(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo", "--size", "0")

    assert "Demo sign-ins" in capsys.readouterr().out
    assert User.objects.filter(username="officer").exists()


def test_each_demo_staff_account_has_its_own_authenticator_secret_and_only_one():
    load_demo(size=0, now=NOW)
    load_demo(size=0, now=NOW)

    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME)
    usernames = [device.user.username for device in devices.select_related("user")]
    keys = [device.key for device in devices]

    assert len(usernames) == len(set(usernames))
    assert {"officer", "supervisor", "analyst", "admin"} <= set(usernames)
    assert len(set(keys)) == len(keys)
    assert RETIRED_SHARED_TOTP_KEY not in keys
    assert all(
        TOTPDevice.objects.filter(user__username=username).count() == 1 for username in usernames
    )


def test_a_database_loaded_with_the_shared_secret_gets_a_secret_per_account():
    load_demo(size=0, now=NOW)
    TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME).update(key=RETIRED_SHARED_TOTP_KEY)

    load_demo(size=0, now=NOW)

    keys = list(TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME).values_list("key", flat=True))
    assert RETIRED_SHARED_TOTP_KEY not in keys
    assert len(set(keys)) == len(keys)


def test_the_demo_has_an_outage_history_and_a_maintenance_that_moved_the_follow_up_date():
    from passage.cases.models import DocumentRequest
    from passage.continuity.models import Outage

    load_demo(size=SMALL, now=NOW)

    incident, maintenance = Outage.objects.order_by("starts_at")
    assert (incident.kind, incident.status) == ("incident", "resolved")
    assert (maintenance.kind, maintenance.status) == ("planned", "scheduled")
    moved = DocumentRequest.objects.filter(relief_outages=[maintenance.reference])
    assert moved.exists()
    for request in moved:
        assert request.due_on == request.set_due_on + timedelta(days=1)
    events = CaseEvent.objects.count()
    load_demo(size=SMALL, now=NOW)
    assert Outage.objects.count() == 2
    assert CaseEvent.objects.count() == events


def test_the_officer_has_a_paper_form_to_file_and_one_to_key_in_by_hand():
    load_demo(size=SMALL, now=NOW, paper_forms=True)
    load_demo(size=SMALL, now=NOW, paper_forms=True)

    scans = PaperScan.objects.order_by("idempotency_key")
    assert [(scan.idempotency_key, scan.state) for scan in scans] == [
        ("demo-paper-cut", PaperScan.State.INCOMPLETE),
        ("demo-paper-whole", PaperScan.State.READ),
    ]
    (missing,) = scans[0].problems
    assert missing.startswith("symbol 2 of ")
    assert missing.endswith(" not found")


def test_the_correspondence_queues_have_client_email_and_an_auto_reply_left_unanswered():
    load_demo(size=SMALL, now=NOW, paper_forms=True)
    load_demo(size=SMALL, now=NOW, paper_forms=True)

    emails = {email.subject: email for email in InboundEmail.objects.all()}
    assert len(emails) == 5
    assert emails["Urgent"].category == "urgent-travel"
    assert emails["Urgent"].state == InboundEmail.State.OPEN
    assert emails["Out of office"].state == InboundEmail.State.AUTOMATED
    stranger = next(email for email in emails.values() if email.sender == "marc.dupuis@example.org")
    assert (stranger.case, stranger.link) == (None, InboundEmail.Link.NOT_A_PARTY)
