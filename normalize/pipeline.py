"""One document end to end, and a run over many files.

The per-file step (`process_file`) only reads and returns values, so any
runner can call it; `run` writes the outputs and the logs::

    >>> from normalize import Normalizer, RunOptions, run
    >>> summary = run(Normalizer.load(), [Path("seeds")], RunOptions(check=True))
    >>> summary.changes, summary.exit_code
    (9, <ExitCode.CHANGES_FOUND: 1>)
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Protocol

from .corpus import InputError, InputFile, InputProblem, clashes, collect_inputs, read_text, write_atomic
from .records import Result


class ExitCode(IntEnum):
    """Process exit codes; the README documents them."""

    OK = 0  # done; in --check mode: nothing would change
    CHANGES_FOUND = 1  # --check: some file would change
    USAGE = 2  # bad command line (also typer's own code)
    BAD_INPUT = 3  # some input file could not be processed; the others were
    GAZETTEER = 4  # a gazetteer file is broken; nothing was processed


@dataclass(frozen=True)
class RunOptions:
    output: Path | None = None  # mirror the inputs here
    in_place: bool = False  # rewrite the inputs themselves
    backup_suffix: str = ".orig"  # with in_place: keep the original beside it ("" = none)
    check: bool = False  # write nothing; the exit code says whether anything would change
    glob: str = "*.txt"
    changes_path: Path | None = None  # default: OUTPUT/changes.jsonl
    review_path: Path | None = None  # default: OUTPUT/review.jsonl


@dataclass(frozen=True)
class FileOutcome:
    input: InputFile
    original: str = ""
    result: Result | None = None
    error: str | None = None


@dataclass
class RunSummary:
    files: int = 0
    changed_files: int = 0
    changes: int = 0
    review: int = 0
    per_entity: Counter = field(default_factory=Counter)
    problems: list[InputProblem] = field(default_factory=list)
    check: bool = False

    @property
    def exit_code(self) -> ExitCode:
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


def process_file(normalizer: Cleaner, item: InputFile) -> FileOutcome:
    """Read and normalise one file; a bad file becomes an outcome with an error."""
    try:
        text = read_text(item.path)
        return FileOutcome(item, text, normalizer.normalize(text, name=item.display))
    except InputError as exc:
        return FileOutcome(item, error=str(exc))


def run(
    normalizer: Cleaner,
    paths: list[Path],
    options: RunOptions,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunSummary:
    """Normalise every input file and write the clean copies and the logs."""
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
    summary = RunSummary(problems=list(problems), check=options.check)
    if on_start:
        on_start(len(inputs))
    writing = not options.check
    changes_path = options.changes_path or (options.output / "changes.jsonl" if options.output else None)
    review_path = options.review_path or (options.output / "review.jsonl" if options.output else None)
    with (
        _JsonLines(changes_path if writing else None) as changes_log,
        _JsonLines(review_path if writing else None) as review_log,
    ):
        for item in inputs:
            outcome = process_file(normalizer, item)
            _account(summary, outcome)
            if writing and outcome.result is not None:
                _write_outputs(outcome, options)
                changes_log.write(c.to_dict() for c in outcome.result.changes)
                review_log.write(r.to_dict() for r in outcome.result.review)
            if on_file:
                on_file(outcome)
    return summary


def _account(summary: RunSummary, outcome: FileOutcome) -> None:
    summary.files += 1
    if outcome.error:
        summary.problems.append(InputProblem(outcome.input.display, outcome.error))
        return
    result = outcome.result
    summary.changed_files += result.changed
    summary.changes += len(result.changes)
    summary.review += len(result.review)
    summary.per_entity.update(c.entity for c in result.changes)


def _write_outputs(outcome: FileOutcome, options: RunOptions) -> None:
    data = outcome.result.text.encode("utf-8")
    if options.in_place:
        if outcome.result.changed:
            if options.backup_suffix:
                backup = outcome.input.path.with_name(outcome.input.path.name + options.backup_suffix)
                write_atomic(backup, outcome.input.path.read_bytes())
            write_atomic(outcome.input.path, data)
    else:
        write_atomic(options.output / outcome.input.relative, data)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


class _JsonLines:
    """A JSON Lines log streamed to a temporary file and renamed into place.

    The rename happens even when the run stops early, so the log always
    matches the clean files already written.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.handle = None

    def __enter__(self) -> _JsonLines:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, prefix=f".{self.path.name}.", delete=False
            )
        return self

    def write(self, records: Iterable[dict]) -> None:
        if self.handle is not None:
            for record in records:
                self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()
            os.replace(self.handle.name, self.path)
