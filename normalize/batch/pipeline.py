"""A run over many files: one worker function per file, any runner, one journal.

`clean_file` reads, decodes, cleans and writes one file and returns a value
(a `FileOutcome`), so it runs the same in this process, in a process pool or
on a Dask worker (see runners.py).  `run` hands the files to a runner, skips
those a previous run already finished (journal.py), and writes the logs in
input order, so the output does not depend on how the work was spread::

    >>> from normalize import Normalizer, RunOptions, run
    >>> summary = run(Normalizer.load(), [Path("seeds")], RunOptions(check=True))
    >>> summary.changes, summary.exit_code
    (9, <ExitCode.CHANGES_FOUND: 1>)
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path
from typing import Protocol

import msgspec

from ..engine.normalizer import text_parts
from ..engine.records import Change, Result, ReviewItem, encode
from ..version import __version__
from . import runners
from .corpus import (
    READ_BLOCK,
    AtomicFile,
    InputError,
    InputFile,
    InputProblem,
    clashes,
    collect_inputs,
    display_name,
    keep_original,
    read_bytes,
    write_atomic,
)
from .decoding import DecodingError, decode_bytes, encode_text
from .exitcodes import ExitCode
from .journal import STATE_DIR, Entry, Extent, FileRecord, Journal, LoggedRows, file_sha256
from .jsonl import RecordNotCleaned, clean_jsonl
from .logrows import Rows
from .overwrites import copy_clashes, log_clashes, log_over_run_files, same_file
from .runfolder import CHANGES_LOG, REVIEW_LOG, SUMMARY, claim
from .stopping import exit_status, shielded

BACKUP_SUFFIX = ".orig"  # what --in-place keeps originals with, unless told otherwise


@dataclass(frozen=True)
class RunOptions:
    output: Path | None = None  # mirror the inputs here
    in_place: bool = False  # rewrite the inputs themselves
    backup_suffix: str = BACKUP_SUFFIX  # with in_place: keep the original beside it ("" = none)
    # write no text, only the logs named by changes_path and review_path;
    # the exit code says whether anything would change
    check: bool = False
    glob: str = "*.txt"
    changes_path: Path | None = None  # default: OUTPUT/changes.jsonl
    review_path: Path | None = None  # default: OUTPUT/review.jsonl
    field: str = "text"  # JSON Lines files (*.jsonl, *.ndjson): the field to clean
    encoding: str = "auto"  # input encoding; "auto" detects (UTF-8, UTF-16, Windows-1256, ISO-8859-6, Latin)
    output_encoding: str = "utf-8"  # or "original": write each file back in its own encoding
    keep_texts: bool = False  # return the original and clean texts (for --diff)
    resume: bool = True  # skip inputs a previous run into the same folder already finished

    def output_key(self) -> dict:
        """The options that change what is written (part of the run key)."""
        return {"field": self.field, "encoding": self.encoding, "output_encoding": self.output_encoding}


@dataclass(frozen=True)
class FileOutcome:
    input: InputFile
    record: FileRecord
    size: int = 0
    resumed: bool = False  # finished by an earlier run
    original: str | None = None  # with keep_texts
    text: str | None = None

    @property
    def error(self) -> str | None:
        return self.record.error

    def detached(self) -> FileOutcome:
        """This outcome without its input, which a worker's parent holds
        already (unpickling its paths was a tenth of the parent's work)."""
        return replace(self, input=None)

    def attached(self, item: InputFile) -> FileOutcome:
        """A `detached` outcome with its input again."""
        return replace(self, input=item)

    @property
    def changed(self) -> bool:
        return bool(self.record.changes)


@dataclass
class RunSummary:
    files: int = 0
    changed_files: int = 0
    changes: int = 0
    review: int = 0
    resumed: int = 0
    bytes: int = 0
    per_entity: Counter = field(default_factory=Counter)
    encodings: Counter = field(default_factory=Counter)
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputProblem] = field(default_factory=list)  # files cleaned with something to know
    check: bool = False
    interrupted: bool = False
    stop_code: int = ExitCode.INTERRUPTED  # 130 for Ctrl-C, 143 for SIGTERM
    failure: str | None = None  # why the run itself could not go on (its logs, a worker)

    def to_dict(self) -> dict:
        """What ``OUT/summary.json`` holds (the report reads it).  How many
        files an earlier run had finished is left out: a resumed run ends
        with the same files as an uninterrupted one, this one included."""
        return {
            "files": self.files,
            "changed_files": self.changed_files,
            "changes": self.changes,
            "review": self.review,
            "bytes": self.bytes,
            "per_entity": dict(self.per_entity.most_common()),
            "encodings": dict(self.encodings),
            "problems": [{"file": p.display, "reason": p.message} for p in self.problems],
            "warnings": [{"file": w.display, "warning": w.message} for w in self.warnings],
            "interrupted": self.interrupted,
            "failure": self.failure,
            "exit_code": int(self.exit_code),
        }

    @property
    def exit_code(self) -> ExitCode:
        if self.interrupted:
            return ExitCode(self.stop_code)
        if self.failure:
            return ExitCode.RUN_FAILED
        if self.problems:
            return ExitCode.BAD_INPUT
        if self.check and self.changed_files:
            return ExitCode.CHANGES_FOUND
        return ExitCode.OK


