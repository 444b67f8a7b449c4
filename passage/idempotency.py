"""Idempotency keys: a request sent again with its key gets the first answer, not a copy.

The caller names each write with a key of its own (a form's hidden field, an API header),
and the write stores the key with its result under a unique constraint. The same key and
the same request is a replay and returns that first result; the same key with another
request is a conflict. Every command checks the key, looks for the earlier result, compares
the requests and, when it writes without a lock, lets the constraint settle a race.

This module sits below the apps and imports none of them: the caller names the errors to
raise (the apps raise `passage.cases.errors.InvalidRequest` and `IdempotencyConflict`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_KEY_LENGTH = 255
KEY_REQUIRED = _("An idempotency key of 1 to 255 characters is required.")

EarlierT = TypeVar("EarlierT", bound=Model)
ResultT = TypeVar("ResultT")


def check_key(key: str, *, error: type[Exception]) -> None:
    """Raise `error` (with the one message every command gives) unless the key has 1 to
    255 characters."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise error(KEY_REQUIRED)


def find_earlier(results: QuerySet[EarlierT], *, key: str, **actor: object) -> EarlierT | None:
    """The result an earlier request with this key wrote, or None. `actor` names who
    asked (`author=person`), when each person's keys are their own; `results` may be
    narrowed already (a case's events)."""
    return results.filter(idempotency_key=key, **actor).first()


def check_same_request(
    recorded: object, requested: object, *, error: type[Exception], message: "StrOrPromise"
) -> None:
    """Raise `error` with the caller's message when the key comes back with another
    request: `recorded` is the fingerprint stored with the first result (a hash of the
    request, or what its event recorded), `requested` the same of this request."""
    if recorded != requested:
        raise error(message)


def write_or_replay(
    write: Callable[[], ResultT],
    *,
    earlier: Callable[[], EarlierT | None],
    replay: Callable[[EarlierT], ResultT],
) -> ResultT:
    """Run `write` in a transaction (a savepoint within the caller's). When the unique key
    refuses it (the key was used before, or a concurrent request with it won the race),
    answer with `replay` of the earlier result; with no earlier result, the IntegrityError
    was another constraint's and propagates."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        found = earlier()
        if found is None:
            raise
        return replay(found)


@dataclass(frozen=True)
class Replays(Generic[EarlierT, ResultT]):
    """How one command answers a key that comes back, said once: the rows that record a
    first result with its key and request hash (`rows`), whose keys they are
    (`actor_field`), the conflict's error and message, and what a replay returns."""

    rows: Callable[[], QuerySet[EarlierT]]
    actor_field: str
    error: type[Exception]
    conflict: "StrOrPromise"
    result: Callable[[EarlierT], ResultT]
    hash_field: str = "request_hash"

    def earlier(self, actor: object, key: str) -> EarlierT | None:
        """The first result of `actor`'s request with this key, or None."""
        return find_earlier(self.rows(), key=key, **{self.actor_field: actor})

    def replay(self, earlier: EarlierT, request_hash: str) -> ResultT:
        """The first result again, or the conflict if this request is another one."""
        check_same_request(
            getattr(earlier, self.hash_field), request_hash, error=self.error, message=self.conflict
        )
        return self.result(earlier)

    def write(
        self, write: Callable[[], ResultT], *, actor: object, key: str, request_hash: str
    ) -> ResultT:
        """`write_or_replay` for this command: a key that won a race answers in its place."""
        return write_or_replay(
            write,
            earlier=lambda: self.earlier(actor, key),
            replay=lambda found: self.replay(found, request_hash),
        )
