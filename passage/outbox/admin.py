from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from passage import clock
from passage.outbox.emails import SECRET_KEYS
from passage.outbox.models import OutboxMessage
from passage.outbox.services import retry_failed_emails

REDACTED = "[reference]"


def redacted_context(row: OutboxMessage) -> dict[str, object]:
    """The row's context as the admin shows it: keys and plain values, but never what
    stands for a link with a token or a code."""
    hidden = {"secret", SECRET_KEYS.get(row.template, "secret")}
    return {key: REDACTED if key in hidden else value for key, value in row.context.items()}


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Outbox rows are read-only: an address, a template or a context changed here would
    send an email (a password reset, say) somewhere else. Failed rows can be retried;
    rows being sent cannot, since their email may be on its way."""

    list_display = (
        "id",
        "kind",
        "to_email",
        "status",
        "sending_since",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("to_email",)
    fields = (
        "kind",
        "case",
        "to_email",
        "language",
        "template",
        "template_version",
        "shown_context",
        "created_at",
        "status",
        "sending_since",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        # The list keeps its action for those allowed to change rows; a row itself is
        # only ever shown.
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("Context"))
    def shown_context(self, row: OutboxMessage) -> str:
        return format_html_join(
            "\n", "<div><code>{}</code>: {}</div>", redacted_context(row).items()
        )

    @admin.action(description=_("Try the selected failed emails again"), permissions=["change"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_failed_emails(ids=queryset.values_list("pk", flat=True), now=clock.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d failed email will be tried again.",
                "%(count)d failed emails will be tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
