"""The training and evaluation corpus: emails written by hand in English and French
(`corpus/*.jsonl`), with placeholders for the numbers in them, filled in here the same
way on every run so that training is reproducible."""

import json
import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from passage.cases.reference import damm_check_digit
from passage.mailtriage.text import without_accents

CORPUS = Path(__file__).parent / "corpus"
# Written by an author whose style training never sees: the harder half of the evaluation.
UNSEEN_AUTHOR = "eval-unseen.jsonl"
_PLACEHOLDER = re.compile(r"\{(REF|BADREF|UCI|PHONE|PASSPORT|OLDFILE|DATE|NAME)\}")
_NAMES = (
    "Amina Diallo",
    "Jean-François Tremblay",
    "Priya Raghunathan",
    "Olena Kovalenko",
    "Nguyễn Thị Lan",
    "María José Hernández",
    "Chukwuemeka Okafor",
    "Li Wei",
    "Marie-Ève Gagnon",
    "Mohammed Al-Farsi",
    "Siobhan O'Connor",
    "Kwame Mensah",
    "Zeynep Y\u0131lmaz",
    "Rafael Souza",
    "Fatima Zahra Benali",
    "Daniel Côté",
)


@dataclass(frozen=True)
class Email:
    """One email of the corpus, its numbers filled in, with what it should be read as."""

    id: str
    language: str
    variety: str
    category: str
    subject: str
    body: str
    reference: str | None
    source: str


def _reference(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(14))
    return f"P{body}{damm_check_digit(body)}"


def _as_written(reference: str, rng: random.Random) -> str:
    digits = reference[1:]
    prefix = rng.choice(("P", "P", "P", "p", "P ", "P-"))
    style = rng.randrange(5)
    if style == 1:
        digits = " ".join((digits[:4], digits[4:8], digits[8:12], digits[12:]))
    elif style == 2:
        digits = "-".join((digits[:3], digits[3:6], digits[6:9], digits[9:12], digits[12:]))
    return prefix + digits


def _fill(text: str, rng: random.Random, reference: str, name: str) -> str:
    def number(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind == "REF":
            return _as_written(reference, rng)
        if kind == "BADREF":
            wrong = (int(reference[-1]) + rng.randrange(1, 10)) % 10
            return _as_written(reference[:-1] + str(wrong), rng)
        if kind == "UCI":
            return "".join(str(rng.randrange(10)) for _ in range(rng.choice((8, 10))))
        if kind == "PHONE":
            area, exchange, line = (
                rng.randrange(200, 999),
                rng.randrange(200, 999),
                rng.randrange(10000),
            )
            return rng.choice(
                (
                    f"({area}) {exchange}-{line:04d}",
                    f"{area}-{exchange}-{line:04d}",
                    f"+1 {area} {exchange} {line:04d}",
                    f"+33 6 {line:04d} {exchange}",
                )
            )
        if kind == "PASSPORT":
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
            return letters + "".join(str(rng.randrange(10)) for _ in range(7))
        if kind == "OLDFILE":
            return rng.choice("EF") + "".join(str(rng.randrange(10)) for _ in range(9))
        if kind == "DATE":
            day, month = rng.randrange(1, 29), rng.randrange(1, 13)
            return rng.choice(
                (f"2026-{month:02d}-{day:02d}", f"{day}/{month}/2026", f"{month}/{day}/2026")
            )
        return name

    return _PLACEHOLDER.sub(number, text)


def read(path: Path) -> Iterator[Email]:
    """The emails of one corpus file, numbers filled in from a seed of each one's id."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        rng = random.Random(zlib.crc32(row["id"].encode()))  # noqa: S311 - fixed test data
        reference, name = _reference(rng), rng.choice(_NAMES)
        subject = _fill(row["subject"], rng, reference, name)
        body = _fill(row["body"], rng, reference, name)
        yield Email(
            id=row["id"],
            language=row["language"],
            variety=row["variety"],
            category=row["category"],
            subject=subject,
            body=body,
            reference=reference if "{REF}" in row["subject"] + row["body"] else None,
            source=path.name,
        )


def labelled(path: Path) -> list[Email]:
    """Emails officers categorised, as `passage mail labels` writes them: real text, no
    placeholders, for training only."""
    return [replace(email, reference=None) for email in read(path)]


def corpus(folder: Path = CORPUS) -> list[Email]:
    """Every email of every corpus file, in a stable order."""
    return [email for path in sorted(folder.glob("*.jsonl")) for email in read(path)]


def held_out(email: Email, share: float = 0.2) -> bool:
    """Whether an email is kept out of training: all of the unseen author's, and a fixed
    fifth of the others (by a hash of the id, so the split never moves)."""
    if email.source == UNSEEN_AUTHOR:
        return True
    return zlib.crc32(email.id.encode()) % 1000 < share * 1000


_SIGNATURES = (
    "\n\nThanks,\n{name}",
    "\n\nMerci,\n{name}",
    "\n\n--\n{name}\nSent from my iPhone",
    "\n\nCordialement,\n{name}\nEnvoyé de mon iPhone",
    "\n\nRegards\n{name}\nThis email and any attachments are confidential.",
    "\n\n{name}",
)
_ACKNOWLEDGEMENTS = (
    "\n\nOn Mon, 2 Mar 2026 at 09:14, Immigration <no-reply@passage.example> wrote:\n"
    "> We received your message. We answer most messages within 30 days.\n"
    "> Track your application in your account.",
    "\n\nLe lun. 2 mars 2026 à 09 h 14, Immigration <no-reply@passage.example> a écrit :\n"
    "> Nous avons bien reçu votre message. Nous répondons à la plupart des messages en 30 jours.\n"
    "> Suivez votre demande dans votre compte.",
)


def _with_typos(text: str, rng: random.Random) -> str:
    letters = list(text)
    for _ in range(max(1, len(letters) // 60)):
        at = rng.randrange(max(1, len(letters) - 1))
        if letters[at].isalpha() and letters[at + 1].isalpha():
            if rng.random() < 0.5:
                letters[at], letters[at + 1] = letters[at + 1], letters[at]
            else:
                del letters[at]
    return "".join(letters)


def variants(email: Email) -> list[Email]:
    """The email as it was written and as other clients would send it: without accents,
    with typos, in lower case, signed, or as a reply above the department's
    acknowledgement. Only training emails get variants; the evaluation reads the
    emails as written."""
    rng = random.Random(zlib.crc32(("variants:" + email.id).encode()))  # noqa: S311 - as above
    name = rng.choice(_NAMES)
    made = [email]
    changes = (
        without_accents,
        lambda body: _with_typos(body, rng),
        lambda body: body.lower(),
        lambda body: body + rng.choice(_SIGNATURES).format(name=name),
        lambda body: body + rng.choice(_ACKNOWLEDGEMENTS),
    )
    for number, change in enumerate(rng.sample(changes, 2)):
        made.append(replace(email, id=f"{email.id}~{number}", body=change(email.body)))
    return made
