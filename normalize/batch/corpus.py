"""Files in and out: finding inputs, decoding them, writing atomically.

>>> inputs, problems = collect_inputs([Path("seeds")], "*.txt")
>>> inputs[0].relative
PosixPath('000_4796237a99d6d92a.txt')
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import hashlib
import itertools
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .runfolder import STATE_DIR
from .stopping import deferred


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path  # where it is read from
    display: str  # how it is named in messages and change records
    relative: Path  # where its clean copy goes under the output folder
    size: int = field(default=-1, compare=False)  # in bytes, as the run found it (-1: not asked)


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
    itself, when it lies inside an input folder) are not entered, nor is
    the state folder of a run (``.normalize``: its journal is no article);
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
                dirs[:] = sorted(
                    d for d in dirs if d != STATE_DIR and not any((here / d).resolve() == x for x in excluded)
                )
                # the folder is resolved once; a file can only lead elsewhere if it is a link
                if any(_inside(here, x) for x in excluded):
                    continue
                links = _links_in(folder, files) if excluded else frozenset()
                relative = here.relative_to(root)
                for name in sorted(files):
                    if not fnmatch.fnmatchcase(name, glob):
                        continue
                    file = here / name
                    if name in links and any(_inside(file, x) for x in excluded):
                        continue
                    inputs.append(InputFile(file, display_name(file), relative / name))
        elif root.is_file() or root.is_symlink():
            inputs.append(InputFile(root, display_name(root), Path(root.name)))
        else:
            problems.append(InputProblem(display_name(root), "no such file or folder"))
    return inputs, problems


def display_name(path: Path) -> str:
    """A path as printable text, one text per path: bytes that are not UTF-8
    in a file name show as \\xNN and a backslash as \\\\ (so the byte 0xE9
    and the four characters ``\\xe9`` stay apart); any other name is shown
    as it is.  `path_of_display` reads it back.

    >>> display_name(Path(os.fsdecode(b"caf\\xe9.txt")))
    'caf\\\\xe9.txt'
    >>> display_name(Path("caf\\\\xe9.txt"))
    'caf\\\\\\\\xe9.txt'
    """
    text = os.fsencode(path).decode("utf-8", "surrogateescape")
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if not text.isascii():
        text = _KEPT_BYTE_RE.sub(lambda m: f"\\x{ord(m[0]) - 0xDC00:02x}", text)
    return text


def path_of_display(text: str) -> Path:
    """The path `display_name` showed as `text`.

    >>> path_of_display(display_name(Path(os.fsdecode(b"a\\\\b\\xff.txt")))) == Path(os.fsdecode(b"a\\\\b\\xff.txt"))
    True
    """
    if "\\" not in text:
        return Path(text)
    kept = _DISPLAY_ESCAPE_RE.sub(_unescape, text)
    return Path(os.fsdecode(kept.encode("utf-8", "surrogateescape")))


def _unescape(match: re.Match[str]) -> str:
    return "\\" if match[0] == "\\\\" else chr(0xDC00 + int(match[0][2:], 16))


# A byte of a file name that is not UTF-8, as os.fsdecode keeps it.
_KEPT_BYTE_RE = re.compile("[\\udc80-\\udcff]")
# What display_name escapes: a backslash, a byte (\x80 to \xff).
_DISPLAY_ESCAPE_RE = re.compile(r"\\\\|\\x[89a-f][0-9a-f]")


def _links_in(folder: str, names: list[str]) -> frozenset[str]:
    """The names of the symbolic links in `folder`: one listing, where a
    check per file would ask the system once for each (if it cannot be
    listed now, each of `names` is asked)."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.is_symlink())
    except OSError:
        return frozenset(n for n in names if os.path.islink(os.path.join(folder, n)))


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
        return _read_all(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("a symbolic link loop") from exc
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc


def _read_all(path: Path) -> bytes:
    """`Path.read_bytes` in five system calls instead of nine (no terminal
    check, no position asked twice): a run reads thousands of files."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        parts = [os.read(fd, size + 1 if size else READ_BLOCK)]
        while parts[-1]:  # (to the end, whatever the size said: a file may grow)
            parts.append(os.read(fd, READ_BLOCK))
        return parts[0] if len(parts) == 2 else b"".join(parts)
    finally:
        os.close(fd)


READ_BLOCK = 1 << 20


def read_text(path: Path) -> str:
    """A file's text, its encoding detected as for a run (line endings and BOM kept).

    A nearly-UTF-8 file's bad bytes are in the text as lone surrogates (see
    `decoding.Decoded.bad_bytes`).  Raises `InputError` for a binary file or
    one whose encoding cannot be told.
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


