"""Helpers for the browser tests."""

import json
import re
from typing import Any

import pytest
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


# The widths every page is checked at: a small phone (WCAG 1.4.10 Reflow asks for 320 CSS
# pixels), a tablet and a desktop.
PHONE, TABLET, DESKTOP = 320, 768, 1280
WIDTHS = (PHONE, TABLET, DESKTOP)

# The page's width and the viewport's, and the elements that stick out past the right
# edge on their own: not those held inside a box that scrolls or clips them, and not those
# whose overflow one of their children already explains. Shadow roots included.
HORIZONTAL_OVERFLOW = """() => {
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const clipping = element => {
    const style = getComputedStyle(element);
    return style.overflowX !== 'visible' || style.clipPath !== 'none';
  };
  // The right edge of what the element draws: its box, or its content where that spills
  // out of it (a long word in a paragraph that fits).
  const right = element => {
    const box = element.getBoundingClientRect();
    const spills = getComputedStyle(element).overflowX === 'visible';
    return spills ? Math.max(box.right, box.left + element.scrollWidth) : box.right;
  };
  const sticksOut = element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && right(element) > viewport + 0.5;
  };
  const describe = element => {
    const box = element.getBoundingClientRect();
    let name = element.localName;
    if (element.id) name += '#' + element.id;
    for (const cls of element.classList) name += '.' + cls;
    const path = [];
    for (let node = element; node && node !== root;
         node = node.parentElement || node.getRootNode().host) {
      path.unshift(node.localName);
    }
    const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `${name} (${Math.round(box.left)} to ${Math.round(right(element))} px) ` +
      `in ${path.join(' > ')}: ${JSON.stringify(text)}`;
  };
  const culprits = [];
  // Whether anything inside `parent` sticks out; those that do on their own are culprits.
  // `clipper` is the nearest box around that scrolls or clips: what it holds cannot widen
  // the page, but for a positioned element whose containing block is outside it.
  const visit = (parent, clipper) => {
    let any = false;
    for (const child of parent.children) {
      if (['script', 'style', 'template'].includes(child.localName)) continue;
      const position = getComputedStyle(child).position;
      let held = clipper;
      if (clipper && (position === 'fixed'
          || (position === 'absolute' && !clipper.contains(child.offsetParent)))) {
        held = null;
      }
      const out = held === null && sticksOut(child);
      const inside = clipping(child) ? child : held;
      let inner = visit(child, inside);
      if (child.shadowRoot) inner = visit(child.shadowRoot, inside) || inner;
      if (out && !inner) culprits.push(child);
      any = any || out || inner;
    }
    return any;
  };
  visit(document.body, null);
  culprits.sort((a, b) => right(b) - right(a));
  return {
    scrollWidth: root.scrollWidth,
    viewport,
    culprits: culprits.slice(0, 5).map(describe),
  };
}"""


def assert_no_horizontal_overflow(page: Page) -> None:
    """Fail unless the page fits the viewport's width (no horizontal scrolling: WCAG 1.4.10
    Reflow), naming the elements that stick out."""
    found = page.evaluate(HORIZONTAL_OVERFLOW)
    if found["scrollWidth"] > found["viewport"]:
        culprits = "\n".join(f"  - {culprit}" for culprit in found["culprits"])
        pytest.fail(
            f"{page.url} scrolls sideways at {page.viewport_size}: the page is "
            f"{found['scrollWidth']} px wide for a viewport of {found['viewport']} px. "
            f"Widest first:\n{culprits or '  (no single element found)'}",
            pytrace=False,
        )


def wait_for_layout(page: Page) -> None:
    """Wait until the browser has laid the page out again (after a change of size)."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


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
