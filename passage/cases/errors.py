"""What a case command can go wrong with. Each carries a message fit to show a person."""


class CaseError(Exception):
    """Base of the errors that services raise for a request that cannot be carried out."""

    http_status = 400

    def __init__(self, message: object, **details: object) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details


class TransitionNotAllowed(CaseError):
    http_status = 409


class StaleVersion(CaseError):
    http_status = 409


class IdempotencyConflict(CaseError):
    """The same idempotency key came back with a different request."""

    http_status = 422


class NotPermitted(CaseError):
    http_status = 403


class InvalidRequest(CaseError):
    """Input that fails validation; `details["errors"]` maps each field to its message."""

    http_status = 422
