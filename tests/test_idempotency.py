"""The one idempotency helper every command uses: the key, the earlier result, the same
request or a conflict, and a write that races a replay of itself."""

import threading
import uuid
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection
from django.utils import translation

from passage import idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest
from passage.jobs.models import JobRetry
from tests.builders import create_user
from tests.purity import assert_script_passes_in_a_fresh_interpreter

AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def retry(person: User, key: str) -> JobRetry:
    """A result stored under a unique (person, key), as every idempotent write stores one."""
    return JobRetry.objects.create(
        failed_job_id=uuid.uuid4(),
        new_job_id=uuid.uuid4(),
        retried_by=person,
        retried_at=AT,
        idempotency_key=key,
    )


def earlier_retry(person: User, key: str) -> JobRetry | None:
    return idempotency.find_earlier(JobRetry.objects.all(), key=key, retried_by=person)


@pytest.mark.parametrize("key", ["k", "x" * 255])
def test_a_key_of_1_to_255_characters_is_accepted(key):
    idempotency.check_key(key, error=InvalidRequest)


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_a_missing_or_too_long_key_is_refused_with_the_callers_error(key):
    with pytest.raises(InvalidRequest) as error:
        idempotency.check_key(key, error=InvalidRequest)

    assert error.value.message == "An idempotency key of 1 to 255 characters is required."


def test_the_key_message_is_translated_from_the_existing_catalogue_entry():
    with translation.override("fr"), pytest.raises(InvalidRequest) as error:
        idempotency.check_key("", error=InvalidRequest)

    assert error.value.message != "An idempotency key of 1 to 255 characters is required."


@pytest.mark.django_db
def test_the_earlier_result_is_the_one_this_person_wrote_with_this_key():
    person, someone_else = create_user(Role.SUPERVISOR), create_user(Role.SUPERVISOR)
    first = retry(person, "retry-1")

    assert earlier_retry(person, "retry-1") == first
    assert earlier_retry(person, "retry-2") is None
    assert earlier_retry(someone_else, "retry-1") is None


def test_the_same_request_again_is_a_replay():
    idempotency.check_same_request(
        "hash-1", "hash-1", error=IdempotencyConflict, message="Used for something else."
    )


def test_the_same_key_with_another_request_raises_the_callers_conflict_and_message():
    with pytest.raises(IdempotencyConflict) as error:
        idempotency.check_same_request(
            "hash-1", "hash-2", error=IdempotencyConflict, message="Used for something else."
        )

    assert error.value.message == "Used for something else."


@pytest.mark.django_db
def test_a_write_that_succeeds_returns_its_own_result():
    person = create_user(Role.SUPERVISOR)

    result = idempotency.write_or_replay(
        lambda: (retry(person, "retry-1"), False),
        earlier=lambda: earlier_retry(person, "retry-1"),
        replay=lambda earlier: (earlier, True),
    )

    assert result[1] is False
    assert JobRetry.objects.count() == 1


@pytest.mark.django_db
def test_a_write_refused_by_the_key_returns_the_first_result():
    person = create_user(Role.SUPERVISOR)
    first = retry(person, "retry-1")

    result = idempotency.write_or_replay(
        lambda: (retry(person, "retry-1"), False),
        earlier=lambda: earlier_retry(person, "retry-1"),
        replay=lambda earlier: (earlier, True),
    )

    assert result == (first, True)
    assert JobRetry.objects.count() == 1


@pytest.mark.django_db
def test_a_write_refused_by_another_constraint_is_not_mistaken_for_a_replay():
    person = create_user(Role.SUPERVISOR)

    def write() -> JobRetry:
        raise IntegrityError("another constraint")

    with pytest.raises(IntegrityError):
        idempotency.write_or_replay(
            write, earlier=lambda: earlier_retry(person, "retry-1"), replay=lambda e: e
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_with_one_key_keep_one_result_and_the_others_replay_it():
    person = create_user(Role.SUPERVISOR)
    barrier = threading.Barrier(8)
    answers: list[tuple[int, bool]] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(
                idempotency.write_or_replay(
                    lambda: (retry(person, "double-click").pk, False),
                    earlier=lambda: earlier_retry(person, "double-click"),
                    replay=lambda earlier: (earlier.pk, True),
                )
            )
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len({pk for pk, _replayed in answers}) == 1
    assert sorted(replayed for _pk, replayed in answers) == [False] + [True] * 7
    assert JobRetry.objects.count() == 1


def test_the_helper_imports_no_app_so_that_every_app_may_use_it():
    script = (
        "import sys, passage.idempotency\n"
        "apps = ('accounts', 'api', 'cases', 'conversations', 'demo', 'intake', 'jobs',"
        " 'outbox', 'tracker', 'triage', 'web', 'workbench')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[:2] in"
        " [['passage', app] for app in apps])\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
