"""A program's paper form as data: `programs/<program>/paper.yaml` read strictly.

The form asks the program's questions (questions.yaml) and carries the answers in the
JSON document of `shared/spec/barcode-form.md`: the applicant's identity and contact
details under `applicant`, every other answer under `facts`, named after its fact. The
file says only what is the form's own: its code and version, its title, where to send
it, and the application fields its document leaves out (the adult grant's document has
no `citizenship`).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from passage.programs.flow import CORE_FIELDS, Flow, FlowError, Text
from passage.rules.ruleset import RuleSetError
from passage.rules.yaml_lines import read_yaml

PAPER_FILE = "paper.yaml"
_KEYS = ("form", "version", "title", "send_to", "leave_out")


@dataclass(frozen=True)
class PaperForm:
    """A program's paper form: `code` (PSG1's `<form>`), `version` (the document's
    `form_version`), its bilingual `title`, where to send it (`send_to`), and the
    application fields of its flow that the document does not carry (`leave_out`)."""

    code: str
    version: int
    title: Text
    send_to: Text
    leave_out: tuple[str, ...] = ()


def load_paper_form(path: Path, flow: Flow | None) -> PaperForm:
    """Load and check one paper.yaml against its program's flow; FlowError naming the
    file and line."""
    try:
        top = read_yaml(path)
    except RuleSetError as error:
        raise FlowError(str(error)) from None

    def fail(key: str | None, message: str) -> FlowError:
        line = top.key_lines.get(key, top.line) if key and hasattr(top, "key_lines") else 1
        return FlowError(f"{path}:{line}: {message}")

    if not isinstance(top, dict):
        raise fail(None, "the paper form must be a mapping")
    unknown = [key for key in top if key not in _KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown key {unknown[0]!r} (allowed: {', '.join(_KEYS)})")
    missing = [key for key in _KEYS[:4] if key not in top]
    if missing:
        raise fail(None, f"the paper form is missing {missing[0]!r}")
    if flow is None:
        raise fail(None, "a paper form needs the program's questions.yaml")
    code = top["form"]
    if not isinstance(code, str) or not code.replace("-", "a").isalnum() or code != code.lower():
        raise fail("form", f"form must be a lower-case code such as cit-grant-adult, not {code!r}")
    version = top["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("version", "version must be a whole number from 1")
    leave_out = top.get("leave_out", [])
    if not isinstance(leave_out, list) or any(name not in CORE_FIELDS for name in leave_out):
        raise fail("leave_out", f"leave_out lists application fields ({', '.join(CORE_FIELDS)})")
    return PaperForm(
        code=code,
        version=version,
        title=_text(top["title"], lambda message: fail("title", message)),
        send_to=_text(top["send_to"], lambda message: fail("send_to", message)),
        leave_out=tuple(leave_out),
    )


def _text(value: Any, fail: Any) -> Text:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(language), str) and value[language].strip()
        for language in ("en", "fr")
    ):
        raise fail("give the text in English and French: {en: …, fr: …}")
    return Text(en=value["en"].strip(), fr=value["fr"].strip())
