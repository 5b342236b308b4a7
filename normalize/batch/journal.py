"""Resumable runs: a journal of finished files, pointing into the run's logs.

The run writes its change and review logs as each file's turn comes (see
`pipeline.RunLogs`), first into temporary files of ``OUT/.normalize/journal/``.
Once a file's rows are written (and flushed; a few files at a time), one
JSON line goes into the journal: the input's content hash, the run key (a
hash of the gazetteers and of every option that changes the output), the
output's hash, and for each
log an `Extent`: which log file, where the file's rows lie in it, how many
and their hash.  The rows themselves are written once, in the logs.

A run skips every input whose record is current and whose rows still read
back with their hash, and copies those rows into its own logs.  At its end
(or when interrupted) the logs go into place and the journal is rewritten
to point into them.  So a run killed at any moment (even ``kill -9``: a torn
last line is ignored, and the temporary logs it names are still there) and
started again ends with the same files and logs as an uninterrupted one,
and no change record is lost or written twice.  Rows that no longer match
their hash only mean that their file is cleaned again::

    >>> Journal.record_name("sub/a.txt") == Journal.record_name("sub/a.txt")
    True
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO, TypeVar

import msgspec

from ..engine.records import encode
from .corpus import write_atomic
from .jsonl import BadLine, read_lines
from .logrows import Rows, Sink
from .runfolder import STATE_DIR

T = TypeVar("T")


class FileFacts(msgspec.Struct, frozen=True):
    """What is known of a finished input, in the journal and in the manifest alike."""

    file: str  # display name
    relative: str  # place under the output folder (printable: undecodable name bytes as \xNN)
    input_sha256: str
    run_key: str
    output_sha256: str | None  # None when nothing was written (an error)
    encoding: str | None
    error: str | None


class Extent(msgspec.Struct, frozen=True, array_like=True):
    """Where a finished file's rows lie in a log: `count` lines, `length`
    bytes from `offset` of the file `log` (relative to the output folder,
    or absolute), and the hash of those bytes."""

    log: str = ""
    offset: int = 0
    length: int = 0
    count: int = 0
    sha256: str = ""


class Entry(FileFacts, frozen=True):
    """A finished input as the journal keeps it: its facts, and where its rows are."""

    changes: Extent = Extent()
    review: Extent = Extent()
    entities: dict[str, int] = msgspec.field(default_factory=dict)  # changes per entity id
    warning: str | None = None


class LoggedRows:
    """Rows an earlier run wrote to a log: counted from the journal, read
    back (and checked against their hash) only when copied."""

    def __init__(self, path: Path, extent: Extent):
        self.path, self.extent = path, extent

    def __len__(self) -> int:
        return self.extent.count

    def jsonl(self) -> Iterator[bytes]:
        data = read_extent(self.path, self.extent)
        if data is None:
            raise OSError(f"the rows of an earlier run changed since this run began: {self.path}")
        yield data

    def decode(self, kind: type[T]) -> Iterator[T]:
        yield from msgspec.json.Decoder(kind).decode_lines(b"".join(self.jsonl()))

    def write_to(self, out: Sink) -> tuple[int, str]:
        """Write the rows to `out`; their length and sha256 (`jsonl` has checked them)."""
        for block in self.jsonl():
            out.write(block)
        return self.extent.length, self.extent.sha256


class FileRecord(FileFacts, frozen=True):
    """What a finished input left behind: its facts and its rows, as a
    worker hands them over (compressed) or as an earlier run logged them."""

    changes: Rows | LoggedRows = msgspec.field(default_factory=Rows)
    review: Rows | LoggedRows = msgspec.field(default_factory=Rows)
    entities: dict[str, int] = msgspec.field(default_factory=dict)  # changes per entity id
    warning: str | None = None  # cleaned, but something to know (bytes kept that were not UTF-8)

    def manifest_line(self) -> ManifestLine:
        return ManifestLine(
            *_facts(self),
            changes=len(self.changes),
            review=len(self.review),
            warning=self.warning,
        )

    def entry(self, changes: Extent, review: Extent) -> Entry:
        """The journal's entry for this record, its rows being at `changes` and `review`."""
        return Entry(*_facts(self), changes, review, self.entities, self.warning)


class ManifestLine(FileFacts, frozen=True):
    """A line of ``OUT/.normalize/manifest.jsonl``: a finished input and how
    many change and review records it has (``normalize report`` reads it)."""

    changes: int
    review: int
    warning: str | None = None


class JournalLine(msgspec.Struct, frozen=True):
    """A line of the journal: an input's entry under its key."""

    key: str
    entry: Entry


_journal_line = msgspec.json.Decoder(JournalLine)


