"""Text -> candidate mentions, in three stages of falling certainty.

1. exact: listed spellings (canonicals, variants, keep-words) after folding,
   leftmost-longest, a glued article optional;
2. key: capitalised spans whose transliteration key equals a listed one;
3. fuzzy: single capitalised words close to a listed spelling (rapidfuzz).

Only the exact stage may touch a common English word or a word derived
from a known name (``Libyan`` from ``Libya``)::

    >>> from normalize import load_gazetteers
    >>> index = Index.build(load_gazetteers())
    >>> [m.text for m in find_mentions(Document("Hifter left after noon."), index)]
    ['Hifter']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .index import Index
from .keys import fold, is_article, translit_key
from .records import Candidate, Mention, Target
from .tokens import Token, is_all_caps, is_capitalised, name_gap, tokenize
from .words import english_words

# Endings that turn a name into another word (Libya -> Libyan, Misrata ->
# Misratans): such words are not misspellings of the name.
_DERIVED_SUFFIXES = ("ians", "ans", "ian", "an", "ns", "is", "i", "s", "n", "ese")


@dataclass(frozen=True)
class MatchSettings:
    min_key_word: int = 4
    min_fuzzy_word: int = 5
    fuzzy_floor: float = 80.0


class Document:
    """A text split into words, with what the matcher needs about each."""

    def __init__(self, text: str):
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.glue = [name_gap(text, a, b) for a, b in itertools.pairwise(self.tokens)] + [None] * bool(self.tokens)
        self.article = [bool(g) and is_article(t.text, g) for t, g in zip(self.tokens, self.glue, strict=True)]
        self.folded = ["al" if a else fold(t.text) for t, a in zip(self.tokens, self.article, strict=True)]
        self.caps = [is_all_caps(t.text) for t in self.tokens]
        self.words = frozenset(self.folded)

    def cores(self, i: int) -> Iterator[int]:
        """Where a name may begin at token i: i itself, or after an article."""
        yield i
        if self.article[i]:
            yield i + 1

    def run_end(self, core: int, limit: int, ok=lambda k: True) -> int:
        """Index past the last token joinable to `core` (at most `limit` tokens)."""
        end = core + 1
        while end - core < limit and end < len(self.tokens) and self.glue[end - 1] and ok(end):
            end += 1
        return end

    def mention(self, start: int, core: int, end: int, method: str, candidates, inner=()) -> Mention:
        a, b = self.tokens[start].start, self.tokens[end - 1].end
        return Mention(a, b, self.tokens[core].start, self.text[a:b], method, tuple(candidates), tuple(inner))


def find_mentions(
    doc: Document,
    index: Index,
    settings: MatchSettings = MatchSettings(),
    fuzzy_cache: dict[str, tuple[Candidate, ...]] | None = None,
) -> list[Mention]:
    """All mentions in the document, in order, none overlapping."""
    exact: dict[int, tuple[int, Mention]] = {}  # first token -> (end token, mention)
    i = 0
    while i < len(doc.tokens):
        found = _exact_at(doc, i, index)
        if found is None:
            i += 1
            continue
        exact[i] = found
        i = found[0]
    covered = {k for start, (end, _) in exact.items() for k in range(start, end)}
    mentions = dict(exact)
    cache = {} if fuzzy_cache is None else fuzzy_cache
    i = 0
    while i < len(doc.tokens):
        found = None
        if i not in covered:
            found = _key_at(doc, i, index, exact, settings) or _fuzzy_at(doc, i, index, covered, settings, cache)
        if found is None:
            i += 1
            continue
        end, mention = found
        for k in range(i, end):
            mentions.pop(k, None)
        mentions[i] = (end, mention)
        i = end
    return [mention for _, (_, mention) in sorted(mentions.items())]


def _exact_at(doc: Document, i: int, index: Index) -> tuple[int, Mention] | None:
    best: tuple[int, Mention] | None = None
    for core in doc.cores(i):
        first = doc.folded[core]
        longest = index.starts.get(first, 0)
        if doc.caps[core]:
            longest = max(longest, index.upper_starts.get(first.upper(), 0))
        if not longest:
            continue
        for end in range(doc.run_end(core, longest), core, -1):
            target = _lookup(doc, core, end, index)
            if target is not None:
                # on a tie the match after the article wins: the article is then
                # known to be one, and the rewrite keeps or drops it knowingly
                if best is None or end >= best[0]:
                    best = (end, doc.mention(i, core, end, "exact", [Candidate(target, 100.0)]))
                break
    return best


def _lookup(doc: Document, core: int, end: int, index: Index) -> Target | None:
    words = tuple(doc.folded[core:end])
    target = index.exact.get(words)
    if target is None and all(doc.caps[core:end]):
        target = index.upper.get(tuple(w.upper() for w in words))
    return target


def _key_at(
    doc: Document, i: int, index: Index, exact: dict[int, tuple[int, Mention]], settings: MatchSettings
) -> tuple[int, Mention] | None:
    """A span whose transliteration key is listed; it may swallow exact
    mentions that lie wholly inside it (``Agilah Saleh`` over ``Saleh``)."""

    def name_word(k: int) -> bool:
        return is_capitalised(doc.tokens[k].text)

    for core in doc.cores(i):
        if not (core < len(doc.tokens) and name_word(core)) or core in exact:
            continue
        for end in range(doc.run_end(core, index.max_words, name_word), core, -1):
            swallowed = [exact[k] for k in range(core, end) if k in exact]
            if any(e > end for e, _ in swallowed):
                continue
            inner = [m for _, m in swallowed]
            words = [t.text for t in doc.tokens[core:end]]
            if not any(_may_be_variant(w, index, settings.min_key_word) for w in words):
                continue
            named = index.keys.get(tuple(translit_key(w) for w in words))
            if named:
                spoken = " ".join(doc.folded[core:end]).lower()
                candidates = sorted(
                    (Candidate(t, round(max(fuzz.ratio(spoken, s) for s in spellings), 1)) for t, spellings in named),
                    key=lambda c: -c.score,
                )
                return end, doc.mention(i, core, end, "key", candidates, inner)
    return None


def _fuzzy_at(
    doc: Document,
    i: int,
    index: Index,
    covered: set[int],
    settings: MatchSettings,
    cache: dict[str, tuple[Candidate, ...]],
) -> tuple[int, Mention] | None:
    for core in doc.cores(i):
        if core >= len(doc.tokens) or core in covered:
            continue
        word = doc.tokens[core].text
        if not (is_capitalised(word) and _may_be_variant(word, index, settings.min_fuzzy_word)):
            continue
        query = fold(word).lower()
        if query not in cache:
            cache[query] = _fuzzy_candidates(query, index, settings.fuzzy_floor)
        if cache[query]:
            return core + 1, doc.mention(i, core, core + 1, "fuzzy", cache[query])
    return None


def _fuzzy_candidates(query: str, index: Index, floor: float) -> tuple[Candidate, ...]:
    best: dict[str, Candidate] = {}
    for _, score, at in process.extract(query, index.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=floor, limit=20):
        for target in index.fuzzy_targets[at]:
            if target.keep:
                continue
            if target.canonical not in best or score > best[target.canonical].score:
                best[target.canonical] = Candidate(target, round(score, 1))
    return tuple(sorted(best.values(), key=lambda c: -c.score))


def _may_be_variant(word: str, index: Index, min_length: int) -> bool:
    """Could this word be an unlisted spelling of a name?"""
    return guard(word, index, min_length) is None


def guard(word: str, index: Index, min_length: int) -> str | None:
    """Why the key and fuzzy stages must leave `word` alone, or None.

    >>> from normalize import load_gazetteers
    >>> guard("After", Index.build(load_gazetteers()), 4)
    "'after' is a common English word"
    """
    low = fold(word).lower()
    if not is_capitalised(word):
        return "not capitalised"
    if len(low) < min_length:
        return f"shorter than {min_length} letters"
    if low in english_words():
        return f"{low!r} is a common English word"
    if len(translit_key(word)) < 3:
        return f"its transliteration key {translit_key(word)!r} is too short to tell names apart"
    for suffix in _DERIVED_SUFFIXES:
        if low.endswith(suffix) and index.is_known(word[: -len(suffix)]):
            return f"derived from the known name {word[: -len(suffix)]!r}"
    return None
