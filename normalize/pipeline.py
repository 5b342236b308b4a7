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

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Protocol

from . import __version__
from .corpus import (
    InputError,
    InputFile,
    InputProblem,
    clashes,
    collect_inputs,
    display_name,
    read_bytes,
    write_atomic,
)
from .decoding import DecodingError, decode_bytes, encode_text
from .exitcodes import ExitCode
from .journal import STATE_DIR, FileRecord, Journal, sha256
from .jsonl import clean_jsonl
from .records import Result, json_line, json_lines


@dataclass(frozen=True)
class RunOptions:
    output: Path | None = None  # mirror the inputs here
    in_place: bool = False  # rewrite the inputs themselves
    backup_suffix: str = ".orig"  # with in_place: keep the original beside it ("" = none)
    check: bool = False  # write nothing; the exit code says whether anything would change
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
    # the change and review rows as JSON Lines text, made by the worker so
    # that the parent only joins them into the logs
    logs: tuple[str, str] | None = None

    @property
    def error(self) -> str | None:
        return self.record.error

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
    check: bool = False
    interrupted: bool = False

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
            "interrupted": self.interrupted,
            "exit_code": int(self.exit_code),
        }

    @property
    def exit_code(self) -> ExitCode:
        if self.interrupted:
            return ExitCode.INTERRUPTED
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
    """Read, decode, clean and write one file; any problem becomes the outcome's error."""
    relative = display_name(item.relative)

    def failed(message: str, data: bytes = b"") -> FileOutcome:
        record = FileRecord(item.display, relative, sha256(data), run_key, None, None, message)
        if (journal := journal_of(options)) is not None:
            journal.write(item.relative, record)
        return FileOutcome(item, record, len(data))

    try:
        data = read_bytes(item.path)
    except InputError as exc:
        return failed(str(exc))
    try:
        decoded = decode_bytes(data, encodings=None if options.encoding == "auto" else [options.encoding])
        if not decoded.confident:
            raise InputError(f"skipped: cannot tell its encoding ({decoded.reason})")
        clean_text, changes, review = _clean(cleaner, item, decoded.text, decoded.encoding, options)
        out = encode_text(
            clean_text, decoded.encoding if options.output_encoding == "original" else options.output_encoding
        )
        output_sha = None if options.check else _write_output(item, data, out, bool(changes), options)
    except (InputError, DecodingError, LookupError, UnicodeError) as exc:  # LookupError: an unknown codec
        return failed(str(exc), data)
    text, encoding = decoded.text, decoded.encoding
    record = FileRecord(item.display, relative, sha256(data), run_key, output_sha, encoding, None, changes, review)
    encoded = ([json_line(c) for c in changes], [json_line(r) for r in review])
    if (journal := journal_of(options)) is not None:
        # written here, by the worker, right after the output: the parent
        # only counts, so more workers give more speed
        journal.write(item.relative, record, encoded)
    kept = (text, clean_text) if options.keep_texts else (None, None)
    logs = tuple("".join(row + "\n" for row in rows) for rows in encoded)
    return FileOutcome(item, record, len(data), False, *kept, logs)


def journal_of(options: RunOptions) -> Journal | None:
    """The journal of a run that writes an output folder (none for --check or --in-place)."""
    if options.output is None or options.check or options.in_place:
        return None
    return Journal(options.output)


def _clean(
    cleaner: Cleaner, item: InputFile, text: str, encoding: str, options: RunOptions
) -> tuple[str, list[dict], list[dict]]:
    """The clean text and the log records of one decoded file (plain text or JSON Lines)."""
    extra = {} if encoding == "utf-8" else {"encoding": encoding}
    if item.path.suffix.lower() not in (".jsonl", ".ndjson"):
        result = cleaner.normalize(text, name=item.display)
        return result.text, [c.to_dict() | extra for c in result.changes], [v.to_dict() for v in result.review]
    return clean_jsonl(
        text, options.field, lambda value: cleaner.normalize(value, name=item.display), file=item.display, extra=extra
    )


def _write_output(item: InputFile, data: bytes, out: bytes, changed: bool, options: RunOptions) -> str | None:
    if options.in_place:
        if changed:
            if options.backup_suffix:
                write_atomic(item.path.with_name(item.path.name + options.backup_suffix), data)
            write_atomic(item.path, out)
        return None
    target = options.output / item.relative
    if not _inside(target, options.output):
        raise InputError(f"refusing to write outside the output folder: {target}")
    # (a resumed run checks this copy by its hash, so it need not wait for the disk)
    write_atomic(target, out, options.output / STATE_DIR / "tmp", durable=False)
    return sha256(out)


