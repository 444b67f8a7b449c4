"""The errors Passage raises for a request it cannot carry out, in the few families that
the API and the pages answer: an invalid request, something not found (or not the
person's to see), a conflict with the state of things, an action the person may not take,
and a part Passage depends on being unavailable.

Each app names its own errors (`cases.errors.StaleVersion`, `intake.drafts.DraftNotFound`)
and derives them from a family here; the API (`passage/api/errors.py`) and the pages
(`passage/accounts/middleware.py`, `passage/web/unavailable.py`) answer a family, never a
list of app classes. This module is the bottom layer: it imports nothing, from Passage or
elsewhere. The pure packages (`passage.rules`, `passage.routing`) keep their own errors.
"""


class PassageError(Exception):
    """A request that cannot be carried out: `message`, a sentence fit to show the person
    who asked, and `details` (`details["errors"]` maps each field to its message). The
    status it is answered with is its family's `http_status`, unless the class says
    otherwise."""

    http_status = 400

    def __init__(self, message: object = "", **details: object) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details


class InvalidRequest(PassageError):
    """What was sent cannot be accepted as it is: a field that fails its checks, a file of
    the wrong kind. Sending it again unchanged gets the same answer."""

    http_status = 422


class NotFound(PassageError):
    """Nothing by that name for this person: what does not exist and what is not theirs
    to see get the same answer."""

    http_status = 404


class Conflict(PassageError):
    """The request does not fit the current state of things: another change came first,
    a step is not open, a key was used for another request."""

    http_status = 409


class Forbidden(PassageError):
    """The person may see this but not do it."""

    http_status = 403


class Unavailable(PassageError):
    """A part Passage depends on cannot serve the request now; nothing was kept, and the
    same request can be sent again later."""

    http_status = 503
