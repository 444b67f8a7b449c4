"""The page does not move while the design system draws its header.

Until its script has run, or without JavaScript, the page shows a plain-HTML header;
gcds-header then attaches an empty shadow root and draws into it in steps, as the code of
its parts arrives. On a slow connection that takes long enough for a reader to start
reading, or to click, and then see the page jump. Measured on a connection slowed down so
that the steps are far apart, two ways: the browser's own layout shift entries (what
Cumulative Layout Shift, one of the Core Web Vitals, adds up), and the position of the
main content in every frame until the header has drawn."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import NewPage
from tests.browser.support import PASSWORD, path, sign_in, wait_for_design_system
from tests.builders import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every layout shift that no input caused, with the elements it moved, and the top of the
# main content in every frame from the first one on.
RECORD_MOVES = """
window.layoutShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.layoutShifts.push({
        value: entry.value,
        moved: entry.sources.map(source => source.node ? source.node.nodeName : 'text'),
      });
    }
  }
}).observe({type: 'layout-shift', buffered: true});
window.mainTops = [];
const recordMainTop = () => {
  const main = document.querySelector('main');
  if (main) {
    const top = Math.round(main.getBoundingClientRect().top * 2) / 2;
    if (window.mainTops.at(-1) !== top) window.mainTops.push(top);
  }
  requestAnimationFrame(recordMainTop);
};
requestAnimationFrame(recordMainTop);
"""

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 800, "height": 1024}
PHONE = {"width": 375, "height": 740}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [DESKTOP, TABLET, PHONE], ids=["desktop", "tablet", "phone"]
)


def moves_while_drawing(page: Page, address: str) -> tuple[list[dict[str, object]], list[float]]:
    """Open `address` with 150 ms added to every request, and return the layout shifts
    and the distinct tops of the main content until the design system has drawn."""
    page.add_init_script(RECORD_MOVES)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.goto(address)
    wait_for_design_system(page)
    page.wait_for_timeout(300)  # shift entries arrive a frame or two after the shift
    shifts: list[dict[str, object]] = page.evaluate("window.layoutShifts")
    tops: list[float] = page.evaluate("window.mainTops")
    return shifts, tops


@VIEWPORTS
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_home_page_does_not_move_while_the_header_draws(
    new_page: NewPage, language: str, viewport: dict[str, int]
) -> None:
    page = new_page()
    page.set_viewport_size(viewport)

    shifts, tops = moves_while_drawing(page, f"/{language}/")

    assert shifts == []
    assert len(tops) == 1, f"the main content moved: its top was at {tops}"


@VIEWPORTS
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_signed_in_page_with_its_account_bar_does_not_move_while_the_header_draws(
    new_page: NewPage, language: str, viewport: dict[str, int]
) -> None:
    user = create_user()
    page = new_page()
    page.set_viewport_size(viewport)
    page.goto(path("web:sign-in", language))
    sign_in(page, language=language, username=user.username, password=PASSWORD)
    wait_for_design_system(page)

    shifts, tops = moves_while_drawing(page, path("intake:my-applications", language))

    assert shifts == []
    assert len(tops) == 1, f"the main content moved: its top was at {tops}"


@VIEWPORTS
def test_the_header_takes_the_same_height_with_and_without_javascript(
    new_page: NewPage, viewport: dict[str, int]
) -> None:
    tops = []
    for javascript in (False, True):
        page = new_page(javascript=javascript)
        page.set_viewport_size(viewport)
        page.goto("/fr/")
        if javascript:
            wait_for_design_system(page)
        tops.append(page.locator("main").bounding_box()["y"])  # type: ignore[index]

    without_javascript, drawn = tops
    assert drawn == pytest.approx(without_javascript, abs=0.5)
