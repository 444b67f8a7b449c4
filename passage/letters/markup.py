"""The small text markup letters are written in, and read back into blocks to show on a
page or draw in a PDF.

Blocks are separated by blank lines. A block of one line that starts with "# " is a
heading; a block whose lines all start with "- " is a list; any other block is a
paragraph whose line breaks are kept (an address, a list of references). Text the
letter quotes (an officer's reasons) is put in with `quoted`, which keeps it a paragraph
whatever it starts with.
"""

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "list", "paragraph"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def blocks(text: str) -> list[Block]:
    """The blocks of a letter's text."""
    found: list[Block] = []
    for chunk in _chunks(text):
        lines = tuple(line.rstrip() for line in chunk)
        if len(lines) == 1 and lines[0].startswith("# "):
            found.append(Block("heading", (lines[0][2:].strip(),)))
        elif all(line.startswith("- ") for line in lines):
            found.append(Block("list", tuple(line[2:].strip() for line in lines)))
        else:
            found.append(Block("paragraph", tuple(line.removeprefix("\\") for line in lines)))
    return found


def quoted(text: str) -> str:
    """`text` (typed by a person) as paragraphs of a letter: never a heading or a list,
    and no blank line runs; a line that would start a heading or a list item is escaped
    with a backslash, which `blocks` takes off again."""
    paragraphs = []
    for chunk in _chunks(text):
        lines = [line.strip() for line in chunk]
        paragraphs.append(
            "\n".join(
                "\\" + line if line[:2] in ("# ", "- ") or line.startswith("\\") else line
                for line in lines
            )
        )
    return "\n\n".join(paragraphs)


def _chunks(text: str) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]
