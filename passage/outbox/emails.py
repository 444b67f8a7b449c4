"""Email templates: which exist, in which version, and what they may be told.

A template is plain text at `outbox/email/<name>/v<version>.txt`: the subject on the
first line, a blank line, then the body. Changing what an email says means adding the
next version and pointing `CURRENT_VERSIONS` at it, so that a row queued before the
change is still sent, on retry, exactly as it was queued.
"""

from dataclasses import dataclass
from typing import Any

from django.template import Context, engines
from django.utils import translation

from passage.outbox.references import reference_name, resolve_secret

CURRENT_VERSIONS: dict[str, int] = {
    "verify_email": 1,
    "account_exists": 1,
    "password_reset": 1,
    "password_changed": 1,
    "email_changed": 1,
    "application_received": 1,
    "link_code": 1,
    "new_message": 2,
    "documents_requested": 2,
    "status_changed": 2,
    "deadline_moved": 1,
    "spool_received": 1,
    "spool_refused": 1,
    "paper_received": 1,
    "mail_received": 1,
    "mail_reply": 1,
    "mail_too_large": 1,
    "pr_invitation": 1,
    "pr_update": 1,
}

# Emails say that something happened and link to the signed-in page that says what.
# Nothing from the case (steps, decisions, officers' words, answers, documents) is
# allowed in, because email is neither private nor reliably addressed: only which
# application it is about, by its program and the last digits of its reference, so that
# a person with several can tell them apart.
ALLOWED_CONTEXT_KEYS = frozenset(
    {
        "name",
        "link",
        "status_link",
        "megabytes",
        "topic",
        "other_language",
        "code",
        "minutes",
        "hours",
        "reference",
        "secret",
        "program",
        "program_fr",
        "reference_end",
        "received_at",
    }
)

# Templates whose link or code opens an account or a case, and the key the template
# shows it under. They are queued with a reference ("secret") and never with the link or
# code itself, which is made when the email is built (`passage.outbox.references`).
SECRET_KEYS: dict[str, str] = {
    "verify_email": "link",
    "password_reset": "link",
    "link_code": "code",
    "pr_invitation": "link",
}


class EmailTemplateError(ValueError):
    """A template that does not exist, or context it may not receive."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str


def current_version(template: str) -> int:
    """The version of `template` new emails are queued with."""
    try:
        return CURRENT_VERSIONS[template]
    except KeyError:
        raise EmailTemplateError(f"unknown email template {template!r}") from None


def check_context(template: str, context: dict[str, Any]) -> None:
    """Refuse any key outside the allow-list and any value that is not a plain string or
    number, so that case content cannot reach an email by accident; and refuse a link or
    code for a template in `SECRET_KEYS`, which takes a reference to it instead."""
    unknown = sorted(set(context) - ALLOWED_CONTEXT_KEYS)
    if unknown:
        raise EmailTemplateError(f"email context may not contain {', '.join(unknown)}")
    for key, value in context.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise EmailTemplateError(f"email context {key!r} must be a string or a number")
    _check_secret(template, context)


def _check_secret(template: str, context: dict[str, Any]) -> None:
    secret_key = SECRET_KEYS.get(template)
    if secret_key is None:
        if "secret" in context:
            raise EmailTemplateError(f"the {template!r} email takes no secret reference")
        return
    if secret_key in context:
        raise EmailTemplateError(
            f"the {template!r} email may not store its {secret_key}: "
            "queue a reference to it under 'secret'"
        )
    reference = context.get("secret")
    if not isinstance(reference, str) or reference_name(reference) != template:
        raise EmailTemplateError(
            f"the {template!r} email needs a 'secret' reference named {template!r}"
        )


def template_path(template: str, version: int) -> str:
    """Where version `version` of `template` lives among the template directories."""
    return f"outbox/email/{template}/v{version}.txt"


def render_email(
    *, template: str, version: int, language: str, context: dict[str, Any]
) -> RenderedEmail:
    """Render one version of a template in `language`, making its link or code from its
    reference now (UnresolvedSecret if it cannot be). Plain text: nothing is escaped."""
    current_version(template)
    check_context(template, context)
    context = _with_secret(template, context, language)
    compiled = engines["django"].get_template(template_path(template, version))
    with translation.override(language):
        text = compiled.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]
    subject, _, body = text.lstrip("\n").partition("\n")
    return RenderedEmail(subject=" ".join(subject.split()), body=body.strip("\n") + "\n")


def _with_secret(template: str, context: dict[str, Any], language: str) -> dict[str, Any]:
    """The context with its reference replaced by the link or code it stands for."""
    secret_key = SECRET_KEYS.get(template)
    if secret_key is None:
        return context
    resolved = {key: value for key, value in context.items() if key != "secret"}
    resolved[secret_key] = resolve_secret(context["secret"], language=language)
    return resolved
