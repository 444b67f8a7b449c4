"""The links of a paginated table: previous, each page number (with gaps),
next, each keeping the page's filters in its address."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page


@dataclass(frozen=True)
class PageLink:
    """One link of the pagination: "previous", "next", "page" (with its number, current
    or not) or a "gap" of pages left out."""

    kind: str
    url: str = ""
    number: int = 0
    current: bool = False


def page_links(shown: Page[Any], query: dict[str, str]) -> list[PageLink]:
    """The links to the other pages of `shown`'s paginator, `query` kept in each; none
    when there is a single page."""
    paginator = shown.paginator
    if paginator.num_pages <= 1:
        return []

    def url(number: int) -> str:
        return "?" + urlencode({**query, "page": number})

    links: list[PageLink] = []
    if shown.has_previous():
        links.append(PageLink("previous", url(shown.previous_page_number())))
    for number in paginator.get_elided_page_range(shown.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append(PageLink("gap"))
        else:
            links.append(PageLink("page", url(int(number)), int(number), number == shown.number))
    if shown.has_next():
        links.append(PageLink("next", url(shown.next_page_number())))
    return links
