"""Names settled by their window alone, rewritten by the compiled core.

Most mentions in a corpus are exact spellings of unambiguous names
(``Hafter``, ``Sirt``) whose rewrite reads back as itself.  Such a name
needs no decision from the document: it is rewritten unless the words
right next to it could change that.  So is an ambiguous name (``Wefaq``),
or an unlisted spelling that `resolve` would take as a listed one by its
transliteration key (``Trablos``), wherever an unambiguous exact name of
its region is in the same text.  Python looks at each distinct window
of the scanner once (`window_verdict`, `window_edges`) and tells the core
what it holds; the core then rewrites those names wherever they stand,
checks their neighbours (reading cues, glued words as written and as
another window may rewrite them: see ``core/src/plan.rs``), and hands
back only the windows that need `resolve.decide`.  A key match `resolve`
would always ask about (a key several names share, or a spelling too far
from the listed one) goes to review from the core the same way.  The
result is the reference's, name for name (tests/test_settled.py)::

    >>> from normalize import Normalizer
    >>> n = Normalizer.load()
    >>> [n.normalize("Forces of Hafter left Sirt.").text for _ in range(2)]
    ['Forces of Haftar left Sirte.', 'Forces of Haftar left Sirte.']
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import msgspec

from ..compiled import Rows
from ..text.tokens import WORD
from .ignore import IgnoreList
from .index import Index, derived
from .matcher import MatchSettings, name_forms, rereader
from .records import CandidateRecord, Change, Decision, Mention, ReviewItem, Settled, Signal, Target
from .resolve import (
    ResolveSettings,
    entity_type,
    key_refusal,
    may_be_read_otherwise,
    name_beginnings,
    read_as,
    spelling_keys,
    spelling_objection,
)
from .rewrite import replacement, review_context

EMPTY, COMPLEX, SIMPLE = 0, 1, 2  # what a window holds, as the core keeps it
# what becomes of a name of a SIMPLE window (review: of candidates of one
# type, or of several, which some reading cues would sort: see core/src/plan.rs)
_KEEP, _REWRITE, _REVIEW, _REVIEW_SORTABLE = 0, 1, 2, 3


class SettledName(msgspec.Struct, gc=False):
    """A name of a window, found exactly or by its key (`mention.method`):
    what it is rewritten to (`after`, "" when it is written as its canonical
    already or is a keep word), its score, its region (which it supports
    unless it needs support itself), and the region the next run reads the
    rewrite as (None for an ambiguous reading).  Its `tail` is worked out
    from the rest when it is made, and no field is set after that: a run
    keeps thousands, which the garbage collector never tracks (they hold
    only values), so a cycle through one would leak."""

    mention: Mention  # offsets in its window
    target: Target
    after: str
    rule: str
    region: str
    read_region: str | None
    score: float = 100.0
    # a name that goes to review instead (a key match `resolve` never
    # applies): why, and the signal (`records.Signal`)
    reason: str = ""
    signal: str = ""
    candidates: tuple[CandidateRecord, ...] = ()  # as its review record lists them
    # The fields of its change record after the place, in their order
    # (`records.Change`): the core makes each record from them
    # (`written_changes` is the specification).
    tail: tuple = ()  # (never given: made from the rest)

    def __post_init__(self) -> None:
        m, t = self.mention, self.target
        tail = (m.text, self.after, t.entity, t.file, t.line, m.method, self.score, self.rule)
        self.tail = tail

    @property
    def needs_support(self) -> bool:
        """Whether it is rewritten only where an unambiguous exact name of
        its region is in the text (`resolve._why_not`)."""
        return self.target.ambiguous or self.mention.method != "exact"


@dataclass(frozen=True, slots=True)
class Plan:
    """A text as the core planned it: the mentions of the windows Python
    decides, the names the core rewrote (start, end, line, column, byte
    start, byte end, name id) and the regions (numbers: `Regions`) that
    the unambiguous exact names of its settled windows support."""

    mentions: list[Mention]
    written: Rows  # (kept in the core: a sequence of those 7-tuples, read where asked)
    supported: list[int]
    reviewed: Rows  # the names sent to review, placed as `written`


def window_verdict(
    mentions: tuple[Mention, ...],
    index: Index,
    match: MatchSettings,
    names: list[SettledName],
    ignore: IgnoreList = IgnoreList(),
    resolve: ResolveSettings = ResolveSettings(),
) -> tuple[int, list[tuple[int, int, int, int, tuple[str, ...], tuple[str, ...], bool, int, bool, int, bool]]]:
    """What a window holds, for the core: EMPTY (no mention, or only key
    matches `resolve` drops whatever the document says), COMPLEX (a name the
    document decides: a fuzzy match, a key match the document may apply or
    drop, several candidates of another kind, one an ignore rule could
    leave alone, or a rewrite that would not read back as itself), or
    SIMPLE with each name as the core keeps it (offsets, id into `names`,
    what becomes of it: kept, rewritten or sent to review (`_refusal`),
    the word forms that could join it from before and after, whether a
    capitalised word after it could make it a person's given name, its
    region's number, whether it needs support: an ambiguous name or a key
    match, which the core rewrites only where an unambiguous exact name of
    its region is in the text, as `resolve.decide` would; and, for the reading cues around it
    (`resolve._misread`), its entity's type and whether it is a key match)."""
    if not mentions or all(_dropped(m, resolve) for m in mentions):
        return EMPTY, []
    reader = rereader(index, match)
    found = []
    for m in mentions:
        if m.inner:
            return COMPLEX, []
        best = m.candidates[0]
        target = best.target
        refusal = _refusal(m, index, resolve)
        if refusal is None and not _may_settle(m, index, resolve):
            return COMPLEX, []
        if ignore and ignore.may_match(m.text, m.core):
            return COMPLEX, []
        if refusal is not None:
            reason, signal = refusal
            records = tuple(c.as_record() for c in m.candidates)
            name = SettledName(m, target, "", "key", target.region, None, best.score, reason, str(signal), records)
            person_next = _may_be_given_name(m, target, index)
            action = _REVIEW_SORTABLE if may_be_read_otherwise(m) else _REVIEW
            found.append((name, (m.start, m.end, action, (), (), person_next)))
            continue
        new = replacement(m.text, m.core, target.canonical, target.type)
        before: frozenset[str] = frozenset()
        after: frozenset[str] = frozenset()
        read_region = None
        person_next = False
        if target.keep:
            new = None  # a keep word is never written
        if new is None and m.method != "exact":
            return COMPLEX, []
        if new is not None:
            read = read_as(reader.read_alone(new), 0, len(new), target)
            if read is None:
                return COMPLEX, []  # the rewrite would not read back as itself: resolve says why
            read_region = None if read.ambiguous else read.region
            # the words the next run could read with the rewrite, or with the
            # name as written (where another window's rewrite reads this one)
            (new_before, new_after), (old_before, old_after) = reader.edges(new), reader.edges(m.text)
            before, after = new_before | old_before, new_after | old_after
            person_next = _may_be_given_name(m, target, index)
        rule = (target.rule or "exact") if m.method == "exact" else m.method
        name = SettledName(m, target, new or "", rule, target.region, read_region, best.score)
        action = _REWRITE if name.after else _KEEP
        found.append((name, (m.start, m.end, action, tuple(sorted(before)), tuple(sorted(after)), person_next)))
    out = []
    regions = derived(index, Regions)
    for name, (start, end, action, before_, after_, person_next) in found:
        region = regions.number(name.region)
        kind = _KINDS.get(entity_type(name.target), 3)
        loose = name.mention.method != "exact"
        out.append(
            (start, end, len(names), action, before_, after_, person_next, region, name.needs_support, kind, loose)
        )
        names.append(name)
    return SIMPLE, out


def window_edges(mentions: tuple[Mention, ...], length: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms (`matcher.name_forms`) of the words a window of `length`
    characters may begin and end with once rewritten, whatever `resolve`
    decides: the first and last words of each rewrite any candidate of a
    mention (or of a shorter one inside it) at the window's start or end
    would make.  A name settled next to the window by the core must not be
    able to join any of them (nor they it) when the next run reads the text.

    >>> from normalize import load_gazetteers
    >>> from normalize.engine.matcher import Document, find_mentions
    >>> index = Index.build(load_gazetteers())
    >>> window_edges(tuple(find_mentions(Document("Hafter"), index)), 6)
    (('HAFTAR', 'HFTR', 'Haftar'), ('HAFTAR', 'HFTR', 'Haftar'))
    """
    head: set[str] = set()
    tail: set[str] = set()
    pending = list(mentions)
    while pending:
        m = pending.pop()
        pending += m.inner
        if m.start and m.end != length:
            continue
        for c in m.candidates:
            new = None if c.target.keep else replacement(m.text, m.core, c.target.canonical, c.target.type)
            words = WORD.findall(new) if new else ()
            if words and not m.start:
                head.update(name_forms(words[0]))
            if words and m.end == length:
                tail.update(name_forms(words[-1]))
    return tuple(sorted(head)), tuple(sorted(tail))


def _may_settle(mention: Mention, index: Index, resolve: ResolveSettings) -> bool:
    """Whether a mention may be rewritten whatever the document says (given,
    for some, support: see `SettledName.needs_support`): one candidate,
    listed exactly, or a key match close enough to apply whose spelling
    raises no objection (what `resolve._why_not` asks before support)."""
    if len(mention.candidates) != 1:
        return False
    best = mention.candidates[0]
    target = best.target
    if mention.method == "key":
        return not (target.keep or best.score < resolve.key_apply or spelling_objection(mention, target, index))
    return mention.method == "exact"


def _refusal(mention: Mention, index: Index, resolve: ResolveSettings) -> tuple[str, Signal] | None:
    """Why `resolve` sends a key match to review wherever it stands, unless
    the words around it object first or put another candidate first
    (`resolve._misread`, `_by_reading`: the core checks those), or None:
    its key is shared by several names, or its spelling is too far from the
    listed one (`resolve.key_refusal`), and its spelling raises no
    objection (`spelling_objection`)."""
    if mention.method != "key" or mention.inner:
        return None
    best = mention.candidates[0]
    target = best.target
    if best.score < resolve.key_review or any(c.target.keep for c in mention.candidates):
        return None
    if replacement(mention.text, mention.core, target.canonical, target.type) is None:
        return None  # nothing would change: dropped
    if spelling_objection(mention, target, index):
        return None
    others = [c for c in mention.candidates[1:] if c.target.canonical != target.canonical]
    return key_refusal(mention, best, others, resolve)


def _dropped(mention: Mention, resolve: ResolveSettings) -> bool:
    """Whether `resolve` drops a mention whatever the document says: a key
    match too far from every name it shares its key with (`_why_not`),
    holding no shorter mention to try instead."""
    return (
        mention.method == "key" and not mention.inner and all(c.score < resolve.key_review for c in mention.candidates)
    )


# an entity's type as the core knows it (3: any other type)
_KINDS: dict[str | None, int] = {None: 0, "person": 1, "place": 2}


class Regions:
    """The number the core knows each region of an index by (given as
    regions are met), and back."""

    def __init__(self, index: Index):
        self.names: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, region: str) -> int:
        if (n := self._numbers.get(region)) is None:
            n = self._numbers[region] = len(self.names)
            self.names.append(region)
        return n


def settled(plan: Plan, names: list[SettledName], regions: Regions) -> Settled:
    """What `resolve.decide` needs to know of the names the core rewrote."""
    written = plan.written

    def decisions() -> list[Decision]:
        out = []
        for start, end, *_, k in written:
            name = names[k]
            m = name.mention
            mention = Mention(start, end, start + m.core_start - m.start, m.text, m.method, m.candidates)
            out.append(Decision(mention, m.candidates[0], rule=name.rule, after=name.after))
        return out

    name = names.__getitem__  # (mapped in C: a text may hold hundreds of settled names)
    return Settled(
        frozenset(map(regions.names.__getitem__, plan.supported)),  # (as `decide` counts regions)
        frozenset(map(_READ_REGION, map(name, written.names()))) - {None},
        len(written),
        decisions,
    )


_READ_REGION = attrgetter("read_region")


def written_changes(plan: Plan, names: list[SettledName], file: str | None) -> list[tuple[int, int, str, Change]]:
    """The core's rewrites as (start, end, new text, change record): the
    specification of `core.rewritten`, which makes them in the run."""
    out = []
    for start, end, line, column, byte_start, byte_end, k in plan.written:
        name = names[k]
        t = name.target
        change = Change(
            file, line, column, start, end, byte_start, byte_end,
            name.mention.text, name.after, t.entity, t.file, t.line, name.mention.method, name.score, name.rule,
        )  # fmt: skip
        out.append((start, end, name.after, change))
    return out


def reviewed_items(plan: Plan, names: list[SettledName], text: str, file: str | None) -> list[ReviewItem]:
    """The review records of the names `plan` sent to review."""
    out = []
    for start, end, line, column, byte_start, byte_end, k in plan.reviewed:
        name = names[k]
        m = name.mention
        context = review_context(text, start, end)
        item = ReviewItem(
            file, line, column, start, end, byte_start, byte_end,
            m.text, m.method, name.reason, name.candidates, context, name.signal,
        )  # fmt: skip
        out.append(item)
    return out


def _may_be_given_name(mention: Mention, target: Target, index: Index) -> bool:
    """Whether a capitalised word after `mention` could make it a person's
    given name, not `target` (`resolve._person_after`)."""
    return entity_type(target) != "person" and _begins_a_person(mention.core, index)


def _begins_a_person(core: str, index: Index) -> bool:
    """Whether the keys of `core` and one more word begin a listed person's
    name (`resolve._person_after`)."""
    return spelling_keys(core) in derived(index, _person_heads)


def _person_heads(index: Index) -> frozenset[tuple[str, ...]]:
    """The keys that one more word makes the beginning of a listed person's name."""
    beginnings = name_beginnings(index).items()
    return frozenset(key[:-1] for key, named in beginnings if any(entity_type(t) == "person" for t in named))
