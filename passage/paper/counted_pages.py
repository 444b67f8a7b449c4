"""A reportlab canvas that knows how many pages it has (pure: no Django): the pages are
held back until the document is saved, then each is given its page furniture with its
number and the total, "Page 2 of 3". The paper forms' header and the eCOPR's footer use
it."""

from typing import Any

from reportlab.pdfgen.canvas import Canvas


class CountedPagesCanvas(Canvas):  # type: ignore[misc]
    """Subclasses draw what each page says of its number in `mark_page(number, total)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.mark_page(number, total)
            super().showPage()
        super().save()

    def mark_page(self, number: int, total: int) -> None:
        raise NotImplementedError
