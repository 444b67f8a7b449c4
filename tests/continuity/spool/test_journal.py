"""The file journal: what it acknowledged survives, a torn record is skipped and said,
never fatal, and filed records are let go of."""

import errno
import logging
import os
from datetime import UTC, datetime

import pytest

from passage.continuity.spool import SpoolUnavailable
from passage.continuity.spool import journal as journal_module
from passage.continuity.spool.journal import DONE_FILE, Journal
from passage.continuity.spool.receipts import is_receipt, new_receipt
from passage.continuity.spool.records import SpooledRecord

RECEIVED = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def record(number: int = 1) -> SpooledRecord:
    return SpooledRecord(
        receipt=new_receipt(),
        received_at=RECEIVED,
        idempotency_key=f"key-{number}",
        application={"program": "iec", "family_name": f"Sato {number}", "documents": []},
        token_digest="ab" * 32,
    )


def segments(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("segment-"))


def test_a_record_appended_is_read_back_whole_by_another_reader(tmp_path):
    first, second = record(1), record(2)
    Journal(tmp_path).append(first)
    Journal(tmp_path).append(second)

    pending = [delivery.record for delivery in Journal(tmp_path).pending()]

    assert pending == [first, second]


def test_every_append_is_flushed_to_the_disk_and_a_new_file_into_its_folder(tmp_path, monkeypatch):
    flushed, folders = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(journal_module.os, "fsync", lambda fd: flushed.append(fd) or real_fsync(fd))
    monkeypatch.setattr(journal_module, "fsync_folder", folders.append)

    spool = Journal(tmp_path / "spool")
    spool.append(record(1))
    spool.append(record(2))

    assert len(flushed) == 2
    # The folder made, in its parent; then the segment created, in the folder.
    assert folders == [tmp_path, tmp_path / "spool"]


def test_a_torn_last_record_is_skipped_and_reported_and_the_next_append_is_kept(tmp_path, caplog):
    spool = Journal(tmp_path)
    kept = record(1)
    spool.append(kept)
    (segment,) = segments(tmp_path)
    with (tmp_path / segment).open("ab") as file:
        file.write(b'1234abcd {"receipt": "R')  # a crash half-way through an append
    after = record(2)

    with caplog.at_level(logging.WARNING):
        spool.append(after)
        pending = [delivery.record for delivery in spool.pending()]

    assert pending == [kept, after]
    assert "checksum does not match" in caplog.text


def test_a_record_whose_checksum_does_not_match_is_skipped_not_fatal(tmp_path, caplog):
    spool = Journal(tmp_path)
    spool.append(record(1))
    spool.append(good := record(2))
    (segment,) = segments(tmp_path)
    path = tmp_path / segment
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Sato 1", b"Sato X"))

    with caplog.at_level(logging.WARNING):
        pending = [delivery.record for delivery in spool.pending()]

    assert pending == [good]
    assert f"{segment}:1: checksum does not match" in caplog.text


def test_a_torn_end_without_newline_is_reported_as_torn(tmp_path, caplog):
    spool = Journal(tmp_path)
    spool.append(kept := record(1))
    (segment,) = segments(tmp_path)
    with (tmp_path / segment).open("ab") as file:
        file.write(b"0000")

    with caplog.at_level(logging.WARNING):
        found = spool.scan()

    assert [each for each, _ in found.records] == [kept]
    assert found.skipped == [f"{segment}:2: torn record (4 bytes)"]


def test_a_write_that_fails_leaves_no_half_record_and_says_nothing_was_kept(tmp_path, monkeypatch):
    spool = Journal(tmp_path)
    spool.append(kept := record(1))
    real_write = os.write

    def disk_full(descriptor, data):
        real_write(descriptor, bytes(data[:10]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_module.os, "write", disk_full)
    with pytest.raises(SpoolUnavailable):
        spool.append(record(2))
    monkeypatch.undo()

    found = spool.scan()
    assert [each for each, _ in found.records] == [kept]
    assert found.skipped == []


def test_a_filed_record_is_no_longer_pending_and_compaction_lets_it_go(tmp_path):
    spool = Journal(tmp_path)
    spool.append(first := record(1))
    (delivery,) = spool.pending()
    spool.done(delivery)

    assert list(spool.pending()) == []
    assert spool.find(first.receipt).filed
    assert spool.compact() == 1
    assert segments(tmp_path) == []
    assert (tmp_path / DONE_FILE).read_bytes() == b""
    assert spool.find(first.receipt) is None


def test_compaction_keeps_a_segment_with_a_record_still_pending(tmp_path):
    spool = Journal(tmp_path)
    spool.append(record(1))
    spool.append(waiting := record(2))
    first = next(spool.pending())
    spool.done(first)

    assert spool.compact() == 0
    assert [delivery.record for delivery in spool.pending()] == [waiting]


def test_receipts_are_random_and_shaped():
    receipts = {new_receipt() for _ in range(100)}

    assert len(receipts) == 100
    assert all(is_receipt(each) and len(each) <= 40 for each in receipts)
    assert not is_receipt("R" + "A" * 25)
