from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The email outbox: emails written with the change they announce, delivered after."""

    name = "passage.outbox"
    # The label the app was first installed under: its tables (messaging_outboxmessage)
    # and the migration history of every database carry it.
    label = "messaging"
    verbose_name = _("Email outbox")
