"""Builders for rules tests: an IEC line that passes everything, to vary one fact at a time."""

from pathlib import Path
from typing import Any

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"
IEC_RULES = PROGRAMS / "iec" / "rules.yaml"


def create_iec_line(category: str = "young-professionals", **facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "citizenship": "FR",
        "date_of_birth": "1996-06-01",
        "invitation_date": "2026-01-12",
        "funds_cad": 3000,
        "insurance_until": "2027-01-31",
        "stay_until": "2027-01-12",
        "accompanying_dependants": False,
        "job_offer": True,
        "enrolled_post_secondary": True,
        "previous_participations": 0,
    }
    base.update(facts)
    return {"id": "line-1", "program": "iec", "category": category, "facts": base}


MINIMAL_RULES = """\
program: demo
effective: 2024-01-01
as_of: day
facts:
  day: date
  amount: number
parameters:
  floor:
    description: Smallest amount
    unit: CAD
    values:
      2024-01-01: 10
    reference:
      - {title: {en: Example instrument s. 1, fr: Texte d'exemple art. 1}, href: "https://example.org/1"}
criteria:
  - id: enough
    label: {en: Enough, fr: Assez}
    when: amount >= param.floor
    detail: {en: "{amount} against {param.floor}", fr: "{amount} contre {param.floor}"}
    citation: {title: {en: Example instrument s. 2, fr: Texte d'exemple art. 2}, href: "https://example.org/2"}
"""
