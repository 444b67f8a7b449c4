"""The letter markup reads back into headings, lists and paragraphs."""

from passage.letters.markup import Block, blocks, quoted


def test_headings_lists_and_paragraphs_are_told_apart():
    text = "# Title\n\nLine one\nLine two\n\n- first\n- second\n"

    assert blocks(text) == [
        Block("heading", ("Title",)),
        Block("paragraph", ("Line one", "Line two")),
        Block("list", ("first", "second")),
    ]


def test_quoted_text_is_never_read_as_markup():
    text = quoted("# hello\n- item\n\\ backslash\n\n\n\nnext")

    assert blocks(text) == [
        Block("paragraph", ("# hello", "- item", "\\ backslash")),
        Block("paragraph", ("next",)),
    ]
