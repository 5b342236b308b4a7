"""Compiled lookup structures built once from a gazetteer.

Spellings are compiled to dictionaries keyed by tuples of folded words, so
matching a text costs one dictionary probe per candidate span, whatever the
size of the gazetteer::

    >>> from normalize import load_gazetteers
    >>> idx = Index.build(load_gazetteers())
    >>> idx.exact[("Hafter",)].canonical
    'Haftar'
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..gazetteer import Gazetteer, iter_spellings
from ..gazetteer.synonyms import entity_synonyms, expansions, synonym_table
from ..text.keys import fold, key_deletions, translit_key
from ..text.tokens import is_all_caps, name_tuples
from ..text.words import english_words
from .records import Target


@dataclass(frozen=True)
class Index:
    exact: dict[tuple[str, ...], Target]
    upper: dict[tuple[str, ...], Target]
    # key -> the names with that key, each with its spellings (folded, lowercase)
    keys: dict[tuple[str, ...], tuple[tuple[Target, tuple[str, ...]], ...]]
    # single-word spellings (lowercase), their targets, and by key neighbourhood
    # (keys.key_deletions) the positions of the spellings worth scoring
    fuzzy_choices: tuple[str, ...]
    fuzzy_targets: tuple[tuple[Target, ...], ...]
    fuzzy_buckets: dict[str, tuple[int, ...]]
    max_words: int
    # first word of a listed spelling -> its longest spelling in words, so
    # the matcher tries only spans that can match (most words start none)
    starts: dict[str, int]
    upper_starts: dict[str, int]
    entity_context: dict[str, frozenset[str]]
    region_context: dict[str, frozenset[str]]
    # exact spellings made from listed organisation names by word synonyms
    # and word order (gazetteer.expansions) -> which listed spelling and rules
    expanded: dict[tuple[str, ...], str]

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> Index:
        exact: dict[tuple[str, ...], Target] = {}
        keys: dict[tuple[str, ...], dict[str, tuple[Target, list[str]]]] = defaultdict(dict)
        # (a list, not a dict by canonical, while building: one a word, most of them)
        fuzzy: dict[str, list[Target]] = defaultdict(list)
        entity_context: dict[str, frozenset[str]] = {}
        # one object per distinct string: a large gazetteer repeats its words
        # across spellings, their capitals and their lowercase forms
        shared: dict[str, str] = {}
        one = shared.setdefault
        for entity in gazetteer.entities:
            if entity.context:  # (most have none: `entity_context.get` gives the empty set)
                entity_context[entity.id] = frozenset(entity.context)
            for form, spelling in iter_spellings(entity):
                target = Target(
                    entity=entity.id,
                    canonical=form.canonical.text,
                    region=entity.region,
                    file=entity.file_of(spelling),  # (a spelling another file adds names that file)
                    line=spelling.line,
                    spelling=spelling.text,
                    ambiguous=form.ambiguous or entity.forms[0].ambiguous,
                    type=entity.type,
                )
                for words in name_tuples(spelling.text):
                    exact.setdefault(words, target)
                    if any(is_all_caps(w) for w in words):
                        continue  # acronyms have no transliteration to vary
                    key = tuple(one(k, k) for k in map(translit_key, words))
                    low = " ".join(words).lower()
                    low = one(low, low)
                    keys[key].setdefault(target.canonical, (target, []))[1].append(low)
                    if len(words) == 1:
                        fuzzy[low].append(target)
            for spelling in entity.keep:
                keeper = Target(
                    entity.id,
                    spelling.text,
                    entity.region,
                    entity.file_of(spelling),
                    spelling.line,
                    spelling.text,
                    keep=True,
                )
                for words in name_tuples(spelling.text):
                    exact.setdefault(words, keeper)
        for kept in gazetteer.keep:
            keeper = Target("", kept.text, kept.region, kept.file, kept.line, kept.text, keep=True)
            for words in name_tuples(kept.text):
                exact.setdefault(words, keeper)
        expanded = _expanded(gazetteer, exact)
        for words, (target, _) in expanded.items():
            exact[words] = target
        choices = sorted(fuzzy)
        buckets: dict[str, list[int]] = defaultdict(list)
        for at, choice in enumerate(choices):
            for near in key_deletions(translit_key(choice)):
                buckets[near].append(at)
        upper: dict[tuple[str, ...], Target] = {}
        for words, target in exact.items():
            upper.setdefault(tuple(one(u, u) for u in (w.upper() for w in words)), target)
        del shared
        return cls(
            exact=exact,
            upper=upper,
            keys=_frozen(keys, lambda v: tuple((t, tuple(s)) for t, s in v.values())),
            fuzzy_choices=tuple(choices),
            fuzzy_targets=tuple(_first_by_canonical(fuzzy.pop(w)) for w in choices),
            fuzzy_buckets=_frozen(buckets, tuple),
            max_words=max((len(w) for w in exact), default=1),
            starts=_starts(exact),
            upper_starts=_starts(upper),
            entity_context=entity_context,
            region_context={r: frozenset(ws) for r, ws in gazetteer.region_context.items()},
            expanded={words: why for words, (_, why) in expanded.items()},
        )

    def fuzzy_neighbours(self, word: str) -> list[int]:
        """Positions in `fuzzy_choices` of the spellings whose key is near the
        word's key: the only ones the fuzzy stage scores, so a word is never
        compared with the whole gazetteer.

        >>> from normalize import load_gazetteers
        >>> idx = Index.build(load_gazetteers())
        >>> "tarhuna" in [idx.fuzzy_choices[k] for k in idx.fuzzy_neighbours("tarchuna")]
        True
        """
        near = key_deletions(translit_key(word))
        return sorted({at for key in near for at in self.fuzzy_buckets.get(key, ())})

    def is_known(self, word: str) -> bool:
        """A single word that the gazetteer lists (any form, any case)."""
        return (fold(word),) in self.exact or (fold(word).upper(),) in self.upper


def _expanded(gazetteer: Gazetteer, listed: dict[tuple[str, ...], Target]) -> dict[tuple[str, ...], tuple[Target, str]]:
    """Exact entries for the spellings organisation names expand into.

    Matched whole, like a listed spelling, with the listed spelling's line
    (so a change record points at the name it comes from).  Precision first:
    a listed spelling or keep word always wins over an expansion; an
    expansion two names share is dropped for both; one that reads as a single
    common English word is never made (lint G013, G014 report them).
    """
    found: dict[tuple[str, ...], tuple[Target, str] | None] = {}
    tables = {region: synonym_table(rules) for region, rules in gazetteer.synonyms.items()}
    for entity in gazetteer.entities:
        table = entity_synonyms(entity, tables.get(entity.region, {}))
        for expansion in expansions(entity, table):
            form = expansion.form
            target = Target(
                entity=entity.id,
                canonical=form.canonical.text,
                region=entity.region,
                file=entity.file_of(expansion.source),
                line=expansion.source.line,
                spelling=expansion.text,
                ambiguous=form.ambiguous or entity.forms[0].ambiguous,
                type=entity.type,
                rule=expansion.rule,
            )
            for words in name_tuples(expansion.text):
                if words in listed or (len(words) == 1 and words[0].lower() in english_words()):
                    continue
                other = found.setdefault(words, (target, expansion.why()))
                if other is not None and other[0].canonical != target.canonical:
                    found[words] = None  # two names: neither is decided here
    return {words: value for words, value in found.items() if value is not None}


def _first_by_canonical(targets: list[Target]) -> tuple[Target, ...]:
    """The first of `targets` for each canonical, in order."""
    if len(targets) == 1:
        return (targets[0],)
    first: dict[str, Target] = {}
    for target in targets:
        first.setdefault(target.canonical, target)
    return tuple(first.values())


def _frozen(table: dict, freeze: Callable) -> dict:
    """`table` with each value frozen, each mutable value let go as soon as
    it is frozen (a large gazetteer's tables are tens of megabytes)."""
    return {key: freeze(table.pop(key)) for key in list(table)}


def _starts(table: dict[tuple[str, ...], Target]) -> dict[str, int]:
    starts: dict[str, int] = {}
    for words in table:
        starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


T = TypeVar("T")
_DERIVED: dict[tuple[int, Callable], tuple[weakref.ref[Index], object]] = {}


def derived(index: Index, build: Callable[[Index], T]) -> T:
    """`build(index)`, worked out once for each index and kept while it lives
    (a table an engine stage derives from the index, such as which key
    beginnings start a person's name).

    >>> from normalize import load_gazetteers
    >>> index = Index.build(load_gazetteers())
    >>> derived(index, lambda i: dict(i.starts)) is derived(index, lambda i: dict(i.starts))
    False
    >>> def starts(i):
    ...     return dict(i.starts)
    >>> derived(index, starts) is derived(index, starts)
    True
    """
    held = _DERIVED.get((id(index), build))
    if held is None or held[0]() is not index:
        if len(_DERIVED) > 256:
            for stale in [k for k, (ref, _) in _DERIVED.items() if ref() is None]:
                del _DERIVED[stale]
        held = _DERIVED[(id(index), build)] = (weakref.ref(index), build(index))
    return held[1]  # type: ignore[return-value]
