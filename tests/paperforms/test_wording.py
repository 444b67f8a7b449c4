"""The clerk reads what is wrong with a scan in their language; the command line keeps
the spec's words."""

from django.utils import translation

from passage.paperforms.wording import problems_in_words


def test_missing_barcodes_are_named_one_by_one_in_french() -> None:
    with translation.override("fr"):
        said = problems_in_words(["symbol 2 of 4 not found; symbol 4 of 4 not found"])

    assert said == [
        "Le code-barres 2 de 4 est introuvable.",
        "Le code-barres 4 de 4 est introuvable.",
    ]


def test_a_crc_mismatch_keeps_its_name_and_says_what_it_means() -> None:
    with translation.override("en"):
        (said,) = problems_in_words(["CRC mismatch"])

    assert said.startswith("CRC mismatch:")


def test_a_problem_of_the_document_is_shown_as_the_reader_gave_it() -> None:
    problem = "applicant.date_of_birth: not a date (YYYY-MM-DD): '28/02/1990'"

    with translation.override("fr"):
        assert problems_in_words([problem]) == [problem]