class Cleaner(Protocol):
    """What turns one document into a Result: a Normalizer, or a re-translating cleaner."""

    def normalize(self, text: str, *, name: str | None = None) -> Result: ...


class UsageError(Exception):
    """Options that cannot work together; nothing was processed."""


Runner = Callable[[Callable[[Cleaner, InputFile], FileOutcome], Cleaner, list[InputFile]], Iterator[FileOutcome]]


def serial(work: Callable[[Cleaner, InputFile], FileOutcome], cleaner: Cleaner, items: list[InputFile]):
    """The plain runner: one file after the other, in this process."""
    for item in items:
        yield work(cleaner, item)


def clean_file(cleaner: Cleaner, item: InputFile, options: RunOptions, run_key: str = "") -> FileOutcome:
    """Read, decode, clean and write one file; any problem becomes the outcome's error.

    Nothing that goes wrong with one file (unreadable, undecodable, an
    output that cannot be written, even a bug) stops the others.
    """
    relative = display_name(item.relative)

    source = _Source()

    def failed(message: str) -> FileOutcome:
        record = FileRecord(item.display, relative, source.sha256, run_key, None, None, message)
        return FileOutcome(item, record, source.size)

    try:
        written = encoding = text = warning = None
        if _streamable(cleaner, item, options):
            try:
                parts = text_parts(source.read_utf8(item.path), cleaner.settings.part_chars)
                results = cleaner.normalize_stream(parts, name=item.display)
                written = _clean_and_write(_rows(results, {}), item, "utf-8", options)
                encoding = "utf-8"
            except _NotUTF8:
                source = _Source()  # read again as a whole, and its encoding detected
        if written is None:
            data = source.read(item.path)
            decoded = decode_bytes(data, encodings=None if options.encoding == "auto" else [options.encoding])
            del data  # from here on the file is held once, as text
            if not decoded.confident:
                raise InputError(f"skipped: cannot tell its encoding ({decoded.reason})")
            text, encoding, warning = decoded.text, decoded.encoding, decoded.warning or None
            written = _clean_and_write(_pieces(cleaner, item, text, encoding, options), item, encoding, options)
    except (InputError, DecodingError, LookupError, UnicodeError) as exc:  # LookupError: an unknown codec
        return failed(str(exc))
    except OSError as exc:  # the output could not be written (disk full, read-only folder)
        where = f" {exc.filename}" if exc.filename else ""
        return failed(f"cannot write{where}: {exc.strerror or exc}")
    except Exception as exc:  # a bug must not cost the other files; it is reported as this file's error
        return failed(f"internal error, please report: {type(exc).__name__}: {exc}")
    record = FileRecord(
        item.display, relative, source.sha256, run_key, written.sha256, encoding, None, *written.rows(), warning
    )
    kept = (text, written.text) if options.keep_texts else (None, None)
    return FileOutcome(item, record, source.size, False, *kept)


