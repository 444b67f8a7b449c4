"""The replayer: each spooled submission becomes one case, filed at the time it was
received, with one email giving its reference; never a second case, whatever happens."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from passage import clock
from passage.accounts.models import ApiToken
from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from passage.continuity.models import SpooledSubmission
from passage.continuity.spool import current_spool
from passage.continuity.spool.replay import replay_pending
from passage.intake.models import Program
from passage.outbox.models import OutboxMessage
from tests.builders import create_program, create_user
from tests.continuity.spool.support import journal, submit
from tests.support.outage import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    create_program("iec")
    return create_user(Role.APPLICANT)


@pytest.fixture
def token(applicant):
    return issue_api_token(user=applicant, name="phone")


def spooled(token, **body):
    with database_down():
        response = submit(token, **body)
    assert response.status_code == 202
    return response.json()


def replay():
    return replay_pending(current_spool(), clock=clock.now)


def test_a_spooled_submission_becomes_one_case_filed_at_the_time_received(token, applicant):
    receipt = spooled(token)

    done = replay()

    case = Case.objects.get()
    record = SpooledSubmission.objects.get()
    assert done.created == 1
    assert case.received_at.isoformat() == receipt["received_at"].replace("Z", "+00:00")
    assert case.application.submitted_by == applicant
    assert record.receipt == receipt["receipt"]
    assert record.case == case
    assert record.outcome == SpooledSubmission.Outcome.CREATED
    assert list(journal().pending()) == []


def test_the_client_gets_one_email_with_the_reference_and_the_time_received(token):
    spooled(token)

    replay()

    (email,) = OutboxMessage.objects.all()
    case = Case.objects.get()
    assert email.to_email == "ana@example.com"
    assert email.template == "spool_received"
    assert email.context["reference"] == case.reference
    assert "2026" in email.context["received_at"] or email.context["received_at"]


def test_the_same_key_spooled_twice_makes_one_case_and_one_email(token):
    first = spooled(token)
    second = spooled(token)

    done = replay()

    assert first["receipt"] != second["receipt"]
    assert (done.created, done.replayed) == (1, 1)
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_key_filed_before_the_outage_is_answered_by_its_case(token):
    assert submit(token).status_code == 201
    spooled(token)

    done = replay()

    assert done.replayed == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.filter(template="spool_received").count() == 0


def test_a_crash_between_the_commit_and_the_journal_note_still_makes_one_case(token, monkeypatch):
    spooled(token)
    spool = current_spool()

    def crash(delivery):
        raise KeyboardInterrupt("the replayer was killed")

    monkeypatch.setattr(spool, "done", crash)
    with pytest.raises(KeyboardInterrupt):
        replay()
    monkeypatch.undo()
    done = replay()

    assert done.already == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert list(journal().pending()) == []


def test_a_token_that_was_never_valid_makes_no_case_and_sends_nothing(applicant):
    spooled("psg_guessed-token")

    done = replay()

    record = SpooledSubmission.objects.get()
    assert done.rejected == 1
    assert record.outcome == SpooledSubmission.Outcome.REJECTED
    assert record.case is None
    assert "not valid" in record.detail
    assert Case.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_token_revoked_before_the_submission_was_received_makes_no_case(token):
    ApiToken.objects.update(revoked_at=timezone.now())

    spooled(token)
    replay()

    assert SpooledSubmission.objects.get().outcome == SpooledSubmission.Outcome.REJECTED
    assert Case.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_token_revoked_after_the_submission_was_received_still_files_it(token):
    spooled(token)
    ApiToken.objects.update(revoked_at=timezone.now())

    replay()

    assert Case.objects.count() == 1


def test_a_submission_refused_at_replay_is_recorded_with_its_reason_and_the_client_told(
    token,
):
    spooled(token)
    Program.objects.update(is_open=False)

    done = replay()

    record = SpooledSubmission.objects.get()
    (email,) = OutboxMessage.objects.all()
    assert done.rejected == 1
    assert "no open program" in record.detail
    assert Case.objects.count() == 0
    assert email.template == "spool_refused"
    assert email.to_email == "ana@example.com"


def test_the_receipt_page_says_it_was_filed_once_replayed_and_shows_nothing_of_the_case(
    token, client
):
    receipt = spooled(token)["receipt"]
    replay()

    page = client.get(f"/en/receipts/{receipt}/").content.decode()

    assert "Your application was filed" in page
    assert Case.objects.get().reference not in page
    assert "Silva" not in page


def test_the_command_replays_once(token, capsys):
    spooled(token)

    call_command("replay_spool", "--once")

    assert Case.objects.count() == 1
    assert "1 filed" in capsys.readouterr().out
