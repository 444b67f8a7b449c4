"""The PSG1 symbols of a paper form: what Passage prints reads back exactly, what another
encoder following the public contract wrote reads too, and every fault is named."""

import base64
import json
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passage.paper.symbols import MAX_CHUNK, PayloadError, decode, encode

FORM = "cit-grant-adult"
DOCUMENT = {
    "form": FORM,
    "form_version": 1,
    "applicant": {"given_name": "Amélie", "family_name": "Tremblay-Nguyễn", "city": "Montréal"},
    "facts": {"absences": [{"from": "2022-07-01", "to": "2022-07-20"}], "language_clb": 7},
}


def by_the_contract(document: dict, chunk: int) -> list[str]:
    """An encoder written from the contract's words alone, not from Passage's."""
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    crc = format(zlib.crc32(raw), "08x")
    text = base64.standard_b64encode(zlib.compress(raw, 1)).decode()
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    return [f"PSG1:{FORM}:{n + 1}:{len(pieces)}:{crc}:{p}" for n, p in enumerate(pieces)]


def test_a_document_reads_back_exactly_in_any_order_and_read_twice():
    symbols = encode(DOCUMENT, form=FORM, chunk=40)

    assert len(symbols) > 2
    assert decode([*reversed(symbols), symbols[0]]) == (FORM, DOCUMENT)


def test_every_symbol_follows_the_contract():
    for text in encode({**DOCUMENT, "padding": "x" * 5000}, form=FORM):
        prefix, form, index, count, crc, chunk = text.split(":")
        assert (prefix, form) == ("PSG1", FORM)
        assert 1 <= int(index) <= int(count)
        assert len(crc) == 8
        assert crc == crc.lower()
        assert 0 < len(chunk) <= MAX_CHUNK


def test_symbols_another_encoder_wrote_by_the_contract_read():
    assert decode(by_the_contract(DOCUMENT, 100)) == (FORM, DOCUMENT)


@settings(max_examples=60, deadline=None)
@given(
    document=st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.one_of(st.text(max_size=300), st.integers(), st.none(), st.booleans()),
        max_size=12,
    ),
    chunk=st.integers(1, MAX_CHUNK),
)
def test_any_document_round_trips(document, chunk):
    assert decode(encode(document, form=FORM, chunk=chunk)) == (FORM, document)


def test_a_missing_symbol_is_named():
    symbols = encode(DOCUMENT, form=FORM, chunk=30)
    count = len(symbols)

    with pytest.raises(PayloadError, match=f"^symbol 2 of {count} not found$"):
        decode([symbols[0], *symbols[2:]])


def test_a_crc_that_does_not_match_is_said():
    symbols = encode(DOCUMENT, form=FORM)
    other = encode({**DOCUMENT, "form_version": 2}, form=FORM)
    crc = other[0].split(":")[4]
    forged = [":".join([*text.split(":")[:4], crc, text.split(":")[5]]) for text in symbols]

    with pytest.raises(PayloadError, match=r"^CRC mismatch$"):
        decode(forged)


def test_a_duplicate_with_different_content_is_refused():
    symbols = encode(DOCUMENT, form=FORM, chunk=30)
    head = symbols[1].rsplit(":", 1)[0]
    changed = f"{head}:{'A' * len(symbols[1].rsplit(':', 1)[1])}"

    with pytest.raises(PayloadError, match="appears twice with different content"):
        decode([*symbols, changed])


def test_content_that_is_not_json_is_said():
    raw = b"not json"
    text = base64.b64encode(zlib.compress(raw)).decode()
    symbol = f"PSG1:{FORM}:1:1:{zlib.crc32(raw):08x}:{text}"

    with pytest.raises(PayloadError, match=r"^the payload is not valid JSON$"):
        decode([symbol])


def test_text_that_is_no_psg1_symbol_is_refused():
    with pytest.raises(PayloadError, match="not a PSG1 symbol"):
        decode(["https://example.com"])
    with pytest.raises(PayloadError, match="no symbol was found"):
        decode([])