def _inside(target: Path, folder: Path) -> bool:
    """Whether `target` stays inside `folder` once links are followed.

    Folders are resolved once each (thousands of files share a few), the
    file itself only when it is a link.
    """
    parent = _resolved(target.parent)
    if target.is_symlink():
        return target.resolve().is_relative_to(_resolved(folder))
    return parent.is_relative_to(_resolved(folder))


@lru_cache(maxsize=4096)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def run_key(cleaner: Cleaner, options: RunOptions) -> str:
    """A hash of what decides the output: the cleaner (gazetteers, settings,
    model) and the options that change what is written."""
    fingerprint = getattr(cleaner, "fingerprint", lambda: repr(cleaner))()
    key = json.dumps({"version": __version__, "cleaner": fingerprint, "options": options.output_key()})
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
    outcome, in input order.  A KeyboardInterrupt stops the run after writing
    the logs of what was finished; the summary says it was interrupted.
    """
    _resolved.cache_clear()  # links may have changed since an earlier run in this process
    inputs, problems = _inputs(paths, options)
    key = run_key(cleaner, options)
    journal = journal_of(options)
    if journal is not None:  # half-written files of a killed run
        shutil.rmtree(options.output / STATE_DIR / "tmp", ignore_errors=True)
    finished: dict[int, FileOutcome] = {}
    todo: list[InputFile] = []
    for n, item in enumerate(inputs):
        record = None
        if journal is not None and options.resume:
            try:
                record = journal.current(item.relative, lambda path=item.path: sha256(read_bytes(path)), key)
            except InputError:
                record = None
        if record is not None:
            finished[n] = FileOutcome(item, record, _size(item), resumed=True)
        else:
            todo.append(item)
    summary = RunSummary(problems=list(problems), check=options.check)
    sizes = [_size(i) for i in inputs]
    if on_start:
        on_start(len(inputs), sum(sizes))
    logs: list[tuple[dict, str, str]] = []  # manifest line, change rows, review rows
    work = partial(clean_file, options=options, run_key=key)
    order = schedule([n for n in range(len(inputs)) if n not in finished], sizes)
    outcomes = runner(work, cleaner, [inputs[n] for n in order])
    results = zip(order, outcomes, strict=True)
    try:
        for n, _ in enumerate(inputs):
            while n not in finished:  # outcomes arrive in the schedule's order
                done, outcome = next(results)
                finished[done] = outcome
            outcome = finished.pop(n)
            record = outcome.record
            texts = outcome.logs or (json_lines(record.changes), json_lines(record.review))
            logs.append((record.manifest_line(), *texts))
            _account(summary, outcome)
            if on_file:
                on_file(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        getattr(outcomes, "close", lambda: None)()
        _write_logs(logs, options)
        if journal is not None:
            journal.compact()
        if options.output is not None and not options.check:
            text = json.dumps({"version": __version__, "run_key": key, **summary.to_dict()}, indent=1) + "\n"
            write_atomic(options.output / "summary.json", text.encode("utf-8"), options.output / STATE_DIR / "tmp")
    return summary


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
    if options.output and not options.in_place:
        if messages := clashes(inputs):
            raise UsageError("; ".join(messages))
        for item in inputs:
            if _same_file(item.path, options.output / item.relative):
                raise UsageError(f"output would overwrite the input {item.display}; use --in-place")
    return inputs, problems


def _write_logs(logs: list[tuple[dict, str, str]], options: RunOptions) -> None:
    if options.check:
        return
    changes_path = options.changes_path or (options.output / "changes.jsonl" if options.output else None)
    review_path = options.review_path or (options.output / "review.jsonl" if options.output else None)
    for path, text in (
        (changes_path, "".join(changes for _, changes, _ in logs)),
        (review_path, "".join(review for _, _, review in logs)),
        (
            options.output / STATE_DIR / "manifest.jsonl" if options.output else None,
            json_lines(manifest for manifest, _, _ in logs),
        ),
    ):
        if path is not None:
            write_atomic(path, text.encode("utf-8"), _scratch(path, options))


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
    summary.changed_files += bool(record.changes)
    summary.changes += len(record.changes)
    summary.review += len(record.review)
    summary.per_entity.update(c["entity"] for c in record.changes)
    if record.encoding and record.encoding != "utf-8":
        summary.encodings[record.encoding] += 1


def _size(item: InputFile) -> int:
    try:
        return item.path.stat().st_size
    except OSError:
        return 0


def _same_file(a: Path, b: Path) -> bool:
    """Whether writing `b` would overwrite `a` (links followed; a hard link counts)."""
    try:
        existing = os.stat(b)  # most outputs do not exist yet: one failed stat
    except OSError:
        return False
    try:
        return os.path.samestat(os.stat(a), existing)
    except OSError:
        return False
