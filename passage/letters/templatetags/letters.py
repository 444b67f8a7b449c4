"""Template filters that show a decision letter's text on a page."""

from django import template

from passage.letters.markup import Block, blocks

register = template.Library()


@register.filter
def letter_blocks(text: str) -> list[Block]:
    """The headings, lists and paragraphs of a letter's text."""
    return blocks(text)


@register.filter
def heading_below(level: int, steps: int = 1) -> int:
    """The heading level `steps` below `level` (never past 6)."""
    return min(int(level) + int(steps), 6)


@register.filter
def letter_body(letter: object, language: str) -> str:
    """A letter's text in the page's language ("fr…" for French, English otherwise)."""
    return letter.body("fr" if str(language).startswith("fr") else "en")  # type: ignore[attr-defined]
