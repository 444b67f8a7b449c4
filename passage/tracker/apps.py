from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "passage.tracker"
    label = "tracker"
    verbose_name = _("Case status tracker")

    def ready(self) -> None:
        """Let the outbox make a link code when it sends it."""
        from passage.outbox.references import register_link_resolver
        from passage.tracker import linking

        register_link_resolver("link_code", linking.code_for)
