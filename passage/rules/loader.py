"""Load a program's `rules.yaml` into a checked, ready-to-evaluate `RuleSet`.

The loader rejects unknown keys, unknown facts and parameters, and malformed
expressions, and reports each problem as `FILE:LINE: message`. What a loaded
ruleset holds, and how its versions are named, is in `passage.rules.ruleset`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Any

from passage.rules import expressions
from passage.rules.expressions import Node, ParameterValues, Timeline, Value
from passage.rules.ruleset import (
    FACT_TYPES,
    LANGUAGES,
    Citation,
    Criterion,
    Parameter,
    PullOut,
    RuleSet,
    RuleSetError,
    Template,
    Tiering,
)
from passage.rules.yaml_lines import LineMapping, LineSequence, read_yaml

# The loader's function, and what importers take from here: what it returns and raises
# (defined in `passage.rules.ruleset`) and the YAML reader it uses (`yaml_lines`).
__all__ = ["Citation", "RuleSet", "RuleSetError", "load_ruleset", "read_yaml"]


class _Reader:
    """Checks one file's structure and turns errors into `FILE:LINE: message`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Equal subtrees of the file's expressions are shared (see `expressions.parse`).
        self.shared: dict[tuple[Any, ...], Node] = {}
        # The documents the file cites, by id (its `sources` section).
        self.sources: dict[str, Citation] = {}
        # Texts that are not in both languages: gathered, so that one error lists them all.
        self.untranslated: list[str] = []

    def fail(self, line: int, message: str) -> RuleSetError:
        return RuleSetError(f"{self.path}:{line}: {message}")

    def mapping(
        self,
        value: Any,
        line: int,
        what: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> LineMapping:
        if not isinstance(value, LineMapping):
            raise self.fail(line, f"{what} must be a mapping")
        if not required and not optional:
            return value  # a free-form mapping: facts, parameters, dated values
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.fail(
                    value.key_lines[key], f"unknown key {key!r} in {what} (allowed: {allowed})"
                )
        for key in required:
            if key not in value:
                raise self.fail(value.line, f"{what} is missing {key!r}")
        return value

    def string(self, mapping: LineMapping, key: str, what: str) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(mapping.key_lines[key], f"{what}.{key} must be a non-empty string")
        return value

    def date(self, value: Any, line: int, what: str) -> datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(line, f"{what} must be a date YYYY-MM-DD, not {value!r}")

    def expression(self, source: Any, line: int, what: str) -> Node:
        if isinstance(source, bool) or not isinstance(source, str):
            raise self.fail(line, f"{what} must be an expression written as a string")
        try:
            return expressions.parse(source, self.shared)
        except expressions.ExpressionError as error:
            raise self.fail(line, f"{what}: {error}") from None

    def text(self, value: Any, line: int, what: str) -> dict[str, str]:
        """A text shown to people, in both languages: `{en: ..., fr: ...}`. A text left in
        one language is noted (every one is reported together at the end) and read as
        English; anything else that is not text is an error at once."""
        if isinstance(value, str):
            if value.strip():
                self.untranslated.append(
                    f"{self.path}:{line}: {what} must be written in both languages, "
                    "as {en: ..., fr: ...}"
                )
                return {"en": value}
        elif isinstance(value, LineMapping):
            self.mapping(value, line, what, (), LANGUAGES)
            texts = {}
            for language in LANGUAGES:
                written = value.get(language)
                if isinstance(written, str) and written.strip():
                    texts[language] = written
                elif language in value:
                    raise self.fail(
                        value.key_lines[language], f"{what}.{language} must be a non-empty string"
                    )
                else:
                    self.untranslated.append(
                        f"{self.path}:{value.line}: {what} has no {language!r}"
                    )
            if "en" in texts:
                return texts
        raise self.fail(line, f"{what} must be a text in both languages, as {{en: ..., fr: ...}}")

    def label(self, mapping: LineMapping, what: str) -> dict[str, str]:
        line = mapping.key_lines["label"]
        label = self.mapping(mapping["label"], line, f"{what}.label", ("en", "fr"))
        return {
            language: self.string(label, language, f"{what}.label") for language in ("en", "fr")
        }

    def citation(self, value: Any, line: int, what: str) -> Citation:
        """A citation written out ({title, href}), or a source of `sources` named by its id,
        alone or with the section it points to ({source, section})."""
        if isinstance(value, str):
            return self.source(value, line, what)
        if isinstance(value, LineMapping) and "source" in value:
            cited = self.mapping(value, line, what, ("source",), ("section",))
            source = self.source(cited["source"], cited.key_lines["source"], what)
            if "section" not in cited:
                return source
            section = self.text(cited["section"], cited.key_lines["section"], f"{what}.section")
            return Citation(
                source.title, source.href, section["en"], source.title_fr, section.get("fr", "")
            )
        citation = self.mapping(value, line, what, ("title", "href"))
        title = self.text(citation["title"], citation.key_lines["title"], f"{what}.title")
        return Citation(
            title["en"], self.string(citation, "href", what), title_fr=title.get("fr", "")
        )

    def source(self, name: Any, line: int, what: str) -> Citation:
        found = self.sources.get(name) if isinstance(name, str) else None
        if found is None:
            known = ", ".join(sorted(self.sources)) or "none: add a `sources` section"
            raise self.fail(
                line, f"{what} names the source {name!r}, which is not in sources ({known})"
            )
        return found

    def references(self, value: Any, line: int, what: str) -> tuple[Citation, ...]:
        if not isinstance(value, LineSequence) or not value:
            raise self.fail(line, f"{what} must be a non-empty list of sources or {{title, href}}")
        return tuple(self.citation(item, value.line, what) for item in value)

    def read_sources(self, value: Any, line: int) -> None:
        """The `sources` section: each cited document once, by an id the rules refer to."""
        sources = self.mapping(value, line, "sources", ())
        for name in sources:
            where = sources.key_lines[name]
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
                raise self.fail(
                    where, f"source id {name!r} must be lower-case words joined by hyphens"
                )
            entry = self.mapping(sources[name], where, f"source {name!r}", ("title", "href"))
            title = self.text(entry["title"], entry.key_lines["title"], f"source {name!r}.title")
            self.sources[name] = Citation(
                title["en"],
                self.string(entry, "href", f"source {name!r}"),
                title_fr=title.get("fr", ""),
            )


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def _value(value: Any) -> Value:
    if isinstance(value, LineSequence):
        return list(value)
    if isinstance(value, datetime.datetime):
        return value
    return value


def load_ruleset(path: str | Path, *, bilingual: bool = True) -> RuleSet:
    """Load and check a `rules.yaml`; raise `RuleSetError` (`FILE:LINE: message`) if it is wrong.

    Every text shown to people must be in English and French, and all that are not are
    listed together; `bilingual=False` reads an English-only file (a version written
    before the French was required, read only for the interchange's English)."""
    path = Path(path)
    reader = _Reader(path)
    document = read_yaml(path)
    top = reader.mapping(
        document,
        1,
        "the ruleset",
        ("program", "effective", "as_of", "facts", "parameters", "criteria"),
        ("description", "categories", "category_required", "tiering", "sources"),
    )
    if "sources" in top:
        reader.read_sources(top["sources"], top.key_lines["sources"])
    program = reader.string(top, "program", "the ruleset")
    effective = reader.date(top["effective"], top.key_lines["effective"], "effective")

    facts_spec = reader.mapping(top["facts"], top.key_lines["facts"], "facts", ())
    facts: dict[str, str] = {}
    fact_descriptions: dict[str, dict[str, str]] = {}
    for name in list(facts_spec):
        line = facts_spec.key_lines[name]
        entry = facts_spec[name]
        if isinstance(entry, str):
            kind = entry
        else:
            fact = reader.mapping(entry, line, f"fact {name!r}", ("type",), ("description",))
            kind = fact["type"]
            if "description" in fact:
                fact_descriptions[name] = reader.text(
                    fact["description"], fact.key_lines["description"], f"fact {name!r}.description"
                )
        if kind not in FACT_TYPES:
            raise reader.fail(
                line, f"fact {name!r} has unknown type {kind!r} ({', '.join(FACT_TYPES)})"
            )
        facts[name] = kind
    as_of = reader.string(top, "as_of", "the ruleset")
    if facts.get(as_of) != "date":
        raise reader.fail(top.key_lines["as_of"], f"as_of must name a date fact, not {as_of!r}")

    categories: tuple[str, ...] = ()
    if "categories" in top:
        raw = top["categories"]
        if not isinstance(raw, LineSequence) or not all(isinstance(c, str) for c in raw):
            raise reader.fail(top.key_lines["categories"], "categories must be a list of codes")
        categories = tuple(raw)
    category_required = top.get("category_required", False)
    if not isinstance(category_required, bool):
        raise reader.fail(top.key_lines["category_required"], "category_required must be a bool")
    if category_required and not categories:
        raise reader.fail(
            top.key_lines["category_required"], "category_required needs a list of categories"
        )
    if categories and "category" in facts:
        raise reader.fail(top.key_lines["facts"], "'category' is the line's category, not a fact")

    parameters = _parameters(reader, top)
    known_facts = set(facts) | ({"category"} if categories else set())

    def check(node: Node, line: int, what: str) -> Node:
        for part in expressions.walk(node):
            if isinstance(part, expressions.Fact) and part.name not in known_facts:
                raise reader.fail(line, f"{what}: unknown fact {part.name!r}")
            if isinstance(part, expressions.Param):
                if part.name not in parameters:
                    raise reader.fail(line, f"{what}: unknown parameter {part.name!r}")
                keyed = parameters[part.name].values.keyed
                if keyed and part.index is None:
                    raise reader.fail(
                        line, f"{what}: param.{part.name} needs a key, e.g. [citizenship]"
                    )
                if not keyed and part.index is not None:
                    raise reader.fail(line, f"{what}: param.{part.name} is not keyed")
        return node

    def applies_to(entry: LineMapping, what: str) -> tuple[str, ...] | None:
        if "applies_to" not in entry:
            return None
        raw = entry["applies_to"]
        line = entry.key_lines["applies_to"]
        if not isinstance(raw, LineSequence) or not raw:
            raise reader.fail(line, f"{what}.applies_to must be a non-empty list of categories")
        for category in raw:
            if category not in categories:
                raise reader.fail(line, f"{what}.applies_to: unknown category {category!r}")
        return tuple(raw)

    raw_criteria = top["criteria"]
    if not isinstance(raw_criteria, LineSequence) or not raw_criteria:
        raise reader.fail(top.key_lines["criteria"], "criteria must be a non-empty list")
    criteria: list[Criterion] = []
    for entry in raw_criteria:
        line = entry.line if isinstance(entry, LineMapping) else raw_criteria.line
        item = reader.mapping(
            entry,
            line,
            "a criterion",
            ("id", "label", "when", "detail", "citation"),
            ("applies_to",),
        )
        criterion_id = reader.string(item, "id", "a criterion")
        what = f"criterion {criterion_id!r}"
        if any(c.id == criterion_id for c in criteria):
            raise reader.fail(item.key_lines["id"], f"duplicate {what}")
        when_line = item.key_lines["when"]
        when = check(reader.expression(item["when"], when_line, f"{what}.when"), when_line, what)
        detail_line = item.key_lines["detail"]
        details = {
            language: _template(reader, text, detail_line, f"{what}.detail.{language}")
            for language, text in reader.text(item["detail"], detail_line, f"{what}.detail").items()
        }
        for template in details.values():
            for part in template.parts:
                if not isinstance(part, str):
                    check(part, detail_line, f"{what}.detail")
        criteria.append(
            Criterion(
                id=criterion_id,
                label=reader.label(item, what),
                when=when,
                detail=details["en"],
                details=details,
                citation=reader.citation(
                    item["citation"], item.key_lines["citation"], f"{what}.citation"
                ),
                applies_to=applies_to(item, what),
            )
        )

    tiering = Tiering()
    if "tiering" in top:
        spec = reader.mapping(
            top["tiering"],
            top.key_lines["tiering"],
            "tiering",
            (),
            ("on_fail", "on_unknown", "pull_out"),
        )
        tiers = {}
        for key in ("on_fail", "on_unknown"):
            if key in spec:
                if spec[key] not in (2, 3):
                    raise reader.fail(spec.key_lines[key], f"tiering.{key} must be 2 or 3")
                tiers[key] = spec[key]
        pull_outs: list[PullOut] = []
        raw_pull = spec.get("pull_out", LineSequence())
        if not isinstance(raw_pull, LineSequence):
            raise reader.fail(spec.key_lines["pull_out"], "tiering.pull_out must be a list")
        for entry in raw_pull:
            line = entry.line if isinstance(entry, LineMapping) else raw_pull.line
            item = reader.mapping(
                entry, line, "a pull-out rule", ("id", "label", "when", "tier"), ("applies_to",)
            )
            rule_id = reader.string(item, "id", "a pull-out rule")
            what = f"pull-out rule {rule_id!r}"
            if item["tier"] not in (2, 3):
                raise reader.fail(item.key_lines["tier"], f"{what}.tier must be 2 or 3")
            when_line = item.key_lines["when"]
            pull_outs.append(
                PullOut(
                    id=rule_id,
                    label=reader.label(item, what),
                    when=check(
                        reader.expression(item["when"], when_line, f"{what}.when"), when_line, what
                    ),
                    tier=item["tier"],
                    applies_to=applies_to(item, what),
                )
            )
        tiering = Tiering(pull_out=tuple(pull_outs), **tiers)

    if reader.untranslated and bilingual:
        raise RuleSetError("\n".join(reader.untranslated), problems=reader.untranslated)
    return RuleSet(
        program=program,
        effective=effective,
        as_of=as_of,
        categories=categories,
        facts=facts,
        parameters=parameters,
        criteria=tuple(criteria),
        tiering=tiering,
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest()[:12],
        source=str(path),
        category_required=category_required,
        fact_descriptions=fact_descriptions,
    )


def _template(reader: _Reader, source: Any, line: int, what: str) -> Template:
    if not isinstance(source, str):
        raise reader.fail(line, f"{what} must be a string")
    parts: list[str | Node] = []
    position = 0
    for match in _PLACEHOLDER.finditer(source):
        parts.append(_plain(reader, source[position : match.start()], line, what))
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        else:
            parts.append(reader.expression(match.group(1), line, f"{what} {{{match.group(1)}}}"))
        position = match.end()
    parts.append(_plain(reader, source[position:], line, what))
    return Template(tuple(p for p in parts if p != ""))


def _plain(reader: _Reader, text: str, line: int, what: str) -> str:
    if "{" in text or "}" in text:
        raise reader.fail(line, f"{what}: unbalanced brace (write {{{{ or }}}} for a literal one)")
    return text


def _parameters(reader: _Reader, top: LineMapping) -> dict[str, Parameter]:
    spec = reader.mapping(top["parameters"], top.key_lines["parameters"], "parameters", ())
    parameters: dict[str, Parameter] = {}
    for name in list(spec):
        what = f"parameter {name!r}"
        line = spec.key_lines[name]
        entry = reader.mapping(
            spec[name],
            line,
            what,
            ("description", "unit", "values", "reference"),
            ("keyed_by", "default"),
        )
        values_line = entry.key_lines["values"]
        raw_values = reader.mapping(entry["values"], values_line, f"{what}.values", ())
        if not raw_values and "keyed_by" not in entry:
            raise reader.fail(values_line, f"{what}.values is empty")
        values: ParameterValues
        if "keyed_by" in entry:
            for key in raw_values:
                if not isinstance(key, str):
                    # YAML reads unquoted NO, ON, YES... as booleans: Norway would vanish.
                    raise reader.fail(
                        raw_values.key_lines[key],
                        f'{what}: the key {key!r} is not text; quote it (for example "NO")',
                    )
            by_key = {
                str(key): _timeline(
                    reader, raw_values[key], raw_values.key_lines[key], f"{what}[{key}]"
                )
                for key in raw_values
            }
            values = ParameterValues(name, by_key=by_key, default=_value(entry.get("default")))
        else:
            if "default" in entry:
                raise reader.fail(entry.key_lines["default"], f"{what}: a default needs keyed_by")
            values = ParameterValues(
                name, timeline=_timeline(reader, raw_values, values_line, what)
            )
        parameters[name] = Parameter(
            name=name,
            description=reader.string(entry, "description", what),
            unit=reader.string(entry, "unit", what),
            values=values,
            references=reader.references(
                entry["reference"], entry.key_lines["reference"], f"{what}.reference"
            ),
        )
    return parameters


def _timeline(reader: _Reader, raw: Any, line: int, what: str) -> Timeline:
    dated = reader.mapping(raw, line, f"{what} values", ())
    if not dated:
        raise reader.fail(line, f"{what} has no dated value")
    changes: list[tuple[datetime.date, Value]] = []
    for key in dated:
        start = reader.date(key, dated.key_lines[key], f"a date key of {what}")
        value = dated[key]
        if isinstance(value, LineMapping):
            raise reader.fail(dated.key_lines[key], f"{what}: a value cannot be a mapping")
        changes.append((start, _value(value)))
    changes.sort(key=lambda change: change[0])
    return Timeline(tuple(changes))
