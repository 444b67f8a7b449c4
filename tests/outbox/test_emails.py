import re
from pathlib import Path

import pytest

from passage.cases.status import Step
from passage.outbox import emails, references
from passage.outbox.emails import EmailTemplateError, render_email

TEMPLATES = Path(emails.__file__).parent / "templates" / "outbox" / "email"
LINK = "https://passage.example/en/sign-in/?next=/en/cases/&x=1"

CODE = "482913"
STATUS_LINK = "https://passage.example/en/status/"
REALISTIC_CONTEXT = {
    "verify_email": {"name": "Amélie", "secret": "verify_email:42:1772460000", "hours": 24},
    "account_exists": {"link": LINK},
    "password_reset": {"name": "Amélie", "secret": "password_reset:42:1772460000", "minutes": 60},
    "password_changed": {"name": "Amélie", "link": LINK},
    "email_changed": {"name": "Amélie", "link": LINK},
    "application_received": {"reference": "IEC-2026-000123", "link": LINK},
    "link_code": {"secret": "link_code:0b6f7c3e-5a4d-4d0e-9a51-7f2c1e9d8b60", "minutes": 10},
    "new_message": {
        "link": LINK,
        "program": "International Experience Canada",
        "reference_end": "4821",
    },
    "documents_requested": {
        "link": LINK,
        "program": "International Experience Canada",
        "reference_end": "4821",
    },
    "deadline_moved": {
        "link": LINK,
        "program": "International Experience Canada",
        "reference_end": "4821",
    },
    "status_changed": {
        "link": LINK,
        "program": "International Experience Canada",
        "reference_end": "4821",
    },
    "spool_received": {
        "reference": "IEC-2026-000123",
        "received_at": "7 December 2026 at 09:15 (America/Toronto)",
        "link": LINK,
    },
    "spool_refused": {"received_at": "7 December 2026 at 09:15 (America/Toronto)", "link": LINK},
    "paper_received": {
        "reference": "CIT-2026-000123",
        "received_at": "2 December 2026",
        "link": LINK,
    },
    "mail_received": {"link": LINK, "status_link": STATUS_LINK},
    "mail_too_large": {"link": LINK, "status_link": STATUS_LINK, "megabytes": 30},
    "mail_reply": {"topic": "how-to-send-documents", "other_language": "fr", "link": LINK},
    "pr_invitation": {
        "secret": "pr_invitation:0b6f7c3e-5a4d-4d0e-9a51-7f2c1e9d8b60",
        "program": "Family sponsorship",
        "program_fr": "Parrainage familial",
        "reference_end": "4821",
    },
    "pr_update": {"link": LINK, "program": "Family sponsorship", "reference_end": "4821"},
}

# What a case holds and an email must never show: steps, decisions, officers' words,
# answers, document names.
CASE_DETAILS = [
    *(str(step.label) for step in Step),
    "Refused",
    "Approved",
    "Funds below the required amount",
    "passport.pdf",
    "police-certificate",
    "working-holiday",
    "3000",
]


# What the references above stand for, as the apps' resolvers would make them.
RESOLVED = {"verify_email": LINK, "password_reset": LINK, "link_code": CODE, "pr_invitation": LINK}


@pytest.fixture(autouse=True)
def _resolvers(monkeypatch):
    """Resolvers that give the links and code above, whatever the database holds."""
    for name, value in RESOLVED.items():
        monkeypatch.setitem(references._resolvers, name, lambda parts, language, v=value: v)


# Context that chooses what an email says rather than being shown in it.
CHOOSERS = {"topic", "other_language"}


def shown(template):
    """What an email must show: its context, with the link or code for its reference."""
    context = {
        key: value for key, value in REALISTIC_CONTEXT[template].items() if key not in CHOOSERS
    }
    if "secret" in context:
        del context["secret"]
        context["shown secret"] = RESOLVED[template]
    return context


def render(template, language="en", **context):
    return render_email(
        template=template,
        version=emails.current_version(template),
        language=language,
        context=context or REALISTIC_CONTEXT[template],
    )


