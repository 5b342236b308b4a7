"""Text -> candidate mentions, in three stages of falling certainty.

1. exact: listed spellings (canonicals, variants, keep-words) after folding,
   leftmost-longest, a glued article optional;
2. key: capitalised spans whose transliteration key equals a listed one;
3. fuzzy: single capitalised words close to a listed spelling (rapidfuzz
   ratio with weighted transliteration distance, `fuzzy_score`).

Only the exact stage may touch a common English word or a word derived
from a known name (``Libyan`` from ``Libya``)::

    >>> from normalize import load_gazetteers
    >>> index = Index.build(load_gazetteers())
    >>> [m.text for m in find_mentions(Document("Hifter left after noon."), index)]
    ['Hifter']
"""

from __future__ import annotations

import itertools
import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..compiled import FuzzyChoices, FuzzyScorer, Neighbours
from ..text.keys import ARTICLES, fold, is_article, key_deletions, translit_key
from ..text.tokens import WORD, gap_glue, glued_word_after, glued_word_before, is_all_caps, is_capitalised
from ..text.translit_distance import cost_table, translit_similarity
from ..text.words import english_words, is_function_word
from .index import Index, derived
from .records import Candidate, Mention, Target

# Endings that turn a name into another word (Libya -> Libyan, Misrata ->
# Misratans): such words are not misspellings of the name.
_DERIVED_SUFFIXES = ("ians", "ans", "ian", "an", "ns", "is", "i", "s", "n", "ese")
_MAX_FUZZY_CACHE = 500_000
# `fuzzy_score` in the compiled core, for the many spellings a word is scored against
_SCORER = FuzzyScorer(*cost_table())


@dataclass(frozen=True)
class MatchSettings:
    min_key_word: int = 4
    min_fuzzy_word: int = 5
    fuzzy_floor: float = 80.0


_MISSING = object()


