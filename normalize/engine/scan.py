"""Find mentions without splitting the whole text into words.

The reference matcher (`matcher.find_mentions`) looks at every word of a
document.  The scanner finds the same mentions faster: one regex pass lists
the words that start with a capital (a name can start nowhere else); each
distinct word is asked once per run whether a name could start there and how
many words it could span; only those places, widened to a glued article
before and to that many words after, go to the reference matcher, as small
windows whose mentions are cached by their text.  ``Haftar`` is looked at
once per run, however often it occurs::

    >>> from normalize import load_gazetteers
    >>> scanner = Scanner(Index.build(load_gazetteers()))
    >>> [m.text for m in scanner.find("Forces loyal to Hafter took al-Sirt.")]
    ['Hafter', 'al-Sirt']

A window never cuts a mention: it reaches as far as the longest listed
spelling or key that starts with its first word, and overlapping windows
are merged.  tests/test_scan.py checks that both matchers agree.
"""

from __future__ import annotations

from collections import OrderedDict

from ..compiled import Rows, Words
from ..text.keys import ARTICLES, ARTICLES_HYPHEN, ARTICLES_SPACE, HYPHENS, fold, is_article, translit_key
from ..text.positions import without_surrogates
from ..text.tokens import (
    GLUED_WORD,
    gap_glue,
    is_all_caps,
    is_word_char,
    starts_word,
    words_around,
)
from ..text.words import cues
from .ignore import IgnoreList
from .index import Index, derived
from .learnt import WINDOWS_LIMIT
from .matcher import Document, MatchSettings, find_mentions, fuzzy_candidates, listed_alone, may_be_variant
from .records import Candidate, Mention, ReviewItem, Settled
from .resolve import ResolveSettings
from .settled import (
    Plan,
    Regions,
    SettledName,
    reviewed_items,
    settled,
    window_edges,
    window_verdict,
)

# A window as one scanner tells another: its text, verdict, its names'
# specs (ids into its own names, regions by name), edges, and its names.
KeptWindow = tuple[str, int, list[tuple], tuple[tuple[str, ...], tuple[str, ...]], list[SettledName]]

_SPACES = " \t\u00a0"
_GAP_ENDS = _SPACES + "\n\r" + HYPHENS  # what a glued article is followed by
_GAP_STARTS = frozenset(_GAP_ENDS)  # what may follow a word inside a name
# Last letters of the articles, to pass over most words before a name at once.
_ENDS_BEFORE_HYPHEN = "".join(sorted({a[-1] for a in ARTICLES_HYPHEN} | {a[-1].upper() for a in ARTICLES_HYPHEN}))
_ENDS_BEFORE_SPACE = "".join(sorted({a[-1] for a in ARTICLES_SPACE} | {a[-1].upper() for a in ARTICLES_SPACE}))
# Before "X Name": an article's last letter, more white space or anything not ASCII.
_AFTER_SPACE = frozenset(_ENDS_BEFORE_SPACE + _SPACES + "\n\r")


