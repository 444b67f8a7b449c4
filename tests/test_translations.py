"""The French catalogue is complete, and the compiled .mo that Django reads matches the .po.

When this fails after new strings were added, run scripts/update-translations, translate
the new entries in the .po (removing any fuzzy flag), then run the script again."""

import gettext
import re
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(CATALOGUE / "django.po"))


@pytest.fixture(scope="module")
def mo() -> gettext.GNUTranslations:
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def listed(entries: list[polib.POEntry]) -> str:
    return "\n".join(
        f"  {entry.msgid!r} ({', '.join(o[0] for o in entry.occurrences)})" for entry in entries
    )


def test_every_french_message_is_translated(po: polib.POFile) -> None:
    untranslated = po.untranslated_entries()

    assert not untranslated, (
        f"{len(untranslated)} message(s) have no French:\n{listed(untranslated)}"
    )


def test_no_french_message_is_fuzzy(po: polib.POFile) -> None:
    fuzzy = po.fuzzy_entries()

    assert not po.metadata_is_fuzzy, "the catalogue header is still marked fuzzy"
    assert not fuzzy, f"{len(fuzzy)} message(s) are fuzzy, to check and unflag:\n{listed(fuzzy)}"


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_french_keeps_the_placeholders_of_the_english(po: polib.POFile) -> None:
    mismatched = []
    for entry in po.translated_entries():
        if "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:
            # The singular form may leave the count out ("un dossier"); the plural has all.
            english = placeholders(entry.msgid_plural)
            french = [placeholders(form) for form in entry.msgstr_plural.values()]
            if any(set(form) - set(english) for form in french) or english != french[-1]:
                mismatched.append(entry)
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            mismatched.append(entry)

    assert not mismatched, f"placeholders differ from the English:\n{listed(mismatched)}"


def test_compiled_catalogue_has_every_translation_of_the_po_file(
    po: polib.POFile, mo: gettext.GNUTranslations
) -> None:
    stale = []
    for entry in po.translated_entries():
        compiled: list[str]
        if entry.msgid_plural:
            compiled = [mo.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            expected = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        elif entry.msgctxt:
            compiled, expected = [mo.pgettext(entry.msgctxt, entry.msgid)], [entry.msgstr]
        else:
            compiled, expected = [mo.gettext(entry.msgid)], [entry.msgstr]
        if compiled != expected:
            stale.append(entry)

    assert not stale, (
        f"django.mo is out of date for {len(stale)} message(s); run scripts/update-translations:\n"
        f"{listed(stale)}"
    )


def test_compiled_catalogue_has_nothing_the_po_file_lacks(
    po: polib.POFile, mo: gettext.GNUTranslations, tmp_path: Path
) -> None:
    po.save_as_mofile(str(tmp_path / "django.mo"))
    with (tmp_path / "django.mo").open("rb") as fresh:
        expected = gettext.GNUTranslations(fresh)

    # The message tables themselves: gettext has no public way to list them.
    extra = set(mo._catalog) - set(expected._catalog)  # type: ignore[attr-defined]

    assert not extra, (
        f"django.mo has messages the .po no longer has; recompile it: {sorted(extra)!r}"
    )
