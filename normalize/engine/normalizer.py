"""The public API: load gazetteers once, normalise many texts.

>>> from normalize import Normalizer
>>> n = Normalizer.load()
>>> n.normalize("Forces loyal to Hafter took Sirt.").text
'Forces loyal to Haftar took Sirte.'
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from ..gazetteer import Gazetteer
from ..text.positions import count_lines, utf8_length
from . import learnt
from .context import Context
from .ignore import IgnoreList
from .index import Index
from .matcher import Document, MatchSettings, find_mentions
from .records import Candidate, Decision, Mention, Result, Target
from .resolve import ResolveSettings, decide
from .rewrite import review_items, rewrite
from .scan import Scanner


@dataclass(frozen=True)
class Settings:
    """Thresholds for the key and fuzzy stages (defaults favour precision)."""

    match: MatchSettings = field(default_factory=MatchSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    # A longer text is cleaned in parts cut at line breaks, so memory follows
    # the part, not the file; context for ambiguous names is then the part's.
    part_chars: int = 2_000_000
    # "scan" finds mentions from the capitalised words only, with per-run
    # caches; "reference" looks at every word.  Both find the same mentions
    # (tests/test_scan.py); the reference is the specification.
    engine: str = "scan"


@dataclass(frozen=True)
class Decisions:
    """What the matcher found in a text and what was decided about it."""

    mentions: list[Mention]
    applied: list[Decision]
    review: list[Decision]


class Normalizer:
    """A compiled gazetteer, ready to normalise any number of texts."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        settings: Settings | None = None,
        index: Index | None = None,
        ignore: IgnoreList | None = None,
    ):
        self.gazetteer = gazetteer
        # spellings to leave alone (configuration and ignore file; see engine/ignore.py)
        self.ignore = ignore or IgnoreList()
        self.index = Index.build(gazetteer) if index is None else index
        self.settings = settings or Settings()
        if self.settings.engine not in ("scan", "reference"):
            raise ValueError(f"unknown engine {self.settings.engine!r}: use 'scan' or 'reference'")
        # One fuzzy search per distinct word for the life of the normaliser.
        self._fuzzy_cache: dict[str, tuple[Candidate, ...]] = {}
        self._scanner = Scanner(
            self.index, self.settings.match, self._fuzzy_cache, ignore=self.ignore, resolve=self.settings.resolve
        )
        # where the words learnt are kept between runs (set by `load` with a cache)
        self._learnt_path: Path | None = None
        self._windows_path: Path | None = None  # where the windows the core was told of are kept
        self._windows_known = 0
        self._windows_state: learnt.FileState = None  # that file's state when this normaliser read it
        self._known = 0

    @classmethod
    def load(
        cls,
        paths: Iterable[str | Path] = (),
        *,
        include_default: bool = True,
        settings: Settings | None = None,
        cache: bool | str | Path = False,
        ignore: IgnoreList | None = None,
        learnt_words: bool = False,
    ) -> Normalizer:
        """Normaliser over the shipped gazetteers plus `paths` (files or folders).

        With `cache` (True for the default folder, see `cache.default_cache_dir`,
        or a folder) the compiled gazetteer is kept between runs, and with
        `learnt_words` what earlier runs learnt about new words too (a batch
        run's choice: reading them costs a one-line call up to 0.1 s; see
        `remember`).  `ignore` lists spellings to leave alone.
        """
        if cache is False:
            from ..gazetteer.loading import load_gazetteers

            return cls(load_gazetteers(paths, include_default=include_default), settings, ignore=ignore)
        from .cache import default_cache_dir, entry_name, load_compiled

        folder = default_cache_dir() if cache is True else Path(cache)
        gazetteer, index = load_compiled(paths, include_default=include_default, cache_dir=folder)
        normalizer = cls(gazetteer, settings, index, ignore)
        if not learnt_words:
            return normalizer
        entry = entry_name(gazetteer.digest)
        normalizer._learnt_path = learnt.learnt_path(folder, entry, normalizer.settings.match)
        normalizer._scanner.adopt(learnt.load(normalizer._learnt_path))
        normalizer._known = normalizer._scanner.words_known()
        scan = normalizer.settings.engine == "scan"
        path = learnt.windows_path(folder, entry, normalizer.fingerprint()) if scan else None
        if path is not None:
            normalizer._windows_path = path
            normalizer._windows_state = learnt.file_state(path)  # (before reading: a later write shows)
            normalizer._scanner.adopt_windows(learnt.load_windows(path))
            normalizer._windows_known = normalizer._scanner.windows_told()
        return normalizer

    def fresh_words(self) -> dict[str, int]:
        """What this normaliser learnt about new words since the last call
        (the first call starts keeping it), for another worker's `adopt_words`:
        workers of one run share the first sight of each word instead of
        each paying for it."""
        return self._scanner.fresh_words()

    def adopt_words(self, words: dict[str, int]) -> None:
        """Know what another worker learnt about these words (see `fresh_words`)."""
        self._scanner.adopt(words)

    def remember(self) -> None:
        """Keep what this normaliser learnt about new words and windows for
        the next run (a normaliser loaded with a cache; see `engine.learnt`)."""
        scanner = self._scanner
        try:
            if self._windows_path is not None and scanner.windows_told() != self._windows_known:
                # (windows forgotten since the file was read: read it again, whatever its state)
                known = () if scanner.forgot_windows else self._windows_state
                state = learnt.store_windows(self._windows_path, scanner.learnt_windows(), known)
                self._windows_state = state
                self._windows_known = scanner.windows_told()
        finally:  # (the words are kept even if the windows could not be)
            if self._learnt_path is not None and scanner.words_known() != self._known:
                learnt.store(self._learnt_path, scanner.learnt())
                self._known = scanner.words_known()

    def fingerprint(self) -> str:
        """A hash of everything that decides the output: gazetteer files and settings."""
        key = f"{self.gazetteer.digest} {self.settings!r} {self.ignore.fingerprint()}"
        return hashlib.sha256(key.encode()).hexdigest()

    def normalize(
        self,
        text: str,
        *,
        name: str | None = None,
        forced: Sequence[tuple[int, int, Target]] = (),
        confirmed: Collection[str] = (),
    ) -> Result:
        """Clean `text`; `name` labels its change and review records.

        `forced` spans (start, end, target) are names known from elsewhere,
        such as a translated name's source: they are rewritten to their
        target's canonical form (method ``source``) and win over any other
        mention they overlap.  `confirmed` entity ids (named by the
        original) decide between look-alikes; see `resolve.decide`.
        """
        if len(text) > self.settings.part_chars and not forced:
            return self._normalize_parts(text, name, confirmed)
        return self._cleaned(text, name, forced, confirmed)

    def _cleaned(
        self, text: str, name: str | None, forced: Sequence[tuple[int, int, Target]], confirmed: Collection[str]
    ) -> Result:
        """`normalize` for one part: through the compiled core's plan where it applies, else decided here."""
        if not forced and (cleaned := self._planned(text, name, confirmed)) is not None:
            return cleaned
        found = self.decisions(text, name=name, forced=forced, confirmed=confirmed)
        clean, changes = rewrite(text, found.applied, name)
        return Result(clean, tuple(changes), tuple(review_items(text, found.review, name)))

    def _planned(self, text: str, name: str | None, confirmed: Collection[str]) -> Result | None:
        """`normalize` with the names the compiled core settles alone
        rewritten by it (see `settled`), or None where that does not apply:
        the reference engine, names confirmed by an original, or a text the
        core cannot plan.  (The core settles no name an ignore rule could
        leave alone: the rules see every other mention here.)"""
        if self.settings.engine != "scan" or confirmed:
            return None
        scanner = self._scanner
        plan = scanner.plan(text)
        if plan is None:
            return None
        mentions = self._not_ignored(plan.mentions, text, name)
        applied: list[Decision] = []
        review: list[Decision] = []
        if mentions:  # (with none, `decide` has nothing to decide: the core settled every name)
            applied, review = decide(
                mentions,
                Context(text),
                self.index,
                self.settings.resolve,
                match=self.settings.match,
                settled=scanner.settled(plan),
            )
        clean, changes = rewrite(text, applied, name, scanner.written(plan))
        items = review_items(text, review, name)
        if plan.reviewed:  # (each list in the order of the text, the two apart)
            items = sorted(items + scanner.reviewed(plan, text, name), key=attrgetter("start"))
        return Result(clean, tuple(changes), tuple(items))

    def mentions(self, text: str) -> list[Mention]:
        """Every span of `text` that may name an entity, before any decision."""
        if self.settings.engine == "reference":
            return find_mentions(Document(text), self.index, self.settings.match, self._fuzzy_cache)
        return self._scanner.find(text)

    def _not_ignored(self, mentions: list[Mention], text: str, name: str | None) -> list[Mention]:
        if not self.ignore:
            return mentions
        return [m for m in mentions if not self.ignore.matches(m.text, m.core, text, m.start, m.end, name)]

    def decisions(
        self,
        text: str,
        *,
        name: str | None = None,
        forced: Sequence[tuple[int, int, Target]] = (),
        confirmed: Collection[str] = (),
    ) -> Decisions:
        """The mentions of `text` and which of them to apply or review (see
        `normalize`); mentions the ignore list matches are left out."""
        mentions = self._not_ignored(self.mentions(text), text, name)
        if forced:
            mentions = _with_forced(text, mentions, forced)
        applied, review = decide(
            mentions, Context(text), self.index, self.settings.resolve, confirmed, match=self.settings.match
        )
        return Decisions(mentions, applied, review)

    def normalize_parts(
        self, text: str, *, name: str | None = None, confirmed: Collection[str] = ()
    ) -> Iterator[Result]:
        """`normalize` for a text of any length, in parts of about `part_chars`
        characters: joined, the parts' texts are the clean text and their
        records are placed in the whole text.  A caller that writes each part
        as it comes never holds more than the input and one part.

        >>> [r.text for r in Normalizer.load().normalize_parts("Hafter left.\\n" * 2)]
        ['Haftar left.\\nHaftar left.\\n']
        """
        if len(text) <= self.settings.part_chars:
            yield self.normalize(text, name=name, confirmed=confirmed)
            return
        yield from self.normalize_stream(text_parts([text], self.settings.part_chars), name=name, confirmed=confirmed)

    def normalize_stream(
        self, parts: Iterable[str], *, name: str | None = None, confirmed: Collection[str] = ()
    ) -> Iterator[Result]:
        """Clean a text given as consecutive parts (see `text_parts`), each part
        with its own context; the records are placed in the whole text."""
        chars = lines = bytes_ = column = 0
        for part in parts:
            result = self._cleaned(part, name, (), confirmed)
            yield Result(
                result.text,
                tuple(_shifted(c, chars, lines, bytes_, column) for c in result.changes),
                tuple(_shifted(r, chars, lines, bytes_, column) for r in result.review),
            )
            chars += len(part)
            breaks = count_lines(part)
            lines += breaks
            # a part cut inside a long line: the next one starts that far into its line
            column = column + len(part) if not breaks else len(part) - _line_start(part)
            bytes_ += utf8_length(part)

    def _normalize_parts(self, text: str, name: str | None, confirmed: Collection[str]) -> Result:
        clean, changes, review = [], [], []
        for result in self.normalize_parts(text, name=name, confirmed=confirmed):
            clean.append(result.text)
            changes += result.changes
            review += result.review
        return Result("".join(clean), tuple(changes), tuple(review))


