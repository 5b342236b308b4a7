"""Files in and out: finding inputs, decoding them, writing atomically.

>>> inputs, problems = collect_inputs([Path("seeds")], "*.txt")
>>> inputs[0].relative
PosixPath('000_4796237a99d6d92a.txt')
"""

from __future__ import annotations

import errno
import fnmatch
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path  # where it is read from
    display: str  # how it is named in messages and change records
    relative: Path  # where its clean copy goes under the output folder


@dataclass(frozen=True, slots=True)
class InputProblem:
    display: str
    message: str

    def __str__(self) -> str:
        return f"{self.display}: {self.message}"


class InputError(Exception):
    """A file that cannot be processed; the message says why."""


def collect_inputs(
    paths: Iterable[Path], glob: str = "*.txt", exclude: Iterable[Path] = ()
) -> tuple[list[InputFile], list[InputProblem]]:
    """Files to process, each with its place in the mirrored output tree.

    A folder's tree is mirrored below the output folder; a file named
    directly goes to its top.  Folders in `exclude` (the output folder
    itself, when it lies inside an input folder) are not entered, and
    symlinked folders are not followed (no loops); a file that cannot be
    read is reported when it is read.
    """
    excluded = [p.resolve() for p in exclude]
    inputs: list[InputFile] = []
    problems: list[InputProblem] = []
    for root in paths:
        if root.is_dir():
            for folder, dirs, files in os.walk(root, onerror=lambda e: problems.append(_walk_problem(e))):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not any((here / d).resolve() == x for x in excluded))
                for name in sorted(files):
                    file = here / name
                    if fnmatch.fnmatchcase(name, glob) and not any(_inside(file, x) for x in excluded):
                        inputs.append(InputFile(file, display_name(file), file.relative_to(root)))
        elif root.is_file() or root.is_symlink():
            inputs.append(InputFile(root, display_name(root), Path(root.name)))
        else:
            problems.append(InputProblem(display_name(root), "no such file or folder"))
    return inputs, problems


def display_name(path: Path) -> str:
    """A path as printable text: bytes that are not UTF-8 in a file name show as \\xNN.

    >>> display_name(Path(os.fsdecode(b"caf\\xe9.txt")))
    'caf\\\\xe9.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _inside(file: Path, folder: Path) -> bool:
    try:
        return file.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing
        return False


def _walk_problem(error: OSError) -> InputProblem:
    return InputProblem(display_name(Path(error.filename or "?")), f"cannot list folder: {error.strerror or error}")


def clashes(inputs: list[InputFile]) -> list[str]:
    """Messages for inputs that would be written to the same output path."""
    seen: dict[Path, InputFile] = {}
    out = []
    for item in inputs:
        other = seen.setdefault(item.relative, item)
        if other is not item:
            out.append(f"{item.display} and {other.display} would both be written to {item.relative}")
    return out


def read_bytes(path: Path) -> bytes:
    """The file's bytes; `InputError` says why they cannot be had."""
    try:
        return path.read_bytes()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("a symbolic link loop") from exc
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc


def read_text(path: Path) -> str:
    """A file's text, its encoding detected as for a run (line endings and BOM kept).

    Raises `InputError` for a binary file or one whose encoding cannot be told.
    """
    from .decoding import DecodingError, decode_bytes

    try:
        decoded = decode_bytes(read_bytes(path))
    except DecodingError as exc:
        raise InputError(str(exc)) from exc
    if not decoded.confident:
        raise InputError(f"cannot tell its encoding ({decoded.reason})")
    return decoded.text


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


_MADE: set[Path] = set()  # folders this process made or found, so each is made once


def _make_folder(folder: Path, again: bool = False) -> None:
    if again or folder not in _MADE:
        folder.mkdir(parents=True, exist_ok=True)
        _MADE.add(folder)


def write_atomic(path: Path, data: bytes, scratch: Path | None = None, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file and a rename.

    A reader sees the old file or the new one, never half of one.  The
    temporary file goes to `scratch` (same file system) when given, so a
    process killed mid-write leaves nothing beside the outputs.  `durable`
    waits for the disk before the rename (a power cut then cannot leave an
    empty file in place of a user's original); files that a resumed run
    checks by hash can skip the wait.
    """
    _make_folder(path.parent)
    if scratch is not None:
        _make_folder(scratch)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=scratch or path.parent)
    except FileNotFoundError:  # a folder removed since this process made it
        _make_folder(scratch or path.parent, again=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=scratch or path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp makes the file private; a replaced file keeps its mode, a new
        # one gets what the user's umask gives any new file
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        try:
            os.replace(tmp, path)
        except FileNotFoundError:  # the folder was removed since this process made it
            _make_folder(path.parent, again=True)
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