_MADE: set[str] = set()  # folders this process made or found, so each is made once


def _make_folder(folder: str | os.PathLike, again: bool = False) -> None:
    folder = os.fspath(folder)  # (a string's hash is kept; a Path's is worked out on each look-up)
    if again or folder not in _MADE:
        os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)


def keep_original(path: Path, suffix: str) -> Path:
    """Keep the file at `path` as a backup, before it is replaced.

    The backup is ``path + suffix``; if that exists (an earlier run's, which
    holds the true original) it is never overwritten: ``.1``, ``.2``, ...
    follow.  The backup is a hard link to the original's data when the file
    system allows (nothing copied, dates and mode kept), else a copy.
    """
    for n in range(10_000):
        backup = path.with_name(path.name + suffix + (f".{n}" if n else ""))
        try:
            os.link(path, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError:  # no hard links here: copy, never over an existing file
            pass
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666 & ~_UMASK)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle, open(path, "rb") as original:
                shutil.copyfileobj(original, handle)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            backup.unlink(missing_ok=True)
            raise
        return backup
    raise OSError(f"too many backups of {path}")


def write_atomic(
    path: Path, data: bytes, scratch: Path | None = None, durable: bool = True, fresh: bool = False
) -> None:
    """Write `data` to `path` through a temporary file and a rename (see `AtomicFile`)."""
    with AtomicFile(path, scratch, durable, fresh=fresh) as handle:
        handle.write(data)
        handle.commit()


def write_edited(path: Path, data: bytes) -> None:
    """Replace a file the user keeps and edits (a gazetteer, an ignore file)
    with `data`, atomically.  A linked file is written where the link leads:
    replacing the link would cut it.  A dangling link is replaced, never
    followed to make folders where it points."""
    write_atomic(path.resolve() if path.exists() else path, data)


_SCRATCH_NUMBERS = itertools.count()