def _cut(text: str, start: int, size: int) -> int:
    """Where the part of `text` that begins at `start` ends: after a line
    break, else (a line longer than `size`) after a space, else anywhere."""
    end = text.rfind("\n", start, start + size) + 1
    if end <= start:  # no line break in reach: cut the long line between words
        end = max(text.rfind(" ", start, start + size), text.rfind("\t", start, start + size)) + 1
    if end <= start:
        end = start + size + (text[start + size - 1 : start + size + 1] == "\r\n")  # "\r\n" stays whole
    return end


def text_parts(chunks: Iterable[str], size: int) -> Iterator[str]:
    """Consecutive pieces of text (as read from a stream, or one whole text)
    cut into parts of at most `size` characters (see `_cut`), the same
    whatever the pieces.

    >>> list(text_parts(["ab c", "d\\nef gh", " ij\\n"], 6)) == list(text_parts(["ab cd\\nef gh ij\\n"], 6))
    True
    >>> list(text_parts(["ab cd\\nef gh ij\\n"], 6))
    ['ab cd\\n', 'ef gh ', 'ij\\n']
    """
    rest = ""
    for chunk in chunks:
        rest += chunk
        start = 0
        while len(rest) - start > size:
            end = _cut(rest, start, size)
            yield rest[start:end]
            start = end
        rest = rest[start:]
    if rest:
        yield rest


