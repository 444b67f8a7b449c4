"""An email's raw bytes read into what the department keeps and shows: its identity
(Message-ID, sender, date), subject, text (the plain part, or the HTML part turned into
safe text), attachments, the headers that say whether it was sent by a machine, and
every problem met on the way, never an exception."""

import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

# The headers kept beside the raw message, for the pages and the loop checks.
KEPT_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Return-Path",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Auto-Response-Suppress",
    "X-Autoreply",
    "X-Autorespond",
    "Content-Type",
    "Content-Language",
)
MAX_TEXT = 100_000
# A person's message has a few kilobytes of headers; past this, the rest are not read.
MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedEmail:
    """What an email says, as far as it could be read; `problems` lists what could not."""

    message_id: str
    sender: str
    sender_name: str
    recipients: list[str]
    subject: str
    sent_at: datetime | None
    text: str
    headers: list[tuple[str, str]]
    attachments: list[Attachment] = field(default_factory=list)
    content_type: str = "text/plain"
    problems: list[str] = field(default_factory=list)

    def headers_named(self, name: str) -> list[str]:
        """Every value of a kept header (Authentication-Results comes once per check)."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def header(self, name: str) -> str:
        """The first value of a kept header, or an empty string."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), "")


class _TextOfHtml(HTMLParser):
    """The words of an HTML part, paragraphs kept, scripts and styles dropped; nothing of
    its markup survives, so the text can be shown anywhere."""

    BREAKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head", "title"}:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head", "title"}:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def text_of_html(markup: str) -> str:
    """Plain text from HTML, blank lines collapsed."""
    reader = _TextOfHtml()
    reader.feed(markup)
    reader.close()
    text = html.unescape("".join(reader.parts)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decoded(part: Message, problems: list[str]) -> str:
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError, ValueError) as error:
        charset = part.get_content_charset() or "unknown"
        problems.append(
            f"text in an unknown or broken encoding ({charset}): {type(error).__name__}"
        )
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def printable(text: str) -> str:
    """The text without NUL and the other control characters (tabs and line breaks
    kept), which no database text column or page should hold."""
    return _CONTROL.sub("", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _safe_header(message: Message, name: str, problems: list[str]) -> str:
    try:
        value = message.get(name)
        return "" if value is None else printable(" ".join(str(value).split()))
    except (ValueError, IndexError, TypeError, AttributeError) as error:
        problems.append(f"unreadable {name} header: {type(error).__name__}")
        raw = message.get_all(name, failobj=[""])
        return printable(" ".join(str(raw[0]).split())) if raw else ""


def _filename(part: Message, problems: list[str]) -> str:
    try:
        return str(part.get_filename() or "")[:255]
    except (ValueError, IndexError, TypeError, AttributeError, LookupError) as error:
        problems.append(f"unreadable attachment name: {type(error).__name__}")
        return ""


def parse(raw: bytes) -> ParsedEmail:
    """Read raw RFC 5322 bytes. A message without a Message-ID gets one made from its
    bytes' SHA-256, so that the same message delivered twice is still recognised. A
    message the standard library cannot take apart at all (nested thousands deep, say)
    is read as its bytes' text, with the problem named: it is still kept."""
    raw, cut = _headers_within_limit(raw)
    try:
        parsed = _parse(raw)
    except (RecursionError, Exception) as error:  # nothing may stop intake
        parsed = ParsedEmail(
            message_id=f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>",
            sender="",
            sender_name="",
            recipients=[],
            subject="",
            sent_at=None,
            text=printable(raw.decode("utf-8", errors="replace"))[:MAX_TEXT],
            headers=[],
            problems=[f"the message could not be taken apart: {type(error).__name__}"],
        )
    if cut:
        parsed.problems.append(
            f"headers over {MAX_HEADER_BYTES // 1024} KB: the rest were not read"
        )
    parsed.problems = [printable(problem)[:500] for problem in parsed.problems]
    return parsed


def _headers_within_limit(raw: bytes) -> tuple[bytes, bool]:
    """The message with its header block cut at a line under MAX_HEADER_BYTES when it is
    longer (the standard library's parser takes seconds on a few hundred kilobytes of
    headers), and whether it was cut. The body is left as it is."""
    separator = b"\r\n\r\n" if b"\r\n\r\n" in raw else b"\n\n"
    head, _blank, body = raw.partition(separator)
    if len(head) <= MAX_HEADER_BYTES:
        return raw, False
    line_end = raw.rfind(b"\n", 0, MAX_HEADER_BYTES)
    return raw[: line_end + 1] + separator[len(separator) // 2 :] + body, True


def _parse(raw: bytes) -> ParsedEmail:
    problems: list[str] = []
    message: EmailMessage = BytesParser(policy=email.policy.default).parsebytes(raw)  # type: ignore[assignment]
    for defect in message.defects:
        problems.append(f"malformed message: {type(defect).__name__}")
    headers = []
    for name in KEPT_HEADERS:
        value = _safe_header(message, name, problems)
        if value:
            headers.append((name, value[:2000]))
    for value in message.get_all("Authentication-Results", failobj=[])[:20]:
        headers.append(("Authentication-Results", printable(" ".join(str(value).split()))[:2000]))
    message_id = _safe_header(message, "Message-ID", problems)[:900]
    if not message_id:
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    sender_name, sender = parseaddr(_safe_header(message, "From", problems))
    recipients = [
        address
        for _name, address in getaddresses(
            [_safe_header(message, "To", problems), _safe_header(message, "Cc", problems)]
        )
        if address
    ]
    try:
        sent_at = (
            parsedate_to_datetime(_safe_header(message, "Date", problems))
            if message.get("Date")
            else None
        )
    except (TypeError, ValueError):
        sent_at = None
        problems.append("unreadable Date header")
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        content_type = part.get_content_type()
        if disposition == "attachment" or (
            part.get_filename() and content_type not in ("text/plain", "text/html")
        ):
            payload = part.get_payload(decode=True)
            attachments.append(
                Attachment(
                    printable(_filename(part, problems)) or "attachment",
                    content_type,
                    payload if isinstance(payload, bytes) else b"",
                )
            )
        elif content_type == "text/plain":
            plain.append(_decoded(part, problems))
        elif content_type == "text/html":
            markup.append(_decoded(part, problems))
    if plain:
        text = "\n\n".join(plain)
    elif markup:
        text = text_of_html("\n".join(markup))
        problems.append("no plain-text part: the text is read from the HTML part")
    else:
        text = ""
        if not attachments:
            problems.append("no text in the message")
    return ParsedEmail(
        message_id=message_id,
        sender=sender.lower(),
        sender_name=sender_name,
        recipients=recipients,
        subject=_safe_header(message, "Subject", problems)[:998],
        sent_at=sent_at,
        text=printable(text.replace("\r\n", "\n"))[:MAX_TEXT],
        headers=headers,
        attachments=attachments,
        content_type=message.get_content_type(),
        problems=problems,
    )
