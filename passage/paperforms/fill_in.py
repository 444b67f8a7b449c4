"""The paper form on one page: every question of the program's flow, page by page, and
the applicant's details the online application takes from the account (place and
country of birth, UCI, telephone, mailing address). A client fills it in without an
account and downloads the form to print; a clerk keys a damaged form in with it.

The flow's questions are read and checked by the online application's own engine, so
the same answers are accepted or refused with the same words; a page shown only for
some answers is parsed only when those answers are given, as online."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from passage.intake.flows import engine
from passage.intake.flows.countries import COUNTRIES
from passage.intake.flows.inputs import answer_inputs
from passage.intake.flows.messages import country_choices, error_message
from passage.intake.presenters import question_context
from passage.paper.document import (
    ADDRESS_FIELDS,
    APPLICANT_LABELS,
    PROVINCES,
    FormDefinition,
    assemble_document,
)
from passage.programs.flow import AgeCondition, Condition, Page

# The applicant's details besides the flow's own questions: the input names and the
# key of the document each fills (`address.city` for an address line).
DETAIL_INPUTS = {
    "place_of_birth": "place_of_birth",
    "country_of_birth": "country_of_birth",
    "uci": "uci",
    "phone": "phone",
    **{f"address-{name}": f"address.{name}" for name in ADDRESS_FIELDS},
}
_UCI = re.compile(r"^(\d{8}|\d{10})$")
_POSTAL_CODE = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")


@dataclass
class Filled:
    """What the page's inputs give: the document when every answer is right, else the
    errors (each with the anchor of its input) to show beside the answers as typed."""

    inputs: dict[str, str]
    document: dict[str, Any] | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    by_input: dict[str, list[str]] = field(default_factory=dict)


def read_inputs(
    definition: FormDefinition, data: dict[str, str], *, today: datetime.date
) -> Filled:
    """Check the page's inputs and, when all are right, make the form's document (without
    `printed_at`). `today` is the day the form is signed, which the flow's dated facts
    (`signing_date`) and age conditions take."""
    flow = definition.flow
    filled = Filled(inputs=data)
    answers: dict[str, Any] = {}
    for page in flow.pages:
        if not engine.is_shown(flow, page, answers, on=today):
            continue
        result = engine.parse_page(flow, page, data, answers, today=today)
        answers.update(result.values)
        for error in result.errors:
            question = flow.question(error.question)
            assert question is not None
            if question.field == "email" and error.code == "required":
                continue  # a form may come without an address: the receipt goes by mail
            _add_error(filled, error.anchor, error_message(flow, question, error), question.id)
    details = _details(data, filled)
    if filled.errors:
        return filled
    submitted = engine.submission(flow, answers, submitted_on=today)
    applicant = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in submitted.fields.items()
        if name in APPLICANT_LABELS
    }
    filled.document = assemble_document(
        definition,
        applicant={**applicant, **details},
        # A field the rules read (an IEC category, a citizenship) is kept under `facts`.
        facts={**submitted.fields, **submitted.answers},
    )
    return filled


def _add_error(filled: Filled, anchor: str, text: str, input_name: str) -> None:
    filled.errors.append({"anchor": anchor, "text": text})
    filled.by_input.setdefault(input_name, []).append(text)


def _details(data: dict[str, str], filled: Filled) -> dict[str, Any]:
    """The applicant's details beyond the flow, checked; errors go into `filled`."""
    values = {name: data.get(name, "").strip() for name in DETAIL_INPUTS}
    if len(values["place_of_birth"]) > 100:
        _add_error(
            filled,
            "place_of_birth",
            _("Enter a place of birth of at most 100 characters."),
            "place_of_birth",
        )
    if values["country_of_birth"] and values["country_of_birth"] not in COUNTRIES:
        _add_error(
            filled, "country_of_birth", _("Choose a country from the list."), "country_of_birth"
        )
    uci = values["uci"].replace(" ", "").replace("-", "")
    if uci and not _UCI.match(uci):
        _add_error(filled, "uci", _("Enter your UCI as 8 or 10 digits, such as 1122334455."), "uci")
    if len(values["phone"]) > 40:
        _add_error(
            filled, "phone", _("Enter a telephone number of at most 40 characters."), "phone"
        )
    province = values["address-province"]
    if province and province not in PROVINCES:
        _add_error(
            filled,
            "address-province",
            _("Choose a province or territory from the list."),
            "address-province",
        )
    postal_code = values["address-postal_code"].upper()
    if postal_code and not _POSTAL_CODE.match(postal_code):
        _add_error(
            filled,
            "address-postal_code",
            _("Enter a postal code such as H2X 3K8."),
            "address-postal_code",
        )
    for name in ("line1", "line2", "city"):
        if len(values[f"address-{name}"]) > 200:
            _add_error(
                filled, f"address-{name}", _("Enter at most 200 characters."), f"address-{name}"
            )
    if postal_code and len(postal_code) == 6:
        postal_code = f"{postal_code[:3]} {postal_code[3:]}"
    address = {name: values[f"address-{name}"] for name in ADDRESS_FIELDS}
    address["postal_code"] = postal_code
    return {
        "place_of_birth": values["place_of_birth"],
        "country_of_birth": values["country_of_birth"],
        "uci": uci,
        "phone": values["phone"],
        "address": address,
    }


