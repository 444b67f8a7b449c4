from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "passage.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from passage.intake.signals import application_submitted

        application_submitted.connect(_enqueue_triage, dispatch_uid="triage-on-submission")


def _enqueue_triage(sender: object, case: Any, **kwargs: object) -> None:
    # Enqueued inside the submission's transaction: with the database task backend the
    # job row commits with the case, so no submitted file can miss its triage.
    from passage.triage.tasks import triage_submitted_case

    triage_submitted_case.enqueue(str(case.public_id))
