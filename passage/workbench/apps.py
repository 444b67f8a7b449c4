from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "passage.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from passage.cases.selectors import limit_staff_reads
        from passage.workbench.selectors import reach_of

        limit_staff_reads(reach_of)
