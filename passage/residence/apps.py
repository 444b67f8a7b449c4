from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "passage.residence"
    verbose_name = "Confirmation of permanent residence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passage.residence import invitations  # noqa: F401  (connects to case_ended)
