"""A paper form's JSON document (`shared/spec/barcode-form.md`): checked, assembled from
answers, printed in words, and read back into an application (pure: no Django).

The document is the same shape for every form: `form`, `form_version`, `printed_at`,
the applicant's identity and contact details under `applicant` (the same block on every
form), and every other answer of the program's questions under `facts`, named after the
fact the rules read (or the application field it gives, such as an IEC `category`). A
form is its program's question flow (questions.yaml) and its `paper.yaml`, so a new
program's paper form is data only.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from passage.paper.printed import PrintedForm, Row, Section
from passage.paper.symbols import encode
from passage.programs.flow import Flow, Question, Text
from passage.programs.paper import PaperForm

# The spec's applicant block, the same on every form; the first three are required.
APPLICANT_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "place_of_birth",
    "country_of_birth",
    "uci",
    "email",
    "phone",
    "preferred_language",
    "address",
)
REQUIRED_APPLICANT_FIELDS = ("given_name", "family_name", "date_of_birth")
ADDRESS_FIELDS = ("line1", "line2", "city", "province", "postal_code")
# Provinces and territories, as Canada Post writes them.
PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
MAX_TEXT = 500
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UCI = re.compile(r"^(\d{8}|\d{10})$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

# The applicant block's labels on the printed form and the pages.
APPLICANT_LABELS = {
    "given_name": Text("Given names", "Prénoms"),
    "family_name": Text("Family name", "Nom de famille"),
    "date_of_birth": Text("Date of birth", "Date de naissance"),
    "place_of_birth": Text("Place of birth (city or town)", "Lieu de naissance (ville)"),
    "country_of_birth": Text("Country of birth", "Pays de naissance"),
    "uci": Text("Client identifier (UCI)", "Identificateur client (IUC)"),
    "email": Text("Email address", "Adresse courriel"),
    "phone": Text("Telephone", "Téléphone"),
    "preferred_language": Text("Preferred language", "Langue de préférence"),
    "address": Text("Mailing address", "Adresse postale"),
}
_YES, _NO, _NOT_ASKED = "Yes / Oui", "No / Non", "Not answered / Sans réponse"
_LANGUAGES = {"en": "English / Anglais", "fr": "French / Français"}
DECLARATION = Text(
    "I declare that the information I have given in this form is true, complete and "
    "correct, and I understand that giving false information is an offence.",
    "Je déclare que les renseignements fournis dans ce formulaire sont véridiques, complets "
    "et exacts, et je comprends que fournir de faux renseignements est une infraction.",
)


@dataclass(frozen=True)
class FormDefinition:
    """A paper form: its `paper.yaml` and its program's question flow."""

    paper: PaperForm
    flow: Flow

    @property
    def code(self) -> str:
        return self.paper.code

    def fact_questions(self) -> tuple[tuple[str, Question], ...]:
        """The questions whose answers the document carries under `facts`, with the name
        each is kept under. The applicant's own fields are the applicant block's; answers
        that are neither a fact nor a field (a yes/no that only opens a page) are not
        carried: the facts they open say them."""
        found: list[tuple[str, Question]] = []
        for question in self.flow.questions:
            if question.field in APPLICANT_FIELDS:
                continue
            if question.field is not None and question.field in self.paper.leave_out:
                continue
            name = question.fact or question.field
            if name is not None and all(name != seen for seen, _ in found):
                found.append((name, question))
        return tuple(found)

    def fact_names(self) -> tuple[str, ...]:
        """Every name the document's `facts` holds: the questions' and the facts the
        program dates on the day the form is signed or received."""
        names = [name for name, _ in self.fact_questions()]
        return (*names, *(name for name in self.flow.submission_date_facts if name not in names))


