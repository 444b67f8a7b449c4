"""Builders for letter tests: a decision form the officer sends having read its letter."""

from typing import Any

from passage.letters.services import decision_digest


def with_letter_read(form: dict[str, Any]) -> dict[str, Any]:
    """The decision `form` with the digest of the letter it sends, as the officer's browser
    sends it after showing them the letter."""
    kind = "approval" if form.get("decision") == "approve" else "refusal"
    grounds = [line.strip() for line in str(form.get("legal_grounds", "")).splitlines()]
    digest = decision_digest(kind, str(form.get("reasons", "")), [g for g in grounds if g])
    return {**form, "letter_digest": digest}
