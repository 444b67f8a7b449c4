import uuid

from django.conf import settings
from django.db import models


class LinkRequest(models.Model):
    """A person's request to link a case to their account, and the one-time code sent to
    the email address on file for the case.

    A request is made whether or not the details matched a case (`case` is empty when
    they did not), so that neither the answer nor the timing tells which detail was
    wrong. Only a hash of the code is kept. A code works once, for a few minutes, and
    for a few tries.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_requests"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The address the code went to, lower-cased: rate limits count per address too.
    email = models.EmailField(blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["case", "created_at"], name="link_request_case_recent"),
            models.Index(fields=["email", "created_at"], name="link_request_email_recent"),
            models.Index(fields=["person", "created_at"], name="link_request_person_recent"),
        ]

    def __str__(self) -> str:
        return f"link request {self.public_id}"
