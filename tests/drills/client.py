"""A client of the drills: one HTTP request on a fresh connection, and what came back,
when it was sent and answered; no answer at all (refused, reset, timed out) is an answer
too, with no status."""

import http.client
import json
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from tests.drills.cluster import HOST

TIMEOUT = 15.0


@dataclass(frozen=True)
class Answer:
    status: int | None
    headers: dict[str, str]
    body: bytes
    sent_at: float
    answered_at: float
    error: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.answered_at - self.sent_at

    @property
    def retry_after(self) -> str | None:
        return self.headers.get("retry-after")

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    sent_at = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
    except OSError as error:  # refused, reset or timed out: no answer
        return Answer(None, {}, b"", sent_at, time.monotonic(), f"{type(error).__name__}: {error}")
    finally:
        connection.close()
    received = {name.lower(): value for name, value in response.getheaders()}
    cookies = SimpleCookie()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            cookies.load(value)
    return Answer(
        response.status,
        received,
        content,
        sent_at,
        time.monotonic(),
        cookies={name: morsel.value for name, morsel in cookies.items()},
    )


def get(port: int, path: str, *, headers: dict[str, str] | None = None) -> Answer:
    return request(port, "GET", path, headers=headers)


def post_json(port: int, path: str, body: object, *, headers: dict[str, str]) -> Answer:
    return request(
        port,
        "POST",
        path,
        headers={**headers, "Content-Type": "application/json"},
        body=json.dumps(body).encode(),
    )
