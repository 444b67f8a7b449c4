"""Decision letters are written from versioned templates, the same facts in both
languages, with the reasons, the legal grounds and what the client can do by when."""

from datetime import date
from pathlib import Path

import pytest

from passage.intake.catalogue import current_programs
from passage.languages import written_date
from passage.letters import composing
from passage.letters.composing import Bilingual, LetterFacts, compose
from passage.letters.markup import blocks

TEMPLATES = Path(composing.__file__).parent / "templates" / "letters"


def facts(kind: str = "refusal", program: str = "iec", **overrides: object) -> LetterFacts:
    terms = current_programs()[program].definition.letters
    assert terms is not None
    fields: dict[str, object] = {
        "kind": kind,
        "reference": "W123456789",
        "addressee": "Amélie Poulain",
        "program": Bilingual("International Experience Canada", "Expérience internationale Canada"),
        "category": Bilingual("Working Holiday", "Vacances-Travail"),
        "decided_on": date(2026, 12, 2),
        "office": Bilingual("Ottawa Processing Office", "Bureau de traitement d\u2019Ottawa"),
        "terms": terms,
        "reasons": "Your proof of funds shows CAN$1,200; the program asks for CAN$2,500.",
        "legal_grounds": ("IRPR 200(1)(b)", "IRPA 11(1)"),
    }
    fields.update(overrides)
    return LetterFacts(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", composing.KINDS)
def test_every_version_of_every_letter_exists_in_both_languages(kind):
    versions = {path.name.split(".")[0] for path in (TEMPLATES / kind).glob("v*.txt")}
    assert f"v{composing.CURRENT_VERSIONS[kind]}" in versions
    for version in versions:
        for language in composing.LANGUAGES:
            assert (TEMPLATES / kind / f"{version}.{language}.txt").is_file()


def test_a_refusal_letter_gives_the_reasons_the_grounds_and_the_last_day_to_act():
    letter = compose(facts())

    english = letter.body_en
    assert "Your proof of funds shows CAN$1,200; the program asks for CAN$2,500." in english
    assert "- IRPR 200(1)(b)\n- IRPA 11(1)" in english
    # IEC applicants are abroad: 60 days to ask the Federal Court for leave.
    assert letter.respond_by == date(2027, 1, 31)
    assert "You have 60 days from the day you receive this letter" in english
    assert "until 31 January 2027" in english
    assert "Immigration and Refugee Protection Act, section 72" in english
    assert "Reference: W123456789" in english
    assert "Decided by an officer, Ottawa Processing Office" in english


def test_the_french_letter_says_the_same_in_french():
    letter = compose(facts())

    french = letter.body_fr
    assert "Motifs du refus" in french
    assert "Your proof of funds shows CAN$1,200" in french  # the officer's words, as typed
    assert "Vous disposez de 60 jours" in french
    assert "jusqu\u2019au 31 janvier 2027" in french
    assert "Loi sur l\u2019immigration et la protection des réfugiés, article 72" in french
    assert "Numéro de référence\u00a0: W123456789" in french
    assert "Expérience internationale Canada (Vacances-Travail)" in french
    assert "Décision rendue par un agent, Bureau de traitement d\u2019Ottawa" in french


def test_the_recourse_and_its_period_are_the_programs_own():
    sponsorship = compose(facts(program="family-sponsor", category=None))
    citizenship = compose(facts(program="citizenship", category=None))

    assert sponsorship.respond_by == date(2027, 1, 1)  # 30 days: the appeal division
    assert "Immigration Appeal Division" in sponsorship.body_en
    assert "jusqu\u2019au 1er janvier 2027" in sponsorship.body_fr
    assert citizenship.respond_by == date(2027, 1, 1)
    assert "Citizenship Act, section 22.1" in citizenship.body_en


def test_an_approval_letter_says_what_happens_next_and_has_no_deadline():
    letter = compose(facts(kind="approval", reasons="", legal_grounds=()))

    assert letter.respond_by is None
    assert "your application is approved" in letter.body_en
    assert "port of entry introduction letter" in letter.body_en
    assert "lettre d\u2019introduction au point d\u2019entrée" in letter.body_fr
    assert "The officer's remarks" not in letter.body_en
    assert "Legal grounds" not in letter.body_en


def test_an_approval_passage_made_on_its_own_says_so_and_that_it_never_refuses():
    letter = compose(facts(kind="approval", office=None, reasons="", ruleset_version="iec@7"))

    assert "made by Passage on its own" in letter.body_en
    assert "(version iec@7)" in letter.body_en
    assert "it never refuses one" in letter.body_en
    assert "il n\u2019en refuse jamais" in letter.body_fr


def test_a_withdrawal_letter_confirms_it_and_asks_nothing_more():
    letter = compose(facts(kind="withdrawal", reasons="", legal_grounds=()))

    assert "your application was withdrawn on 2 December 2026" in letter.body_en
    assert "votre demande a été retirée le 2 décembre 2026" in letter.body_fr
    assert letter.respond_by is None


def test_reasons_the_officer_typed_stay_paragraphs_of_the_letter():
    letter = compose(facts(reasons="# Not a heading\n- not a list item\n\nSecond paragraph."))

    reasons = [block for block in blocks(letter.body_en) if "Not a heading" in block.text]
    assert [block.kind for block in reasons] == ["paragraph"]
    assert reasons[0].lines == ("# Not a heading", "- not a list item")
    assert any(block.text == "Second paragraph." for block in blocks(letter.body_en))


def test_french_dates_write_the_first_of_the_month_as_1er():
    assert written_date(date(2027, 1, 1), "fr") == "1er janvier 2027"
    assert written_date(date(2027, 1, 2), "fr") == "2 janvier 2027"
    assert written_date(date(2027, 1, 1), "en") == "1 January 2027"


def test_a_letter_is_written_from_the_version_asked_for():
    current = compose(facts())

    assert current.version == composing.CURRENT_VERSIONS["refusal"]
    assert compose(facts(), version=current.version) == current
