"""French typography in the compiled catalogue Django reads, the programs' files and the
letter templates: a no-break space (U+00A0) before « : », « ; », « ! » and « ? », and
inside the guillemets « ».

A normal space there lets a line break leave the mark alone at the start of a line; no
space at all is English typography."""

import re
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
import yaml

COMPILED = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
NBSP = "\u00a0"

# A mark without a no-break space before it. A colon only where it ends a clause (followed
# by a space or the end): "https://" and "20:31" are not punctuation.
WRONG = [
    (re.compile(rf"(?<!{NBSP})[;!?]"), "no no-break space before ; ! or ?"),
    (re.compile(rf"(?<!{NBSP}):(?=\s|$)"), "no no-break space before :"),
    (re.compile(rf"«(?!{NBSP})"), "no no-break space after «"),
    (re.compile(rf"(?<!{NBSP})»"), "no no-break space before »"),
]


def french_texts() -> list[tuple[str, str]]:
    """Each compiled French text with the English it translates (plural forms apart)."""
    texts: list[tuple[str, str]] = []
    for entry in polib.mofile(str(COMPILED)):
        if entry.msgid.endswith("/"):  # a path of an address, not a sentence
            continue
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        texts.extend((entry.msgid, text) for text in forms if text)
    return texts


def typography_errors(text: str) -> list[str]:
    return [problem for pattern, problem in WRONG if pattern.search(text)]


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("Qui êtes-vous\u00a0?", True),
        ("Qui êtes-vous ?", False),
        ("Qui êtes-vous?", False),
        ("Erreur\u00a0: voir «\u00a0Mes demandes\u00a0».", True),
        ("Erreur : voir « Mes demandes ».", False),
        ("Erreur: voir https://example.com à 20:31.", False),
        ("Voir https://example.com à 20:31.", True),
    ],
)
def test_the_scan_finds_a_normal_space_or_none_before_the_marks(text: str, right: bool) -> None:
    assert (typography_errors(text) == []) is right


def test_every_compiled_french_text_has_a_no_break_space_before_the_marks() -> None:
    wrong = [
        f"  {msgid!r}: {', '.join(typography_errors(text))}: {text!r}"
        for msgid, text in french_texts()
        if typography_errors(text)
    ]

    assert not wrong, "French typography to correct:\n" + "\n".join(wrong)


PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
LETTERS = Path(__file__).resolve().parent.parent / "passage" / "letters" / "templates" / "letters"


def french_values(node: object) -> list[str]:
    """Every text under an `fr` key of a program file, at any depth."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(french_values(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(french_values(item))
    return found


def test_the_french_of_every_program_file_has_a_no_break_space_before_the_marks() -> None:
    wrong = [
        f"  {path.relative_to(PROGRAMS)}: {text!r}"
        for path in sorted(PROGRAMS.glob("*/*.yaml"))
        for text in french_values(yaml.safe_load(path.read_text(encoding="utf-8")))
        if typography_errors(text)
    ]

    assert not wrong, "French typography to correct:\n" + "\n".join(wrong)


def test_the_french_letters_have_a_no_break_space_before_the_marks() -> None:
    wrong = [
        f"  {path.relative_to(LETTERS)}: {line!r}"
        for path in sorted(LETTERS.glob("**/*.fr.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        # Template tags and variables are code, not French.
        if typography_errors(re.sub(r"\{[%{].*?[%}]\}", "", line))
    ]

    assert not wrong, "French typography to correct:\n" + "\n".join(wrong)
