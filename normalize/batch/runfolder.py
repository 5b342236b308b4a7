"""The run folder's private state, ``OUT/.normalize``: made safely, used by one run at a time.

A run deletes and rewrites files in its state folder (half-written files of
a killed run, the journal), so it must never reach anything else through a
link planted there, and two runs into the same folder would tear each
other's journal and logs.  `claim` checks the folders without following
links and takes an exclusive lock for as long as the run lasts::

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with claim(out) as state:
    ...     state.name, (state / "tmp").is_dir()
    ('.normalize', True)
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

STATE_DIR = ".normalize"
SUBFOLDERS = ("journal", "tmp")
# What a run keeps at the top of its output folder besides the clean copies
# (`normalize report` puts its page there later); nothing may be written over them.
CHANGES_LOG, REVIEW_LOG, SUMMARY, REPORT_PAGE = "changes.jsonl", "review.jsonl", "summary.json", "report.html"
RUN_FILES = (CHANGES_LOG, REVIEW_LOG, SUMMARY, REPORT_PAGE)


class UnsafeStateError(Exception):
    """The state folder (or a folder in it) is a link or not a folder; nothing was done."""


class BusyError(Exception):
    """Another run holds the output folder's lock; nothing was done."""


def state_folder(output: Path) -> Path:
    """Make ``OUT/.normalize`` and its subfolders, refusing any that is a link.

    The output folder itself may be a link (the user chose it); below it
    nothing is followed.  Half-written files of an interrupted run are
    removed from ``tmp``.
    """
    output.mkdir(parents=True, exist_ok=True)
    state = output / STATE_DIR
    for folder in (state, *(state / name for name in SUBFOLDERS)):
        _real_folder(folder)
    scratch = state / "tmp"
    for entry in os.scandir(scratch):  # never a link: checked above
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)  # (rmtree does not follow links inside)
        else:
            path.unlink(missing_ok=True)
    return state


def _real_folder(folder: Path) -> None:
    with suppress(FileExistsError):
        os.mkdir(folder)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeStateError(f"{folder} is a symbolic link; a run never follows links in its state folder")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeStateError(f"{folder} is not a folder (remove it)")


@contextmanager
def claim(output: Path) -> Iterator[Path]:
    """Hold ``OUT/.normalize/lock`` for the body; `BusyError` if another run holds it.

    The lock is an ``flock`` on an open file: the kernel releases it when
    the process ends, however it ends, so a killed run never leaves a
    stale lock behind.
    """
    state = state_folder(output)
    lock = state / "lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeStateError(f"{lock} is a symbolic link; remove it") from exc
        raise
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise BusyError(f"another run{who} is writing to {output}; wait for it, or choose another folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield state
    finally:
        os.close(fd)  # releases the lock
