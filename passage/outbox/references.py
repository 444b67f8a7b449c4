"""References to the secrets in emails: the outbox keeps a reference, never the secret.

An email whose link carries a token (email verification, password reset) or that gives
a one-time code (linking a case) is queued with `{"secret": "<name>:<part>:<part>"}`,
and the link or code is made from that reference when the email is built, by the
resolver the app that owns the secret registered under `<name>` (in its
`AppConfig.ready`). So a copy of the outbox (a backup, the admin, a log of rows) holds
no working link or code. Messaging imports no app: the apps fill this registry.
"""

from collections.abc import Callable

# (the reference's parts after its name, the email's language) -> the link or code
Resolver = Callable[[list[str], str], str]

_resolvers: dict[str, Resolver] = {}


class UnresolvedSecret(ValueError):
    """A reference that no longer gives a link or code (the account is gone, say): the
    email that holds it cannot be sent."""


def register_link_resolver(name: str, resolver: Resolver) -> None:
    """Make `resolver` build the link or code of the references named `name`."""
    if ":" in name:
        raise ValueError(f"a reference name cannot contain ':': {name!r}")
    _resolvers[name] = resolver


def secret_reference(name: str, *parts: object) -> str:
    """The reference to store in place of a secret: its name, then what rebuilds it."""
    text = [str(part) for part in parts]
    if any(":" in part for part in text):
        raise ValueError("the parts of a reference cannot contain ':'")
    return ":".join([name, *text])


def reference_name(reference: str) -> str:
    """The name a reference is resolved under."""
    return reference.partition(":")[0]


def resolve_secret(reference: str, *, language: str) -> str:
    """The link or code a reference stands for, made now; UnresolvedSecret if it cannot
    be made."""
    name, _, rest = reference.partition(":")
    resolver = _resolvers.get(name)
    if resolver is None:
        raise UnresolvedSecret(f"no resolver for secret references named {name!r}")
    return resolver(rest.split(":") if rest else [], language)
