"""Programs as data: each folder of `programs/` read once into one checked, immutable bundle.

Pure like the rules engine it feeds: it imports nothing from Django or the apps, so an
analyst can read and check a program without a database.
"""

from passage.programs.bundle import PROGRAM_FILES, ProgramBundle, read_program, read_programs
from passage.programs.definition import CatalogueError, ChecklistItem, ProgramDefinition

__all__ = [
    "PROGRAM_FILES",
    "CatalogueError",
    "ChecklistItem",
    "ProgramBundle",
    "ProgramDefinition",
    "read_program",
    "read_programs",
]
