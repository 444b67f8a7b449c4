"""The relief thresholds in force on a day, read from `relief.yaml`: dated entries, each
with the source it follows, the latest in force on the day applying."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from passage.calendar.relief import Thresholds

THRESHOLDS_FILE = Path(__file__).with_name("relief.yaml")


@dataclass(frozen=True)
class DatedThresholds:
    effective: date
    thresholds: Thresholds
    source_title: str
    source_href: str


def thresholds_on(day: date, path: Path = THRESHOLDS_FILE) -> DatedThresholds:
    """The entry in force on `day` (ValueError before the first one)."""
    in_force = [entry for entry in read_thresholds(path) if entry.effective <= day]
    if not in_force:
        raise ValueError(f"no relief thresholds are in force on {day.isoformat()}")
    return in_force[-1]


@cache
def read_thresholds(path: Path = THRESHOLDS_FILE) -> tuple[DatedThresholds, ...]:
    """Every entry of the file, oldest first; a missing key or a wrong value is an
    error that names the entry."""
    entries: list[Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    read = []
    for index, entry in enumerate(entries):
        try:
            read.append(
                DatedThresholds(
                    effective=date.fromisoformat(str(entry["effective"])),
                    thresholds=Thresholds(
                        unplanned=timedelta(minutes=int(entry["unplanned_minutes"])),
                        planned=timedelta(hours=float(entry["planned_hours"])),
                        notice_business_days=int(entry["notice_business_days"]),
                        grace_business_days=int(entry["grace_business_days"]),
                    ),
                    source_title=" ".join(str(entry["source"]["title"]).split()),
                    source_href=str(entry["source"]["href"]),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path.name}: entry {index + 1}: {error}") from None
    return tuple(sorted(read, key=lambda entry: entry.effective))
