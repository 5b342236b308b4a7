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
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import msgspec

_TABLE = msgspec.msgpack.Decoder(dict[str, int])
_ENCODER = msgspec.msgpack.Encoder()


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


def store(path: Path, words: dict[str, int], limit: int = LIMIT) -> None:
    """Keep `words` at `path` with what is there already, atomically: the
    words of this run first, then the earlier ones, at most `limit` in all
    (a cache that stays fresh).  A folder that cannot be written only costs
    the next run the time to learn them again."""
    table = dict(list(words.items())[:limit])
    for word, reach in load(path).items():
        if len(table) >= limit:
            break
        table.setdefault(word, reach)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".words")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_ENCODER.encode(table))
            os.replace(scratch, path)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
    except OSError:
        pass