def inputs_of_document(definition: FormDefinition, document: dict[str, Any]) -> dict[str, str]:
    """The page's inputs filled from a document (a form read in part, to key the rest)."""
    applicant = document.get("applicant") or {}
    facts = document.get("facts") or {}
    inputs: dict[str, str] = {}
    for question in definition.flow.questions:
        if question.field in APPLICANT_LABELS:
            value = applicant.get(question.field)
        else:
            value = facts.get(question.fact or question.field or question.id)
        inputs.update(answer_inputs(question, value))
    for name, key in DETAIL_INPUTS.items():
        if key.startswith("address."):
            value = (applicant.get("address") or {}).get(key.removeprefix("address."))
        else:
            value = applicant.get(key)
        if isinstance(value, str):
            inputs[name] = value
    return inputs


def page_sections(
    definition: FormDefinition, filled: Filled, language: str
) -> list[dict[str, Any]]:
    """The page's sections: the flow's pages with their questions drawn as online (each
    with when it applies), then the applicant's other details."""
    sections = []
    for page in definition.flow.pages:
        questions = [
            question_context(
                question,
                filled.inputs,
                filled.by_input.get(question.id, []),
                language,
                field_errors={},
                adding=False,
            )
            for question in page.questions
        ]
        sections.append(
            {
                "title": page.title.get(language),
                "applies": _applies(definition, page, language),
                "questions": questions,
            }
        )
    return sections


def _applies(definition: FormDefinition, page: Page, language: str) -> str:
    condition = page.show_if
    if isinstance(condition, Condition):
        opener = definition.flow.question(condition.question)
        if opener is None:
            return ""
        answer = condition.one_of[0]
        said = opener.option_label(answer, language) or (_("Yes") if answer is True else _("No"))
        return _("Answer only if you answered “%(answer)s” to “%(question)s”.") % {
            "answer": said,
            "question": opener.label.get(language),
        }
    if isinstance(condition, AgeCondition):
        return _("Answer only if you are %(from)s to %(to)s years old on the day you sign.") % {
            "from": condition.minimum,
            "to": condition.maximum,
        }
    return ""


def detail_fields(filled: Filled, language: str) -> list[dict[str, Any]]:
    """The applicant's other details as the page draws them: label, value, errors."""

    def entry(name: str, label: str, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "label": label,
            "value": filled.inputs.get(name, ""),
            "errors": filled.by_input.get(name, []),
            **extra,
        }

    return [
        entry("place_of_birth", APPLICANT_LABELS["place_of_birth"].get(language)),
        entry(
            "country_of_birth",
            APPLICANT_LABELS["country_of_birth"].get(language),
            options=country_choices(),
        ),
        entry(
            "uci", APPLICANT_LABELS["uci"].get(language), hint=_("8 or 10 digits, if you have one.")
        ),
        entry("phone", APPLICANT_LABELS["phone"].get(language)),
        entry("address-line1", _("Street address")),
        entry("address-line2", _("Apartment, suite or unit (optional)")),
        entry("address-city", _("City or town")),
        entry(
            "address-province",
            _("Province or territory"),
            options=[(code, code) for code in PROVINCES],
        ),
        entry("address-postal_code", _("Postal code"), hint=_("For example, H2X 3K8")),
    ]
