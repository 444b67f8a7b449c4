"""Question flows as data: read `programs/<program>/questions.yaml` strictly.

A flow is a list of pages; each page asks one thing (one question, or a small group
that is one thing). Every question says how its answer is kept: `field` names a typed
field of the application (`given_name`, `date_of_birth`…), `fact` names the interchange
fact the program's rules read. A page or question may be shown only for some answers
(`show_if: {answer: …, in: […]}`) or for some ages on the day of the application
(`show_if: {age_of: date_of_birth, from: 18, to: 54}`). Checking is strict: an unknown
key, a missing key, a condition on a question asked later, or a fact name given twice
is an error that names the file and line, as `passage/rules/loader.py` does for rules.

A flow may carry an `example:`, the answers of a person who meets every criterion and
the day they are judged on; tests and browser journeys fill in the pages from it.

This module is the reader; what it reads into is in `passage.programs.flow`, and the
checks of the example in `passage.programs.question_example`.
"""

from pathlib import Path
from typing import Any

from passage.programs.flow import (
    CORE_FIELDS,
    MAX_PEOPLE,
    PERSON_FIELDS,
    QUESTION_TYPES,
    AgeCondition,
    Condition,
    Flow,
    FlowError,
    FlowExample,
    Option,
    Page,
    Question,
    ShowIf,
    Text,
    question_answered,
)
from passage.programs.question_example import read_example
from passage.rules.ruleset import RuleSetError
from passage.rules.yaml_lines import read_yaml

# The reader's own names, and the flow's data (`passage.programs.flow`) as importers take it.
__all__ = [
    "CORE_FIELDS",
    "FLOW_FILE",
    "MAX_PEOPLE",
    "PERSON_FIELDS",
    "QUESTION_TYPES",
    "AgeCondition",
    "Condition",
    "Flow",
    "FlowError",
    "FlowExample",
    "Option",
    "Page",
    "Question",
    "ShowIf",
    "Text",
    "load_flow",
    "question_answered",
]

FLOW_FILE = "questions.yaml"

_CORE_TYPES = {
    "category": ("choice",),
    "given_name": ("text",),
    "family_name": ("text",),
    "date_of_birth": ("date",),
    "citizenship": ("country",),
    "email": ("email",),
    "preferred_language": ("choice",),
}


def load_flow(path: Path) -> Flow:
    """Load and check one questions.yaml; raise FlowError naming the file and line."""
    try:
        document = read_yaml(path)
    except RuleSetError as error:
        raise FlowError(str(error)) from None
    return _Reader(path).flow(document)


