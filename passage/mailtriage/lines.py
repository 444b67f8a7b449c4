"""The lines of `passage mail classify` (`shared/spec/email-triage.md`): one email a JSON
line in, one result line out, in order; a line that is not a valid email gets an error
line naming what is wrong, and the others are classified all the same."""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from passage.mailtriage.triage import triage_all

BATCH = 256


class InvalidLine(ValueError):
    """A line that is not an email the command can read."""

    def __init__(self, message: str, email_id: object = None) -> None:
        super().__init__(message)
        self.email_id = email_id


def read_line(line: str | bytes) -> tuple[str, str, str]:
    """The id, subject and body of one input line, or InvalidLine."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidLine("not UTF-8 text") from None
    try:
        value: Any = json.loads(line)
    except ValueError as error:
        raise InvalidLine(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise InvalidLine("not a JSON object")
    email_id = value.get("id")
    if not isinstance(email_id, str) or not email_id:
        raise InvalidLine(
            "id: required, a non-empty string", email_id if isinstance(email_id, int) else None
        )
    for key in ("subject", "body", "from"):
        if key in value and value[key] is not None and not isinstance(value[key], str):
            raise InvalidLine(f"{key}: must be a string", email_id)
    if not isinstance(value.get("body"), str):
        raise InvalidLine("body: required, a string", email_id)
    received_at = value.get("received_at")
    if received_at is not None:
        try:
            datetime.fromisoformat(str(received_at).replace("Z", "+00:00"))
        except ValueError:
            raise InvalidLine(
                f"received_at: not an ISO 8601 date and time: {received_at!r}", email_id
            ) from None
    return email_id, value.get("subject") or "", value["body"]


def _without_line_end(line: str | bytes) -> str | bytes:
    return line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")


def classify_lines(
    lines: Iterable[str | bytes], *, threshold: float | None = None
) -> Iterator[tuple[dict[str, object], bool]]:
    """Each input line's output line, in order, and whether the input was valid (a blank
    line is not an email: it gets an error line, as in `passage triage`)."""
    source = (_without_line_end(line) for line in lines)
    while batch := list(islice(source, BATCH)):
        read: list[tuple[str, str, str] | InvalidLine] = []
        for line in batch:
            try:
                read.append(read_line(line))
            except InvalidLine as error:
                read.append(error)
        valid = [item for item in read if not isinstance(item, InvalidLine)]
        results = iter(
            triage_all([(subject, body) for _id, subject, body in valid], threshold=threshold)
        )
        for item in read:
            if isinstance(item, InvalidLine):
                yield {"id": item.email_id, "error": str(item)}, False
            else:
                yield next(results).as_line(item[0]), True
