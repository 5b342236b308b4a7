"""Resumable runs: a journal of finished files, and the logs rebuilt from it.

Each finished input gets one JSON line in a file of ``OUT/.normalize/journal/``
(one file per writing process, appended to and flushed after the input's
clean copy is written): the input's content hash, the run key (a hash of the
gazetteers and of every option that changes the output), the output's hash,
and the file's change and review records.  A run skips every input whose
record is current, and at its end (or when interrupted) writes
``changes.jsonl``, ``review.jsonl`` and ``manifest.jsonl`` from the records,
in input order, and folds the journal into one file.  So a run killed at any
moment (even ``kill -9``: a torn last line is ignored) and started again ends
with the same files and logs as an uninterrupted one, and no change record is
lost or written twice.  Appending one line costs far less than creating a
file per input, which on a corpus of small files was a third of a run::

    >>> Journal.record_name("sub/a.txt") == Journal.record_name("sub/a.txt")
    True
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import msgspec

from ..engine.records import encode
from .corpus import write_atomic
from .jsonl import BadLine, read_lines
from .logrows import Rows
from .runfolder import STATE_DIR


class FileFacts(msgspec.Struct, frozen=True):
    """What is known of a finished input, in the journal and in the manifest alike."""

    file: str  # display name
    relative: str  # place under the output folder (printable: undecodable name bytes as \xNN)
    input_sha256: str
    run_key: str
    output_sha256: str | None  # None when nothing was written (an error)
    encoding: str | None
    error: str | None


class FileRecord(FileFacts, frozen=True):
    """What a finished input left behind: one journal entry."""

    # its change and review records, encoded as the logs have them
    changes: Rows = msgspec.field(default_factory=Rows)
    review: Rows = msgspec.field(default_factory=Rows)
    entities: dict[str, int] = msgspec.field(default_factory=dict)  # changes per entity id
    warning: str | None = None  # cleaned, but something to know (bytes kept that were not UTF-8)

    def manifest_line(self) -> ManifestLine:
        return ManifestLine(
            self.file,
            self.relative,
            self.input_sha256,
            self.run_key,
            self.output_sha256,
            self.encoding,
            self.error,
            changes=len(self.changes),
            review=len(self.review),
            warning=self.warning,
        )


class ManifestLine(FileFacts, frozen=True):
    """A line of ``OUT/.normalize/manifest.jsonl``: a finished input and how
    many change and review records it has (``normalize report`` reads it)."""

    changes: int
    review: int
    warning: str | None = None


class JournalLine(msgspec.Struct, frozen=True):
    """A line of the journal: an input's record under its key.  The key comes
    first, so that `Journal.compact` finds it without parsing the line."""

    key: str
    record: FileRecord


_journal_line = msgspec.json.Decoder(JournalLine)


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes, read a block at a time."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Journal:
    """The journal of one output folder."""

    def __init__(self, output: Path):
        self.output = output
        self.folder = output / STATE_DIR / "journal"
        self._known: dict[str, FileRecord] | None = None

    @staticmethod
    def record_name(relative: str | Path) -> str:
        """The key of an input's record (its place, as bytes, hashed)."""
        return hashlib.sha1(os.fsencode(relative)).hexdigest()

    def records(self) -> dict[str, FileRecord]:
        """Every record in the journal by key; a later line wins."""
        records: dict[str, FileRecord] = {}
        for path in sorted(self.folder.glob("*.jsonl")):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for _, line in read_lines(data, _journal_line.decode):
                if not isinstance(line, BadLine):  # else torn by a crash, or of an older version: redone
                    records[line.key] = line.record
        return records

    def load(self, relative: str | Path) -> FileRecord | None:
        if self._known is None:
            self._known = self.records()
        return self._known.get(self.record_name(relative))

    def current(self, relative: Path, input_sha: Callable[[], str], run_key: str) -> FileRecord | None:
        """The record of this input if it is done with these gazetteers and options,
        and its clean copy is still the one written.  `input_sha` is called only
        when there is a record to check, so a fresh run reads no file twice."""
        record = self.load(relative)
        if record is None or record.run_key != run_key or record.error or record.input_sha256 != input_sha():
            return None
        if record.output_sha256 is not None:
            try:
                if file_sha256(self.output / relative) != record.output_sha256:
                    return None
            except OSError:
                return None
        return record

    def write(self, relative: Path, record: FileRecord) -> None:
        """Append the record (flushed, not synced: a torn or lost line only
        means the file is cleaned again).  Its rows are kept as the
        compressed blocks they are (see `logrows.Rows`): a line stays small
        and is read back without expanding a million changes."""
        handle = _stream(self.folder)
        handle.write(encode(JournalLine(self.record_name(relative), record)) + b"\n")
        handle.flush()

    def compact(self) -> None:
        """Fold every journal file into one (call when no process writes).

        Lines are not parsed: a whole line ends with a newline (a torn one
        does not), and its key is its first field.
        """
        _close(self.folder)
        old = sorted(self.folder.glob("*.jsonl"))
        if len(old) < 2:
            return
        latest: dict[bytes, bytes] = {}
        for path in old:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for line in data.splitlines(keepends=True):
                if line.endswith(b"\n") and line.startswith(_KEY_FIELD):
                    latest[line[len(_KEY_FIELD) : len(_KEY_FIELD) + 40]] = line
        write_atomic(self.folder / _file_name(), b"".join(latest.values()), self.output / STATE_DIR / "tmp")
        for path in old:
            path.unlink(missing_ok=True)


_KEY_FIELD = b'{"key":"'  # how every journal line starts (see `JournalLine`)


# This process's open journal file per journal folder (a forked worker opens its own).
_STREAMS: dict[Path, tuple[int, BinaryIO]] = {}


def _stream(folder: Path) -> BinaryIO:
    pid, handle = _STREAMS.get(folder, (None, None))
    if handle is None or pid != os.getpid():
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / _file_name(), "ab")  # noqa: SIM115 (kept open for the run)
        _STREAMS[folder] = (os.getpid(), handle)
    return handle


def _close(folder: Path) -> None:
    pid, handle = _STREAMS.pop(folder, (None, None))
    if handle is not None and pid == os.getpid():
        handle.close()


def _file_name() -> str:
    # sorted by time, so that a later run's lines win over an earlier one's
    return f"{time.time_ns():020d}-{os.getpid()}.jsonl"
