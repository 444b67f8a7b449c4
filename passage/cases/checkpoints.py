"""Signed checkpoints of the case event chains, kept outside the database.

A keyed chain (cases/chain.py) stops anyone without the key from rewriting events, but
not from deleting the newest events of a case and rolling its head back, nor from
emptying the log: a shorter chain is still a chain. So each checkpoint anchors the head
(last sequence and hash) of every case whose log grew since the one before, and a full
checkpoint now and then anchors every case. `passage audit verify` then requires every
anchored event to be in the database with the same hash.

A checkpoint is a file of JSON lines, one head per line, ending with a seal: its number,
time, the last event it covers, the SHA-256 of the file before it, the SHA-256 of its
heads, and an Ed25519 signature over all that. Files are created once, never rewritten:
written under a temporary name, flushed to disk, then linked to their final name, which
fails if it exists. Ship the folder to append-only storage (object lock, WORM media): the
database's owner must not be able to remove the newest file (docs/operations.md).
"""

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connections, router, transaction

from passage.cases.events import LOG_LOCK
from passage.cases.models import CaseEvent
from passage.durable import fsync_folder

FORMAT = 1
SUFFIX = ".jsonl"
HEAD_BATCH = 2000


class CheckpointError(Exception):
    """A checkpoint cannot be written (no signing key, a name already taken)."""


@dataclass(frozen=True)
class Seal:
    """The last line of a checkpoint file: what it covers, and its signature."""

    number: int
    created_at: datetime
    through_event_id: int
    full: bool
    previous: str | None
    heads: int
    heads_sha256: str
    key: str


@dataclass(frozen=True)
class Checkpoint:
    seal: Seal
    path: Path
    digest: str  # SHA-256 of the whole file, which the next checkpoint names


# --- Keys -----------------------------------------------------------------------------