def _line_start(text: str) -> int:
    """Where the last line of `text` starts."""
    return max(text.rfind("\n"), text.rfind("\r")) + 1


def _shifted(record, chars: int, lines: int, bytes_: int, column: int = 0):
    """A change or review record of a part, placed in the whole text.  Parts
    start at a line start, or `column` characters into a line cut where it
    was too long.  The record is the part's own, just made, so it is moved
    in place."""
    if record.line == 1:
        record.column += column
    record.line += lines
    record.start += chars
    record.end += chars
    record.byte_start += bytes_
    record.byte_end += bytes_
    return record


def _with_forced(text: str, mentions: list[Mention], forced: Sequence[tuple[int, int, Target]]) -> list[Mention]:
    spans = [(s, e) for s, e, _ in forced]
    kept = [m for m in mentions if not any(m.start < e and s < m.end for s, e in spans)]
    kept += [Mention(s, e, s, text[s:e], "source", (Candidate(t, 100.0),)) for s, e, t in forced]
    return sorted(kept, key=lambda m: m.start)


@lru_cache(maxsize=1)
def _default() -> Normalizer:
    return Normalizer.load()


def normalize_text(text: str) -> str:
    """Clean `text` with the shipped gazetteers.

    >>> normalize_text("Heftar's forces near Tarhunah")
    "Haftar's forces near Tarhuna"
    """
    return _default().normalize(text).text
