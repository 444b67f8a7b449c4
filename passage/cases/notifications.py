"""Emails that tell a case's clients to sign in: never what changed, only that something
did, with a link to the case's page. Written to the outbox in the caller's transaction."""

from collections.abc import Callable
from datetime import datetime

from django.urls import reverse
from django.utils import translation

from passage.cases.models import Case, CaseParty
from passage.cases.parties import covers_step, scope_of
from passage.cases.status import PartyRole
from passage.languages import in_language
from passage.outbox.links import absolute_url
from passage.outbox.services import queue_email

# How many last characters of the reference an email shows: enough for a person to
# tell their applications apart, too few to stand for the reference.
REFERENCE_END = 4


def case_path(case: Case) -> str:
    """The path of the case's tracker page in the active language."""
    return reverse("tracker:case", kwargs={"case_id": case.public_id})


def notify_clients(
    *,
    case: Case,
    template: str,
    kind: str,
    now: datetime,
    path: Callable[[], str] | None = None,
    step: str | None = None,
    audience: PartyRole | None = None,
) -> None:
    """Queue `template` for each person with active access to the case, in their
    language, once per address, with a link to `path()` (reversed in that language;
    by default the case's tracker page). With a `step`, only the parties who see that
    step are told (a sponsor hears nothing of the sponsored person's medical exam); with
    an `audience`, only the parties on that side of the case."""
    parties = CaseParty.objects.filter(case=case, revoked_at__isnull=True).select_related("person")
    link_path = path or (lambda: case_path(case))
    seen: set[str] = set()
    for party in parties:
        scope = scope_of(party.role, party.acts_for)
        if step is not None and not covers_step(scope, step):
            continue
        if audience is not None and scope != audience:
            continue
        person = party.person
        address = person.email.strip().lower()
        if not address or address in seen or not person.is_active:
            continue
        seen.add(address)
        language = person.preferred_language if person.preferred_language == "fr" else "en"
        queue_email(
            kind=kind,
            case=case,
            to_email=person.email,
            language=language,
            template=template,
            context={
                "link": _link(link_path, language),
                "program": in_language(case.program.name_en, case.program.name_fr, language),
                "reference_end": case.reference[-REFERENCE_END:],
            },
            now=now,
        )


def _link(path: Callable[[], str], language: str) -> str:
    with translation.override(language):
        return absolute_url(path())
