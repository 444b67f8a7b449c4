"""What the spool's tests share: a client's submission through the API, and the spool as
the replayer sees it."""

import json
from typing import Any

from django.conf import settings
from django.test import Client
from django.test.client import Client as TestClient

from passage.continuity.spool import current_spool
from passage.continuity.spool.journal import Journal
from tests.builders import api_application

KEY = "5b1c7a52-0d6e-4f0e-9d7e-2f4c1a9e3b10"


def submit(token: str, *, key: str = KEY, client: TestClient | None = None, **body: Any):
    """POST /api/v1/applications as an app does, answers of every status kept."""
    client = client or Client(raise_request_exception=False)
    return client.post(
        "/api/v1/applications",
        json.dumps(api_application(**body)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )


def journal() -> Journal:
    spool = current_spool()
    assert isinstance(spool, Journal), settings.PASSAGE_SPOOL
    return spool
