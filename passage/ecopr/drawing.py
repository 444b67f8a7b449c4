"""The two things an eCOPR draws itself rather than with reportlab's flowables (pure: no
Django): the credential's QR code as vector squares, and the canvas that writes the
document number and "Page N of M" at the foot of every page."""

from collections.abc import Callable
from typing import Any

import segno
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from passage.paper.counted_pages import CountedPagesCanvas

# Quartile error correction survives a fold or a smudge across a quarter of the symbol.
QR_ERROR = "q"
# The symbol is at least this wide, and its modules at least 0.5 mm, so that a phone
# reads a print of it at arm's length and a 200 dpi scan gives four pixels a module.
QR_WIDTH = 40 * mm
QR_MODULE = 0.5 * mm
QR_QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code of `text`, drawn as one path of dark squares, within its quiet zone."""

    def __init__(self, text: str) -> None:
        super().__init__()
        code = segno.make_qr(text, error=QR_ERROR)
        self.version = int(code.version)
        self.matrix = [bytes(row) for row in code.matrix]
        count = len(self.matrix)
        self.module = max(QR_MODULE, QR_WIDTH / count)
        self.width = self.height = (count + 2 * QR_QUIET_ZONE) * self.module

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, module, count = self.canv, self.module, len(self.matrix)
        path = canvas.beginPath()
        for row_number, row in enumerate(self.matrix):
            bottom = (count + QR_QUIET_ZONE - row_number - 1) * module
            column = 0
            while column < count:
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < count and row[column]:
                    column += 1
                # A run of dark modules as one rectangle: no hairline seams between them.
                left = (QR_QUIET_ZONE + start) * module
                path.rect(left, bottom, (column - start) * module, module)
        canvas.setFillColor(colors.black)
        canvas.drawPath(path, stroke=0, fill=1)


class FooteredCanvas(CountedPagesCanvas):
    """A canvas whose pages' foot each say `footer` on the left and `page(number, total)`
    on the right, in `font`."""

    RULE = colors.HexColor("#8c8c8c")
    INK = colors.HexColor("#555555")

    def __init__(
        self,
        footer: str,
        page: Callable[[int, int], str],
        font: str,
        margin: float,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._page = page
        self._font = font
        self._margin = margin

    def mark_page(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        margin = self._margin
        self.setStrokeColor(self.RULE)
        self.setLineWidth(0.5)
        self.line(margin, margin + 4 * mm, width - margin, margin + 4 * mm)
        self.setFillColor(self.INK)
        self.setFont(self._font, 8)
        self.drawString(margin, margin, self._footer)
        self.drawRightString(width - margin, margin, self._page(number, total))