# Files larger than this are read, cleaned and written a part at a time when
# they are UTF-8, so that memory follows the part, not the file.
STREAM_BYTES = 8 << 20


class _NotUTF8(Exception):
    """A streamed file turned out not to be plain UTF-8 text."""


class _Source:
    """An input's size and hash, taken as it is read (whole, or as a stream)."""

    def __init__(self) -> None:
        self.size = 0
        self._digest = hashlib.sha256()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def read(self, path: Path) -> bytes:
        data = read_bytes(path)
        self.size = len(data)
        self._digest.update(data)
        return data

    def read_utf8(self, path: Path) -> Iterator[str]:
        """The text of a UTF-8 file a block at a time; `_NotUTF8` at the first
        invalid byte or NUL (that file is then read whole and detected)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with open(path, "rb") as handle:
                while data := handle.read(READ_BLOCK):
                    self.size += len(data)
                    self._digest.update(data)
                    text = decoder.decode(data)
                    if "\x00" in text:
                        raise _NotUTF8()
                    yield text
                yield decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _NotUTF8() from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from exc


def _streamable(cleaner: Cleaner, item: InputFile, options: RunOptions) -> bool:
    return (
        options.encoding in ("auto", "utf-8")
        and not options.keep_texts
        and hasattr(cleaner, "normalize_stream")
        and item.path.suffix.lower() not in (".jsonl", ".ndjson")
        and _size(item) > STREAM_BYTES
    )


# A part of a file's clean text, with its change and review records.
Piece = tuple[str, list[Change], list[ReviewItem | RecordNotCleaned]]


_ENTITY = attrgetter("entity")


@dataclass
class _Written:
    """What cleaning one file produced: its log rows, and the output's hash."""

    changes: Rows = field(default_factory=Rows)
    review: Rows = field(default_factory=Rows)
    entities: Counter = field(default_factory=Counter)
    sha256: str | None = None
    text: str | None = None  # the whole clean text, with keep_texts

    def add(self, changes: list[Change], review: list[ReviewItem | RecordNotCleaned]) -> None:
        self.changes.extend(changes)
        self.review.extend(review)
        self.entities.update(map(_ENTITY, changes))

    def rows(self) -> tuple[Rows, Rows, dict[str, int]]:
        return self.changes, self.review, dict(self.entities)


def _clean_and_write(pieces: Iterator[Piece], item: InputFile, encoding: str, options: RunOptions) -> _Written:
    """Write a file's clean text a part at a time (in its own encoding when
    asked) and keep its log rows: a large file is never held twice."""
    encoding = encoding if options.output_encoding == "original" else options.output_encoding
    if codecs.lookup(encoding).name in ("utf-16", "utf-32"):  # these codecs start every piece with a BOM
        pieces = iter([_joined(pieces)])
    written = _Written()
    kept: list[str] = []
    # In place, a file is rewritten only if something changed: its clean
    # parts wait in memory until the first change (or until they grow large).
    waiting: list[bytes] = []
    with contextlib.ExitStack() as stack:
        sink = None

        def flush() -> AtomicFile:
            nonlocal sink
            if sink is None:
                sink = stack.enter_context(_sink(item, options))
            for out in waiting:
                sink.write(out)
            waiting.clear()
            return sink

        for text, changes, review in pieces:
            written.add(changes, review)
            out = encode_text(text, encoding)
            if options.keep_texts:
                kept.append(text)
            if options.check:
                continue
            waiting.append(out)
            if sink is not None or not options.in_place or written.changes or len(waiting) > 4:
                flush()
        if not options.check and (written.changes or not options.in_place):
            sink = flush()
            if options.in_place and options.backup_suffix:
                keep_original(item.path, options.backup_suffix)
            sink.commit()
            written.sha256 = None if options.in_place else sink.sha256
    if options.keep_texts:
        written.text = "".join(kept)
    return written


def _joined(pieces: Iterator[Piece]) -> Piece:
    texts, changes, review = [], [], []
    for text, c, r in pieces:
        texts.append(text)
        changes += c
        review += r
    return "".join(texts), changes, review


