"""The common English word list that guards precision."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lowercase English words (SCOWL size 50); see ``data/README.md``.

    >>> "after" in english_words(), "haftar" in english_words()
    (True, False)
    """
    data = resources.files("normalize").joinpath("data/english_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("ascii").split())
