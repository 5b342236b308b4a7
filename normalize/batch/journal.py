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
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..engine.records import fields_dict, json_line
from .corpus import write_atomic
from .logrows import Rows
from .runfolder import STATE_DIR


@dataclass(frozen=True)
class FileRecord:
    """What a finished input left behind (one journal entry, one manifest line)."""

    file: str  # display name
    relative: str  # place under the output folder (printable: undecodable name bytes as \xNN)
    input_sha256: str
    run_key: str
    output_sha256: str | None  # None when nothing was written (an error)
    encoding: str | None
    error: str | None
    # each change and review record as its JSON line, as the logs have it
    changes: Rows = field(default_factory=Rows)
    review: Rows = field(default_factory=Rows)
    entities: dict[str, int] = field(default_factory=dict)  # changes per entity id
    warning: str | None = None  # cleaned, but something to know (bytes kept that were not UTF-8)

    def manifest_line(self) -> dict:
        line = fields_dict(self)
        line["changes"] = len(self.changes)
        line["review"] = len(self.review)
        del line["entities"]
        return line


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
                lines = path.read_bytes().decode("utf-8", "replace").splitlines()
            except OSError:
                continue
            for line in lines:
                try:
                    data = json.loads(line)
                    key = data.pop("key")
                    for name in ("changes", "review"):
                        data[name] = Rows.from_json(data.pop(name), data.pop(f"{name}_count"))
                    records[key] = FileRecord(**data)
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue  # a line torn by a crash, or of an older version
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
        line = {"key": self.record_name(relative), **fields_dict(record)}
        for name in ("changes", "review"):
            rows = line.pop(name)
            line[f"{name}_count"] = len(rows)
            line[name] = rows.to_json()
        handle = _stream(self.folder)
        handle.write(json_line(line).encode("utf-8") + b"\n")
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


_KEY_FIELD = b'{"key": "'  # how every journal line starts (see `write`)


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
