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

import hashlib
import os
import pickle
import sys
import tempfile
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


def keep_file(path: Path, data: bytes) -> None:
    """`data` at `path` in the cache folder, atomically (made private); a
    read-only or full disk only costs the next run the time to work it out
    again."""
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
        pass
