"""The fonts a printed form is set in (pure: no Django): DejaVu Sans, a Unicode TrueType
font, so that accents and other scripts print as the client wrote them, with other
installed fonts taking over, run by run, for characters DejaVu lacks (CJK, for one).

Debian ships DejaVu in `fonts-dejavu-core`; `scripts/ensure-fonts` installs it. Where no
TrueType font is found at all the form falls back to Helvetica, which covers Latin-1
only: characters beyond it print as "?". That is a degraded but safe form, because the
symbols carry every answer exactly whatever the font."""

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# The usual places of DejaVu Sans: Debian and Ubuntu, Fedora, Arch, Alpine, local installs.
REGULAR_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
BOLD_CANDIDATES: tuple[str, ...] = tuple(
    path.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") for path in REGULAR_CANDIDATES
)
# Fonts for the characters DejaVu lacks, tried in this order. Fonts with PostScript (CFF)
# outlines, such as Noto CJK's .ttc, cannot be embedded by reportlab and are skipped.
FALLBACK_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)

HELVETICA = "Helvetica"
HELVETICA_BOLD = "Helvetica-Bold"
_LATIN_1 = frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))


@dataclass(frozen=True)
class _Face:
    name: str
    covers: frozenset[int]


@dataclass(frozen=True)
class FontSet:
    """The registered fonts of a form: `regular` and `bold` (reportlab font names) and the
    fallbacks for characters they lack. `unicode` is False on the Helvetica fallback."""

    regular: str
    bold: str
    unicode: bool
    _covered: frozenset[int]
    _fallbacks: tuple[_Face, ...]

    def runs(self, text: str, *, bold: bool = False) -> list[tuple[str, str]]:
        """`text` cut into (font name, characters) runs, each run in the first font that
        has its characters; on Helvetica, characters beyond Latin-1 become "?"."""
        main = self.bold if bold else self.regular
        runs: list[tuple[str, str]] = []
        for char in text:
            font = self._font_for(char, main)
            if font is None:
                font, char = main, "?"
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def _font_for(self, char: str, main: str) -> str | None:
        point = ord(char)
        if point in self._covered or char.isspace():
            return main
        for face in self._fallbacks:
            if point in face.covers:
                return face.name
        # A TrueType font draws its "missing" box; Helvetica cannot encode the character.
        return main if self.unicode else None


def load_fonts(
    regular: Sequence[str] = REGULAR_CANDIDATES,
    bold: Sequence[str] = BOLD_CANDIDATES,
    fallbacks: Sequence[str] = FALLBACK_CANDIDATES,
) -> FontSet:
    """The fonts of a form, from the first readable path of each candidate list
    (registered with reportlab once per process)."""
    return _load(tuple(regular), tuple(bold), tuple(fallbacks))


@functools.cache
def _load(regular: tuple[str, ...], bold: tuple[str, ...], fallbacks: tuple[str, ...]) -> FontSet:
    main = _first_face(regular)
    if main is None:
        # No TrueType font on this machine: Helvetica keeps the form printable.
        return FontSet(HELVETICA, HELVETICA_BOLD, False, _LATIN_1, ())
    heavy = _first_face(bold)
    extra = tuple(face for path in fallbacks if (face := _register(path)) is not None)
    return FontSet(main.name, heavy.name if heavy else main.name, True, main.covers, extra)


def _first_face(paths: tuple[str, ...]) -> _Face | None:
    for path in paths:
        face = _register(path)
        if face is not None:
            return face
    return None


@functools.cache
def _register(path: str) -> _Face | None:
    # The name follows the path so that two font sets never clash in reportlab's registry.
    name = "PassageFont-" + hashlib.sha256(path.encode()).hexdigest()[:12]
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (OSError, TTFError):
        return None
    pdfmetrics.registerFont(font)
    return _Face(name, frozenset(font.face.charToGlyph))
