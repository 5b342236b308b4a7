"""Compiled gazetteers kept between runs, so that start-up skips parsing and compiling.

An entry is named by a hash of the gazetteer digest (the names and bytes of
every file), of the code that builds and reads the compiled tables, and of
the Python version: editing a file, changing or upgrading the code or
switching interpreter makes a new entry, never a stale answer.
Entries are written atomically; one that cannot be read is rebuilt, and a
cache folder that cannot be written only costs the time to compile::

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> gazetteer, index = load_compiled([], cache_dir=folder)
    >>> len(list(folder.glob("*.pickle"))), load_compiled([], cache_dir=folder)[0] == gazetteer
    (1, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from ..gazetteer import Gazetteer, gazetteer_digest, gazetteer_files, gazetteer_roots
from ..version import __version__
from .index import Index


def default_cache_dir() -> Path:
    """``$NORMALIZE_CACHE_DIR``, else ``$XDG_CACHE_HOME/normalize``, else ``~/.cache/normalize``."""
    if os.environ.get("NORMALIZE_CACHE_DIR"):
        return Path(os.environ["NORMALIZE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "normalize"


def load_compiled(
    paths: Iterable[str | Path] = (),
    *,
    include_default: bool = True,
    cache_dir: Path | None = None,
) -> tuple[Gazetteer, Index]:
    """The gazetteer of `paths` and its index, from `cache_dir` when compiled before."""
    folder = default_cache_dir() if cache_dir is None else cache_dir
    roots = gazetteer_roots(paths, include_default)
    digest = gazetteer_digest(gazetteer_files(roots))
    entry = folder / f"{entry_name(digest)}.pickle"
    try:
        with entry.open("rb") as stream:
            gazetteer, index = pickle.load(stream)
        if _whole(gazetteer, Gazetteer) and _whole(index, Index) and gazetteer.digest == digest:
            _used(entry)
            return gazetteer, index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # missing or unreadable: compile it again
    from ..gazetteer.loading import load_gazetteers  # (here: a cached gazetteer needs no parser)

    gazetteer = load_gazetteers(paths, include_default=include_default)
    index = Index.build(gazetteer)
    if gazetteer.digest == digest:  # not edited while we read it
        _store(entry, (gazetteer, index))
    return gazetteer, index


def entry_name(digest: str) -> str:
    """The name of the compiled entry of a gazetteer digest (with this code and Python)."""
    version = f"{__version__} {_code_digest()} {sys.version_info[:3]} {sys.implementation.name}"
    return hashlib.sha256(f"{digest} {version}".encode()).hexdigest()[:32]


# The modules whose classes are pickled, or that decide what goes in them
# (the index leaves out spellings made by word synonyms that read as a common
# English word, so the word list decides it too).
_PACKAGE = Path(__file__).resolve().parent.parent
_COMPILED_BY = (
    "engine/index.py",
    "gazetteer/loading.py",
    "gazetteer/model.py",
    "gazetteer/synonyms.py",
    "engine/records.py",
    "text/keys.py",
    "text/tokens.py",
    "engine/cache.py",
    "text/words.py",
    "data/english_words.txt.gz",
)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of the code behind the compiled tables: a development checkout
    changes it without changing the package version."""
    digest = hashlib.sha256()
    for name in _COMPILED_BY:
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


def _whole(value: object, kind: type) -> bool:
    """An instance of `kind` with every field it has today."""
    return isinstance(value, kind) and all(hasattr(value, f.name) for f in fields(kind))


def _store(entry: Path, value: object) -> None:
    keep_file(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _used(path: Path) -> None:
    """Mark a cache file as used now, for `prune` (its modification time:
    access times are often not kept)."""
    with contextlib.suppress(OSError):
        os.utime(path)


# A cache folder keeps the compiled entries of this many gazetteer and code
# versions, the most recently used, with their kept words and windows: each
# edit of a gazetteer file and each upgrade makes a new entry, and a
# maintainer's folder must not fill up with the old ones.
KEEP_ENTRIES = 8
# Kept words (and windows) per entry: one file per match settings (and per
# ignore list and code version), the most recently written.
KEEP_PER_ENTRY = 4
# A scratch file this old was left by a process that was killed while writing.
_SCRATCH_AGE_S = 3600


def prune(folder: Path, keep: int | None = None, per_entry: int = KEEP_PER_ENTRY) -> None:
    """Remove all but the `keep` entries of `folder` used last, and all but
    the `per_entry` files of each kind kept beside each one written last.

        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for n in range(3):
        ...     _ = (folder / f"{n:032x}.pickle").write_bytes(b"")
        ...     os.utime(folder / f"{n:032x}.pickle", (n, n))
        >>> prune(folder, keep=2)
        >>> sorted(p.name[-9:] for p in folder.iterdir())
        ['01.pickle', '02.pickle']

    Files it cannot tell (other names) are left alone; one it cannot remove
    costs only space.
    """
    try:
        files = [(p, p.stat().st_mtime) for p in folder.iterdir() if p.is_file()]
    except OSError:
        return
    now = time.time()
    doomed = [p for p, mtime in files if _SCRATCH.fullmatch(p.name) and now - mtime > _SCRATCH_AGE_S]
    by_entry: dict[str, list[tuple[str, Path]]] = {}  # entry -> (kind, file), newest first
    for path, _ in sorted(files, key=lambda f: -f[1]):
        if named := _OURS.fullmatch(path.name):
            by_entry.setdefault(named.group(1), []).append((named.group(2) or named.group(3), path))
    # (entries in the order their newest file was used)
    recent = list(by_entry)[: KEEP_ENTRIES if keep is None else keep]
    for entry, kept in by_entry.items():
        if entry not in recent:
            doomed += [path for _, path in kept]
            continue
        for kind in ("words", "windows"):
            doomed += [path for k, path in kept if k == kind][per_entry:]
    for path in doomed:
        with contextlib.suppress(OSError):
            path.unlink()


# The names of the files this module and `engine.learnt` write (an entry's
# compiled gazetteer, its learnt words and windows), and of their scratch files.
_OURS = re.compile(r"([0-9a-f]{32})(?:\.(pickle)|-[0-9a-f]{12}\.(words|windows))")
_SCRATCH = re.compile(r"\.tmp-.*\.(?:pickle|words|windows)", re.DOTALL)


def keep_file(path: Path, data: bytes) -> None:
    """`data` at `path` in the cache folder, atomically (made private); a
    read-only or full disk only costs the next run the time to work it out
    again.  A new file (another gazetteer, code version, ignore list or
    settings) has the folder pruned, so that the old ones do not pile up."""
    new = not os.path.lexists(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(scratch, path)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
    except OSError:
        return
    if new:
        prune(path.parent)