class Document:
    """A text split into words; what the matcher needs about a word is worked
    out only for the few words that can start a name (capitalised ones and
    articles), and kept."""

    def __init__(self, text: str):
        self.text = text
        spans = [m.span() for m in WORD.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.texts = [text[a:b] for a, b in spans]
        self.n = len(spans)
        self._glue: dict[int, str | None] = {}
        self._folded: dict[int, str] = {}

    def glue(self, i: int) -> str | None:
        """What joins word i to word i+1 inside a name ("-", " "), or None."""
        glue = self._glue.get(i, _MISSING)
        if glue is _MISSING:
            glue = None
            if i + 1 < self.n:
                gap = self.text[self.ends[i] : self.starts[i + 1]]
                glue = gap_glue(gap)
            self._glue[i] = glue
        return glue

    def is_article(self, i: int) -> bool:
        word = self.texts[i]
        if fold(word).lower() not in ARTICLES:  # (most words: no gap to look at)
            return False
        glue = self.glue(i)
        return glue is not None and is_article(word, glue)

    def folded(self, i: int) -> str:
        word = self._folded.get(i)
        if word is None:
            word = self._folded[i] = "al" if self.is_article(i) else fold(self.texts[i])
        return word

    def caps(self, i: int) -> bool:
        return is_all_caps(self.texts[i])

    def cores(self, i: int) -> tuple[int, ...]:
        """Where a name may begin at word i: i itself, or after an article."""
        return (i, i + 1) if i + 1 < self.n and self.is_article(i) else (i,)

    def run_end(self, core: int, limit: int, ok=lambda k: True) -> int:
        """Index past the last word joinable to `core` (at most `limit` words)."""
        end = core + 1
        while end - core < limit and end < self.n and self.glue(end - 1) and ok(end):
            end += 1
        return end

    def mention(self, start: int, core: int, end: int, method: str, candidates, inner=()) -> Mention:
        a, b = self.starts[start], self.ends[end - 1]
        return Mention(a, b, self.starts[core], self.text[a:b], method, tuple(candidates), tuple(inner))


def find_mentions(
    doc: Document,
    index: Index,
    settings: MatchSettings = MatchSettings(),
    fuzzy_cache: dict[str, tuple[Candidate, ...]] | None = None,
    *,
    fuzzy: bool = True,
) -> list[Mention]:
    """All mentions in the document, in order, none overlapping (without the
    fuzzy stage if not `fuzzy`)."""
    texts = doc.texts
    # Only a capitalised word or an article can start a listed spelling
    # (the loader makes every spelling start so): the rest is never looked at.
    starters = [k for k in range(doc.n) if texts[k][:1].isupper() or texts[k].lower() in ARTICLES]
    exact: dict[int, tuple[int, Mention]] = {}  # first word -> (end word, mention)
    cursor = 0
    for i in starters:
        if i < cursor:
            continue
        found = _exact_at(doc, i, index)
        if found is not None:
            exact[i] = found
            cursor = found[0]
    covered = {k for start, (end, _) in exact.items() for k in range(start, end)}
    mentions = dict(exact)
    cache = {} if fuzzy_cache is None else fuzzy_cache
    cursor = 0
    for i in starters:
        if i < cursor:
            continue
        if i in exact:  # only a longer key match can take an exact mention's place
            found = _key_at(doc, i, index, exact, settings)
        elif i in covered:
            continue
        else:
            found = _key_at(doc, i, index, exact, settings)
            if found is None and fuzzy:
                found = _fuzzy_at(doc, i, index, covered, settings, cache)
        if found is not None:
            end, mention = found
            for k in range(i, end):
                mentions.pop(k, None)
            mentions[i] = (end, mention)
            cursor = end
    return [mention for _, (_, mention) in sorted(mentions.items())]


def listed_alone(text: str, index: Index) -> Mention | None:
    """The one mention `find_mentions` finds in `text` when the whole of it
    is a listed spelling with no article among its words, else None.

    Most windows a scanner meets for the first time are one listed spelling
    as written (``Khalifa Haftar``).  An exact match that spans every word
    leaves nothing for the later stages: a key match must be longer to take
    its place, and no word is left uncovered for the fuzzy stage.  So its
    mention is known without splitting the window into a `Document`.  A word
    that may be an article (``Al``, ``el``) leaves the window to
    `find_mentions`, which reads it as one or not by what joins it::

        >>> from normalize import load_gazetteers
        >>> index = Index.build(load_gazetteers())
        >>> listed_alone("Hafter", index).candidates[0].target.canonical, listed_alone("Hafter left", index)
        ('Haftar', None)
    """
    if not text[:1].isupper():  # (as `find_mentions` picks the words a name may start at)
        return None
    folded = []
    last = 0
    for match in WORD.finditer(text):
        start, end = match.span()
        gap = text[last:start]
        if not folded and gap:
            return None  # text before the first word
        if folded and gap_glue(gap) is None:
            return None  # a gap no name spans
        word = fold(match.group())
        if word.lower() in ARTICLES:
            return None
        folded.append(word)
        last = end
    if last != len(text):
        return None
    target = index.exact.get(tuple(folded))
    return None if target is None else Mention(0, last, 0, text, "exact", (Candidate(target, 100.0),))


def reread(text: str, start: int, end: int, index: Index, settings: MatchSettings = MatchSettings()) -> Mention | None:
    """The mention a run finds over `text[start:end]` (the first that
    overlaps it), if any, with offsets in `text`.

    The span is read together with the words glued to it on either side, as
    many as a name can span, so a run that wrote a name there can see how
    the next run will read it: ``Haftar`` after ``Khalid`` is read as the
    listed ``Khalid Haftar``, a spelling of Khaled Haftar::

        >>> from normalize import load_gazetteers
        >>> index = Index.build(load_gazetteers())
        >>> found = reread("Khalid Haftar", 7, 13, index)
        >>> found.text, found.candidates[0].target.canonical
        ('Khalid Haftar', 'Khaled Haftar')

    The fuzzy stage is left out: it looks at single words alone.
    """
    lo, found = rereader(index, settings).reread(text, start, end)
    return None if found is None else _shifted(found, lo)


def _first_over(window: str, start: int, end: int, index: Index, settings: MatchSettings) -> Mention | None:
    for m in find_mentions(Document(window), index, settings, fuzzy=False):
        if m.end > start and m.start < end:
            return m
    return None


_MAX_READ_CACHE = 100_000
_NO_WORDS: frozenset[str] = frozenset()


class Rereader:
    """`reread` for one index and settings, with what it keeps: for each word
    of a listed spelling (folded, ALL-CAPS, or its key), the words that come
    right before and right after it in some spelling; and the answers for the
    windows already read, so a name in a frequent setting is read once."""

    def __init__(self, index: Index, settings: MatchSettings):
        self.ref = weakref.ref(index)
        self.settings = settings
        self.reach = index.max_words + 1  # a name and an article before it
        # which words stand right before and right after each word in some
        # listed spelling or key (kept by the compiled core: see `_near`)
        self._neighbours = Neighbours(itertools.chain(index.exact, index.upper, index.keys))
        self.windows: dict[tuple[str, int, int], Mention | None] = {}
        self._edges: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def reread(self, text: str, start: int, end: int) -> tuple[int, Mention | None]:
        """See `reread`; the mention comes with offsets in its window, and the
        window's start in `text` (shifting it would cost more than its use)."""
        lo, hi = self.window(text, start, end)
        key = (text[lo:hi], start - lo, end - lo)
        found = self.windows.get(key, _MISSING)
        if found is _MISSING:
            index = self.ref()
            assert index is not None, "the index of a rereader in use is alive"
            if len(self.windows) >= _MAX_READ_CACHE:
                self.windows.clear()
            found = self.windows[key] = _first_over(key[0], key[1], key[2], index, self.settings)
        return lo, found

    def read_alone(self, name: str) -> Mention | None:
        """`reread(name, 0, len(name))`: what the next run reads a rewrite
        as when nothing stands around it (its window is the whole of it)."""
        found = self.windows.get((name, 0, len(name)), _MISSING)
        return self.reread(name, 0, len(name))[1] if found is _MISSING else found

    def window(self, text: str, start: int, end: int) -> tuple[int, int]:
        """`text[start:end]` widened to the glued words a name covering it
        could take in: a word is taken while it comes next to the word at
        the edge in some listed spelling or key (``Khalid`` before
        ``Haftar``; nothing ever follows ``Haftar``)."""
        edges = self.edges(text[start:end])
        lo = self._widen(text, start, edges[0], glued_word_before, 0)
        # a glued article is taken in by any name, listed with one or not
        # (a rewrite that leaves ``ash-`` glued to ``Sharara`` reads as ``ash-Sharara``)
        word = glued_word_before(text, lo)
        if word is not None and is_article(text[word[0] : word[1]], text[word[1] : lo]):
            lo = word[0]
        return lo, self._widen(text, end, edges[1], glued_word_after, 1)

    def _widen(self, text: str, at: int, near: frozenset[str], glued, side: int) -> int:
        """`at` moved over the glued words (`glued`: the one before or after)
        while each may stand next to the last in some spelling (`side`: 0
        the word before, 1 the word after)."""
        for _ in range(self.reach):
            word = glued(text, at) if near else None
            if word is None:
                break
            forms = name_forms(text[word[0] : word[1]])
            if near.isdisjoint(forms):
                break
            at, near = word[side], self._near(side, forms)
        return at

    def edges(self, name: str) -> tuple[frozenset[str], frozenset[str]]:
        """The forms of the words that may stand right before `name` and right after it in a listed name."""
        found = self._edges.get(name)
        return found if found is not None else self._edges_of(name)

    def _edges_of(self, name: str) -> tuple[frozenset[str], frozenset[str]]:
        """What may come right before the first word of `name` and right after its last."""
        words = WORD.findall(name)
        if len(self._edges) >= _MAX_READ_CACHE:
            self._edges.clear()
        edges = self._edges[name] = (
            self._near(0, name_forms(words[0])) if words else frozenset(),
            self._near(1, name_forms(words[-1])) if words else frozenset(),
        )
        return edges

    def _near(self, side: int, forms: tuple[str, ...]) -> frozenset[str]:
        """The words that stand right before (`side` 0) or right after (1)
        any of `forms` in some listed spelling or key (`neighbour_tables`)."""
        # (most words have none: one shared empty set, not one per word, for
        # the garbage collector to walk; over the 100k gazetteer, 12,000)
        return self._neighbours.near(side, forms) or _NO_WORDS


def neighbour_tables(spellings: Iterable[tuple[str, ...]]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For each word of `spellings`, the words right before it and the words
    right after it in some spelling: the specification of the core's
    `Neighbours`, which the rereader asks.

    >>> neighbour_tables([("Khalifa", "Haftar"), ("Khalid", "Haftar")])[0]["Haftar"] == {"Khalifa", "Khalid"}
    True
    """
    before: dict[str, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    for words in spellings:
        for left, right in itertools.pairwise(words):
            before[right].add(left)
            after[left].add(right)
    return dict(before), dict(after)


@lru_cache(maxsize=65536)
def name_forms(word: str) -> tuple[str, ...]:
    """How a word may stand in a listed spelling: folded, in capitals, as its
    key, and as ``al`` if it may be an article."""
    folded = fold(word)
    forms = (folded, folded.upper(), translit_key(word))
    return (*forms, "al") if word.lower() in ARTICLES else forms


_REREADERS: dict[tuple[int, MatchSettings], Rereader] = {}
_LAST_REREADER: list[Rereader | None] = [None]  # the one asked for last


def rereader(index: Index, settings: MatchSettings = MatchSettings()) -> Rereader:
    """The rereader of an index and settings, made once (it holds the index
    weakly: a dropped index takes its rereader along)."""
    last = _LAST_REREADER[0]
    if last is not None and last.ref() is index and last.settings is settings:
        return last  # (hashing the settings costs more than the rest of a call)
    found = _REREADERS.get((id(index), settings))
    if found is None or found.ref() is not index:
        for stale in [k for k, r in _REREADERS.items() if r.ref() is None]:
            del _REREADERS[stale]
        found = _REREADERS[(id(index), settings)] = Rereader(index, settings)
    _LAST_REREADER[0] = found
    return found


def _shifted(m: Mention, by: int) -> Mention:
    if not by:
        return m
    inner = tuple(_shifted(k, by) for k in m.inner)
    return Mention(m.start + by, m.end + by, m.core_start + by, m.text, m.method, m.candidates, inner)


def _exact_at(doc: Document, i: int, index: Index) -> tuple[int, Mention] | None:
    text = doc.texts[i]
    first = fold(text)
    if (
        first not in index.starts
        and text.lower() not in ARTICLES
        and not (first.upper() in index.upper_starts and doc.caps(i))
    ):
        return None  # most capitalised words start no listed spelling: decided without looking around
    best: tuple[int, Mention] | None = None
    for core in doc.cores(i):
        first = doc.folded(core)
        longest = index.starts.get(first, 0)
        if doc.caps(core):
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
    words = (doc.folded(core),) if end == core + 1 else tuple(doc.folded(k) for k in range(core, end))
    target = index.exact.get(words)
    if target is None and all(doc.caps(k) for k in range(core, end)):
        target = index.upper.get(tuple(w.upper() for w in words))
    return target


def _key_at(
    doc: Document, i: int, index: Index, exact: dict[int, tuple[int, Mention]], settings: MatchSettings
) -> tuple[int, Mention] | None:
    """A span whose transliteration key is listed; it may swallow exact
    mentions that lie wholly inside it (``Agilah Saleh`` over ``Saleh``), even
    one it starts with, if it is longer (``Ghardabia Airbase`` over
    ``Ghardabia``: the exact match alone would be rewritten to a text that
    the next run reads as the longer name).  A kept word is never swallowed.
    A glued article inside the span is a word of it, keyed as ``al``
    (``Ahmed al-Mosmari`` is ``Ahmed al-Mismari``, particle and all); a
    capitalised function word is one only where a listed spelling has it
    (`_spelled_out`)."""

    def name_word(k: int) -> bool:
        # a glued article inside a name (``Ahmed al-Mosmari``) is one of its words
        return is_capitalised(doc.texts[k]) or (k > core and doc.is_article(k))

    for core in doc.cores(i):
        if not (core < doc.n and name_word(core)):
            continue
        at_core = exact.get(i) or exact.get(core)  # an exact mention this span starts with
        for end in range(doc.run_end(core, index.max_words, name_word), core, -1):
            if at_core is not None and end <= at_core[0]:
                break  # the exact mention here is as long: it stands
            swallowed = [exact[k] for k in range(i, end) if k in exact]
            if any(e > end or m.candidates[0].target.keep for e, m in swallowed):
                continue
            inner = [m for _, m in swallowed]
            words = doc.texts[core:end]
            if not any(may_be_variant(w, index, settings.min_key_word) for w in words):
                continue
            named = index.keys.get(
                tuple("AL" if k > core and doc.is_article(k) else translit_key(doc.texts[k]) for k in range(core, end))
            )
            if named:
                articles = [k - core for k in range(core + 1, end) if doc.is_article(k)]
                named = _spelled_out(named, words, articles)
            if named:
                from rapidfuzz import fuzz  # (here: a text of listed names never needs it)

                spoken = " ".join(doc.folded(k) for k in range(core, end)).lower()
                candidates = sorted(
                    (Candidate(t, round(max(fuzz.ratio(spoken, s) for s in spellings), 1)) for t, spellings in named),
                    key=lambda c: -c.score,
                )
                return end, doc.mention(i, core, end, "key", candidates, inner)
    return None


def _spelled_out(
    named: tuple[tuple[Target, tuple[str, ...]], ...], words: list[str], articles: Collection[int] = ()
) -> list[tuple[Target, tuple[str, ...]]]:
    """The names whose key a span shares that also spell each of its function
    words as written: a capitalised ``As`` or ``In`` starts a sentence, not a
    name, unless a listed spelling has that very word (``As Sidr``), so
    ``As Gaddafi`` is not ``Ayesha Gaddafi``.  The glued articles inside
    the span (positions `articles`: ``an-`` in ``Ahmed an-Nadoori``) are
    articles, not function words."""
    at = [(k, w.lower()) for k, w in enumerate(words) if k not in articles and is_function_word(w)]
    if not at:
        return list(named)
    return [
        (target, spellings)
        for target, spellings in named
        if any(all(k < len(s) and s[k] == w for k, w in at) for s in (s.split(" ") for s in spellings))
    ]


def _fuzzy_at(
    doc: Document,
    i: int,
    index: Index,
    covered: set[int],
    settings: MatchSettings,
    cache: dict[str, tuple[Candidate, ...]],
) -> tuple[int, Mention] | None:
    for core in doc.cores(i):
        if core >= doc.n or core in covered:
            continue
        found = fuzzy_candidates(doc.texts[core], index, settings, cache)
        if found:
            return core + 1, doc.mention(i, core, core + 1, "fuzzy", found)
    return None


def fuzzy_candidates(
    word: str, index: Index, settings: MatchSettings, cache: dict[str, tuple[Candidate, ...]]
) -> tuple[Candidate, ...]:
    """Listed names close to `word`, best first; none for a word that may not vary.

    Each distinct word is scored once for the life of `cache`.
    """
    if not (is_capitalised(word) and may_be_variant(word, index, settings.min_fuzzy_word)):
        return ()
    query = fold(word).lower()
    found = cache.get(query)
    if found is None:
        if len(cache) >= _MAX_FUZZY_CACHE:  # bounded, whatever the corpus
            cache.clear()
        found = cache[query] = _fuzzy_candidates(query, index, settings.fuzzy_floor)
    return found


def fuzzy_score(query: str, spelling: str, floor: float = 0.0) -> float:
    """How close a word is to a listed spelling (both folded, lowercase),
    0-100; 0 below `floor`.

    The mean of the weighted transliteration similarity, which forgives the
    substitutions romanisation makes (``giofra``/``jofra``), and rapidfuzz's
    ratio, which keeps foreign look-alikes with one such substitution
    (``tekkali``/``takala``, ``geneva``/``gheniwa``) out of the apply band.
    Held out among the gazetteers' attested spellings (bench/translit_eval.py)
    it applies 438 of 596 against the ratio's 310 (the weighted similarity
    alone: 548), while fewer of 20,052 world city names reach the apply band
    (11 against 18; alone: 26).

    >>> fuzzy_score("giofra", "jofra"), fuzzy_score("geneva", "gheniwa", floor=80)
    (83.6, 0.0)
    """
    from rapidfuzz import fuzz  # (here: a text of listed names never needs it)

    ratio = fuzz.ratio(query, spelling)
    if ratio + 100.0 < 2 * floor:
        return 0.0
    score = round((ratio + translit_similarity(query, spelling, score_cutoff=max(0.0, 2 * floor - ratio))) / 2, 1)
    return score if score >= floor else 0.0


def fuzzy_scores(query: str, spellings: list[str], floor: float = 0.0) -> list[float]:
    """`fuzzy_score` of `query` against each spelling, worked out by the
    compiled core (a query with a lone surrogate, which cannot cross into
    it, is scored here).

    >>> fuzzy_scores("giofra", ["jofra", "misrata"], floor=80)
    [83.6, 0.0]
    """
    try:
        return _SCORER.scores(query, spellings, floor)
    except UnicodeEncodeError:
        return [fuzzy_score(query, s, floor) for s in spellings]


def _fuzzy_candidates(query: str, index: Index, floor: float) -> tuple[Candidate, ...]:
    """The names of the spellings in the query's key buckets that score
    `floor`+ by `fuzzy_score`, best first."""
    best: dict[str, Candidate] = {}
    buckets = index.fuzzy_buckets
    try:
        near = derived(index, _fuzzy_choices).near(
            _SCORER, query, [buckets.get(key, ()) for key in key_deletions(translit_key(query))], floor
        )
    except UnicodeEncodeError:  # a lone surrogate, which cannot cross into the core
        near = near_scores(query, index, floor)
    for at, score in near:
        for target in index.fuzzy_targets[at]:
            if target.keep:
                continue
            if target.canonical not in best or score > best[target.canonical].score:
                best[target.canonical] = Candidate(target, score)
    return tuple(sorted(best.values(), key=lambda c: -c.score))


def near_scores(query: str, index: Index, floor: float) -> list[tuple[int, float]]:
    """The spellings near the query's key (`Index.fuzzy_neighbours`) that
    score `floor`+ against it, as (position in `fuzzy_choices`, score): the
    specification of the core's `FuzzyChoices.near`."""
    near = index.fuzzy_neighbours(query)
    scores = fuzzy_scores(query, [index.fuzzy_choices[at] for at in near], floor)
    return [(at, score) for at, score in zip(near, scores, strict=True) if score]


def _fuzzy_choices(index: Index) -> FuzzyChoices:
    return FuzzyChoices(list(index.fuzzy_choices))


def may_be_variant(word: str, index: Index, min_length: int) -> bool:
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
