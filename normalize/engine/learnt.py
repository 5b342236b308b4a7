"""What a run learnt about new words, kept beside the compiled gazetteer.

The first time the scanner meets a capitalised word it asks how far a name
starting there can reach (`Scanner.word_reach`: listed beginnings, keys, a
fuzzy search).  That costs more than the rest of the word's life, and news
repeats its words from day to day, so the answers are kept in the cache
folder, next to the compiled gazetteer they were worked out from: the next
run (and each worker it forks) starts knowing them.  The file is named by
the compiled gazetteer's entry and the match settings, so another gazetteer
or other thresholds never read it; it is only ever a cache, and one that
cannot be read is ignored::

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "words"
    >>> store(path, {"Hafter": 1, "Monday": 0})
    >>> sorted(load(path).items())
    [('Hafter', 1), ('Monday', 0)]

So are the windows a run told the compiled core about (`Scanner.learnt_windows`:
what each holds, worked out by the reference matcher and `settled.window_verdict`,
which costs more than the rest of a first run's pass).  What they hold depends
on more than the words do: that file is named by everything that decides the
output (`Normalizer.fingerprint`) and by the code of the package, the compiled
core included (`code_digest`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import msgspec

from .cache import keep_file

_TABLE = msgspec.msgpack.Decoder(dict[str, int])
_ENCODER = msgspec.msgpack.Encoder()


def windows_path(folder: Path, entry: str, fingerprint: str) -> Path | None:
    """Where the windows learnt with compiled entry `entry`, a normaliser of
    `fingerprint` and this code are kept (None: the code cannot be told,
    so no windows are kept)."""
    code = code_digest()
    if code is None:
        return None
    tag = hashlib.sha256(f"{fingerprint} {code}".encode()).hexdigest()[:12]
    return folder / f"{entry}-{tag}.windows"


@lru_cache(maxsize=1)
def code_digest() -> str | None:
    """A hash of every file of the package (its code, its data and the
    compiled core): a window's verdict is what this code makes of it.
    None if a file of it cannot be read."""
    digest = hashlib.sha256()
    for root, folders, names in os.walk(_PACKAGE):
        folders[:] = sorted(f for f in folders if f != "__pycache__")  # (walked in this order)
        for name in sorted(names):
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as stream:
                    digest.update(os.path.relpath(path, _PACKAGE).encode() + b"\0" + stream.read())
            except OSError:
                return None
    return digest.hexdigest()


_PACKAGE = Path(__file__).resolve().parent.parent


def learnt_path(folder: Path, entry: str, settings: object) -> Path:
    """Where the words learnt with compiled entry `entry` and `settings` are kept."""
    tag = hashlib.sha256(repr(settings).encode()).hexdigest()[:12]
    return folder / f"{entry}-{tag}.words"


def load(path: Path) -> dict[str, int]:
    """The words kept at `path` and their reach; none if there is no such
    file or it cannot be read."""
    try:
        return _TABLE.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, ValueError):
        return {}


# At most this many words are kept: reading them costs a run about 0.1 s.
LIMIT = 200_000
# At most this many windows are kept: reading them costs a run about 0.2 s.
WINDOWS_LIMIT = 20_000


def store(path: Path, words: dict[str, int], limit: int = LIMIT) -> None:
    """Keep `words` at `path` with what is there already, atomically: the
    words of this run first, then the earlier ones, at most `limit` in all
    (a cache that stays fresh).  A folder that cannot be written only costs
    the next run the time to learn them again."""
    with _merging(path):
        table = _latest_first(words.items(), load(path).items(), limit)
        keep_file(path, _ENCODER.encode(table))


K, V = TypeVar("K"), TypeVar("V")


def _latest_first(latest: Iterable[tuple[K, V]], older: Iterable[tuple[K, V]], limit: int) -> dict[K, V]:
    """The entries of `latest`, then those of `older` with other keys, at most `limit` in all."""
    table: dict[K, V] = {}
    for key, value in itertools.chain(latest, older):
        if len(table) >= limit:
            break
        table.setdefault(key, value)
    return table


def load_windows(path: Path) -> list:
    """The windows kept at `path` (see `Scanner.learnt_windows`); none if
    there is no such file or it cannot be read."""
    try:
        with path.open("rb") as stream:
            kept = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return []
    return kept if isinstance(kept, list) else []


def store_windows(path: Path, windows: list, known: FileState = None, limit: int = WINDOWS_LIMIT) -> FileState:
    """Keep `windows` (the latest first) at `path` with those kept there
    already, at most `limit` in all, as `store` keeps words; the file's
    state once written.  A file still in the state `known` (`file_state`,
    taken when its windows were read and adopted, none forgotten since)
    is not read again."""
    with _merging(path):
        older = load_windows(path) if file_state(path) != known else ()
        kept = list(_latest_first(((w[0], w) for w in windows), ((w[0], w) for w in older), limit).values())
        keep_file(path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        return file_state(path)


# The lock file of a cache folder: held while a kept file is read, merged
# and replaced (not one of the files `cache.prune` removes).
LOCK_NAME = ".learnt.lock"


@contextlib.contextmanager
def _merging(path: Path) -> Iterator[None]:
    """Hold the cache folder's lock while `path` is read, merged and replaced.

    The workers of a run keep what they learnt at about the same time (and
    two runs may): without it, one reads the file before the other replaces
    it, and what the other added is lost.  Where no lock can be taken (no
    such folder yet, a system without `fcntl`), the last writer wins.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path.parent / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (and with it the lock)


FileState = tuple[int, int] | tuple[()] | None  # a file's modification time (ns) and size; None: no file; (): unknown


def file_state(path: Path) -> FileState:
    """`path`'s modification time and size, to tell whether it was written since."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size
