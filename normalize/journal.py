"""Resumable runs: a journal of finished files, and the logs rebuilt from it.

Each finished input gets a small JSON record in ``OUT/.normalize/journal/``,
written atomically after its clean copy: the input's content hash, the run
key (a hash of the gazetteers and of every option that changes the output),
the output's hash, and the file's change and review records.  A run skips
every input whose record is current, and at its end (or when interrupted)
writes ``changes.jsonl``, ``review.jsonl`` and ``manifest.jsonl`` from the
records, in input order.  So a run killed at any moment (even ``kill -9``)
and started again ends with the same files and logs as an uninterrupted one,
and no change record is lost or written twice::

    >>> Journal.record_name("sub/a.txt") == Journal.record_name("sub/a.txt")
    True
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import write_atomic
from .records import fields_dict, json_lines

STATE_DIR = ".normalize"


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
    changes: list[dict] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)

    def manifest_line(self) -> dict:
        line = fields_dict(self)
        line["changes"] = len(self.changes)
        line["review"] = len(self.review)
        return line


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Journal:
    """The journal of one output folder."""

    def __init__(self, output: Path):
        self.output = output
        self.folder = output / STATE_DIR / "journal"

    @staticmethod
    def record_name(relative: str | Path) -> str:
        return hashlib.sha1(os.fsencode(relative)).hexdigest() + ".json"

    def path(self, relative: str | Path) -> Path:
        return self.folder / self.record_name(relative)

    def load(self, relative: str | Path) -> FileRecord | None:
        try:
            data = json.loads(self.path(relative).read_text(encoding="utf-8"))
            return FileRecord(**data)
        except (OSError, ValueError, TypeError):  # absent, or torn by a crash before the rename
            return None

    def current(self, relative: Path, input_sha: Callable[[], str], run_key: str) -> FileRecord | None:
        """The record of this input if it is done with these gazetteers and options,
        and its clean copy is still the one written.  `input_sha` is called only
        when there is a record to check, so a fresh run reads no file twice."""
        record = self.load(relative)
        if record is None or record.run_key != run_key or record.error or record.input_sha256 != input_sha():
            return None
        if record.output_sha256 is not None:
            try:
                if sha256((self.output / relative).read_bytes()) != record.output_sha256:
                    return None
            except OSError:
                return None
        return record

    def write(self, relative: Path, record: FileRecord) -> None:
        data = json_lines([fields_dict(record)]).encode("utf-8")
        # Not synced to disk: after a power cut a torn record or output fails
        # its checks on resume and the file is simply cleaned again.
        write_atomic(self.path(relative), data, self.output / STATE_DIR / "tmp", durable=False)
