"""The messages in the admin, to read only: history is kept as it was sent."""

from django.contrib import admin

from passage.cases.admin import ReadOnly
from passage.conversations.models import Message, MessageAttachment, MessageRead, Thread


class _ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


@admin.register(Thread)
class ThreadAdmin(_ReadOnlyAdmin):
    list_display = ("public_id", "case", "subject", "created_at", "last_message_at")


@admin.register(Message)
class MessageAdmin(_ReadOnlyAdmin):
    list_display = ("public_id", "thread", "author_role", "sent_at")
    list_filter = ("author_role",)


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(_ReadOnlyAdmin):
    list_display = ("filename", "content_type", "size", "sha256")


@admin.register(MessageRead)
class MessageReadAdmin(_ReadOnlyAdmin):
    list_display = ("message", "person", "read_at")
