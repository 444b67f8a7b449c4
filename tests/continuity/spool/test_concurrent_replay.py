"""Two replayers on the same record at the same moment (two servers sharing a queue, a
replayer restarted while the old one was still finishing): one case, one email."""

import threading

import pytest
from django.db import connection

from passage import clock
from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from passage.continuity.models import SpooledSubmission
from passage.continuity.spool.replay import replay_record
from passage.outbox.models import OutboxMessage
from tests.builders import create_program, create_user
from tests.continuity.spool.support import journal, submit
from tests.support.outage import database_down

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def test_two_replayers_racing_on_one_record_make_one_case_and_one_email():
    create_program("iec")
    token = issue_api_token(user=create_user(Role.APPLICANT), name="phone")
    with database_down():
        assert submit(token).status_code == 202
    (delivery,) = journal().pending()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def replayer() -> None:
        try:
            start.wait()
            outcomes.append(replay_record(delivery.record, now=clock.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=replayer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already", "created"]
    assert Case.objects.count() == 1
    assert SpooledSubmission.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