def generate_keys(*, signing_key_file: Path, verify_key_file: Path) -> str:
    """Create the Ed25519 key pair that signs checkpoints (the private key readable by its
    owner only); refuse to replace either file. Returns the public key's fingerprint."""
    if signing_key_file.exists() or verify_key_file.exists():
        raise CheckpointError(f"{signing_key_file} or {verify_key_file} exists already")
    private = Ed25519PrivateKey.generate()
    signing_key_file.parent.mkdir(parents=True, exist_ok=True)
    verify_key_file.parent.mkdir(parents=True, exist_ok=True)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(signing_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public = private.public_key()
    verify_key_file.write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return fingerprint(public)


def fingerprint(public: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_verify_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


def _load_signing_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        raise CheckpointError(
            f"There is no checkpoint signing key at {path}: create it with "
            "`passage audit keygen` (PASSAGE_AUDIT_SIGNING_KEY_FILE)."
        )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


# --- Writing ----------------------------------------------------------------------------


def write_checkpoint(*, now: datetime, full: bool | None = None) -> Checkpoint:
    """Anchor the head of every case whose log grew since the last checkpoint (or of every
    case, for a full one: the first, one every PASSAGE_AUDIT_FULL_CHECKPOINT_DAYS, or when
    `full` asks) in a new signed file."""
    signing_key = _load_signing_key(settings.PASSAGE_AUDIT_SIGNING_KEY_FILE)
    directory = settings.PASSAGE_AUDIT_CHECKPOINT_DIR
    directory.mkdir(parents=True, exist_ok=True)
    latest = newest_checkpoint(directory)
    if full is None:
        full = latest is None or now - _last_full(directory) >= timedelta(
            days=settings.PASSAGE_AUDIT_FULL_CHECKPOINT_DAYS
        )
    since = 0 if full or latest is None else latest.seal.through_event_id
    through = committed_through()
    number = 1 if latest is None else latest.seal.number + 1
    temporary = directory / f".{number:08d}.{os.getpid()}.tmp"
    digest = hashlib.sha256()
    count = 0
    with temporary.open("wb") as handle:
        for head in _heads(since, through):
            line = json.dumps(head, separators=(",", ":")).encode() + b"\n"
            digest.update(line)
            handle.write(line)
            count += 1
        seal = Seal(
            number=number,
            created_at=now.astimezone(UTC),
            through_event_id=through,
            full=full,
            previous=None if latest is None else latest.digest,
            heads=count,
            heads_sha256=digest.hexdigest(),
            key=fingerprint(signing_key.public_key()),
        )
        body = _seal_body(seal)
        signature = base64.b64encode(signing_key.sign(body)).decode()
        handle.write(json.dumps({**json.loads(body), "signature": signature}).encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    final = directory / f"{number:08d}{SUFFIX}"
    try:
        os.link(temporary, final)  # fails if the name is taken: a checkpoint is never rewritten
    except FileExistsError as error:
        raise CheckpointError(f"checkpoint {final} exists already") from error
    finally:
        temporary.unlink()
    fsync_folder(directory)
    return Checkpoint(seal=seal, path=final, digest=file_digest(final))


def committed_through() -> int:
    """The highest event id below which every event is committed. On PostgreSQL the log's
    lock, taken alone, waits for the transactions writing to it (they hold it shared:
    `events.hold_the_log_open`) and holds new ones for a moment, so no event with a lower
    id can commit after this; SQLite has one writer at a time."""
    alias = router.db_for_write(CaseEvent)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_caseevent")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


_HEADS_SQL = (
    "SELECT c.public_id, e.sequence, e.hash FROM cases_caseevent e "
    "INNER JOIN cases_case c ON c.id = e.case_id "
    "WHERE e.id IN (SELECT MAX(id) FROM cases_caseevent WHERE id > %s AND id <= %s "
    "GROUP BY case_id) ORDER BY e.case_id"
)


def _heads(since: int, through: int) -> Iterator[list[Any]]:
    """[case public id, sequence, hash] of the newest event up to `through` of each case
    with an event after `since` (in a case, a later event has a higher id)."""
    alias = router.db_for_read(CaseEvent)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.chunked_cursor() as cursor:
        cursor.execute(_HEADS_SQL, [since, through])
        while rows := cursor.fetchmany(HEAD_BATCH):
            for public_id, sequence, digest in rows:
                yield [_uuid_text(public_id), sequence, digest]


def _uuid_text(value: Any) -> str:
    """A UUID as text with hyphens, whatever the database gave (SQLite keeps 32 hex)."""
    text = str(value).replace("-", "")
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _seal_body(seal: Seal) -> bytes:
    """The signed part of a seal, in a fixed form."""
    fields = {
        "format": FORMAT,
        "number": seal.number,
        "created_at": seal.created_at.isoformat(),
        "through_event_id": seal.through_event_id,
        "full": seal.full,
        "previous": seal.previous,
        "heads": seal.heads,
        "heads_sha256": seal.heads_sha256,
        "key": seal.key,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


# --- Reading ----------------------------------------------------------------------------


def checkpoint_files(directory: Path) -> list[Path]:
    """The checkpoint files of the folder, by number."""
    if not directory.exists():
        return []
    return sorted(path for path in directory.iterdir() if path.name.endswith(SUFFIX))


def read_seal(path: Path) -> tuple[Seal, str, bytes]:
    """A file's seal, its signature (base64) and the bytes of its heads; ValueError when
    the file has no readable seal."""
    data = path.read_bytes()
    heads, _, last = data.rstrip(b"\n").rpartition(b"\n")
    fields = json.loads(last)
    if fields.get("format") != FORMAT:
        raise ValueError("not a checkpoint of a known format")
    seal = Seal(
        number=int(fields["number"]),
        created_at=datetime.fromisoformat(fields["created_at"]),
        through_event_id=int(fields["through_event_id"]),
        full=bool(fields["full"]),
        previous=fields["previous"],
        heads=int(fields["heads"]),
        heads_sha256=str(fields["heads_sha256"]),
        key=str(fields["key"]),
    )
    return seal, str(fields["signature"]), heads + b"\n" if heads else b""


def seal_problem(path: Path, key: Ed25519PublicKey) -> str | None:
    """None when the file's seal is signed by `key` and matches its heads; else why not."""
    try:
        seal, signature, heads = read_seal(path)
        key.verify(base64.b64decode(signature), _seal_body(seal))
    except InvalidSignature:
        return "its signature does not verify with the checkpoint key"
    except (ValueError, KeyError, TypeError) as error:
        return f"it cannot be read ({error})"
    if hashlib.sha256(heads).hexdigest() != seal.heads_sha256:
        return "its heads are not the ones it was signed with"
    if len(heads.splitlines()) != seal.heads:
        return "it holds another number of heads than it was signed with"
    return None


def newest_checkpoint(directory: Path) -> Checkpoint | None:
    """The last checkpoint of the folder, as its seal says (not verified here)."""
    files = checkpoint_files(directory)
    if not files:
        return None
    seal, _signature, _heads = read_seal(files[-1])
    return Checkpoint(seal=seal, path=files[-1], digest=file_digest(files[-1]))


def anchored_heads(path: Path) -> Iterator[tuple[str, int, str]]:
    """(case public id, sequence, hash) of each head a checkpoint file anchors."""
    _seal, _signature, heads = read_seal(path)
    for line in heads.splitlines():
        public_id, sequence, digest = json.loads(line)
        yield str(public_id), int(sequence), str(digest)


def _last_full(directory: Path) -> datetime:
    for path in reversed(checkpoint_files(directory)):
        seal, _signature, _heads = read_seal(path)
        if seal.full:
            return seal.created_at
    return datetime.min.replace(tzinfo=UTC)


def file_digest(path: Path) -> str:
    """The SHA-256 of a checkpoint file's bytes, which the next checkpoint names."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
