"""The embedded spool: an append-only journal on this server's disk.

The folder holds segments (`segment-000001.log`, …), each a sequence of records, and
`done.log`, the receipts already filed. Every line is `<crc32 in hex> <payload>\\n`: a
record's JSON, or a receipt. Each append is written whole and flushed to the disk
(`fsync`) before the client is answered, and a file created is flushed into its folder
too. A crash can leave the last line of a file torn (no newline, or a checksum that does
not match): the client was never answered for it, so it is skipped and reported, never
fatal, and the next append starts on a fresh line.

Several web processes append to the same folder; an exclusive lock on `journal.lock`
(`flock`) puts their appends, the replayer's notes and compaction one after the other."""

import fcntl
import logging
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from passage.continuity.spool.base import Delivery, Found, SpoolUnavailable
from passage.continuity.spool.records import DamagedRecord, SpooledRecord
from passage.durable import fsync_folder

logger = logging.getLogger(__name__)

SEGMENT_PREFIX = "segment-"
SEGMENT_SUFFIX = ".log"
DONE_FILE = "done.log"
LOCK_FILE = "journal.lock"


@dataclass
class Scan:
    """What reading the journal found: the records, oldest first, with the segment each
    is in, and the lines it had to skip (torn or damaged), by file and line number."""

    records: list[tuple[SpooledRecord, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def frame(payload: bytes) -> bytes:
    """One line of the journal: the payload's checksum, a space, the payload."""
    if b"\n" in payload:
        raise ValueError("a journal payload is one line")
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def read_lines(path: Path) -> tuple[list[bytes], list[str]]:
    """The payloads of a journal file whose checksums match, and a note for each line
    skipped. A missing file has none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    payloads: list[bytes] = []
    skipped: list[str] = []
    lines = data.split(b"\n")
    # The text after the last newline is a record whose append never finished.
    torn = lines.pop()
    for number, line in enumerate(lines, start=1):
        checksum, _, payload = line.partition(b" ")
        if line and checksum == b"%08x" % zlib.crc32(payload):
            payloads.append(payload)
        elif line:
            skipped.append(f"{path.name}:{number}: checksum does not match")
    if torn:
        skipped.append(f"{path.name}:{len(lines) + 1}: torn record ({len(torn)} bytes)")
    return payloads, skipped


class Journal:
    """The file journal in `folder` (created on first use)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    # Writing.

    def append(self, record: SpooledRecord) -> None:
        """Write `record` at the end of the newest segment and flush it to the disk."""
        try:
            with self._locked():
                segment = self._segments()[-1:] or [self._segment_path(1)]
                self._append_line(segment[0], frame(record.encode()))
        except OSError as error:
            logger.error("The intake spool could not keep a submission: %s", error)
            raise SpoolUnavailable(str(error)) from error

    def done(self, delivery: Delivery) -> None:
        """Note that a record was filed: its receipt is appended to `done.log`."""
        with self._locked():
            self._append_line(self.folder / DONE_FILE, frame(delivery.record.receipt.encode()))

    # Reading.

    def scan(self) -> Scan:
        """Every whole record of every segment, oldest first; torn and damaged lines are
        skipped and logged."""
        found = Scan()
        for segment in self._segments():
            payloads, skipped = read_lines(segment)
            found.skipped += skipped
            for number, payload in enumerate(payloads, start=1):
                try:
                    found.records.append((SpooledRecord.decode(payload), segment.name))
                except DamagedRecord as error:
                    found.skipped.append(f"{segment.name}: record {number}: {error}")
        for note in found.skipped:
            logger.warning("Intake spool journal: skipped %s", note)
        return found

    def filed(self) -> set[str]:
        """The receipts noted as filed."""
        payloads, skipped = read_lines(self.folder / DONE_FILE)
        for note in skipped:
            logger.warning("Intake spool journal: skipped %s", note)
        return {payload.decode() for payload in payloads}

    def pending(self) -> Iterator[Delivery]:
        """The records not yet filed, oldest first (each receipt once)."""
        filed = self.filed()
        for record, _segment in self.scan().records:
            if record.receipt not in filed:
                filed.add(record.receipt)
                yield Delivery(record)

    def find(self, receipt: str) -> Found | None:
        """The record of `receipt`, while its segment is kept, and whether it was filed."""
        for record, _segment in self.scan().records:
            if record.receipt == receipt:
                return Found(record, filed=receipt in self.filed())
        return None

    # Letting go.

    def compact(self) -> int:
        """Remove the segments whose records were all filed, and the notes of those
        records; return how many records went. Appends wait meanwhile."""
        if not self.folder.exists():
            return 0
        with self._locked():
            filed = self.filed()
            by_segment: dict[str, list[str]] = {path.name: [] for path in self._segments()}
            for record, segment in self.scan().records:
                by_segment[segment].append(record.receipt)
            removed, segments_removed = 0, 0
            kept: set[str] = set()
            for name, receipts in by_segment.items():
                if all(receipt in filed for receipt in receipts):
                    (self.folder / name).unlink()
                    removed += len(receipts)
                    segments_removed += 1
                else:
                    kept.update(receipts)
            if segments_removed:
                fsync_folder(self.folder)
                self._rewrite_done(filed & kept)
            return removed

    # The files.

    def _segments(self) -> list[Path]:
        if not self.folder.exists():
            return []
        return sorted(
            path
            for path in self.folder.iterdir()
            if path.name.startswith(SEGMENT_PREFIX) and path.name.endswith(SEGMENT_SUFFIX)
        )

    def _segment_path(self, number: int) -> Path:
        return self.folder / f"{SEGMENT_PREFIX}{number:06d}{SEGMENT_SUFFIX}"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._ensure_folder()
        descriptor = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    def _ensure_folder(self) -> None:
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fsync_folder(self.folder.parent)

    def _append_line(self, path: Path, line: bytes) -> None:
        """Append one whole line and flush it; a failed write is cut off again, so that
        the file never keeps half a line that the next append would run into."""
        created = not path.exists()
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(descriptor).st_size
            if size and os.pread(descriptor, 1, size - 1) != b"\n":
                # A torn line from a crash: end it, so this record starts a line of its own.
                line = b"\n" + line
            try:
                _write_all(descriptor, line)
                os.fsync(descriptor)
            except OSError:
                os.ftruncate(descriptor, size)
                raise
        finally:
            os.close(descriptor)
        if created:
            fsync_folder(self.folder)

    def _rewrite_done(self, receipts: set[str]) -> None:
        done = self.folder / DONE_FILE
        temporary = done.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write_all(descriptor, b"".join(frame(r.encode()) for r in sorted(receipts)))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, done)
        fsync_folder(self.folder)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