class DocumentError(ValueError):
    """A document that is not a valid form of its kind; `problems` lists each thing wrong,
    naming the key (`applicant.date_of_birth: …`)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_document(
    definition: FormDefinition, document: Any, *, printed: bool = True
) -> dict[str, Any]:
    """The document when it is a valid form of `definition`, else DocumentError listing
    every problem. `printed=False` checks a document before printing, which has no
    `printed_at` yet. Keys the form does not know are kept, not refused."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise DocumentError(["the document is not a JSON object"])
    if document.get("form") != definition.code:
        problems.append(f"form: expected {definition.code!r}, found {document.get('form')!r}")
    version = document.get("form_version")
    if version != definition.paper.version or isinstance(version, bool):
        problems.append(
            f"form_version: this form is version {definition.paper.version}, found {version!r}"
        )
    if printed:
        problems.extend(_printed_at_problems(document.get("printed_at")))
    applicant = document.get("applicant")
    if isinstance(applicant, dict):
        problems.extend(_applicant_problems(applicant))
    else:
        problems.append("applicant: missing or not an object")
    facts = document.get("facts")
    if isinstance(facts, dict):
        problems.extend(_fact_problems(definition, facts))
    else:
        problems.append("facts: missing or not an object")
    if problems:
        raise DocumentError(problems)
    return document


def _printed_at_problems(value: Any) -> list[str]:
    if not isinstance(value, str):
        return ["printed_at: missing or not text"]
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return [f"printed_at: not an ISO 8601 time: {value!r}"]
    return [] if moment.tzinfo is not None else ["printed_at: the time has no UTC offset"]


def _applicant_problems(applicant: dict[str, Any]) -> list[str]:
    problems = [
        f"applicant.{name}: missing"
        for name in REQUIRED_APPLICANT_FIELDS
        if applicant.get(name) in (None, "")
    ]
    for name in ("given_name", "family_name", "place_of_birth", "email", "phone"):
        value = applicant.get(name)
        if value is not None and not (isinstance(value, str) and len(value) <= MAX_TEXT):
            problems.append(f"applicant.{name}: not text of at most {MAX_TEXT} characters")
    birth = applicant.get("date_of_birth")
    if birth not in (None, "") and not _is_date(birth):
        problems.append(f"applicant.date_of_birth: not a date (YYYY-MM-DD): {birth!r}")
    country = applicant.get("country_of_birth")
    if country is not None and not (isinstance(country, str) and _COUNTRY.match(country)):
        problems.append(f"applicant.country_of_birth: not a two-letter country code: {country!r}")
    uci = applicant.get("uci")
    if uci is not None and not (isinstance(uci, str) and _UCI.match(uci)):
        problems.append(f"applicant.uci: not 8 or 10 digits: {uci!r}")
    language = applicant.get("preferred_language")
    if language is not None and language not in ("en", "fr"):
        problems.append(f"applicant.preferred_language: not en or fr: {language!r}")
    address = applicant.get("address")
    if address is not None:
        if not isinstance(address, dict):
            problems.append("applicant.address: not an object")
        else:
            problems.extend(
                f"applicant.address.{name}: not text of at most {MAX_TEXT} characters"
                for name in ADDRESS_FIELDS
                if address.get(name) is not None
                and not (isinstance(address[name], str) and len(address[name]) <= MAX_TEXT)
            )
    return problems


