"""Helpers for the browser tests."""

import json
import re
from typing import Any

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from tests.accounts.builders import current_code

# Every GCDS component on the page, and those inside their shadow roots (the header's skip
# link is a gcds-link of its own), has drawn itself.
DESIGN_SYSTEM_DRAWN = """() => {
  const pending = (root) => [...root.querySelectorAll('*')].some(element =>
    (element.localName.startsWith('gcds-') && !element.classList.contains('hydrated'))
    || (element.shadowRoot !== null && pending(element.shadowRoot)));
  return document.querySelector('gcds-header') !== null && !pending(document);
}"""


def wait_for_design_system(page: Page) -> None:
    """Wait until the GCDS components on the page have drawn themselves."""
    page.wait_for_function(DESIGN_SYSTEM_DRAWN)


def path(name: str, language: str, **kwargs: object) -> str:
    """The address of the named page in `language`."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


PASSWORD = "correct horse battery staple"

# What a person reads on the sign-in page, in each language.
SIGN_IN = {
    "en": {
        "path": "/en/sign-in/",
        "username": "Username",
        "password": "Password",
        "button": "Sign in",
    },
    "fr": {
        "path": "/fr/connexion/",
        "username": "Nom d\u2019utilisateur",
        "password": "Mot de passe",
        "button": "Se connecter",
    },
}


def sign_in(page: Page, *, language: str, username: str, password: str, device: Any = None) -> None:
    """Fill in and send the sign-in form, which must be the page open; with the person's
    authenticator app (`device`), also type the code it shows now on the next page."""
    words = SIGN_IN[language]
    page.get_by_label(words["username"]).fill(username)
    page.get_by_label(words["password"]).fill(password)
    page.get_by_role("button", name=words["button"]).click()
    if device is not None:
        enter_code(page, current_code(device))


def enter_code(page: Page, code: str) -> None:
    """Type a code on the code step ("Code" in both languages) and send it."""
    page.get_by_label(re.compile("^Code")).fill(code)
    page.get_by_role("main").get_by_role("button").click()