def test_every_template_on_disk_is_registered_and_every_registered_version_exists():
    on_disk = {
        (folder.name, int(file.stem[1:]))
        for folder in TEMPLATES.iterdir()
        for file in folder.glob("v*.txt")
    }

    assert {(name, version) for name, version in emails.CURRENT_VERSIONS.items()} <= on_disk
    assert {name for name, _ in on_disk} == set(emails.CURRENT_VERSIONS)
    assert set(REALISTIC_CONTEXT) == set(emails.CURRENT_VERSIONS)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("template", sorted(emails.CURRENT_VERSIONS))
def test_every_template_renders_a_one_line_subject_and_everything_it_is_given(template, language):
    email = render(template, language)

    assert email.subject
    assert "\n" not in email.subject
    for value in shown(template).values():
        assert str(value) in email.body
    assert "{" not in email.subject + email.body


@pytest.mark.parametrize("template", sorted(emails.CURRENT_VERSIONS))
def test_no_email_shows_case_details(template):
    for language in ("en", "fr"):
        email = render(template, language)
        for detail in CASE_DETAILS:
            assert detail not in email.subject + email.body


def test_templates_use_only_context_from_the_allow_list():
    used = set()
    for file in TEMPLATES.glob("*/v*.txt"):
        text = file.read_text()
        used |= set(re.findall(r"{{\s*(\w+)", text))
        used |= set(re.findall(r"count \w+=(\w+)", text))

    assert used <= emails.ALLOWED_CONTEXT_KEYS


def test_links_are_written_as_given_in_plain_text():
    email = render("new_message")

    assert LINK in email.body
    assert "&amp;" not in email.body


def test_the_notices_say_which_application_and_where_to_look_and_nothing_else():
    which = "your application International Experience Canada, whose reference ends in 4821"
    assert render("new_message").body == (
        f"There is a new message about {which}. Sign in to read it:\n\n{LINK}\n"
    )
    assert render("documents_requested").body == (
        f"Something is needed from you on {which}. Sign in to see what and by when:\n\n{LINK}\n"
    )
    assert render("status_changed").body == (
        f"There is an update on {which}. Sign in to see it:\n\n{LINK}\n"
    )
    assert render("status_changed").subject == (
        "Update on your application International Experience Canada (reference ending in 4821)"
    )


def test_a_notice_in_french_names_the_application_in_french():
    email = render(
        "status_changed",
        "fr",
        link=LINK,
        program="Expérience internationale Canada",
        reference_end="4821",
    )

    assert "Expérience internationale Canada" in email.subject
    assert "4821" in email.body


def test_the_application_confirmation_gives_the_reference_and_where_to_follow_it():
    email = render("application_received")

    assert email.subject == "We received your application IEC-2026-000123"
    assert (
        "We received your application IEC-2026-000123. Sign in to follow it:\n\n" + LINK
    ) in email.body


def test_the_link_code_says_how_long_it_works_and_to_ignore_an_unasked_code():
    email = render("link_code")

    assert f"\n\n{CODE}\n\n" in email.body
    assert "The code works once, for 10 minutes." in email.body
    assert "If you did not ask for this code, ignore this email" in email.body


def test_an_email_is_rendered_in_its_own_language():
    english = render("verify_email", "en")
    french = render("verify_email", "fr")

    assert english.subject == "Confirm your email address for Passage"
    assert french.subject == "Confirmez votre adresse courriel pour Passage"
    assert "Bonjour Amélie," in french.body


def test_an_unknown_template_or_version_is_an_error():
    with pytest.raises(EmailTemplateError):
        emails.current_version("decision_letter")
    with pytest.raises(EmailTemplateError):
        render_email(template="decision_letter", version=1, language="en", context={})


def test_the_link_or_code_is_made_from_the_reference_in_the_emails_language(monkeypatch):
    asked = []

    def resolver(parts, language):
        asked.append((parts, language))
        return f"https://passage.example/{language}/verify/token-{parts[0]}-{parts[1]}/"

    monkeypatch.setitem(references._resolvers, "verify_email", resolver)

    email = render("verify_email", "fr")

    assert asked == [(["42", "1772460000"], "fr")]
    assert "https://passage.example/fr/verify/token-42-1772460000/" in email.body


def test_a_reference_nobody_resolves_cannot_be_rendered(monkeypatch):
    monkeypatch.delitem(references._resolvers, "verify_email")

    with pytest.raises(references.UnresolvedSecret, match="verify_email"):
        render("verify_email")
