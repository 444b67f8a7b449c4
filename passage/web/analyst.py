"""The policy analyst's home: the rules in force for each program, read from the programs
folder as triage reads them (`intake.catalogue.current_programs`), and how to see what a
change would do (`passage rules diff`)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passage.accounts.access import gate
from passage.accounts.roles import Role
from passage.intake.catalogue import current_programs
from passage.languages import active_language, in_language
from passage.programs.bundle import ProgramBundle


@gate(Role.ANALYST)
def home(request: HttpRequest) -> HttpResponse:
    """The analyst's home: each program's rules in force, their version and citations."""
    language = active_language()
    programs = [
        program_row(bundle, language) for _code, bundle in sorted(current_programs().items())
    ]
    return render(request, "web/analyst.html", {"programs": programs})


def program_row(bundle: ProgramBundle, language: str) -> dict[str, Any]:
    """What the page shows of one program's ruleset in force."""
    ruleset = bundle.ruleset
    return {
        "code": bundle.code,
        "name": in_language(bundle.definition.name_en, bundle.definition.name_fr, language),
        "version": ruleset.version,
        "content_hash": ruleset.content_hash,
        "effective": ruleset.effective,
        "categories": [category.name(language) for category in bundle.definition.categories],
        "criteria": [
            {
                "id": criterion.id,
                "label": in_language(
                    criterion.label.get("en", criterion.id),
                    criterion.label.get("fr") or criterion.label.get("en", criterion.id),
                    language,
                ),
                "citation": criterion.citation.heading_in(language),
                "href": criterion.citation.href,
            }
            for criterion in ruleset.criteria
        ],
        "diff_command": (
            f"passage rules diff --program {bundle.code} --from {ruleset.version} "
            f"--to {bundle.code}@YYYY-MM-DD --input lines.jsonl"
        ),
    }
