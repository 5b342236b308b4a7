"""A bounded cache for a function of one word whose answer is a string, a
number or a truth value, kept where the garbage collector never looks.

`functools.lru_cache` keeps its entries in an object the collector tracks:
each full collection visits every word and answer it holds, and each visit
is a trip to memory.  Over the 100k gazetteer, `fold`, `translit_key` and
`is_all_caps` held 65,536 words each, 600,000 references in all.  These are
most of what a full collection walked, at about 130 ms a collection.  A
plain dict whose keys and values are all strings, numbers or truth values
is never tracked at all.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V", str, bool, int)

_MISSING = object()


def word_memo(maxsize: int) -> Callable[[Callable[[str], V]], Callable[[str], V]]:
    """Remember `f(word)` for up to `maxsize` words; when full, forget the
    half learnt first.

    The words must be plain `str` and the answers strings, numbers or truth
    values: anything the collector tracks (a container, a `str` subclass)
    would make it track the whole table again.

    >>> @word_memo(maxsize=2)
    ... def shout(word: str) -> str:
    ...     return word.upper()
    >>> shout("Sirt"), shout("Sirt"), len(shout.table)
    ('SIRT', 'SIRT', 1)
    """

    def wrap(f: Callable[[str], V]) -> Callable[[str], V]:
        table: dict[str, V] = {}
        get = table.get

        @functools.wraps(f)
        def cached(word: str) -> V:
            found = get(word, _MISSING)
            if found is _MISSING:
                if len(table) >= maxsize:
                    # (bounded, whatever the corpus; the words met since stay)
                    for old in list(itertools.islice(table, max(1, maxsize // 2))):
                        del table[old]
                found = table[word] = f(word)
            return found  # type: ignore[return-value]

        cached.table = table  # type: ignore[attr-defined]
        cached.cache_clear = table.clear  # type: ignore[attr-defined]
        return cached

    return wrap
