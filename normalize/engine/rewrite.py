"""Decisions -> clean text and change records.

Only the decided spans change.  The replacement keeps the writer's
ALL-CAPS, never inserts an article the writer did not write, and leaves
what follows the name (``’s``, ``-based``) alone::

    >>> replacement("HAFTER", "HAFTER", "Haftar")
    'HAFTAR'
    >>> replacement("Al-Jafra", "Jafra", "Jufra")
    'Jufra'
"""

from __future__ import annotations

from functools import lru_cache

from ..text.positions import Positions
from ..text.tokens import is_all_caps, is_article, name_gap, tokenize
from .records import Candidate, Change, Decision, ReviewItem, Signal

_CONTEXT_CHARS = 60


@lru_cache(maxsize=65536)
def replacement(span: str, core: str, canonical: str, kind: str = "") -> str | None:
    """Text to put in place of `span` (whose name proper is `core`), or None.

    None when the name is already canonical, with or without an article
    (``al-Sarraj`` stays as written), except for a place (`kind`) whose
    canonical has no article: there a glued article is part of the variant
    and goes, as the canonical spelling policy says (``Al-Jufra`` -> ``Jufra``).

    >>> replacement("al-Sarraj", "Sarraj", "Sarraj", "person"), replacement("Al-Jufra", "Jufra", "Jufra", "place")
    (None, 'Jufra')
    """
    if core == span:  # no article written, so none is inserted
        canonical = without_article(canonical)
    if is_all_caps(core) and not is_all_caps(canonical):
        canonical = canonical.upper()
    canonical = _keep_line_breaks(core, canonical)
    if canonical == span or (canonical == core and not (kind == "place" and without_article(canonical) == canonical)):
        return None
    return canonical


def _keep_line_breaks(written: str, canonical: str) -> str:
    """Put back the line breaks of a name wrapped across lines.

    >>> _keep_line_breaks("Beni\\nWalid", "Bani Walid")
    'Bani\\nWalid'
    """
    if "\n" not in written and "\r" not in written:
        return canonical
    old, new = tokenize(written), tokenize(canonical)
    if len(old) != len(new):
        return canonical
    pieces = [new[0].text]
    for k in range(1, len(new)):
        gap = written[old[k - 1].end : old[k].start]
        pieces.append(gap if "\n" in gap or "\r" in gap else canonical[new[k - 1].end : new[k].start])
        pieces.append(new[k].text)
    return "".join(pieces)


@lru_cache(maxsize=4096)
def without_article(name: str) -> str:
    """`name` without a leading glued article (``Al-Jafra`` -> ``Jafra``)."""
    tokens = tokenize(name)
    if len(tokens) > 1:
        glue = name_gap(name, tokens[0], tokens[1])
        if glue and is_article(tokens[0].text, glue):
            return name[tokens[1].start :]
    return name


def rewrite(text: str, applied: list[Decision], file: str | None = None) -> tuple[str, list[Change]]:
    """Apply decisions (sorted, not overlapping) to `text`."""
    positions = Positions(text)
    pieces: list[str] = []
    changes: list[Change] = []
    last = 0
    for decision in applied:
        mention, candidate = decision.mention, decision.candidate
        new = replacement(mention.text, mention.core, candidate.target.canonical, candidate.target.type)
        if new is None:
            continue
        target = candidate.target
        runner_up, margin = _runner_up(candidate, mention.candidates)
        changes.append(
            Change(
                *positions.place(file, mention.start, mention.end),
                before=mention.text,
                after=new,
                entity=target.entity,
                gazetteer_file=target.file,
                gazetteer_line=target.line,
                method=mention.method,
                score=candidate.score,
                rule=decision.rule or mention.method,
                runner_up=runner_up,
                margin=margin,
            )
        )
        pieces.append(text[last : mention.start])
        pieces.append(new)
        last = mention.end
    pieces.append(text[last:])
    return "".join(pieces), changes


def review_items(text: str, review: list[Decision], file: str | None = None) -> list[ReviewItem]:
    """Review decisions as records, each with its line for context."""
    positions = Positions(text)
    items = []
    for decision in review:
        mention = decision.mention
        lo = max(0, mention.start - _CONTEXT_CHARS)
        context = text[lo : mention.end + _CONTEXT_CHARS].replace("\r", " ").replace("\n", " ")
        items.append(
            ReviewItem(
                *positions.place(file, mention.start, mention.end),
                text=mention.text,
                method=mention.method,
                reason=decision.reason,
                candidates=tuple(c.as_record() for c in mention.candidates),
                context=context,
                signal=str(decision.signal or Signal.PROBABLY_NONE),
            )
        )
    return items


def _runner_up(chosen: Candidate, candidates: tuple[Candidate, ...]) -> tuple[str | None, float | None]:
    """The best other name among `candidates` (another canonical than the
    chosen one's) and how far the chosen score is ahead of it; (None, None)
    when there is none.

    >>> from normalize.engine.records import Target
    >>> def c(name, score):
    ...     return Candidate(Target(name.lower(), name, "LY", "g.toml", 1, name), score)
    >>> _runner_up(c("Tarhuna", 95.0), (c("Tarhuna", 95.0), c("Tarhuna", 91.0), c("Taraghin", 80.5)))
    ('Taraghin', 14.5)
    """
    for other in candidates:
        if other.target.canonical != chosen.target.canonical:
            return other.target.canonical, round(chosen.score - other.score, 2)
    return None, None
