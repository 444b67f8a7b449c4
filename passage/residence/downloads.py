"""Every download of an eCOPR is kept: who, which document, when."""

from datetime import datetime

from passage.accounts.models import User
from passage.residence.models import Ecopr, EcoprDownload


def record_download(document: Ecopr, person: User, *, now: datetime) -> EcoprDownload:
    """Log one download of `document` by `person`."""
    return EcoprDownload.objects.create(ecopr=document, person=person, at=now)
