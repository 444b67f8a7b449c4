from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "passage.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from passage.accounts.signals import contact_details_changed
        from passage.cases import roles  # noqa: F401 (registers its system checks)
        from passage.cases.contact_changes import record_on_open_cases
        from passage.postgres import use_fast_timestamp_loader

        connection_created.connect(use_fast_timestamp_loader, dispatch_uid="fast-timestamps")
        contact_details_changed.connect(record_on_open_cases, dispatch_uid="cases.contact-changes")
