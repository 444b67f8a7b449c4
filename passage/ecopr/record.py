"""What a Confirmation of Permanent Residence states, every field of the paper COPR
(IMM 5688), as plain values: the app fills it from the case and an officer's
confirmation, the layout prints it, the credential carries its essentials."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Bilingual:
    """A text the department writes in both official languages."""

    en: str
    fr: str

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class CoprRecord:
    """One person's COPR. Names and places are kept whole, in any script; nothing is
    cut to fit a box. Countries are ISO 3166-1 alpha-2 codes with their names."""

    # COPR document number: unique per document, e.g. "C0001234567".
    document_number: str
    # Unique client identifier: 8 or 10 digits, printed "0000-0000" or "00-0000-0000".
    uci: str
    family_name: str
    given_names: str
    date_of_birth: date
    place_of_birth: str
    country_of_birth: str
    country_of_birth_name: Bilingual
    # "F", "M" or "X", as on the travel document.
    sex: str
    citizenship: str
    citizenship_name: Bilingual
    travel_document_number: str
    travel_document_country: str
    travel_document_country_name: Bilingual
    travel_document_expiry: date | None
    # The immigration class, e.g. "Family class - spouse" / "Catégorie du regroupement
    # familial - époux".
    category: Bilingual
    # The case's public reference.
    application_number: str
    became_permanent_resident_on: date
    # Where: a virtual landing names the place the person declared they were in Canada.
    became_permanent_resident_at: Bilingual
    # Conditions imposed on the person (often none) and officer remarks; empty when none.
    conditions: Bilingual
    remarks: Bilingual
    # The officer who confirmed, and their office.
    officer_name: str
    issuing_office: Bilingual
    issued_at: datetime
