"""`benchmarks/results.md`: each benchmark owns one `## ` section and rewrites only it."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results.md"


def write_section(heading: str, section: str) -> None:
    """Replace the section that starts with `heading` by `section`, or append it."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text.find("\n## ", start + 1)
        rest = "\n\n" + text[following + 1 :] if following != -1 else ""
        text = text[:start] + section.rstrip("\n") + rest
    RESULTS.write_text(text.rstrip("\n") + "\n")
