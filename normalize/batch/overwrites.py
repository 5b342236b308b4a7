"""What a run must never write over: its inputs, and its own files.

A clean copy, a change log and a review log each replace a file.  Their
places are known from the options before anything is written; where two of
them lead to one file (the same path once resolved, through ``..`` or a
link, or a hard link to it), one would be lost, so the run is refused with
both named::

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Hafter left.")
    >>> found = log_clashes([("change log", folder / "new" / ".." / "a.txt")], [folder / "a.txt"])
    >>> found[0].startswith("the change log")
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .runfolder import STATE_DIR

# The files a run (and `normalize report` and `review` after it) keeps at
# the top of its output folder, besides the clean copies.
RUN_FILES = ("changes.jsonl", "review.jsonl", "summary.json", "report.html", "review-decisions.jsonl")


def same_file(a: Path, b: Path) -> bool:
    """Whether writing `b` would overwrite `a` (links followed; a hard link counts)."""
    try:
        existing = os.stat(b)  # most outputs do not exist yet: one failed stat
    except OSError:
        return False
    try:
        return os.path.samestat(os.stat(a), existing)
    except OSError:
        return False


def log_clashes(logs: Sequence[tuple[str, Path]], inputs: Iterable[Path]) -> list[str]:
    """Messages for each log (labelled: "change log") that is another log or an input."""
    messages = []
    resolved = [(label, path, path.resolve()) for label, path in logs]
    for k, (label, path, real) in enumerate(resolved):
        for other, _, other_real in resolved[:k]:
            if real == other_real or same_file(other_real, real):
                messages.append(f"the {other} and the {label} would be one file, {path}")
    existing: dict[tuple[int, int], tuple[str, Path]] = {}
    for label, path, real in resolved:
        try:
            found = os.stat(real)
        except OSError:
            continue  # (a log not written yet is no input)
        existing[(found.st_dev, found.st_ino)] = (label, path)
    for path in inputs if existing else ():
        try:
            found = os.stat(path)
        except OSError:
            continue
        if (hit := existing.get((found.st_dev, found.st_ino))) is not None:
            messages.append(f"the {hit[0]} {hit[1]} is the input {path}")
    return messages


def copy_clashes(output: Path, copies: Iterable[tuple[str, Path]], logs: Iterable[Path]) -> list[str]:
    """Messages for each clean copy (an input's name, its place under
    `output`) that would land on a file of the run: its logs, its summary,
    its state folder, or a file `report` or `review` writes there later."""
    output = output.resolve()
    # (compared as tuples of names: hashing thousands of new paths costs a run 25 ms)
    reserved = {(name,) for name in RUN_FILES}
    for log in logs:
        real = log.resolve()
        if real.is_relative_to(output):
            reserved.add(real.relative_to(output).parts)
    messages = []
    for name, relative in copies:
        parts = relative.parts
        if parts in reserved or parts[0] == STATE_DIR:
            messages.append(f"the clean copy of {name} would be written over {output / relative}, a file of the run")
    return messages
