"""Printed forms for the paper tests: a document shaped like the contract's example and
the PrintedForm that shows it, sections of rows and the symbols that carry it."""

import copy
from typing import Any

from passage.paper.printed import PrintedForm, Row, Section
from passage.paper.symbols import encode
from passage.programs.flow import Text

FORM = "cit-grant-adult"
LONG_NAME = ("Amélie-Geneviève Tremblay-Nguyễn " * 6)[:180].strip()
TITLE = Text(
    en="Application for Canadian Citizenship: Adults",
    fr="Demande de citoyenneté canadienne : adultes",
)
INSTRUCTIONS = Text(
    en=(
        "Sign and mail every page of this form. The barcodes below carry every answer "
        "of this form: do not fold, staple or write on them."
    ),
    fr=(
        "Signez et postez toutes les pages de ce formulaire. Les codes-barres ci-dessous "
        "contiennent toutes les réponses : ne les pliez pas, ne les agrafez pas, n'y écrivez rien."
    ),
)

DOCUMENT: dict[str, Any] = {
    "form": FORM,
    "form_version": 1,
    "printed_at": "2026-12-06T14:03:00-05:00",
    "applicant": {
        "given_name": "Amélie",
        "family_name": "Tremblay-Nguyễn",
        "date_of_birth": "1990-02-28",
        "place_of_birth": "Hanoi",
        "country_of_birth": "VN",
        "uci": "1122334455",
        "email": "amelie@example.org",
        "phone": "+1 514 555 0100",
        "preferred_language": "fr",
        "address": {
            "line1": "123 rue Saint-Denis",
            "line2": "app. 4",
            "city": "Montréal",
            "province": "QC",
            "postal_code": "H2X 3K8",
        },
    },
    "facts": {
        "signing_date": "2026-12-06",
        "became_pr_on": "2019-06-01",
        "pre_pr_periods": [{"from": "2017-09-01", "to": "2019-05-31"}],
        "absences": [{"from": "2022-07-01", "to": "2022-07-20"}],
        "tax_years_filed": [2021, 2022, 2023, 2024, 2025],
        "language_clb": 7,
        "knowledge_test_passed": None,
    },
}


def document(**applicant: Any) -> dict[str, Any]:
    """The contract's example document, with some of the applicant's answers changed."""
    changed = copy.deepcopy(DOCUMENT)
    changed["applicant"].update(applicant)
    return changed


def printed_form(doc: dict[str, Any], *, chunk: int = 900) -> PrintedForm:
    """The form that prints `doc`: its answers in words and its PSG1 symbols."""
    person, facts = doc["applicant"], doc["facts"]
    address = person["address"]

    def periods(items: list[dict[str, str]]) -> str:
        return "\n".join(f"{item['from']} \N{EN DASH} {item['to']}" for item in items)

    applicant = Section(
        Text("Applicant", "Demandeur"),
        (
            Row(Text("Given name(s)", "Prénom(s)"), person["given_name"]),
            Row(Text("Family name", "Nom de famille"), person["family_name"]),
            Row(Text("Date of birth", "Date de naissance"), person["date_of_birth"]),
            Row(Text("Place of birth", "Lieu de naissance"), person["place_of_birth"]),
            Row(Text("Country of birth", "Pays de naissance"), person["country_of_birth"]),
            Row(Text("Client ID (UCI)", "Identifiant client (IUC)"), person["uci"]),
            Row(Text("Email", "Courriel"), person["email"]),
            Row(Text("Telephone", "Téléphone"), person["phone"]),
            Row(
                Text("Preferred language", "Langue de préférence"),
                "Français" if person["preferred_language"] == "fr" else "English",
            ),
        ),
    )
    lines = [address["line1"], address.get("line2", ""), f"{address['city']} {address['province']}"]
    home = Section(
        Text("Address", "Adresse"),
        (
            Row(
                Text("Mailing address", "Adresse postale"),
                "\n".join([*(line for line in lines if line), address["postal_code"]]),
            ),
        ),
    )
    residence = Section(
        Text("Residence in Canada", "Résidence au Canada"),
        (
            Row(
                Text("Became a permanent resident on", "Devenu résident permanent le"),
                facts["became_pr_on"],
            ),
            Row(
                Text("Time in Canada before", "Séjours au Canada avant"),
                periods(facts["pre_pr_periods"]),
            ),
            Row(Text("Absences from Canada", "Absences du Canada"), periods(facts["absences"])),
            Row(
                Text("Tax years filed", "Années d'imposition produites"),
                ", ".join(str(year) for year in facts["tax_years_filed"]),
            ),
            Row(
                Text("Language level (CLB)", "Niveau de langue (NCLC)"), str(facts["language_clb"])
            ),
            Row(Text("Signed on", "Signé le"), facts["signing_date"]),
        ),
    )
    return PrintedForm(
        code=FORM,
        version=doc["form_version"],
        title=TITLE,
        printed_at=doc["printed_at"],
        instructions=INSTRUCTIONS,
        sections=(applicant, home, residence),
        symbols=tuple(encode(doc, form=FORM, chunk=chunk)),
    )
