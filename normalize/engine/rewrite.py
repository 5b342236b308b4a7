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

from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter

from ..compiled import rewritten as core_rewritten
from ..compiled import splice as core_splice
from ..text.positions import Positions
from ..text.tokens import is_all_caps, tokenize, without_article
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


def splice(text: str, applied: list[Decision]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each applied decision's `after` in its mention's place
    (sorted, not overlapping), and where each one stands in the result.

    >>> from normalize.engine.records import Candidate, Mention, Target
    >>> t = Target("sirte", "Sirte", "LY", "g.toml", 1, "Sirt")
    >>> m = Mention(3, 7, 3, "Sirt", "exact", (Candidate(t, 100.0),))
    >>> splice("In Sirt.", [Decision(m, m.candidates[0], after="Sirte")])
    ('In Sirte.', [(3, 8)])
    """
    return _spliced(text, [(d.mention.start, d.mention.end, d.after) for d in applied])


def _spliced(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each (start, end, new) edit made (sorted, not overlapping),
    and where each new text stands in the result."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    last = shift = 0
    for start, end, new in edits:
        pieces += [text[last:start], new]
        spans.append((start + shift, start + shift + len(new)))
        shift += len(new) - (end - start)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), spans


def rewrite(
    text: str,
    applied: list[Decision],
    file: str | None = None,
    written: tuple[Sequence[tuple[int, ...]], Sequence[tuple]] | None = None,
) -> tuple[str, list[Change]]:
    """Apply decisions (sorted, not overlapping; see `splice`) to `text`,
    and the rewrites `written` by the compiled core: the rows of its plan
    (start, end, line, column, byte start, byte end, name id; sorted, apart
    from the decisions) and the record fields of the names they point to
    (`SettledName.tail`, by name id: `Scanner.written`)."""
    positions = Positions(text)
    changes: list[Change] = []
    for decision in applied:
        mention, candidate, new = decision.mention, decision.candidate, decision.after
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
    edits = [(d.mention.start, d.mention.end, d.after) for d in applied]
    if written is None or not written[0]:
        return _clean(text, edits), changes
    # (the core's records, `settled.written_changes`; a text it planned has no lone surrogate)
    clean, core = core_rewritten(text, edits, *written, file, Change)
    return clean, sorted(changes + core, key=attrgetter("start")) if changes else core


def _clean(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text of `_spliced`, made by the compiled core in one pass (a text
    with a lone surrogate, which the core cannot read, is made here)."""
    if not edits:
        return text
    try:
        return core_splice(text, edits)
    except UnicodeEncodeError:
        return _spliced(text, edits)[0]


def review_items(text: str, review: list[Decision], file: str | None = None) -> list[ReviewItem]:
    """Review decisions as records, each with its line for context."""
    positions = Positions(text)
    items = []
    for decision in review:
        mention = decision.mention
        context = review_context(text, mention.start, mention.end)
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


def review_context(text: str, start: int, end: int) -> str:
    """The words around text[start:end] that a review record shows, on one line."""
    lo = max(0, start - _CONTEXT_CHARS)
    return text[lo : end + _CONTEXT_CHARS].replace("\r", " ").replace("\n", " ")


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