def _fact_problems(definition: FormDefinition, facts: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    questions = dict(definition.fact_questions())
    # A question asked only for some answers or ages may be null: it was not asked.
    conditional = {
        question.id
        for page in definition.flow.pages
        for question in page.questions
        if page.show_if is not None or question.show_if is not None
    }
    for name in definition.fact_names():
        if name not in facts:
            problems.append(f"facts.{name}: missing")
            continue
        question = questions.get(name)
        if question is not None and facts[name] is None and question.id in conditional:
            continue
        wrong = _value_problem(question, facts[name]) if question else _date_problem(facts[name])
        if wrong:
            problems.append(f"facts.{name}: {wrong}")
    return problems


def _value_problem(question: Question, value: Any) -> str | None:
    """What is wrong with an answer to `question` as the document carries it, if anything.
    `null` stands for a question that was not asked (or not answered, when optional)."""
    if value is None:
        return None if (question.has_fact_if_hidden or not question.required) else "missing"
    kind = question.type
    if kind in ("date",):
        return _date_problem(value)
    if kind == "yes-no":
        return None if isinstance(value, bool) else f"not true or false: {value!r}"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"not a number: {value!r}"
        return "not a whole number" if question.integer and value != int(value) else None
    if kind == "years":
        fine = isinstance(value, list) and all(
            isinstance(year, int) and not isinstance(year, bool) for year in value
        )
        return None if fine else f"not a list of years: {value!r}"
    if kind == "periods":
        return _periods_problem(value)
    if kind == "choice":
        allowed = [option.value for option in question.options]
        return None if value in allowed else f"not one of {', '.join(map(str, allowed))}"
    if kind == "country":
        return None if isinstance(value, str) and _COUNTRY.match(value) else "not a country code"
    return None if isinstance(value, str) and len(value) <= MAX_TEXT else "not text"


def _periods_problem(value: Any) -> str | None:
    if not isinstance(value, list):
        return "not a list of periods"
    for number, period in enumerate(value, start=1):
        if not isinstance(period, dict) or not (
            _is_date(period.get("from")) and _is_date(period.get("to"))
        ):
            return f"period {number} is not {{from: YYYY-MM-DD, to: YYYY-MM-DD}}"
        if period["from"] > period["to"]:
            return f"period {number} ends before it starts"
    return None


def _date_problem(value: Any) -> str | None:
    return None if _is_date(value) else f"not a date (YYYY-MM-DD): {value!r}"


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def assemble_document(
    definition: FormDefinition,
    *,
    applicant: dict[str, Any],
    facts: dict[str, Any],
    printed_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The document of a filled-in form: the applicant block without empty fields, the
    form's facts, and `printed_at` (seconds, with its offset) when given."""
    block = {name: value for name, value in applicant.items() if name in APPLICANT_FIELDS and value}
    if isinstance(block.get("address"), dict):
        address = {k: v for k, v in block["address"].items() if k in ADDRESS_FIELDS and v}
        block = {**block, "address": address} if address else _without(block, "address")
    document: dict[str, Any] = {"form": definition.code, "form_version": definition.paper.version}
    if printed_at is not None:
        document["printed_at"] = printed_at.replace(microsecond=0).isoformat()
    document["applicant"] = block
    document["facts"] = {name: facts.get(name) for name in definition.fact_names()}
    return document


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def stamped(document: dict[str, Any], printed_at: datetime.datetime) -> dict[str, Any]:
    """The document as printed at `printed_at` (any `printed_at` it had is replaced)."""
    return {**document, "printed_at": printed_at.replace(microsecond=0).isoformat()}


def printed_form(definition: FormDefinition, document: dict[str, Any]) -> PrintedForm:
    """What the printed form shows: its answers in words (`answer_sections`), the
    declaration signed under, and the texts of the symbols that carry the document."""
    return PrintedForm(
        code=definition.code,
        version=definition.paper.version,
        title=definition.paper.title,
        printed_at=document["printed_at"],
        instructions=definition.paper.send_to,
        sections=answer_sections(definition, document),
        symbols=tuple(encode(document, form=definition.code)),
        declaration=DECLARATION,
    )


def answer_sections(definition: FormDefinition, document: dict[str, Any]) -> tuple[Section, ...]:
    """The applicant block and then each page of the program's questions that the
    document answers, every answer in words (the printed form's and the intake page's)."""
    applicant = document["applicant"]
    rows = [
        Row(APPLICANT_LABELS[name], _applicant_words(name, applicant.get(name)))
        for name in APPLICANT_FIELDS
    ]
    sections = [Section(Text("Applicant", "Demandeur"), tuple(rows))]
    questions = dict(definition.fact_questions())
    for page in definition.flow.pages:
        page_rows = [
            Row(question.label, _words(question, document["facts"].get(name)))
            for name, question in questions.items()
            if question in page.questions
        ]
        if page_rows:
            sections.append(Section(page.title, tuple(page_rows)))
    dated = [name for name in definition.flow.submission_date_facts if name not in questions]
    if dated:
        sections.append(
            Section(
                Text("Signature", "Signature"),
                tuple(
                    Row(Text("Date signed", "Date de signature"), str(document["facts"][name]))
                    for name in dated
                ),
            )
        )
    return tuple(sections)


def _applicant_words(name: str, value: Any) -> str:
    if value in (None, "", {}):
        return "—"
    if name == "preferred_language":
        return _LANGUAGES.get(value, str(value))
    if name == "address" and isinstance(value, dict):
        city = " ".join(str(value[k]) for k in ("city", "province") if value.get(k))
        lines = [value.get("line1"), value.get("line2"), city, value.get("postal_code")]
        return "\n".join(str(line) for line in lines if line)
    return str(value)


def _words(question: Question, value: Any) -> str:
    """An answer as the form prints it: the same words in both languages where words
    are needed, dates as YYYY-MM-DD."""
    if value is None:
        return _NOT_ASKED
    if question.type == "yes-no":
        return _YES if value else _NO
    if question.type == "periods":
        return "\n".join(f"{period['from']} \u2013 {period['to']}" for period in value) or "—"
    if question.type == "years":
        return ", ".join(str(year) for year in value) or "—"
    if question.type == "choice":
        for option in question.options:
            if option.value == value:
                return f"{option.label.en} / {option.label.fr}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class PaperApplication:
    """A read document as an application: its typed fields and the answers to store,
    named as an online application of the program stores them."""

    fields: dict[str, Any]
    answers: dict[str, Any]


def application_of(definition: FormDefinition, document: dict[str, Any]) -> PaperApplication:
    """The application a checked document makes. The applicant block beyond the typed
    fields (place and country of birth, UCI, telephone, address) is kept with the answers
    under `paper_applicant`, and the form's code, version and printing under `paper_form`;
    a yes/no question that only opens a page is answered from the facts it opened."""
    applicant = document["applicant"]
    facts = document["facts"]
    fields: dict[str, Any] = {
        "category": facts.get("category") or "",
        "given_name": applicant["given_name"],
        "family_name": applicant["family_name"],
        "date_of_birth": datetime.date.fromisoformat(applicant["date_of_birth"]),
        "citizenship": facts.get("citizenship") or "",
        "email": applicant.get("email") or "",
        "preferred_language": applicant.get("preferred_language") or "en",
    }
    answers = {name: facts[name] for name in definition.fact_names() if name in facts}
    answers.update(_opening_answers(definition, answers))
    extra = {
        name: applicant[name]
        for name in APPLICANT_FIELDS
        if name not in fields and name in applicant and name not in ("date_of_birth",)
    }
    if extra:
        answers["paper_applicant"] = extra
    answers["paper_form"] = {
        "form": document["form"],
        "form_version": document["form_version"],
        "printed_at": document.get("printed_at"),
    }
    return PaperApplication(fields=fields, answers=answers)


def _opening_answers(definition: FormDefinition, facts: dict[str, Any]) -> dict[str, Any]:
    """Answers to the questions that only open a page (`lived_before_pr`), read off the
    facts the page gives: the opening answer when one of them says something, else the
    other answer of a yes/no."""
    names = {id(question): name for name, question in definition.fact_questions()}
    opened: dict[str, Any] = {}
    for page in definition.flow.pages:
        condition = page.show_if
        question_id = getattr(condition, "question", None)
        one_of = getattr(condition, "one_of", None)
        opener = definition.flow.question(question_id) if question_id else None
        if opener is None or one_of is None or opener.fact or opener.field:
            continue
        said = any(
            facts.get(names[id(question)]) not in (None, [], question.fact_if_hidden)
            for question in page.questions
            if id(question) in names
        )
        if said:
            opened[opener.id] = one_of[0]
        elif opener.type == "yes-no" and True in one_of:
            opened[opener.id] = False
    return opened
