"""Organisation names as machine translation writes them: word synonyms
(``Corporation`` as ``Company``) and word order (``X of Y`` as ``Y X``)
expand each listed spelling into the spellings it is also matched as.

    >>> _reordered("Dawn of Libya", False)
    'Libya Dawn'
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .model import EXPANDED_TYPES, MAX_EXPANSIONS, Entity, Form, Spelling, Synonym, iter_spellings


def synonym_table(rules: Iterable[Synonym]) -> dict[str, tuple[tuple[str, Synonym], ...]]:
    """word -> (alternative, the rule that gives it), in declared order."""
    table: dict[str, dict[str, Synonym]] = {}
    for rule in rules:
        for alternative in rule.alternatives:
            table.setdefault(rule.word, {}).setdefault(alternative, rule)
    return {word: tuple(alts.items()) for word, alts in table.items()}


def entity_synonyms(
    entity: Entity, region_table: Mapping[str, tuple[tuple[str, Synonym], ...]]
) -> dict[str, tuple[tuple[str, Synonym], ...]]:
    """The word synonyms that apply to an entity's names: its region's, then its own."""
    if entity.type not in EXPANDED_TYPES:
        return {}
    if not entity.word_variants:
        return dict(region_table)
    table = {word: dict(alts) for word, alts in region_table.items()}
    for rule in entity.word_variants:
        for alternative in rule.alternatives:
            table.setdefault(rule.word, {}).setdefault(alternative, rule)
    return {word: tuple(alts.items()) for word, alts in table.items()}


@dataclass(frozen=True, slots=True)
class Expansion:
    """A spelling an organisation name is also matched as, and why."""

    text: str
    form: Form
    source: Spelling  # the listed spelling it was made from
    reordered: bool  # by word_order
    used: tuple[tuple[str, str, Synonym], ...]  # (word, written as, the rule)

    @property
    def rules(self) -> tuple[str, ...]:
        """``word order`` and ``Corporation -> Company (file:line)``: how it was made."""
        order = ("word order",) if self.reordered else ()
        return order + tuple(f"{word} -> {written} ({rule.file}:{rule.line})" for word, written, rule in self.used)

    @property
    def rule(self) -> str:
        """``synonym``, ``word_order`` or ``word_order+synonym``: the kinds of rule that made it."""
        return "+".join(name for name, used in (("word_order", self.reordered), ("synonym", self.used)) if used)

    def why(self) -> str:
        return f"{self.source.text!r} with {', '.join(self.rules)}"


_SEPARATORS = re.compile(r"(\s+|-)")


def name_words(text: str) -> list[str]:
    """The words of a spelling that a synonym may stand for (split at spaces and hyphens).

    >>> name_words("Petroleum Facilities-Guard")
    ['Petroleum', 'Facilities', 'Guard']
    """
    return _SEPARATORS.split(text)[::2]


def _reordered(text: str, canonical: bool) -> str | None:
    """``X of Y`` -> ``Y X`` (a leading ``the`` of Y dropped); a canonical
    ``Y X`` without ``of`` -> ``X of Y`` (X its last word).

    >>> _reordered("Dawn of Libya", False), _reordered("Libya Dawn", True), _reordered("Libya Dawn", False)
    ('Libya Dawn', 'Dawn of Libya', None)
    >>> _reordered("Government of the National Accord", False)
    'National Accord Government'
    """
    words = text.split(" ")
    ofs = [i for i, w in enumerate(words) if w == "of"]
    if len(ofs) == 1 and 0 < ofs[0] < len(words) - 1:
        head, tail = words[: ofs[0]], words[ofs[0] + 1 :]
        if tail[0] == "the" and len(tail) > 1:
            tail = tail[1:]
        return " ".join(tail + head)
    if canonical and not ofs and len(words) > 1 and all(words):
        return f"{words[-1]} of {' '.join(words[:-1])}"
    return None


def _bases(text: str, word_order: bool, canonical: bool) -> list[str]:
    reordered = _reordered(text, canonical) if word_order else None
    return [text] if reordered is None or reordered == text else [text, reordered]


def count_expansions(
    text: str, table: Mapping[str, Sequence[object]], word_order: bool = False, canonical: bool = False
) -> int:
    """How many spellings `expansions` makes of `text`, without making them."""
    total = 0
    for base in _bases(text, word_order, canonical):
        total += math.prod(1 + len(table.get(part, ())) for part in name_words(base))
    return total - 1


def expansions(entity: Entity, table: Mapping[str, tuple[tuple[str, Synonym], ...]]) -> Iterator[Expansion]:
    """Every spelling the entity's listed names expand into: each word
    replaced by each of its synonyms (`table`, from `entity_synonyms`), and
    with ``word_order``, ``X of Y`` as ``Y X``.  The listed spellings
    themselves are not repeated; an expansion may equal another listed
    spelling (the index and lint sort that out).

    >>> from normalize import load_gazetteers
    >>> gaz = load_gazetteers()
    >>> noc = gaz.entity("national_oil_corporation")
    >>> [e.text for e in expansions(noc, entity_synonyms(noc, synonym_table(gaz.synonyms["LY"])))]
    ['National Oil Company']
    """
    if entity.type not in EXPANDED_TYPES or not (table or entity.word_order):
        return
    for form, spelling in iter_spellings(entity):
        for b, base in enumerate(_bases(spelling.text, entity.word_order, spelling is form.canonical)):
            parts = _SEPARATORS.split(base)
            choices = [
                [(part, None), *table.get(part, ())] if i % 2 == 0 else [(part, None)] for i, part in enumerate(parts)
            ]
            if math.prod(len(c) for c in choices) > MAX_EXPANSIONS + 1:
                continue  # refused by the loader (G016); never built
            for combo in itertools.product(*choices):
                used = tuple((parts[i], word, rule) for i, (word, rule) in enumerate(combo) if rule)
                if b == 0 and not used:
                    continue  # the listed spelling itself
                yield Expansion("".join(word for word, _ in combo), form, spelling, b > 0, used)
