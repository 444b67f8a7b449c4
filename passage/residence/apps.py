from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "passage.residence"
    verbose_name = "Confirmation of permanent residence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Invite on approval (a receiver of `case_ended`), and let the outbox make the
        invitation's link when it sends it."""
        from passage.outbox.references import register_link_resolver
        from passage.residence import invitations  # noqa: F401  (connects to case_ended)
        from passage.residence.invitation_links import REFERENCE_NAME, invitation_link_for

        register_link_resolver(REFERENCE_NAME, invitation_link_for)