def _sink(item: InputFile, options: RunOptions) -> AtomicFile:
    if options.in_place:
        return AtomicFile(item.path)
    # (paths as strings: a run opens one sink per file)
    output = os.fspath(options.output)
    target = os.path.join(output, item.relative)
    # Only the folders are followed: a link at the copy's own place is
    # replaced by the rename, never written through.
    if not _folder_inside(os.path.dirname(target), output):
        raise InputError(f"refusing to write outside the output folder: {target}")
    # (a resumed run checks this copy by its hash, so it need not wait for the disk)
    return AtomicFile(target, _scratch_folder(output), durable=False)


@lru_cache(maxsize=16)
def _scratch_folder(output: str) -> str:
    """Where the temporary files of the copies in `output` are written."""
    return os.path.join(output, STATE_DIR, "tmp")


def journal_of(options: RunOptions) -> Journal | None:
    """The journal of a run that writes an output folder (none for --check or --in-place)."""
    if options.output is None or options.check or options.in_place:
        return None
    return Journal(options.output, [p for p in _log_paths(options)[:2] if p is not None])


def _log_paths(options: RunOptions) -> tuple[Path | None, Path | None, Path | None]:
    """Where the change log, the review log and the manifest of a run go
    (a check writes only the logs it was given paths for)."""
    if options.check:
        return options.changes_path, options.review_path, None
    output = options.output
    return (
        options.changes_path or (output / CHANGES_LOG if output else None),
        options.review_path or (output / REVIEW_LOG if output else None),
        output / STATE_DIR / "manifest.jsonl" if output else None,
    )


def _pieces(cleaner: Cleaner, item: InputFile, text: str, encoding: str, options: RunOptions) -> Iterator[Piece]:
    """The clean text of one decoded file (plain text or JSON Lines) in parts,
    each with its change and review rows."""
    extra = {} if encoding == "utf-8" else {"encoding": encoding}
    if item.path.suffix.lower() in (".jsonl", ".ndjson"):
        clean = partial(cleaner.normalize, name=item.display)
        yield clean_jsonl(text, options.field, clean, file=item.display, extra=extra)
        return
    parts = getattr(cleaner, "normalize_parts", None)
    yield from _rows(parts(text, name=item.display) if parts else [cleaner.normalize(text, name=item.display)], extra)


def _rows(results: Iterable[Result], extra: dict) -> Iterator[Piece]:
    for result in results:
        changes = [msgspec.structs.replace(c, **extra) for c in result.changes] if extra else list(result.changes)
        yield result.text, changes, list(result.review)


@lru_cache(maxsize=4096)
def _folder_inside(parent: str, folder: str) -> bool:
    """Whether `parent` stays inside `folder` once links are followed
    (folders are resolved once each: thousands of files share a few)."""
    return _resolved(parent).is_relative_to(_resolved(folder))


@lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


# The fields of the log rows: a journal record of another format is redone,
# so a resumed run never mixes rows with and without a field.
LOG_FORMAT = 2  # 2: rule, runner_up, margin in changes; signal in review


