"""Each person's own home: where sign-in leads when no page was asked for, and where the
site's home page sends a signed-in person who is not a client.

Department staff are judged by their staff roles only (as by the page gate), so an officer
who also holds a client role lands on the workbench; they apply with a personal account.
"""

from django.urls import reverse

from passage.accounts.access import holds_any
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.intake.views import APPLYING_ROLES

# A staff member with several roles lands on the first of these they hold.
STAFF_HOMES = (
    (Role.SUPERVISOR, "workbench:overview"),
    (Role.OFFICER, "workbench:queue"),
    (Role.ANALYST, "web:analyst"),
)


def own_home(person: User) -> str | None:
    """The address of the person's own home, or None for a client, whose home is the
    site's home page (their applications, and the way to start one)."""
    if person.is_superuser:
        return reverse("admin:index")
    for role, name in STAFF_HOMES:
        if holds_any(person, frozenset({role})):
            return reverse(name)
    return None


def home_after_sign_in(person: User) -> str:
    """Where sign-in leads when no page was asked for."""
    return own_home(person) or reverse("web:home")


def can_apply(person: User) -> bool:
    """Whether the person may start an application (and is shown the way to)."""
    return holds_any(person, APPLYING_ROLES)
