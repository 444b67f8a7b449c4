from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "passage.letters"
    label = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from passage.cases.signals import case_ended
        from passage.letters.services import issue_on_case_end

        case_ended.connect(issue_on_case_end, dispatch_uid="letters.issue_on_case_end")
