"""PSG1: a form's JSON document as the text of its PDF417 symbols, and back (pure: no
Django). The public contract of the paper channel, followed to the letter:

    PSG1:<form>:<index>:<count>:<crc>:<chunk>

The document is serialised without spaces, encoded as UTF-8, compressed with zlib,
then written in standard base64 with padding; that text is cut into chunks of at most
900 characters, one a symbol. `<crc>` is the CRC-32 (zlib's) of the JSON's UTF-8 bytes,
8 lower-case hexadecimal digits, the same in every symbol. A reader joins the chunks in
index order, decodes, decompresses, checks the CRC and then the JSON; a missing symbol,
a duplicate with different content, a CRC mismatch or invalid JSON is reported as
such, never guessed around."""

import base64
import binascii
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FORMAT = "PSG1"
MAX_CHUNK = 900
_SYMBOL = re.compile(
    r"^PSG1:(?P<form>[a-z0-9][a-z0-9-]*):(?P<index>[1-9][0-9]*):(?P<count>[1-9][0-9]*):"
    r"(?P<crc>[0-9a-f]{8}):(?P<chunk>[A-Za-z0-9+/=]{1,900})$"
)


class PayloadError(ValueError):
    """What is missing or wrong in a set of symbols, in words a clerk can act on."""


@dataclass(frozen=True)
class Symbol:
    """One symbol's content, read."""

    form: str
    index: int
    count: int
    crc: str
    chunk: str


def encode(document: dict[str, Any], *, form: str, chunk: int = MAX_CHUNK) -> list[str]:
    """The texts of the symbols that carry `document`, in order."""
    if not 1 <= chunk <= MAX_CHUNK:
        raise ValueError(f"a chunk holds 1 to {MAX_CHUNK} characters")
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    crc = f"{zlib.crc32(raw) & 0xFFFFFFFF:08x}"
    text = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    chunks = [text[start : start + chunk] for start in range(0, len(text), chunk)]
    count = len(chunks)
    return [
        f"{FORMAT}:{form}:{number}:{count}:{crc}:{piece}"
        for number, piece in enumerate(chunks, start=1)
    ]


def read_symbol(text: str) -> Symbol:
    """One symbol's text, checked for its shape (PayloadError if it is not PSG1)."""
    found = _SYMBOL.match(text.strip())
    if found is None:
        raise PayloadError("a symbol is not a PSG1 symbol of this form")
    index, count = int(found["index"]), int(found["count"])
    if index > count:
        raise PayloadError(f"a symbol says it is {index} of {count}")
    return Symbol(found["form"], index, count, found["crc"], found["chunk"])


def decode(texts: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """The form's code and its JSON document, from the texts of its symbols in any order
    (the same symbol read twice counts once); PayloadError naming what is wrong."""
    symbols = [read_symbol(text) for text in texts]
    if not symbols:
        raise PayloadError("no symbol was found")
    first = symbols[0]
    for symbol in symbols:
        if (symbol.form, symbol.count, symbol.crc) != (first.form, first.count, first.crc):
            raise PayloadError("the symbols belong to different forms or printings")
    chunks: dict[int, str] = {}
    for symbol in symbols:
        seen = chunks.setdefault(symbol.index, symbol.chunk)
        if seen != symbol.chunk:
            raise PayloadError(
                f"symbol {symbol.index} of {first.count} appears twice with different content"
            )
    missing = [number for number in range(1, first.count + 1) if number not in chunks]
    if missing:
        raise PayloadError(
            "; ".join(f"symbol {number} of {first.count} not found" for number in missing)
        )
    text = "".join(chunks[number] for number in range(1, first.count + 1))
    try:
        raw = zlib.decompress(base64.b64decode(text, validate=True))
    except (binascii.Error, zlib.error, ValueError):
        raise PayloadError("the symbols' content could not be decoded") from None
    if f"{zlib.crc32(raw) & 0xFFFFFFFF:08x}" != first.crc:
        raise PayloadError("CRC mismatch")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PayloadError("the payload is not valid JSON") from None
    if not isinstance(document, dict):
        raise PayloadError("the payload is not a JSON object")
    return first.form, document
