"""The residence app's errors, each in one of Passage's families."""

from passage import errors


class ConfirmationNotFound(errors.NotFound):
    """No confirmation by that id that this person may see or act on."""


class NotEditable(errors.Conflict):
    """The confirmation is no longer the client's to change (under review or confirmed)."""


class NotReady(errors.Conflict):
    """The confirmation lacks something the step needs (a declaration, an address, an
    accepted photo, the details the COPR states)."""
