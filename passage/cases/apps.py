from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "passage.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from passage.postgres import use_fast_timestamp_loader

        connection_created.connect(use_fast_timestamp_loader, dispatch_uid="fast-timestamps")
