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

Only regular files count: two logs sent to ``/dev/null`` lose nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from .runfolder import REPORT_PAGE, RUN_FILES, STATE_DIR, SUMMARY


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
    known = [(label, path, *_identity(path)) for label, path in logs]
    messages = []
    for k, (label, path, real, key, special) in enumerate(known):
        for other, _, other_real, other_key, _ in known[:k]:
            if (real == other_real and not special) or (key is not None and key == other_key):
                messages.append(f"the {other} and the {label} would be one file, {path}")
    existing = {key: (label, path) for label, path, _, key, _ in known if key is not None}
    for path in inputs if existing else ():  # (a log not written yet is no input)
        try:
            found = os.stat(path)
        except OSError:
            continue
        if (hit := existing.get((found.st_dev, found.st_ino))) is not None:
            messages.append(f"the {hit[0]} {hit[1]} is the input {path}")
    return messages


def _identity(path: Path) -> tuple[Path, tuple[int, int] | None, bool]:
    """`path` resolved, the (device, inode) of the regular file there if
    any, and whether something other than a regular file is there."""
    real = path.resolve()
    try:
        found = os.stat(real)
    except OSError:
        return real, None, False
    if not stat.S_ISREG(found.st_mode):
        return real, None, True
    return real, (found.st_dev, found.st_ino), False


def copy_clashes(output: Path, copies: Iterable[tuple[str, Path]], logs: Iterable[Path]) -> list[str]:
    """Messages for each clean copy (an input's name, its place under
    `output`) that would land on a file of the run: its logs, its summary,
    its state folder, or the page `report` writes there later."""
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


def log_over_run_files(output: Path, logs: Sequence[tuple[str, Path]]) -> list[str]:
    """Messages for each log given a place the run (or `report`) writes
    something else to: its summary, its report page, its state folder."""
    output = output.resolve()
    others = {output / SUMMARY, output / REPORT_PAGE}
    messages = []
    for label, path in logs:
        real = path.resolve()
        if real in others or real.is_relative_to(output / STATE_DIR):
            messages.append(f"the {label} {path} is a file the run keeps for itself")
    return messages
