from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "passage.continuity"
    label = "continuity"
    verbose_name = _("Continuity of service")

    def ready(self) -> None:
        from passage.continuity import services, status_copy
        from passage.continuity.probes import watcher

        services.after_change.append(status_copy.write_after_change)
        watcher.while_database_down.append(status_copy.write_live_states)
