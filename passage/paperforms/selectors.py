"""What intake staff see of the paper forms received: the latest scans, and one scan
with its reading, both only for the people who handle paper."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.paper.document import answer_sections
from passage.paper.printed import Section
from passage.paperforms.catalogue import definition_for
from passage.paperforms.models import PaperScan
from passage.paperforms.services import ScanNotFound, may_handle_paper

LATEST = 50


def latest_scans(*, person: User) -> list[PaperScan]:
    """The latest scans received, newest first (none for who does not handle paper)."""
    if not may_handle_paper(person):
        return []
    return list(PaperScan.objects.select_related("case")[:LATEST])


@dataclass(frozen=True)
class ScanView:
    """A scan and the application its symbols fill in, section by section."""

    scan: PaperScan
    sections: tuple[Section, ...]
    title: Any


def scan_for(*, person: User, scan_id: UUID) -> ScanView:
    """One scan with what it reads as; ScanNotFound for who does not handle paper."""
    scan = (
        PaperScan.objects.select_related("case").filter(public_id=scan_id).first()
        if may_handle_paper(person)
        else None
    )
    if scan is None:
        raise ScanNotFound(_("This paper form was not found."))
    definition = definition_for(scan.form_code) if scan.form_code else None
    if definition is None or scan.document is None:
        return ScanView(scan=scan, sections=(), title=None)
    sections = answer_sections(definition, scan.document)
    return ScanView(scan=scan, sections=sections, title=definition.paper.title)
