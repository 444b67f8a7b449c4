"""What the client wrote themselves: the new text of an email, above any quoted or
forwarded message and without the phone's "Sent from" line, and text made comparable
across spellings for the classifier."""

import re
import unicodedata

# A line that starts a quoted or forwarded message; everything from it down is quoted.
_QUOTE_STARTS = re.compile(
    r"""^[ \t]*(?:
        -{2,}\s*(?:original\s+message|forwarded\s+message|message\s+d'origine|message\s+transf[ée]r[ée]|message\s+original)\s*-{2,}
      | (?:begin\s+forwarded\s+message|d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée])\s*:?
      | (?:on|le)\b.{0,160}\b(?:wrote|a\s+[ée]crit)\s*:
      | (?:from|de)[ \t]*:[ \t]*.+\n[ \t]*(?:sent|date|envoy[ée]|to|[àa]|subject|objet)\s*:
    )""",
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_SENT_FROM = re.compile(
    r"^[ \t]*(?:sent\s+from\s+my\s+\w+|envoy[ée]\s+de\s+mon\s+\w+|get\s+outlook\s+for\s+\w+"
    r"|obtenir\s+outlook\s+pour\s+\w+|sent\s+from\s+(?:yahoo\s+)?mail\s+for\s+\w+)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
# Fewer words than this above the quote, and the quote is read too: "see below", "FYI".
MINIMUM_OWN_WORDS = 6


# What is read of an email: a client's request is in its first pages, and reading is
# linear in the length only up to here.
READ_AT_MOST = 20_000
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def split_quoted(body: str) -> tuple[str, str]:
    """The body as (the client's own text, the quoted or forwarded text below it)."""
    body = _BLANK_LINES.sub("\n\n", body[:READ_AT_MOST])
    match = _QUOTE_STARTS.search(body)
    head, below = (body[: match.start()], body[match.start() :]) if match else (body, "")
    # "> " lines above the first quote start are quoted too.
    quoted_lines = [line for line in head.splitlines() if line.lstrip().startswith(">")]
    quoted = "\n".join(quoted_lines) + ("\n" + below if below else "")
    own = _SENT_FROM.sub("", _QUOTED_LINE.sub("", head))
    return own.strip(), quoted.strip()


def client_text(subject: str, body: str) -> str:
    """The subject and the client's own words; the quoted text too when they wrote
    almost nothing of their own (a forward with "see below")."""
    return text_to_read(subject, *split_quoted(body))


def text_to_read(subject: str, own: str, quoted: str) -> str:
    """`client_text` from a body already split by `split_quoted`."""
    if len(own.split()) < MINIMUM_OWN_WORDS and quoted:
        own = f"{own}\n{_QUOTED_LINE_MARKS.sub('', quoted)}"
    return f"{subject}\n{own}".strip()


_QUOTED_LINE_MARKS = re.compile(r"^[ \t]*>+ ?", re.MULTILINE)
_NUMBER = re.compile(r"\d")
_ADDRESS = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


def comparable(text: str) -> str:
    """Lower case, without accents, with every digit a 0 and every address or link one
    word: "Ça fait 8 mois" and "ca fait 9 mois" read the same."""
    text = _LINK.sub(" weblink ", _ADDRESS.sub(" emailaddress ", text))
    return _NUMBER.sub("0", without_accents(text.lower()))


def without_accents(text: str) -> str:
    """The text with its letters' accents taken off: "déménagé" as "demenage"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
