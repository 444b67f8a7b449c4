"""A checkpoint never skips an event that was still being written when it ran: it waits
for the writers of the log, so an event given a lower id than one already committed is
anchored too, never left behind for good (PostgreSQL, where writers run side by side)."""

import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from passage import clock
from passage.cases import services
from passage.cases.checkpoints import anchored_heads, write_checkpoint
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from tests.builders import case_in_status, create_officer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _audit_files(settings, tmp_path):
    settings.PASSAGE_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.PASSAGE_AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "signing-key.pem"
    settings.PASSAGE_AUDIT_VERIFY_KEY_FILE = tmp_path / "keys" / "verify-key.pem"
    call_command("audit", "keygen")


def note(case: Case, officer) -> None:
    services.add_note(
        case_id=case.public_id, actor=officer, text="A note.", idempotency_key=uuid.uuid4().hex
    )


def test_a_checkpoint_waits_for_an_event_still_being_written():
    officer = create_officer()
    slow, fast = (case_in_status(CaseStatus.IN_REVIEW, officer=officer) for _ in range(2))
    write_checkpoint(now=clock.now())
    written, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                note(slow, officer)  # its event has the lower id, and is not committed
                written.set()
                release.wait(10)
        finally:
            connection.close()

    result: list = []

    def checkpointer() -> None:
        try:
            result.append(write_checkpoint(now=clock.now()))
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(10)
    note(fast, officer)  # a higher id, committed first
    checkpoint = threading.Thread(target=checkpointer)
    checkpoint.start()
    checkpoint.join(1)
    still_waiting = checkpoint.is_alive()
    release.set()
    writer.join(10)
    checkpoint.join(10)

    assert still_waiting
    heads = {public_id: sequence for public_id, sequence, _ in anchored_heads(result[0].path)}
    assert heads == {
        str(slow.public_id): Case.objects.get(pk=slow.pk).last_event_sequence,
        str(fast.public_id): Case.objects.get(pk=fast.pk).last_event_sequence,
    }
