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
from dataclasses import dataclass
from functools import lru_cache

from ..text.tokens import WORD
from ..text.words import cues


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


@dataclass(frozen=True)
class Reading:
    """How the words around a span make it read: as a ``person`` or a
    ``place``; `cue` says which words.  A `weak` cue counts only against
    an unlisted spelling: a verb of speech also fits a city speaking for
    its government (``Tripoli said``), and a place named after a person
    is written with his name (``Gaddafi airport``)."""

    kind: str
    cue: str
    weak: bool = False


_SPACES = " \t\u00a0"
# The word after a span, with a comma between them if there is one.
_AFTER = re.compile(r"[ \t\u00a0]*(,?)[ \t\u00a0]+([^\W\d_]+)")
_OPENING = "\"'“‘(["


def reading(text: str, start: int, end: int) -> Reading | None:
    """How the words right around ``text[start:end]`` make it read, if they do.

    A given name or a title before it, or ``who`` after it, make a person;
    so does a verb of speech after it, weakly; ``town of`` before it makes a
    place, and so does ``airport`` after it, weakly::

        >>> reading("the PC's Ali Gatrani who is", 13, 20)
        Reading(kind='person', cue="after the given name 'Ali'", weak=False)
        >>> reading("the town of Hifter", 12, 18).cue
        "after 'town of'"
        >>> reading("Hifter said", 0, 6).weak, reading("forces in Hifter", 10, 16)
        (True, None)
    """
    words = cues()
    pieces = _pieces_before(text, start)
    if pieces:
        last = pieces[-1].lstrip(_OPENING)
        pair = f"{pieces[0].lstrip(_OPENING)} {last}" if len(pieces) > 1 else None
        if last in words.given_names:
            return Reading("person", f"after the given name {last!r}")
        if last in words.person_titles or pair in words.person_titles:
            return Reading("person", f"after the title {pair if pair in words.person_titles else last!r}")
        if pair is not None and pair.lower() in words.place_before:
            return Reading("place", f"after {pair!r}")
    after = _AFTER.match(text, end)
    if after is not None:
        word = after.group(2)
        if word in words.person_after:
            return Reading("person", f"before {word!r}")
        if word.lower() in words.place_after and not after.group(1):
            return Reading("place", f"before {word!r}", weak=True)
        if word in words.speech_verbs and not after.group(1):
            return Reading("person", f"before the verb of speech {word!r}", weak=True)
    return None


def _pieces_before(text: str, start: int) -> list[str]:
    """The last one or two whitespace-separated pieces before `start`, when
    only spaces stand between the last one and `start` (none at a line start).

    >>> _pieces_before("the PC's Ali Gatrani", 13), _pieces_before("Ali\\nGatrani", 4)
    (["PC's", 'Ali'], [])
    """
    if not start or text[start - 1] not in _SPACES:
        return []
    head = text[max(0, start - 40) : start].rstrip(_SPACES)
    if not head or head[-1].isspace():
        return []
    return head.rsplit(None, 2)[-2:]
