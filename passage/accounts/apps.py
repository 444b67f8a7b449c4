from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "passage.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        """Let the outbox build verification and reset links when it sends them."""
        from passage.accounts import services
        from passage.outbox.references import register_link_resolver

        register_link_resolver("verify_email", services.verification_link_for)
        register_link_resolver("password_reset", services.password_reset_link_for)
