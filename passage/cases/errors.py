"""What a case command can go wrong with. Each carries a message fit to show a person, and
belongs to one of the families the API and the pages answer (`passage.errors`)."""

from passage import errors


class CaseError(errors.PassageError):
    """Base of the errors that services raise for a request that cannot be carried out;
    each kind below takes its status from its family."""


class TransitionNotAllowed(CaseError, errors.Conflict):
    pass


class StaleVersion(CaseError, errors.Conflict):
    pass


class IdempotencyConflict(CaseError, errors.Conflict):
    """The same idempotency key came back with a different request (422, as the IETF
    draft on the Idempotency-Key header says, not 409)."""

    http_status = 422


class NotPermitted(CaseError, errors.Forbidden):
    pass


class InvalidRequest(CaseError, errors.InvalidRequest):
    """Input that fails validation; `details["errors"]` maps each field to its message."""