# The facts of a record or an entry, as a tuple in FileFacts' order.
_facts = attrgetter(*FileFacts.__struct_fields__)


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes, read a block at a time."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_extent(path: Path, extent: Extent) -> bytes | None:
    """The bytes `extent` names in `path`, or None if they are gone or no
    longer match their hash (links are not followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            handle.seek(extent.offset)
            data = handle.read(extent.length)
        except (OSError, ValueError, OverflowError):
            return None
    if len(data) != extent.length or hashlib.sha256(data).hexdigest() != extent.sha256:
        return None
    return data


class Journal:
    """The journal of one output folder, whose logs are `logs` (the paths
    they go to when the run ends)."""

    def __init__(self, output: Path, logs: Iterable[Path] = ()):
        self.output = output
        self.folder = output / STATE_DIR / "journal"
        self.logs = [Path(p).absolute() for p in logs]
        self._output = output.absolute()  # (once: `absolute` asks the system for the working folder)
        self._folder = self.folder.absolute()
        self._known: dict[str, Entry] | None = None
        self._handle: BinaryIO | None = None

    @staticmethod
    def record_name(relative: str | Path) -> str:
        """The key of an input's record (its place, as bytes, hashed)."""
        return hashlib.sha1(os.fsencode(relative)).hexdigest()

    def records(self) -> dict[str, Entry]:
        """Every entry in the journal by key; a later line wins."""
        entries: dict[str, Entry] = {}
        for path in sorted(self.folder.glob("*.jsonl")):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for _, line in read_lines(data, _journal_line.decode):
                if not isinstance(line, BadLine):  # else torn by a crash, or of an older version: redone
                    entries[line.key] = line.entry
        return entries

    def load(self, relative: str | Path) -> Entry | None:
        if self._known is None:
            self._known = self.records()
        return self._known.get(self.record_name(relative))

    def current(self, relative: Path, input_sha: Callable[[], str], run_key: str) -> FileRecord | None:
        """The record of this input if it is done with these gazetteers and
        options, its clean copy is still the one written and its rows still
        read back.  `input_sha` is called only when there is a record to
        check, so a fresh run reads no file twice."""
        entry = self.load(relative)
        if entry is None or entry.run_key != run_key or entry.error or entry.input_sha256 != input_sha():
            return None
        if entry.output_sha256 is not None:
            try:
                if file_sha256(self.output / relative) != entry.output_sha256:
                    return None
            except OSError:
                return None
        rows = []
        for extent in (entry.changes, entry.review):
            if not extent.count:
                rows.append(Rows())
                continue
            path = self._log_path(extent.log)
            if path is None or read_extent(path, extent) is None:
                return None
            rows.append(LoggedRows(path, extent))
        return FileRecord(*_facts(entry), *rows, entry.entities, entry.warning)

    def _log_path(self, log: str) -> Path | None:
        """Where a log an entry names is, if it is one this journal may read:
        a temporary log of a run into this folder, or one of the run's logs."""
        path = Path(log) if os.path.isabs(log) else self._output / log
        if path.parent == self._folder or path in self.logs:
            return path
        for target in self.logs:  # a temporary log beside a log outside the output folder
            if path.parent == target.parent and path.name.startswith(f".{target.name}.") and path.suffix == ".tmp":
                return path
        return None

    def log_name(self, path: Path) -> str:
        """How an entry names the log `path`: relative to the output folder when inside it."""
        try:
            return str(Path(path).relative_to(self.output))
        except ValueError:
            return str(Path(path).absolute())

    def write(self, relative: str | Path, entry: Entry, key: str | None = None) -> None:
        """Append an entry (flushed, not synced: a torn or lost line only
        means the file is cleaned again); `key` is its `record_name`, if known."""
        self.write_many([(key or self.record_name(relative), entry)])

    def write_many(self, entries: list[tuple[str, Entry]]) -> None:
        """Append entries, each with its `record_name`, in one write (see `write`)."""
        if not entries:
            return
        if self._handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.folder / _file_name(), "ab")  # noqa: SIM115 (kept open for the run)
        self._handle.write(b"".join(encode(JournalLine(key, entry)) + b"\n" for key, entry in entries))
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def rewrite(self, entries: Mapping[str, Entry], moved: Mapping[str, str]) -> None:
        """Replace the whole journal by `entries` (by key), their logs renamed
        as `moved` says, and remove everything else of the journal folder:
        older journal files and the temporary logs they named.  Called when
        the run's logs are in place and no process writes."""
        self.close()
        lines = []
        for key, entry in entries.items():
            changes, review = (
                msgspec.structs.replace(e, log=moved.get(e.log, e.log)) for e in (entry.changes, entry.review)
            )
            lines.append(encode(JournalLine(key, msgspec.structs.replace(entry, changes=changes, review=review))))
        old = list(self.folder.iterdir()) if self.folder.is_dir() else []
        # temporary logs of earlier runs beside logs outside the output folder
        # (named by absolute paths: those in the journal folder are relative)
        earlier = self._known if self._known is not None else self.records()
        outside = {
            extent.log
            for entry in earlier.values()
            for extent in (entry.changes, entry.review)
            if extent.log.endswith(".tmp") and os.path.isabs(extent.log)
        }
        old += [path for log in outside if (path := self._log_path(log)) is not None]
        new = self.folder / _file_name()
        write_atomic(new, b"".join(line + b"\n" for line in lines), self.output / STATE_DIR / "tmp")
        for path in old:
            if path != new and not path.is_dir():
                path.unlink(missing_ok=True)


def _file_name() -> str:
    # sorted by time, so that a later run's lines win over an earlier one's
    return f"{time.time_ns():020d}-{os.getpid()}.jsonl"