class Scanner:
    """Mentions of one index, with caches that live as long as the scanner."""

    def __init__(
        self,
        index: Index,
        settings: MatchSettings = MatchSettings(),
        fuzzy_cache: dict[str, tuple[Candidate, ...]] | None = None,
        max_windows: int = 200_000,
        max_words: int = 1_000_000,
        ignore: IgnoreList | None = None,
        resolve: ResolveSettings = ResolveSettings(),
    ):
        self.index = index
        self.settings = settings
        self.resolve = resolve  # the thresholds a key match settled by the core must meet
        # a name an ignore rule could leave alone is never settled by the core
        self.ignore = ignore or IgnoreList()
        self._fuzzy_cache = {} if fuzzy_cache is None else fuzzy_cache
        self._max_windows = max_windows
        self._max_words = max_words
        # per distinct word: how far a name starting with it reaches, and what
        # it is to the listed names (told to the core on first sight)
        self._words = Words(max_words)
        self._fresh: list[tuple[str, int]] | None = None  # words learnt here, kept once `fresh_words` is asked
        self._ready = False  # the core knows the listed names and the reading cues (on first use)
        self._windows: dict[str, tuple[Mention, ...]] = {}
        # the names the core rewrites alone, by the id it knows them by (see settled.py)
        self._settled: list[SettledName] = []
        self._tails: list[tuple] = []  # each settled name's `tail`, in the same order (`written`)
        # what the core was told of each window it knows: verdict, names
        # (ids into `_settled`) and edges, for the next run (`learnt_windows`)
        self._told: OrderedDict[str, tuple[int, tuple, tuple[tuple[str, ...], tuple[str, ...]]]] = OrderedDict()
        self._told_count = 0
        self.forgot_windows = False  # whether windows it was told of were dropped (the table started over)
        # Names listed only with their article (``El Hums``: a bare ``Hums`` is
        # English): the capitalised word after the article starts the window.
        self._after_article: dict[str, int] = {}
        for words in index.exact:
            if len(words) > 1 and words[0] == "al" and words[1] not in index.starts:
                self._after_article[words[1]] = max(self._after_article.get(words[1], 0), len(words) - 1)
        self._key_reach: dict[str, int] = {}
        for key in index.keys:
            self._key_reach[key[0]] = max(self._key_reach.get(key[0], 0), len(key))
        self._next: tuple[dict[tuple[str, ...], set[str]], ...] | None = None
        self._follow: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}

    def __getstate__(self) -> dict:
        # the core's word table is learnt again where the scanner is sent (a Dask worker)
        return {**self.__dict__, "_words": None, "_settled": [], "_tails": [], "_told": OrderedDict()}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._words, self._ready, self._settled, self._told = Words(self._max_words), False, [], OrderedDict()
        self._tails, self._told_count = [], 0

    def find(self, text: str) -> list[Mention]:
        """All mentions in `text`, in order, none overlapping (as `find_mentions`)."""
        mentions: list[Mention] = []
        start = end = -1
        learnt: dict[str, int] = {}
        for at, hi, far, n in self.hits(text):
            word = text[at:hi]
            if n < 0:  # a word never seen: how far can a name starting with it reach?
                n = learnt.get(word, -1)
                if n < 0:
                    n = learnt[word] = self._learn_reach(word)
                if not n:
                    continue
                far = -1
            if far < 0:  # words the core has not been told of yet: widened here this once
                far = self._extent(text, hi, word, n) if n > 1 and text[hi : hi + 1] in _GAP_STARTS else hi
            lo = at
            if at:
                before = text[at - 1]
                if before in _GAP_ENDS:
                    if at > 2 and (before != " " or (c := text[at - 2]) in _AFTER_SPACE or not c.isascii()):
                        lo = _article_start(text, at)
                elif is_word_char(before) and not starts_word(text, at):
                    continue
            hi = far
            if lo < end:  # overlaps the open window: one window
                if hi > end:
                    end = hi
                continue
            if end > 0:
                self._window(text, start, end, mentions)
            start, end = lo, hi
        if end > 0:
            self._window(text, start, end, mentions)
        return mentions

    def plan(self, text: str) -> Plan | None:
        """`text` planned by the core: the names it settles alone, rewritten,
        and the mentions of the other windows (see `settled`); None where
        the core cannot plan it (a lone surrogate, a capital glued to other
        letters, a word Python had to describe in too many rounds), which
        `find` then does."""
        words = self._prepared()
        try:
            # a text with characters never seen: learn them and plan again
            # (words never seen are learnt on the way: `_teach`)
            for _ in range(6):
                found, new_chars = words.plan(text, self._teach)
                if found is not None:
                    # Windows never seen (a plan with any is only their
                    # list) are learnt, then the text is planned again (from
                    # the words the core found: the names of those windows
                    # are settled there too).  Only if its table started
                    # over, or the plan again fails, is it planned from scratch.
                    started_over = learnt = False
                    for start, end, known in found[0]:
                        if not known:
                            started_over |= self._learn_window(text, start, end)
                            learnt = True
                    if started_over:
                        continue
                    if learnt and (found := words.replan(text)) is None:
                        continue
                    break
                elif new_chars:
                    _learn_chars(words, text)
                else:
                    return None
            else:
                return None
        except UnicodeEncodeError:  # a lone surrogate: its offsets in bytes are Python's to count
            return None
        windows, written, supported, reviewed = found
        mentions: list[Mention] = []
        for start, end, _ in windows:
            self._window(text, start, end, mentions)
        return Plan(mentions, written, supported, reviewed)

    def _teach(self, new: list[str], missing: list[str]) -> tuple[list[int], list[tuple[str, str, str, bool]]]:
        """What the core asks while it plans a text with words never seen:
        how far a name can reach from each `new` word, and what each
        `missing` word is to the listed names.  (It must not call the core's
        table, which is busy planning.)"""
        reaches = [self.word_reach(word) for word in new]
        if self._fresh is not None:
            self._fresh += zip(new, reaches, strict=True)
        return reaches, [word_forms(word) for word in missing]

    def _learn_reach(self, word: str) -> int:
        """Tell the core how far a name can reach from `word` (see `_teach`); that reach."""
        reach = self._teach([word], [])[0][0]
        self._words.learn(word, reach)
        return reach

    def fresh_words(self) -> dict[str, int]:
        """The words whose reach this scanner worked out since the last call,
        for other workers to `adopt` (a word's reach depends only on the
        gazetteer and the settings); the first call starts the record."""
        fresh, self._fresh = self._fresh or [], []
        return dict(fresh)

    def settled(self, plan: Plan) -> Settled:
        """What `resolve.decide` needs to know of the names `plan` rewrote."""
        return settled(plan, self._settled, derived(self.index, Regions))

    def written(self, plan: Plan) -> tuple[Rows, list[tuple]]:
        """The names `plan` rewrote: its rows, and the record fields (`SettledName.tail`)
        of the names they point to (see `rewrite.rewrite`)."""
        tails, names = self._tails, self._settled  # (cleared together when the core starts over)
        if len(tails) < len(names):
            tails += [name.tail for name in names[len(tails) :]]
        return plan.written, tails

    def reviewed(self, plan: Plan, text: str, file: str | None) -> list[ReviewItem]:
        """The review records of the names `plan` sent to review."""
        return reviewed_items(plan, self._settled, text, file) if plan.reviewed else []

    def _learn_window(self, text: str, start: int, end: int) -> bool:
        """Tell the core what the window start:end of `text` holds; whether
        its table of windows (and the ids of their names) started over."""
        words = self._words
        started_over = words.windows_known() >= self._max_windows  # the core empties its table
        if started_over:
            self._settled.clear()
            self._tails.clear()
            self._told.clear()
            self.forgot_windows = True
        window = text[start:end]
        mentions = self._mentions_of(window)
        verdict, specs = window_verdict(mentions, self.index, self.settings, self._settled, self.ignore, self.resolve)
        edges = window_edges(mentions, len(window))
        words.learn_window(window, verdict, specs, edges, self._max_windows)
        self._tell(window, verdict, tuple(specs), edges)
        return started_over

    def _tell(self, window: str, verdict: int, specs: tuple, edges: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
        """Note what the core was told of `window`: the latest windows, as
        many as the next run may keep (`learnt.WINDOWS_LIMIT`).  (Kept as
        tuples of strings and numbers alone, which the garbage collector
        stops walking: a run keeps thousands, and a full collection walked
        every list of them.)"""
        told = self._told
        if len(told) >= WINDOWS_LIMIT:
            told.popitem(last=False)
        told[window] = (verdict, specs, edges)
        self._told_count += 1

    def learnt_windows(self) -> list[KeptWindow]:
        """What the core was told of each window it knows, the latest first,
        as another scanner of the same index and settings can `adopt_windows`
        it (see `engine.learnt`): each name's spec with an id into the
        window's own names, and its region by name."""
        regions = derived(self.index, Regions)
        kept = []
        for window, (verdict, specs, edges) in reversed(self._told.items()):
            local = [(*s[:2], k, *s[3:7], regions.names[s[7]], *s[8:]) for k, s in enumerate(specs)]
            kept.append((window, verdict, local, edges, [self._settled[s[2]] for s in specs]))
        return kept

    def windows_told(self) -> int:
        """How many windows the core has been told of, learnt or adopted."""
        return self._told_count

    def adopt_windows(self, kept: list[KeptWindow]) -> None:
        """Tell the core the windows another scanner learnt (`learnt_windows`),
        as far as its table has room without starting over."""
        words = self._prepared()
        regions = derived(self.index, Regions)
        for entry in reversed(kept[:WINDOWS_LIMIT]):  # (kept: the latest first)
            if words.windows_known() + 1 >= self._max_windows:
                break
            try:
                window, verdict, local, edges, names = entry
                if window in self._told:
                    continue
                base = len(self._settled)
                if not all(isinstance(n, SettledName) for n in names) or not all(
                    0 <= s[2] < len(names) and 0 <= s[0] <= s[1] <= len(window) for s in local
                ):
                    raise ValueError("not the names of this window")
                specs = [(*s[:2], base + s[2], *s[3:7], regions.number(s[7]), *s[8:]) for s in local]
                words.learn_window(window, verdict, specs, edges, self._max_windows)
            except (TypeError, ValueError, KeyError, IndexError, OverflowError):
                continue  # (not a window this code keeps: a damaged file is only a cache)
            self._settled += names
            self._tell(window, verdict, tuple(map(_as_tuples, specs)), (tuple(edges[0]), tuple(edges[1])))

    def hits(self, text: str) -> list[tuple[int, int, int, int]]:
        """The capitalised words of `text` that may start a name (see `capitalised_hits`)."""
        return capitalised_hits(self._prepared(), text)

    def _prepared(self) -> Words:
        """The core's word table, told the listed names and the reading cues (once)."""
        if not self._ready:
            index, c = self.index, cues()
            self._words.set_names(
                list(index.exact), list(index.upper), list(index.keys), list(self._after_article), sorted(ARTICLES)
            )
            fields = ("given_names", "person_titles", "place_before", "person_after", "place_after", "speech_verbs")
            lists = [*(sorted(getattr(c, f)) for f in fields), sorted(ARTICLES_HYPHEN), sorted(ARTICLES_SPACE)]
            self._words.set_cues(lists)
            self._ready = True
        return self._words

    def learnt(self) -> dict[str, int]:
        """Every word whose reach the core was told, and that reach (see `engine.learnt`)."""
        words, reaches = self._words.learnt()
        return dict(zip(words, reaches, strict=True))

    def words_known(self) -> int:
        """How many words the core knows the reach of."""
        return len(self._words)

    def adopt(self, learnt: dict[str, int]) -> None:
        """Start knowing the reach of `learnt` words (kept by an earlier run)."""
        self._words.learn_many(list(learnt), list(learnt.values()))

    def word_reach(self, word: str) -> int:
        """How many words a name that starts at `word` can span; 0 if none can.

        >>> from normalize import load_gazetteers
        >>> scanner = Scanner(Index.build(load_gazetteers()))
        >>> scanner.word_reach("Hafter"), scanner.word_reach("Government"), scanner.word_reach("The")
        (1, 5, 0)
        """
        if not word[:1].isupper():
            return 0
        index, settings, folded = self.index, self.settings, fold(word)
        reach = index.starts.get(folded, 0) or self._after_article.get(folded, 0)
        if is_all_caps(word):
            reach = max(reach, index.upper_starts.get(folded.upper(), 0))
        keyed = self._key_reach.get(translit_key(word), 0)
        # (a listed name needs no guard: its window is looked at anyway)
        if keyed > reach and (keyed > 1 or may_be_variant(word, index, settings.min_key_word)):
            reach = keyed
        if not reach and fuzzy_candidates(word, index, settings, self._fuzzy_cache):
            reach = 1
        return reach

    def _extent(self, text: str, end: int, word: str, n: int) -> int:
        """Where a name that starts with `word` (ending at `end`) can end: words
        glued after it are taken while they continue a listed spelling or key,
        at most `n` words in all.

        Most names are followed by an ordinary word; their window is then the
        name alone, and one cached answer serves every occurrence.
        """
        match = GLUED_WORD.match(text, end)
        if match is None:
            return end
        follow = self._follow.get(word)
        if follow is None:
            if len(self._follow) >= self._max_words:  # bounded, whatever the corpus
                self._follow.clear()
            follow = self._follow[word] = self._followers(word)
        after = match.group(1)
        folded = fold(after)
        if not (
            folded in follow[0]
            or folded.upper() in follow[1]
            or (folded.lower() in ARTICLES and ("al" in follow[0] or "AL" in follow[1]))
            or (follow[2] and translit_key(after) in follow[2])
            or ("AL" in follow[2] and folded.lower() in ARTICLES)
        ):
            return end  # the common case, decided from one cached set per word
        exact_next, upper_next, key_next = self._next_words()
        first = fold(word)
        exact = [(first,), ("al",)] if first.lower() in ARTICLES else [(first,)]
        if first in self._after_article:
            exact.append(("al", first))
        upper = [tuple(w.upper() for w in p) for p in exact]
        keys = [(translit_key(word),)]
        for _ in range(n - 1):
            match = GLUED_WORD.match(text, end)
            if match is None:
                break
            after = match.group(1)
            folded = fold(after)
            forms = (folded, "al") if folded.lower() in ARTICLES else (folded,)
            exact = [(*p, f) for p in exact for f in forms if f in exact_next.get(p, ())]
            upper = [(*p, f.upper()) for p in upper for f in forms if f.upper() in upper_next.get(p, ())]
            if keys:  # an article inside a name has the key of ``al`` (matcher._key_at)
                found = (translit_key(after), "AL") if folded.lower() in ARTICLES else (translit_key(after),)
                keys = [(*p, key) for p in keys for key in found if key in key_next.get(p, ())]
            if not (exact or upper or keys):
                break
            end = match.end()
        return end

    def _next_words(self) -> tuple[dict[tuple[str, ...], set[str]], ...]:
        if self._next is None:
            self._next = _next_words(self.index)
        return self._next

    def _followers(self, word: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """What may come second after `word`: folded words, ALL-CAPS words, keys."""
        exact_next, upper_next, key_next = self._next_words()
        first = fold(word)
        firsts = [(first,), ("al",)] if first.lower() in ARTICLES else [(first,)]
        if first in self._after_article:
            firsts.append(("al", first))
        return (
            frozenset().union(*(exact_next.get(f, ()) for f in firsts)),
            frozenset().union(*(upper_next.get(tuple(w.upper() for w in f), ()) for f in firsts)),
            frozenset(key_next.get((translit_key(word),), ())),
        )

    def _window(self, text: str, start: int, end: int, into: list[Mention]) -> None:
        """Add the mentions of text[start:end] (see `_mentions_of`)."""
        found = self._mentions_of(text[start:end])
        if found:
            into += [_shifted(m, start) for m in found] if start else found

    def _mentions_of(self, window: str) -> tuple[Mention, ...]:
        """The mentions of a window, worked out once per distinct window."""
        found = self._windows.get(window)
        if found is None:
            if len(self._windows) >= self._max_windows:
                self._windows.clear()
            alone = listed_alone(window, self.index)  # (most windows: one listed spelling as written)
            if alone is not None:
                found = (alone,)
            else:
                found = tuple(find_mentions(Document(window), self.index, self.settings, self._fuzzy_cache))
            self._windows[window] = found
        return found


def capitalised_hits(words: Words, text: str) -> list[tuple[int, int, int, int]]:
    """The capitalised words of `text` that may start a name, found by the
    compiled core as `CAPITALISED_WORD` finds them: (start, end, far,
    reach), reach -1 for a word `words` has not learnt, far where a name
    starting there can end (`Scanner._extent`; -1 where the core met a
    word it had not been told of, which it is told of now for next time).
    The core is told the class of each character beyond ASCII the first
    time it meets one."""
    try:
        found = words.hits(text)
    except UnicodeEncodeError:
        # a lone surrogate (a byte kept from a file that is not quite UTF-8)
        # cannot cross into Rust; U+FFFD is one character too, and no letter
        text = without_surrogates(text)
        found = words.hits(text)
    if found is None:
        _learn_chars(words, text)
        found = words.hits(text)
    hits, missing = found
    if missing:
        words.learn_words(missing, [word_forms(w) for w in missing])
    return hits


def _as_tuples(spec: tuple) -> tuple:
    """A spec with its lists (the forms before and after a name, as a kept file has them) as tuples."""
    return tuple(tuple(part) if isinstance(part, list) else part for part in spec)


def word_forms(word: str) -> tuple[str, str, str, bool]:
    """What the core is told of a word: folded, folded in capitals, its key,
    and whether it is an article (as `Scanner._extent` reads them)."""
    folded = fold(word)
    return folded, folded.upper(), translit_key(word), folded.lower() in ARTICLES


def _learn_chars(words: Words, text: str) -> None:
    """Tell the core the class of each character of `text` it has not met."""
    chars = words.unknown_chars(text)
    words.learn_chars(chars, [_char_class(c) for c in chars])


def _char_class(c: str) -> int:
    """A character's class as the core keeps it: 1 alphanumeric (``[^\\W_]``),
    2 a decimal digit (``\\d``), 4 uppercase, 8 white space, as this Python's `re` and `str` say."""
    return (
        (1 if c.isalnum() else 0) | (2 if c.isdecimal() else 0) | (4 if c.isupper() else 0) | (8 if c.isspace() else 0)
    )


def _article_start(text: str, at: int) -> int:
    """Where a name at `at` may begin: before any glued articles (``al-``, ``El ``)."""
    start = at
    while True:
        gap_start = start
        if gap_start and text[gap_start - 1] in HYPHENS:
            gap_start -= 1
        else:
            while gap_start and text[gap_start - 1] in _SPACES:
                gap_start -= 1
            if gap_start and text[gap_start - 1] == "\n":
                gap_start -= 1
            if gap_start and text[gap_start - 1] == "\r":
                gap_start -= 1
            while gap_start and text[gap_start - 1] in _SPACES:
                gap_start -= 1
        if gap_start == start or not gap_start:
            return start
        last = text[gap_start - 1]
        if last.isascii() and last not in (_ENDS_BEFORE_HYPHEN if text[gap_start] in HYPHENS else _ENDS_BEFORE_SPACE):
            return start  # no article ends so (most words before a name)
        if not is_word_char(last):
            return start
        glue = gap_glue(text[gap_start:start])
        word = _word_ending_at(text, gap_start)
        if glue is None or word is None or not is_article(word[1], glue):
            return start
        start = word[0]


def _word_ending_at(text: str, end: int) -> tuple[int, str] | None:
    """The word the tokenizer finds ending at `end`, with its start, if any."""
    for match in words_around(text, end):
        if match.end() >= end:
            return (match.start(), match.group()) if match.end() == end else None
    return None


def _next_words(index: Index) -> tuple[dict[tuple[str, ...], set[str]], ...]:
    """Each beginning of a listed spelling (folded; ALL-CAPS) and of a key ->
    the words that may come next.

    A spelling of n words keeps n - 1 beginnings of up to n - 1 words: memory
    quadratic in n, which the loader bounds by refusing a spelling of more than
    `gazetteer.MAX_SPELLING_WORDS` words (at most 190 words kept per spelling).
    """
    tables: tuple[dict[tuple[str, ...], set[str]], ...] = ({}, {}, {})
    for table, names in zip(tables, (index.exact, index.upper, index.keys), strict=True):
        for name in names:
            for k in range(1, len(name)):
                table.setdefault(name[:k], set()).add(name[k])
    return tables


def _shifted(m: Mention, by: int) -> Mention:
    return Mention(
        m.start + by,
        m.end + by,
        m.core_start + by,
        m.text,
        m.method,
        m.candidates,
        tuple(_shifted(i, by) for i in m.inner) if m.inner else (),
    )
