"""What a document says besides its names, looked at only when a decision needs it.

Ambiguous names and unlisted spellings are applied only when the document
supports them (a context word of the entity or of its region).  Most
documents settle that from their exact mentions alone, so the words are
collected on the first question, not before::

    >>> context = Context("Talks in Aguila Saleh's office; a 5+5 meeting.")
    >>> context.mentions(frozenset({"Aguila Saleh"})), context.mentions(frozenset({"5+5"}))
    (True, True)
    >>> context.mentions(frozenset({"Saleh Aguila", "Tripoli"}))
    False
"""

from __future__ import annotations

import re
from functools import lru_cache

from .tokens import WORD


class Context:
    def __init__(self, text: str):
        self.text = text
        self._words: frozenset[str] | None = None
        self._phrases: dict[str, bool] = {}  # each phrase is searched for once

    @property
    def words(self) -> frozenset[str]:
        """Every word of the text (possessive endings left out)."""
        if self._words is None:
            self._words = frozenset(WORD.findall(self.text))
        return self._words

    def mentions(self, entries: frozenset[str]) -> bool:
        """Whether any entry (a word, or several such as ``Aguila Saleh``)
        occurs in the text as whole words."""
        if not entries:
            return False
        if not entries.isdisjoint(self.words):
            return True
        return any(self._has_phrase(e) for e in entries)

    def _has_phrase(self, entry: str) -> bool:
        found = self._phrases.get(entry)
        if found is None:
            pattern = _phrase(entry)
            found = self._phrases[entry] = pattern is not None and pattern.search(self.text) is not None
        return found


@lru_cache(maxsize=4096)
def _phrase(entry: str) -> re.Pattern[str] | None:
    """A pattern for an entry that is not a single word, or None for a word."""
    if WORD.fullmatch(entry):
        return None
    body = r"\s+".join(re.escape(part) for part in entry.split())
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")
