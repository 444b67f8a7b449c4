# ruff: noqa: RUF001 - French text takes the typographic apostrophe, and a country its dash.
"""What an eCOPR says, section by section, in words (pure: no Django): every field of the
record with its label in both official languages, the reader's language first. The
layout only draws what this gives."""

from dataclasses import dataclass
from datetime import date

from passage.ecopr.record import Bilingual, CoprRecord

TITLE = Bilingual("Confirmation of Permanent Residence", "Confirmation de résidence permanente")
DOCUMENT_NUMBER = Bilingual("Document number", "Numéro du document")
NOT_A_TRAVEL_DOCUMENT = Bilingual("Not a travel document", "Ceci n’est pas un titre de voyage")
SIGNED = Bilingual("Signed digitally", "Signé numériquement")
SIGNED_TEXT = Bilingual(
    "The department’s digital signature makes this document valid without a handwritten "
    "signature; any change to the file breaks it.",
    "La signature numérique du ministère rend ce document valide sans signature "
    "manuscrite\u00a0; toute modification du fichier la rompt.",
)
VERIFY = Bilingual(
    "Verify it: scan the code or go to", "Vérifiez-le\u00a0: balayez le code ou allez à"
)
NONE = Bilingual("None", "Aucune")

# The label of each field of CoprRecord; the document number heads the page.
LABELS: dict[str, Bilingual] = {
    "document_number": DOCUMENT_NUMBER,
    "uci": Bilingual("UCI", "IUC"),
    "family_name": Bilingual("Family name", "Nom de famille"),
    "given_names": Bilingual("Given names", "Prénoms"),
    "date_of_birth": Bilingual("Date of birth", "Date de naissance"),
    "place_of_birth": Bilingual("Place of birth", "Lieu de naissance"),
    "country_of_birth": Bilingual("Country of birth", "Pays de naissance"),
    "sex": Bilingual("Sex", "Sexe"),
    "citizenship": Bilingual("Citizenship", "Citoyenneté"),
    "travel_document_number": Bilingual("Number", "Numéro"),
    "travel_document_country": Bilingual("Issuing country", "Pays de délivrance"),
    "travel_document_expiry": Bilingual("Expiry date", "Date d’expiration"),
    "category": Bilingual("Immigration category", "Catégorie d’immigration"),
    "application_number": Bilingual("Application number", "Numéro de la demande"),
    "became_permanent_resident_on": Bilingual(
        "Permanent resident since", "Résidence permanente depuis le"
    ),
    "became_permanent_resident_at": Bilingual(
        "Place of becoming a permanent resident", "Lieu d’obtention de la résidence permanente"
    ),
    "conditions": Bilingual("Conditions", "Conditions"),
    "remarks": Bilingual("Remarks", "Remarques"),
    "officer_name": Bilingual("Officer", "Agent"),
    "issuing_office": Bilingual("Issuing office", "Bureau de délivrance"),
    "issued_at": Bilingual("Date of issue", "Date de délivrance"),
}


@dataclass(frozen=True)
class Field:
    """One labelled value; a value of several lines keeps its line breaks."""

    label: Bilingual
    value: str


@dataclass(frozen=True)
class Section:
    """A titled group of rows, each row one to three fields side by side."""

    title: Bilingual
    rows: tuple[tuple[Field, ...], ...]


def sections(record: CoprRecord, language: str) -> tuple[Section, ...]:
    """The record's fields in the order the document prints them, `language` first."""

    def field(name: str, value: str) -> Field:
        return Field(LABELS[name], value)

    def both(text: Bilingual, *, empty: str = "") -> str:
        return in_order(text, language, separator="\n") or empty

    def country(code: str, name: Bilingual) -> str:
        return f"{code} – {both(name)}"

    none = in_order(NONE, language)
    expiry = record.travel_document_expiry
    return (
        Section(
            Bilingual("Identity", "Identité"),
            (
                (field("family_name", record.family_name),),
                (field("given_names", record.given_names),),
                (
                    field("uci", printed_uci(record.uci)),
                    field("date_of_birth", _day(record.date_of_birth)),
                    field("sex", record.sex),
                ),
                (field("place_of_birth", record.place_of_birth),),
                (
                    field(
                        "country_of_birth",
                        country(record.country_of_birth, record.country_of_birth_name),
                    ),
                    field("citizenship", country(record.citizenship, record.citizenship_name)),
                ),
            ),
        ),
        Section(
            Bilingual("Travel document", "Document de voyage"),
            (
                (
                    field("travel_document_number", record.travel_document_number),
                    field(
                        "travel_document_country",
                        country(
                            record.travel_document_country, record.travel_document_country_name
                        ),
                    ),
                    field("travel_document_expiry", _day(expiry) if expiry else none),
                ),
            ),
        ),
        Section(
            Bilingual("Immigration", "Immigration"),
            (
                (field("category", both(record.category)),),
                (
                    field("application_number", record.application_number),
                    field(
                        "became_permanent_resident_on", _day(record.became_permanent_resident_on)
                    ),
                ),
                (field("became_permanent_resident_at", both(record.became_permanent_resident_at)),),
                *_free_text(
                    field("conditions", both(record.conditions, empty=none)),
                    field("remarks", both(record.remarks, empty=none)),
                    none,
                ),
            ),
        ),
        Section(
            Bilingual("Issue", "Délivrance"),
            (
                (
                    field("officer_name", record.officer_name),
                    field("issuing_office", both(record.issuing_office)),
                    field("issued_at", _day(record.issued_at.date())),
                ),
            ),
        ),
    )


def _free_text(conditions: Field, remarks: Field, none: str) -> tuple[tuple[Field, ...], ...]:
    """Conditions and remarks side by side when there are none; else each across the page,
    where a long text takes fewer lines."""
    if conditions.value == remarks.value == none:
        return ((conditions, remarks),)
    return ((conditions,), (remarks,))


def in_order(text: Bilingual, language: str, *, separator: str = " / ") -> str:
    """Both languages of `text`, `language` first, once when they are the same; the one
    that is not empty when the other is."""
    first, second = (text.fr, text.en) if language == "fr" else (text.en, text.fr)
    return separator.join(dict.fromkeys(part for part in (first, second) if part))


def printed_uci(uci: str) -> str:
    """A UCI as printed: "0000-0000" for 8 digits, "00-0000-0000" for 10; as given
    otherwise."""
    digits = uci.isascii() and uci.isdigit()
    if digits and len(uci) == 8:
        return f"{uci[:4]}-{uci[4:]}"
    if digits and len(uci) == 10:
        return f"{uci[:2]}-{uci[2:6]}-{uci[6:]}"
    return uci


def _day(day: date) -> str:
    # ISO 8601 reads the same in both languages, as on federal documents.
    return day.isoformat()
