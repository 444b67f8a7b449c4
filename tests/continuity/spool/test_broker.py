"""The shared spool on a real RabbitMQ (127.0.0.1:5672, as CI starts it): a submission is
answered only once the broker confirmed it, and the message is acknowledged only after
the database committed its case. Each test has a queue of its own, deleted after."""

import socket
import uuid

import pytest

from passage import clock
from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from passage.continuity.models import SpooledSubmission
from passage.continuity.spool import current_spool
from passage.continuity.spool.broker import Broker
from passage.continuity.spool.replay import replay_pending
from tests.builders import create_program, create_user
from tests.continuity.spool.support import submit
from tests.support.outage import database_down

BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"

pytestmark = pytest.mark.django_db


def broker_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def broker(settings):
    if not broker_running():
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    settings.PASSAGE_SPOOL = BROKER_URL
    settings.PASSAGE_SPOOL_QUEUE = f"passage.test-spool.{uuid.uuid4().hex}"
    spool = current_spool()
    assert isinstance(spool, Broker)
    yield spool
    spool.delete_queue()
    spool.close()


@pytest.fixture
def token():
    create_program("iec")
    return issue_api_token(user=create_user(Role.APPLICANT), name="phone")


def waiting(broker: Broker) -> int:
    return (
        broker._channel()
        .queue_declare(broker.queue, durable=True, passive=True)
        .method.message_count
    )


def test_a_submission_during_an_outage_is_confirmed_by_the_broker_then_filed_once(broker, token):
    with database_down():
        response = submit(token)

    assert response.status_code == 202
    assert waiting(broker) == 1

    done = replay_pending(broker, clock=clock.now)

    assert done.created == 1
    assert Case.objects.count() == 1
    assert SpooledSubmission.objects.get().receipt == response.json()["receipt"]
    assert waiting(broker) == 0


def test_a_replayer_that_dies_before_its_acknowledgement_leaves_one_case(
    broker, token, monkeypatch
):
    with database_down():
        submit(token)

    def killed(delivery):
        raise KeyboardInterrupt("the replayer was killed before acknowledging")

    monkeypatch.setattr(broker, "done", killed)
    with pytest.raises(KeyboardInterrupt):
        replay_pending(broker, clock=clock.now)
    monkeypatch.undo()
    broker.close()  # a dead replayer's connection goes with it: the message comes back

    done = replay_pending(broker, clock=clock.now)

    assert done.already == 1
    assert Case.objects.count() == 1
    assert waiting(broker) == 0


def test_a_broker_out_of_reach_is_a_503_and_nothing_is_kept(settings, token):
    settings.PASSAGE_SPOOL = "amqp://guest:guest@127.0.0.1:1/%2F"

    with database_down():
        response = submit(token)

    assert response.status_code == 503