_QUESTION_KEYS = (
    "hint",
    "required",
    "field",
    "fact",
    "fact_if_hidden",
    "options",
    "min",
    "max",
    "integer",
    "past",
    "future",
    "after",
    "credited",
    "max_length",
    "show_if",
    "row",
    "add",
    "relationship",
    "max_rows",
)
_PEOPLE_KEYS = ("row", "add", "relationship", "max_rows")


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, Question] = {}
        self.facts: set[str] = set()
        self.fields: set[str] = set()

    def fail(self, line: int, message: str) -> FlowError:
        return FlowError(f"{self.path}:{line}: {message}")

    def mapping(
        self, value: Any, line: int, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Any:
        if not isinstance(value, dict) or not hasattr(value, "key_lines"):
            raise self.fail(line, f"{what} must be a mapping")
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.fail(
                    value.key_lines[key], f"unknown key {key!r} in {what} (allowed: {allowed})"
                )
        for key in required:
            if key not in value:
                raise self.fail(getattr(value, "line", line), f"{what} is missing {key!r}")
        return value

    def line(self, mapping: Any, key: str) -> int:
        return int(mapping.key_lines.get(key, mapping.line))

    def identifier(self, mapping: Any, key: str, what: str) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not value.replace("_", "a").replace("-", "a").isalnum():
            raise self.fail(self.line(mapping, key), f"{what}.{key} must be a name, not {value!r}")
        return value

    def text(self, value: Any, line: int, what: str) -> Text:
        entry = self.mapping(value, line, what, ("en", "fr"), ())
        for language in ("en", "fr"):
            if not isinstance(entry[language], str) or not entry[language].strip():
                raise self.fail(self.line(entry, language), f"{what}.{language} must be text")
        return Text(en=entry["en"].strip(), fr=entry["fr"].strip())

    def boolean(self, mapping: Any, key: str, what: str, default: bool) -> bool:
        if key not in mapping:
            return default
        if not isinstance(mapping[key], bool):
            raise self.fail(self.line(mapping, key), f"{what}.{key} must be true or false")
        return bool(mapping[key])

    def flow(self, document: Any) -> Flow:
        top = self.mapping(
            document,
            1,
            "the flow",
            ("program", "pages"),
            ("description", "submission_date_facts", "example"),
        )
        program = self.identifier(top, "program", "the flow")
        raw_pages = top["pages"]
        if not isinstance(raw_pages, list) or not raw_pages:
            raise self.fail(self.line(top, "pages"), "pages must be a non-empty list")
        pages: list[Page] = []
        page_ids: set[str] = set()
        for raw in raw_pages:
            page = self.page(raw, getattr(raw_pages, "line", 1))
            if page.id in page_ids:
                raise self.fail(raw.line, f"page {page.id!r} is listed twice")
            page_ids.add(page.id)
            pages.append(page)
        dated = top.get("submission_date_facts", [])
        if not isinstance(dated, list) or not all(isinstance(name, str) for name in dated):
            raise self.fail(
                self.line(top, "submission_date_facts"), "submission_date_facts: a list of names"
            )
        for name in dated:
            if name in self.facts:
                raise self.fail(
                    self.line(top, "submission_date_facts"), f"fact {name!r} is also a question"
                )
        for name in ("given_name", "family_name", "date_of_birth", "citizenship", "email"):
            if name not in self.fields:
                raise self.fail(1, f"no question gives the application field {name!r}")
        example = (
            read_example(self, top["example"], self.line(top, "example"))
            if "example" in top
            else None
        )
        return Flow(
            program=program,
            pages=tuple(pages),
            submission_date_facts=tuple(dated),
            example=example,
            source=str(self.path),
        )

    def page(self, raw: Any, line: int) -> Page:
        entry = self.mapping(raw, line, "a page", ("id", "title", "questions"), ("show_if",))
        page_id = self.identifier(entry, "id", "the page")
        what = f"page {page_id!r}"
        title = self.text(entry["title"], self.line(entry, "title"), f"{what}.title")
        show_if = self.condition(entry, what)
        raw_questions = entry["questions"]
        if not isinstance(raw_questions, list) or not raw_questions:
            raise self.fail(self.line(entry, "questions"), f"{what}.questions must be a list")
        # Questions on one page may not depend on each other: the page is sent in one go.
        questions = tuple(self.question(item, what) for item in raw_questions)
        for question in questions:
            self.seen[question.id] = question
        return Page(id=page_id, title=title, questions=questions, show_if=show_if)

    def condition(self, entry: Any, what: str) -> ShowIf | None:
        if "show_if" not in entry:
            return None
        line = self.line(entry, "show_if")
        raw = entry["show_if"]
        if isinstance(raw, dict) and "age_of" in raw:
            return self.age_condition(raw, line, what)
        raw = self.mapping(raw, line, f"{what}.show_if", ("answer",), ("equals", "in"))
        name = raw["answer"]
        if name not in self.seen:
            raise self.fail(line, f"{what}.show_if: {name!r} is not a question on an earlier page")
        if ("equals" in raw) == ("in" in raw):
            raise self.fail(line, f"{what}.show_if needs exactly one of 'equals' or 'in'")
        values = (raw["equals"],) if "equals" in raw else raw["in"]
        if not isinstance(values, list | tuple) or not values:
            raise self.fail(line, f"{what}.show_if.in must be a non-empty list")
        asked = self.seen[name]
        if asked.options:
            allowed = {option.value for option in asked.options}
            for value in values:
                if value not in allowed:
                    raise self.fail(line, f"{what}.show_if: {value!r} is not an option of {name!r}")
        return Condition(question=name, one_of=tuple(values))

    def age_condition(self, raw: Any, line: int, what: str) -> AgeCondition:
        """`{age_of: <a date question>, from: 18, to: 54}`: ages in completed years on the
        day the application is made, both bounds included."""
        raw = self.mapping(raw, line, f"{what}.show_if", ("age_of",), ("from", "to"))
        line = getattr(raw, "line", line)
        name = raw["age_of"]
        asked = self.seen.get(name) if isinstance(name, str) else None
        if asked is None or asked.type != "date":
            raise self.fail(
                self.line(raw, "age_of"),
                f"{what}.show_if.age_of must name a date asked on an earlier page, not {name!r}",
            )
        if "from" not in raw and "to" not in raw:
            raise self.fail(line, f"{what}.show_if needs 'from', 'to' or both with 'age_of'")
        bounds: dict[str, int | None] = {}
        for key in ("from", "to"):
            value = raw.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150
            ):
                raise self.fail(
                    self.line(raw, key), f"{what}.show_if.{key} must be an age in whole years"
                )
            bounds[key] = value
        low, high = bounds["from"], bounds["to"]
        if low is not None and high is not None and low > high:
            raise self.fail(line, f"{what}.show_if: 'from' ({low}) is after 'to' ({high})")
        return AgeCondition(question=name, minimum=low, maximum=high)

    def question(self, raw: Any, page_what: str) -> Question:
        line = getattr(raw, "line", 1)
        entry = self.mapping(
            raw, line, f"a question of {page_what}", ("id", "type", "label"), _QUESTION_KEYS
        )
        question_id = self.identifier(entry, "id", "the question")
        what = f"question {question_id!r}"
        if question_id in self.seen:
            raise self.fail(entry.line, f"{what} is asked twice")
        kind = entry["type"]
        if kind not in QUESTION_TYPES:
            raise self.fail(
                self.line(entry, "type"),
                f"{what}.type {kind!r} is not one of {', '.join(QUESTION_TYPES)}",
            )
        label = self.text(entry["label"], self.line(entry, "label"), f"{what}.label")
        hint = (
            self.text(entry["hint"], self.line(entry, "hint"), f"{what}.hint")
            if "hint" in entry
            else None
        )
        core = entry.get("field")
        if core is not None:
            if core not in CORE_FIELDS:
                raise self.fail(
                    self.line(entry, "field"),
                    f"{what}.field {core!r} is not one of {', '.join(CORE_FIELDS)}",
                )
            if kind not in _CORE_TYPES[core]:
                raise self.fail(
                    self.line(entry, "type"),
                    f"{what}: the field {core!r} needs type {_CORE_TYPES[core][0]}",
                )
            if core in self.fields:
                raise self.fail(self.line(entry, "field"), f"{what}: field {core!r} is given twice")
            self.fields.add(core)
        fact = entry.get("fact")
        if fact is not None:
            if not isinstance(fact, str) or not fact.replace("_", "a").isalnum():
                raise self.fail(self.line(entry, "fact"), f"{what}.fact must be a fact name")
            if fact in self.facts:
                raise self.fail(self.line(entry, "fact"), f"{what}: fact {fact!r} is given twice")
            self.facts.add(fact)
        if "fact_if_hidden" in entry and fact is None:
            raise self.fail(
                self.line(entry, "fact_if_hidden"), f"{what}: fact_if_hidden needs a fact"
            )
        options: list[Option] = []
        if kind == "choice" or (kind == "people" and "options" in entry):
            raw_options = entry.get("options")
            if not isinstance(raw_options, list) or not raw_options:
                raise self.fail(entry.line, f"{what}: a choice needs a list of options")
            for item in raw_options:
                option = self.mapping(
                    item,
                    getattr(item, "line", entry.line),
                    f"{what} option",
                    ("value", "label"),
                    (),
                )
                value = option["value"]
                if not isinstance(value, str):
                    raise self.fail(option.line, f"{what}: an option value must be text (quote it)")
                options.append(
                    Option(
                        value=value, label=self.text(option["label"], option.line, f"{what} option")
                    )
                )
        elif "options" in entry:
            raise self.fail(
                self.line(entry, "options"), f"{what}: only a choice or people have options"
            )
        after = entry.get("after")
        if after is not None:
            earlier = self.seen.get(after)
            if earlier is None or earlier.type != "date":
                raise self.fail(
                    self.line(entry, "after"),
                    f"{what}.after must name a date asked on an earlier page",
                )
        if kind != "date" and any(key in entry for key in ("past", "future", "after")):
            raise self.fail(entry.line, f"{what}: past, future and after are for dates")
        if kind not in ("number", "years") and any(
            key in entry for key in ("min", "max", "integer")
        ):
            raise self.fail(entry.line, f"{what}: min, max and integer are for numbers")
        for key in ("min", "max"):
            if key in entry and (
                isinstance(entry[key], bool) or not isinstance(entry[key], int | float)
            ):
                raise self.fail(self.line(entry, key), f"{what}.{key} must be a number")
        credited = None
        if "credited" in entry:
            if kind != "periods":
                raise self.fail(self.line(entry, "credited"), f"{what}: credited is for periods")
            credited = self.text(
                entry["credited"], self.line(entry, "credited"), f"{what}.credited"
            )
        people = self.people(entry, what, kind, bool(options))
        max_length = entry.get("max_length", 200)
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
            raise self.fail(
                self.line(entry, "max_length"), f"{what}.max_length must be a whole number"
            )
        return Question(
            id=question_id,
            type=kind,
            label=label,
            hint=hint,
            required=self.boolean(entry, "required", what, kind not in ("periods", "years")),
            field=core,
            fact=fact,
            fact_if_hidden=entry.get("fact_if_hidden"),
            has_fact_if_hidden="fact_if_hidden" in entry,
            options=tuple(options),
            minimum=entry.get("min"),
            maximum=entry.get("max"),
            integer=self.boolean(entry, "integer", what, False),
            past=self.boolean(entry, "past", what, False),
            future=self.boolean(entry, "future", what, False),
            after=after,
            credited=credited,
            max_length=max_length,
            show_if=self.condition(entry, what),
            **people,
        )

    def people(self, entry: Any, what: str, kind: str, has_options: bool) -> dict[str, Any]:
        """The keys of a `people` question: `row` and `add` texts, the `relationship`
        legend that goes with `options`, and `max_rows`."""
        if kind != "people":
            for key in _PEOPLE_KEYS:
                if key in entry:
                    raise self.fail(self.line(entry, key), f"{what}: {key} is for people")
            return {}
        for key in ("row", "add", "max_rows"):
            if key not in entry:
                raise self.fail(entry.line, f"{what}: a people question needs {key!r}")
        if has_options != ("relationship" in entry):
            raise self.fail(
                entry.line, f"{what}: relationship and options go together (both or neither)"
            )
        max_rows = entry["max_rows"]
        if not isinstance(max_rows, int) or isinstance(max_rows, bool):
            max_rows = 0
        if not 1 <= max_rows <= MAX_PEOPLE:
            raise self.fail(
                self.line(entry, "max_rows"),
                f"{what}.max_rows must be a whole number from 1 to {MAX_PEOPLE}",
            )
        texts = {
            key: self.text(entry[key], self.line(entry, key), f"{what}.{key}")
            for key in ("row", "add", "relationship")
            if key in entry
        }
        return {**texts, "max_rows": max_rows}
