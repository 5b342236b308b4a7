"""The word lists that guard precision: common English words, and the
cues that tell how a span reads (function words, given names, titles...)."""

from __future__ import annotations

import gzip
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..compiled import WordSet

# the package's data files (read from the installed files: importlib.resources
# would cost a one-line command 5 ms of imports)
_DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def english_words() -> WordSet:
    """Lowercase English words (SCOWL size 50); see ``data/README.md``.
    (Kept by the compiled core: a fifth of what a frozenset of them takes.)

    >>> "after" in english_words(), "haftar" in english_words()
    (True, False)
    """
    return WordSet(_english_text())


def english_word_list() -> list[str]:
    """The same words as a list, for tools that walk them (lookups use `english_words`)."""
    return _english_text().split()


def _english_text() -> str:
    return gzip.decompress((_DATA / "english_words.txt.gz").read_bytes()).decode("ascii")


@dataclass(frozen=True)
class Cues:
    """Words that tell how a span reads (``data/cues.toml``): lowercase
    function words; given names, titles and place phrases as written; the
    words after a person's name (lowercase)."""

    function_words: frozenset[str]
    given_names: frozenset[str]
    person_titles: frozenset[str]
    person_after: frozenset[str]
    speech_verbs: frozenset[str]
    place_before: frozenset[str]
    place_after: frozenset[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The bundled reading cues.

    >>> "as" in cues().function_words, "Ali" in cues().given_names
    (True, True)
    """
    data = tomllib.loads((_DATA / "cues.toml").read_text("utf-8"))
    return Cues(**{name: frozenset(data[name]) for name in Cues.__dataclass_fields__})


def is_function_word(word: str) -> bool:
    """A short English function word, whatever its case (``As``, ``THE``).

    >>> is_function_word("As"), is_function_word("Asad")
    (True, False)
    """
    return word.lower() in cues().function_words
