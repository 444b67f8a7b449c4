"""What a check raises when the component does not work as a client needs."""


class ProbeFailed(Exception):
    """The component failed the check; the message says how, for staff."""
