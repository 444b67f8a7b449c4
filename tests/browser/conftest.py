"""Shared fixtures for the browser tests: Debian's Chromium driven by Playwright, pages on
pytest-django's live server, and an axe-core accessibility check."""

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.support import (
    DESKTOP,
    PHONE,
    WIDTHS,
    assert_no_horizontal_overflow,
    describe_violations,
    wait_for_design_system,
    wait_for_layout,
)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# axe-core at every width of `WIDTHS` but the tablet's, which lays pages out as the phone's
# or the desktop's do; every width is checked for sideways scrolling.
AXE_WIDTHS = {PHONE, DESKTOP}

# The design system's header and footer draw themselves after the page has loaded, in
# place of their plain-HTML stand-ins (the header's at the same height, so the page does
# not move: test_layout_stability.py); a click on a stand-in's link at the moment it is
# swapped lands on nothing. Until the header and footer are drawn (or their script never defined
# them), the page takes no pointer events, so Playwright's actionability checks wait and
# then click the element that stays.
HOLD_CLICKS_UNTIL_DRAWN = """
(() => {
  const drawn = () => [...document.querySelectorAll('gcds-header, gcds-footer')]
    .every(element => element.classList.contains('hydrated'));
  const release = () => document.documentElement.setAttribute('data-design-system-drawn', '');
  document.addEventListener('DOMContentLoaded', () => {
    // A constructed style sheet: the page's Content Security Policy would block a <style>
    // element without its nonce.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('html:not([data-design-system-drawn]) body { pointer-events: none; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const poll = () => {
      if (drawn() || (document.readyState === 'complete' && !customElements.get('gcds-header'))) {
        release();
      } else {
        requestAnimationFrame(poll);
      }
    };
    poll();
  });
})();
"""

# Only violations are wanted: axe then keeps one example node of each passing rule instead
# of every node, and only the blocking ones cross back to Python.
BLOCKING_VIOLATIONS = """
async (impacts) => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.filter(violation => impacts.includes(violation.impact));
}
"""

# What axe-core's rules look at, without the words that change from one case to the next
# (names, references, dates): every element, in its shadow root too, with the attributes
# that carry roles, names, relations and styles, and whether it holds text of its own.
PAGE_SHAPE = """() => {
  const kept = new RegExp('^(id|class|role|type|lang|dir|for|name|alt|title|tabindex|hidden|'
    + 'disabled|open|aria-.*|scope|headers|autocomplete|required|href)$');
  const parts = [document.title === '' ? 'untitled' : 'titled'];
  const walk = root => {
    for (const element of root.querySelectorAll('*')) {
      const attributes = [...element.attributes]
        .filter(attribute => kept.test(attribute.name))
        .map(attribute => attribute.name === 'href'
          ? 'href' + (attribute.value === '' ? '' : '=set')
          : attribute.name + '=' + attribute.value)
        .sort();
      const text = [...element.childNodes]
        .some(node => node.nodeType === 3 && node.textContent.trim());
      parts.push(element.localName + '[' + attributes.join(' ') + ']' + (text ? 'T' : ''));
      if (element.shadowRoot) {
        parts.push('#shadow');
        walk(element.shadowRoot);
        parts.push('/shadow');
      }
    }
  };
  walk(document);
  return parts.join('\\n');
}"""

NewPage = Callable[..., Page]
AxeCheck = Callable[..., None]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium is missing: scripts/ensure-chromium installs Debian's package")
    # Playwright's sync API keeps an event loop running in this thread, where Django
    # would refuse database calls; the tests only use the database between page actions.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[NewPage]:
    """Open a page in a fresh browser profile; `javascript=False` turns scripts off."""
    contexts: list[BrowserContext] = []

    def open_page(*, javascript: bool = True, block: tuple[str, ...] = ()) -> Page:
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        # Only the live server answers: a page must not depend on any other host.
        context.route(
            lambda url: not url.startswith(live_server.url) or url.endswith(block),
            lambda route: route.abort(),
        )
        if javascript:
            context.add_init_script(HOLD_CLICKS_UNTIL_DRAWN)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def axe() -> AxeCheck:
    """Check the page at a phone's, a tablet's and a desktop's width (`WIDTHS`): it must
    not scroll sideways (WCAG 1.4.10 Reflow), and axe-core must find no serious or critical
    violation, once the design system has drawn it (unless told it cannot). The viewport
    is put back as it was afterwards. axe needs JavaScript on in the page."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make setup` runs scripts/fetch-axe")

    def check(page: Page, *, design_system: bool = True) -> None:
        if design_system:
            wait_for_design_system(page)
        before = page.viewport_size or {"width": DESKTOP, "height": 800}
        try:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": before["height"]})
                wait_for_layout(page)
                assert_no_horizontal_overflow(page)
                if width in AXE_WIDTHS:
                    run_axe(page)
        finally:
            page.set_viewport_size(before)

    return check


# Pages found clean in this run, by their shape (`PAGE_SHAPE`) and width: a journey walks
# through the same pages in many tests, and axe would find the same things each time.
CLEAN_SHAPES: set[tuple[str, int]] = set()


def run_axe(page: Page) -> None:
    """Fail on any serious or critical violation axe-core finds on the page as it is,
    unless a page of the same shape was found clean at this width earlier in the run."""
    drawn = hashlib.sha256(page.evaluate(PAGE_SHAPE).encode()).hexdigest()
    shape = (drawn, (page.viewport_size or {"width": 0})["width"])
    if shape in CLEAN_SHAPES:
        return
    # Evaluated through the browser's developer protocol, which the page's Content
    # Security Policy does not govern; an added <script> element would be blocked.
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(AXE.read_text())
    blocking = page.evaluate(BLOCKING_VIOLATIONS, sorted(BLOCKING_IMPACTS))
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} serious or critical problem(s) on {page.url} "
            f"at {page.viewport_size}:\n" + describe_violations(blocking),
            pytrace=False,
        )
    CLEAN_SHAPES.add(shape)