def run_key(cleaner: Cleaner, options: RunOptions) -> str:
    """A hash of what decides the output: the cleaner (gazetteers, settings,
    model) and the options that change what is written."""
    fingerprint = getattr(cleaner, "fingerprint", lambda: repr(cleaner))()
    key = json.dumps(
        {"version": __version__, "logs": LOG_FORMAT, "cleaner": fingerprint, "options": options.output_key()}
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def run(
    cleaner: Cleaner,
    paths: list[Path],
    options: RunOptions,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    runner: Runner = serial,
) -> RunSummary:
    """Clean every input file, write the clean copies and the logs; resume if asked.

    `on_start` gets the number of files and their total size; `on_file` each
    outcome, in input order.  A KeyboardInterrupt (or `stopping.Terminated`)
    stops the run after writing the logs of what was finished; the summary
    says it was interrupted.  A failure of the run itself (its logs cannot
    be written, a worker died) is in the summary's `failure`, never hidden.
    An output folder is used by one run at a time (`runfolder.BusyError`).
    """
    _resolved.cache_clear()  # links may have changed since an earlier run in this process
    _folder_inside.cache_clear()
    inputs, problems = _inputs(paths, options)
    if journal_of(options) is None:
        return _run(cleaner, inputs, problems, options, on_file, on_start, runner)
    with claim(options.output):
        return _run(cleaner, inputs, problems, options, on_file, on_start, runner)


def _run(
    cleaner: Cleaner,
    inputs: list[InputFile],
    problems: list[InputProblem],
    options: RunOptions,
    on_file: Callable[[FileOutcome], None] | None,
    on_start: Callable[[int, int], None] | None,
    runner: Runner,
) -> RunSummary:
    key = run_key(cleaner, options)
    journal = journal_of(options)
    finished: dict[int, FileOutcome] = {}
    todo: list[int] = []
    for n, item in enumerate(inputs):
        record = None
        if journal is not None and options.resume:
            try:
                record = journal.current(item.relative, lambda path=item.path: file_sha256(path), key)
            except OSError:  # unreadable now: it is cleaned again, and says why
                record = None
        if record is not None:
            finished[n] = FileOutcome(item, record, _size(item), resumed=True)
        else:
            todo.append(n)
    summary = RunSummary(problems=list(problems), check=options.check)
    sizes = [_size(i) for i in inputs]
    if on_start:
        on_start(len(inputs), sum(sizes))
    logs = RunLogs(options, journal)
    work = partial(clean_file, options=options, run_key=key)
    # one process gains nothing from large files first, and would hold their rows
    order = todo if runner is serial else schedule(todo, sizes)
    # (each with its size: a file's size is asked once in a run)
    outcomes = runner(work, cleaner, [_sized(inputs[n], sizes[n]) for n in order])
    results = zip(order, outcomes, strict=True)
    try:
        for n, _ in enumerate(inputs):
            while n not in finished:  # outcomes arrive in the schedule's order
                done, outcome = next(results)
                finished[done] = outcome
            outcome = finished.pop(n)
            logs.add(outcome.input.relative, outcome.record)  # written now, not held to the end
            _account(summary, outcome)
            if on_file:
                on_file(outcome)
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        summary.stop_code = exit_status(exc)
    except Exception as exc:  # the run cannot go on; what finished is still written below
        summary.failure = f"{type(exc).__name__}: {exc}"
    finally:
        with shielded():  # a second Ctrl-C must not tear the logs
            try:
                getattr(outcomes, "close", lambda: None)()
            except Exception as exc:
                summary.failure = summary.failure or f"stopping the workers: {type(exc).__name__}: {exc}"
            _finish(summary, logs, key, options)
            runners.remember(cleaner)  # what this process learnt, for the next run
    return summary


def _finish(summary: RunSummary, logs: RunLogs, key: str, options: RunOptions) -> None:
    """Put the logs in place, point the journal into them and write the
    summary; a failure is recorded, not raised."""
    try:
        logs.commit()
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        summary.failure = summary.failure or f"cannot write the run's logs{where}: {exc.strerror or exc}"
    if options.output is not None and not options.check:
        text = json.dumps({"version": __version__, "run_key": key, **summary.to_dict()}, indent=1) + "\n"
        try:
            write_atomic(options.output / SUMMARY, text.encode("utf-8"), options.output / STATE_DIR / "tmp")
        except OSError as exc:
            where = options.output / SUMMARY
            summary.failure = summary.failure or f"cannot write {where}: {exc.strerror or exc}"


def schedule(positions: list[int], sizes: list[int]) -> list[int]:
    """The order to hand files to the workers: very large files first, the
    rest as given.  A large file started last would keep one worker busy
    while the others wait; started first, the small ones fill in around it.

    >>> schedule([0, 1, 2, 3], [900, 800, 50_000, 700])
    [2, 0, 1, 3]
    """
    if not positions:
        return []
    typical = sorted(sizes[n] for n in positions)[len(positions) // 2]
    large = sorted((n for n in positions if sizes[n] >= 16 * max(typical, 1024)), key=lambda n: -sizes[n])
    chosen = set(large)
    return large + [n for n in positions if n not in chosen]


def _inputs(paths: list[Path], options: RunOptions) -> tuple[list[InputFile], list[InputProblem]]:
    if options.in_place == (options.output is not None) and not options.check:
        raise UsageError("give an output folder (-o) or --in-place")
    exclude = [options.output] if options.output else []
    for path in paths if options.output else []:
        if path.exists() and path.resolve().is_relative_to(options.output.resolve()):
            raise UsageError(f"input {path} lies inside the output folder {options.output}")
    inputs, problems = collect_inputs(paths, options.glob, exclude)
    logs = [log for log in zip(("change log", "review log"), _log_paths(options)[:2], strict=True) if log[1]]
    # (asked of every file found, backups too: a log over a kept original loses it)
    if messages := log_clashes(logs, (i.path for i in inputs)):
        raise UsageError("; ".join(messages))
    if options.in_place:
        # A backup is never cleaned in place, whatever suffix this run keeps
        # them with (one kept with the default by an earlier run is an original).
        suffixes = {options.backup_suffix, BACKUP_SUFFIX} - {""}
        inputs = [i for i in inputs if not any(_is_backup(i.path.name, s) for s in suffixes)]
    if options.output and not options.in_place and not options.check:  # (a check writes no copies)
        copies = ((i.display, i.relative) for i in inputs)
        if messages := (
            clashes(inputs)
            or log_over_run_files(options.output, logs)
            or copy_clashes(options.output, copies, (path for _, path in logs))
        ):
            raise UsageError("; ".join(messages))
        # (an output folder not made yet holds no file an input could be;
        # ``new/../inputs`` is made as ``inputs``, so it is asked resolved)
        output = options.output.resolve()
        for item in inputs if os.path.lexists(output) else ():
            if same_file(item.path, output / item.relative):
                raise UsageError(f"output would overwrite the input {item.display}; use --in-place")
    return inputs, problems


def _is_backup(name: str, suffix: str) -> bool:
    """Whether `name` is a backup made by `corpus.keep_original`.

    >>> _is_backup("a.txt.orig", ".orig"), _is_backup("a.txt.orig.2", ".orig"), _is_backup("a.txt", ".orig")
    (True, True, False)
    """
    stem, _, number = name.rpartition(".")
    return name.endswith(suffix) or (number.isdigit() and stem.endswith(suffix))


# The logs are written a block at a time, and the journal once for this
# many files, or once this many seconds have passed (see `RunLogs.add`).
LOG_BUFFER = 256 << 10
JOURNAL_EVERY = 32
JOURNAL_SECONDS = 1.0


class RunLogs:
    """The change and review logs and the manifest of a run, written row by
    row in input order as each file's turn comes, and put in place together
    at the end.  Until then they are temporary files: a reader sees the logs
    of the last run that ended, never half of these.

    With a journal, the temporary change and review logs live in the
    journal's folder and outlast a crash: each file's entry, written once
    its rows are (a few files at a time: `add`), says where in them its
    rows lie, and the next run reads them back from there.  When the logs
    are in place, the journal is rewritten to point into them.
    """

    def __init__(self, options: RunOptions, journal: Journal | None = None):
        self._options = options
        self._paths = _log_paths(options)
        self._journal = journal
        self._entries: dict[str, Entry] = {}
        self._stack = contextlib.ExitStack()
        self._files: list[AtomicFile | None] | None = None
        self._names: list[str] = []
        self._error: OSError | None = None
        self._unjournalled: list[tuple[str, Entry]] = []  # entries whose rows may still be held
        self._journalled_at = time.monotonic()

    def add(self, relative: Path, record: FileRecord) -> None:
        """Write one finished file's rows, then its journal entry (an error
        is kept for `commit`).  The rows and entries of `JOURNAL_EVERY`
        files (or of `JOURNAL_SECONDS`) go out together: a crash costs the
        next run at most that much work to do again, and a run saves three
        system calls a file."""
        if self._error is not None:
            return
        try:
            changes, review, manifest = self._open()
            extents = [
                self._write(n, log, rows)
                for n, (log, rows) in enumerate(((changes, record.changes), (review, record.review)))
            ]
            if manifest is not None:
                manifest.write(encode(record.manifest_line()) + b"\n")
        except OSError as exc:
            self._error = exc
            self._stack.close()
            return
        if self._journal is not None and not record.error:
            entry = record.entry(*extents)
            key = Journal.record_name(relative)
            self._entries[key] = entry
            self._unjournalled.append((key, entry))
            if len(self._unjournalled) >= JOURNAL_EVERY or time.monotonic() - self._journalled_at >= JOURNAL_SECONDS:
                self._write_journal()

    def _write_journal(self) -> None:
        """Write the rows held, then the journal entries that name them."""
        try:
            for log in self._open()[:2]:
                if log is not None:
                    log.flush()  # an entry never names bytes still in this process
        except OSError as exc:
            self._error = exc
            self._stack.close()
            return
        with contextlib.suppress(OSError):  # the journal only saves work: the file is redone
            self._journal.write_many(self._unjournalled)
        self._unjournalled.clear()
        self._journalled_at = time.monotonic()

    def _write(self, n: int, log: AtomicFile | None, rows: Rows | LoggedRows) -> Extent:
        if log is None or not len(rows):
            return Extent()
        start = log.tell()
        length, sha256 = rows.write_to(log)
        return Extent(self._names[n], start, length, len(rows), sha256)

    def commit(self) -> None:
        """Put the logs in place and point the journal into them; raises the
        first error met writing them (the journal then still points into the
        temporary logs, which stay for the next run)."""
        try:
            if self._error is not None:
                raise self._error
            files = self._open()
            moved = {}
            for n, file in enumerate(files):
                if file is not None:
                    if self._journal is not None:
                        moved[self._names[n]] = self._journal.log_name(file.path)
                    file.commit()
            if self._journal is not None:
                self._journal.rewrite(self._entries, moved)
        finally:
            self._stack.close()  # (a file not committed is removed, unless a journal names it)

    def _open(self) -> list[AtomicFile | None]:
        if self._files is None:
            self._files = [self._file(n, path) for n, path in enumerate(self._paths)]
            # how the journal names each temporary log
            journal = self._journal
            self._names = [journal.log_name(f.temporary) if journal and f else "" for f in self._files]
        return self._files

    def _file(self, n: int, path: Path | None) -> AtomicFile | None:
        if path is None:
            return None
        scratch = _scratch(path, self._options)
        if n < 2 and self._journal is not None:  # a log the journal points into: it outlasts a crash
            log = AtomicFile(path, scratch and self._journal.folder, kept=True, hashed=False, buffered=LOG_BUFFER)
        else:
            log = AtomicFile(path, scratch, hashed=False, buffered=LOG_BUFFER)
        return self._stack.enter_context(log)


def _scratch(path: Path, options: RunOptions) -> Path | None:
    """Where temporary files go for `path`: the output folder's state folder
    when `path` lies in the output folder (same file system), else beside it."""
    if options.output is not None and path.resolve().is_relative_to(options.output.resolve()):
        return options.output / STATE_DIR / "tmp"
    return None


def _account(summary: RunSummary, outcome: FileOutcome) -> None:
    record = outcome.record
    summary.files += 1
    summary.bytes += outcome.size
    summary.resumed += outcome.resumed
    if record.error:
        summary.problems.append(InputProblem(outcome.input.display, record.error))
        return
    if record.warning:
        summary.warnings.append(InputProblem(outcome.input.display, record.warning))
    summary.changed_files += bool(record.changes)
    summary.changes += len(record.changes)
    summary.review += len(record.review)
    summary.per_entity.update(record.entities)
    if record.encoding and record.encoding != "utf-8":
        summary.encodings[record.encoding] += 1


def _sized(item: InputFile, size: int) -> InputFile:
    return InputFile(item.path, item.display, item.relative, size)


def _size(item: InputFile) -> int:
    if item.size >= 0:  # (as the run found it: `_sized`)
        return item.size
    try:
        return item.path.stat().st_size
    except OSError:
        return 0