def _scratch_file(folder: Path, name: str, mode: int) -> tuple[int, str]:
    """A new temporary file for `name` in `folder`, created by this call
    (``O_EXCL``: never a file someone else made or linked there)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_SCRATCH_NUMBERS)}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:  # left by a process with this number before
            continue
    raise FileExistsError(f"cannot make a temporary file for {name} in {folder}")


def _placed_new(tmp: str, path: str | os.PathLike) -> None:
    """Put the file `tmp` at `path`, unless anything is there (FileExistsError)."""
    try:
        os.link(tmp, path, follow_symlinks=False)  # (fails on any name there, a dangling link too)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # a file system without hard links: a rename, the name checked just before
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path)) from None
        os.replace(tmp, path)
        return
    with contextlib.suppress(OSError):  # (the file is in place; at worst a hidden second name stays)
        os.unlink(tmp)


# What `os.link` fails with where a file system has no hard links.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK})


class AtomicFile:
    """A file written in pieces to a temporary file and renamed into place by `commit`.

    A reader sees the old file or the new one, never half of one; leaving
    the block without `commit` removes the temporary file.  It goes to
    `scratch` (same file system) when given, so a process killed mid-write
    leaves nothing beside the outputs.  `durable` waits for the disk before
    the rename (a power cut then cannot leave an empty file in place of a
    user's original); files that a resumed run checks by hash can skip the
    wait.  `sha256` is the hash of what was written (unless not `hashed`:
    a log whose parts are hashed apart).  A `kept` file stays
    when the block is left without `commit` (a journal names it, and the
    next run reads it back).  A `buffered` file holds what is written until
    that many bytes wait, or `flush` (a kept one then holds only what was
    flushed: a journal names nothing more).  A `fresh` file never replaces
    one: `commit` raises FileExistsError if anything is at its path by then.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        scratch: str | os.PathLike | None = None,
        durable: bool = True,
        kept: bool = False,
        hashed: bool = True,
        buffered: int = 0,
        fresh: bool = False,
    ):
        self.path, self.scratch, self.durable, self.kept, self.fresh = path, scratch, durable, kept, fresh
        self._digest = hashlib.sha256() if hashed else None
        # what is written is held until this many bytes wait (0: never), or `flush`
        self._limit, self._held, self._held_bytes = buffered, [], 0

    def __enter__(self) -> AtomicFile:
        # (worked out on strings: a run opens one of these per file)
        folder, name = os.path.split(os.fspath(self.path))
        folder = self._folder = folder or os.curdir
        scratch = self.scratch
        _make_folder(folder)
        if scratch is not None:
            _make_folder(scratch)
        # A durable file may replace a user's original: it is private until
        # `commit` gives it the original's mode.  An output copy gets what the
        # user's umask gives any new file, from the start.
        mode = 0o600 if self.durable else 0o666
        try:
            fd, self._tmp = _scratch_file(scratch or folder, name, mode)
        except FileNotFoundError:  # a folder removed since this process made it
            _make_folder(scratch or folder, again=True)
            fd, self._tmp = _scratch_file(scratch or folder, name, mode)
        # (written straight to the descriptor, or held here when `buffered`: a
        # buffered file object would cost four more system calls a file, and each `tell` one)
        self._fd, self._written, self._done = fd, 0, False
        return self

    def write(self, data: bytes) -> None:
        if self._limit:
            self._held.append(data)
            self._held_bytes += len(data)
            if self._held_bytes >= self._limit:
                self.flush()
        else:
            self._write(data)
        self._written += len(data)
        if self._digest is not None:
            self._digest.update(data)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def flush(self) -> None:
        """Write what is held (unless `buffered`, each `write` reaches the file at once)."""
        if self._held:
            data = b"".join(self._held)
            # (whole or not at all: a run stopped now puts in place logs that
            # hold every row it counted, and never writes one twice)
            with deferred():
                try:
                    self._write(data)
                finally:
                    self._held.clear()
                    self._held_bytes = 0

    def tell(self) -> int:
        """How many bytes have been written."""
        return self._written

    @property
    def temporary(self) -> Path:
        """The temporary file, until `commit`."""
        return Path(self._tmp)

    @property
    def sha256(self) -> str:
        if self._digest is None:
            raise ValueError(f"{self.path} is written without a hash (hashed=False)")
        return self._digest.hexdigest()

    def commit(self) -> None:
        self.flush()
        fd, path, tmp = self._fd, self.path, self._tmp
        if self.durable:
            os.fsync(fd)
        self._fd = -1  # (closed from here on, even if closing reports an error: never closed twice)
        os.close(fd)
        if self.durable:
            # a replaced file keeps its mode, a new one gets what the user's
            # umask gives any new file
            try:
                mode = os.stat(path).st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~_UMASK
            os.chmod(tmp, mode)
        place = _placed_new if self.fresh else os.replace
        try:
            place(tmp, path)
        except FileNotFoundError:  # the folder was removed since this process made it
            _make_folder(self._folder, again=True)
            place(tmp, path)
        self._done = True

    def __exit__(self, *exc) -> None:
        if not self._done:
            if self._fd >= 0:
                os.close(self._fd)
            if not self.kept:
                Path(self._tmp).unlink(missing_ok=True)
