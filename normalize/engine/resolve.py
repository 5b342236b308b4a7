"""Mentions -> decisions: apply the change, or send it to review, and why.

Precision first.  An exact spelling is applied unless its name is
ambiguous and the document gives no support; a key or fuzzy match is
applied only when it is unique, close enough, clearly ahead of the
runner-up, and the document is about the entity's region.  Whatever the
method, a name is not given to a span whose surroundings read as another
type of name (a given name or a title before a place spelling), and a key
or fuzzy match must stand for the whole word written (``Sirtthe``, the
nisba ``Gatrani``, ``HafterΩ`` go to review)::

    >>> from normalize import load_gazetteers
    >>> from normalize.engine.matcher import Document, find_mentions
    >>> index = Index.build(load_gazetteers())
    >>> text = "Hafteer spoke in Paris."
    >>> applied, review = decide(find_mentions(Document(text), index), Context(text), index)
    >>> applied, [(d.mention.text, d.reason, str(d.signal)) for d in review]
    ([], [('Hafteer', 'nothing else in the document is about region LY', 'probably_none')])

Each reason is made with its `Signal`: ``cannot_choose`` where two names
fit about as well, ``probably_none`` where the best is too far or a guard
refused it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from msgspec.structs import replace

from ..text.keys import APOSTROPHES, fold, translit_key
from ..text.tokens import WORD, tokenize
from ..text.words import is_function_word
from .context import Context, Reading, reading
from .index import Index, derived
from .matcher import MatchSettings, rereader
from .records import Candidate, Decision, Mention, Settled, Signal, Target
from .rewrite import replacement, splice


@dataclass(frozen=True)
class ResolveSettings:
    key_apply: float = 75.0  # a key match this close to a listed spelling is applied
    key_review: float = 60.0  # below this a shared key is a coincidence, not a candidate
    fuzzy_auto: float = 90.0
    fuzzy_margin: float = 10.0


def decide(
    mentions: list[Mention],
    context: Context,
    index: Index,
    settings: ResolveSettings = ResolveSettings(),
    confirmed: Collection[str] = (),
    match: MatchSettings = MatchSettings(),
    settled: Settled = Settled(),
) -> tuple[list[Decision], list[Decision]]:
    """Split mentions into those to apply and those to review.

    What is applied is a fixed point: a second run over the clean text reads
    each rewritten name back as itself, so it changes nothing (see
    `_fixed_points`; `match` are the settings the mentions were found with).

    `confirmed` holds ids of entities the original (the Arabic source) is
    known to name: a mention whose spelling fits exactly one of them is
    rewritten to it (method ``source``), even where the English alone
    could not decide (Jufra and Jafara share a key).

    `settled` are names of the text already rewritten without a decision
    here (`engine.settled`): they count as the names they are, as if they
    were among `mentions`.
    """
    # An exact name swallowed by a longer key match is still written in the
    # document: ``Hifter`` in ``Khalid Hifter`` is about Libya all the same.
    regions = {
        m.candidates[0].target.region
        for m in (*mentions, *(k for m in mentions for k in m.inner))
        if m.method in ("exact", "source") and not m.candidates[0].target.ambiguous
    } | settled.regions

    contexts = [context]  # the text, then what this run writes into it
    refused: list[Target] = []

    def supported(target: Target) -> bool:
        entity_words = index.entity_context.get(target.entity, frozenset())
        region_words = index.region_context.get(target.region, frozenset())
        if target.region in regions or any(c.mentions(entity_words) or c.mentions(region_words) for c in contexts):
            return True
        refused.append(target)
        return False

    applied: list[Decision] = []
    review: list[Decision] = []

    def settle(mention: Mention) -> tuple[Mention, ...]:
        """Decide `mention`; the shorter mentions to decide in its place."""
        if confirmed and mention.method != "source" and (target := _confirmed(mention, confirmed, index)):
            if (new := replacement(mention.text, mention.core, target.canonical, target.type)) is not None:
                applied.append(Decision(replace(mention, method="source"), Candidate(target, 100.0), after=new))
            return ()
        mention, aside = _by_reading(mention, context.text)
        best = mention.candidates[0]
        new = replacement(mention.text, mention.core, best.target.canonical, best.target.type)
        refusal = _why_not(
            mention, best, new, supported, settings, lambda m, t: _objection(m, t, context.text, index), aside
        )
        if refusal is None:
            # (an exact spelling made from a listed one says which rules made it)
            rule = best.target.rule if mention.method == "exact" and best.target.rule else mention.method
            if aside:
                rule += "+type"
            applied.append(Decision(mention, best, rule=rule, after=new or ""))
            return ()
        reason, signal = refusal
        if reason:
            review.append(Decision(mention, best, reason, signal))
        return mention.inner

    # The next run reads the clean text: each name written there is an exact
    # name whose region counts as support, and its words are context words.
    # Count them now, until no refused name would be supported, so that the
    # next run decides as this one did.
    while True:
        for mention in mentions:
            # (depth first, in order; not by `settle` calling itself, which
            # made each call a reference cycle only the collector frees)
            pending = [mention]
            while pending:
                pending += reversed(settle(pending.pop()))
        applied.sort(key=lambda d: d.mention.start)
        applied, unstable, seen, clean, spans = _fixed_points(applied, context.text, index, match)
        regions |= seen | settled.seen
        asked, refused[:] = refused[:], []
        if not asked:
            break
        if settled.count:  # what this run writes is all of the rewritten text
            clean, spans = splice(context.text, sorted(applied + settled.decisions(), key=lambda d: d.mention.start))
        if spans:
            contexts.append(Context(_around(clean, spans, index)))
        if not any(supported(target) for target in asked):
            break
        applied, review = [], []
    if unstable:
        review = sorted(review + unstable, key=lambda d: d.mention.start)
    return applied, review


def _fixed_points(
    applied: list[Decision], text: str, index: Index, match: MatchSettings
) -> tuple[list[Decision], list[Decision], set[str], str, list[tuple[int, int]]]:
    """The decisions whose rewrite the next run leaves alone; the others, as
    review decisions saying how that run would read the rewrite; the regions
    of the unambiguous names that run finds where this one wrote; and the
    text as rewritten, with where those names are in it.

    The next run reads each rewritten name with the words glued to it (in
    the text as rewritten).  The rewrite is kept when that reading is the
    name itself, or the full canonical of the same entity it completes
    (``Dbeibeh`` in ``Abdul Hamid Dbeibeh``).  Otherwise that run would change
    the text again (``Khalid Hifter`` -> ``Khalid Haftar``, the surname alone,
    is the listed ``Khalid Haftar``, another person), or would find another
    entity's name that the writer never wrote.  Leaving one rewrite out
    changes the text around the others, so this is repeated until nothing
    more is left out.  A name taken from the original of a translation
    (method ``source``) is known from elsewhere and kept.
    """
    reader = rereader(index, match)
    unstable: list[Decision] = []
    while True:
        clean, written = splice(text, applied)
        spans = [(decision, start, end) for decision, (start, end) in zip(applied, written, strict=True)]
        dropped, seen = [], set()
        for decision, start, end in spans:
            target = decision.candidate.target
            if decision.mention.method == "source":
                read = target
            else:
                lo, reading = reader.reread(clean, start, end)
                read = read_as(reading, start - lo, end - lo, target)
                if read is None:
                    # another entity's name read there competes with the target; else nothing fits
                    other = reading is not None and reading.candidates[0].target.entity != target.entity
                    signal = Signal.CANNOT_CHOOSE if other else Signal.PROBABLY_NONE
                    why = (
                        f"rewritten to {clean[start:end]!r} it would read as {reading.text!r} "
                        f"({reading.method} match of {reading.candidates[0].target.canonical})"
                        if reading is not None
                        else f"rewritten to {clean[start:end]!r} it would not be read as a name"
                    )
                    dropped.append(Decision(decision.mention, decision.candidate, why, signal))
                    continue
            if not read.ambiguous:
                seen.add(read.region)
        if not dropped:
            return applied, unstable, seen, clean, [(a, b) for _, a, b in spans]
        unstable += dropped
        gone = {id(d.mention) for d in dropped}
        applied = [d for d in applied if id(d.mention) not in gone]


def _around(text: str, spans: list[tuple[int, int]], index: Index) -> str:
    """The pieces of `text` around `spans` where a context word or phrase
    could overlap them, whole words only, kept apart by a NUL (which no
    phrase spans): all of the clean text that the original lacks."""
    if not spans:
        return ""
    reach = _context_reach(index)
    ranges: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - reach), min(len(text), end + reach)
        while lo and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        if ranges and lo <= ranges[-1][1]:
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])
    return "\0".join(text[lo:hi] for lo, hi in ranges)


def _context_reach(index: Index) -> int:
    """How far a context word or phrase of `index` reaches: its longest, and one."""
    return derived(index, _longest_context)


def _longest_context(index: Index) -> int:
    entries = (*index.entity_context.values(), *index.region_context.values())
    return 1 + max((len(e) for es in entries for e in es), default=0)


def read_as(reading: Mention | None, start: int, end: int, target: Target) -> Target | None:
    """What the next run reads a name rewritten to `target` at `start:end`
    as (`reading`, offsets alike), if that run leaves it alone: an exact
    mention needing no change, of that very span or of a full name of the
    same entity around it."""
    if reading is None or reading.method != "exact" or reading.start > start or reading.end < end:
        return None
    read = reading.candidates[0].target
    if read.keep or replacement(reading.text, reading.core, read.canonical, read.type) is not None:
        return None
    if (reading.start, reading.end) != (start, end) and read.entity != target.entity:
        return None
    return read


def _confirmed(mention: Mention, confirmed: Collection[str], index: Index) -> Target | None:
    """The one confirmed entity this mention's spelling (or its key) fits."""
    if mention.candidates[0].target.keep:
        return None
    key = spelling_keys(mention.core)
    pool = [c.target for c in mention.candidates] + [t for t, _ in index.keys.get(key, ())]
    fits = {t.canonical: t for t in pool if t.entity in confirmed}
    return next(iter(fits.values())) if len(fits) == 1 else None


_NONE, _CLOSE = Signal.PROBABLY_NONE, Signal.CANNOT_CHOOSE
_DROP = ("", _NONE)  # neither a change nor a question


def _why_not(
    mention: Mention,
    best: Candidate,
    new: str | None,
    supported,
    settings: ResolveSettings,
    objection,
    aside: frozenset[str] = frozenset(),
) -> tuple[str, Signal] | None:
    """None to apply; otherwise the reason for review and its signal (an
    empty reason: drop silently).

    `new` is what the mention would be rewritten to (None: it is already
    canonical); `objection(mention, target)` says why what is written in
    and around the mention does not fit the target, if it does not (see `_objection`);
    the candidates named in `aside` do not compete (`_by_reading`)."""
    target = best.target
    if new is None:
        return _DROP  # nothing would change: neither a change nor a question
    if mention.method == "source":  # the name is in the original
        if target.ambiguous and not supported(target):
            return "ambiguous name in the original and no supporting context in the document", _NONE
        return None
    if mention.method == "exact":
        if target.keep:
            return _DROP
        if reason := objection(mention, target):
            return reason, _NONE
        if target.ambiguous and not supported(target):
            return "ambiguous name and no supporting context in the document", _NONE
        return None
    others = [c for c in mention.candidates[1:] if c.target.canonical not in (target.canonical, *aside)]
    if mention.method == "key" and best.score < settings.key_review:
        return _DROP
    if reason := objection(mention, target):
        return reason, _NONE
    if mention.method == "key":
        if refusal := key_refusal(mention, best, others, settings):
            return refusal
    else:
        runner_up = others[0].score if others else 0.0
        if best.score < settings.fuzzy_auto:
            return f"fuzzy score {best.score:g} below {settings.fuzzy_auto:g}", _NONE
        if best.score - runner_up < settings.fuzzy_margin:
            return f"runner-up {others[0].target.canonical} too close ({runner_up:g})", _CLOSE
    if not supported(target):
        return f"nothing else in the document is about region {target.region}", _NONE
    return None


def key_refusal(
    mention: Mention, best: Candidate, others: list[Candidate], settings: ResolveSettings
) -> tuple[str, Signal] | None:
    """Why a key match whose spelling and surroundings raise no objection
    goes to review, whatever else the document says, or None: `others`,
    the candidates that compete with `best`, share its key; or its spelling
    is too far from the listed one."""
    if others:
        names = ", ".join(sorted({c.target.canonical for c in mention.candidates}))
        return f"transliteration key shared by several names: {names}", _CLOSE
    if best.score < settings.key_apply:
        return f"same transliteration key but spelling too far (score {best.score:g})", _NONE
    return None


def may_be_read_otherwise(mention: Mention) -> bool:
    """Whether the words around a mention could put another of its
    candidates first (`_by_reading`): a key or fuzzy match whose candidates
    are of more than one type."""
    return mention.method in ("key", "fuzzy") and len({c.target.type for c in mention.candidates}) >= 2


def _by_reading(mention: Mention, text: str) -> tuple[Mention, frozenset[str]]:
    """The mention with the candidates that fit how its surroundings read
    put first, and the canonicals of those that do not: where an unlisted
    spelling shares its key with a person and a place, ``Maitigua
    airport`` reads as the place (Mitiga), not the person (Maiteeq).

    Only key and fuzzy matches with candidates of more than one type are
    sorted.  A verb of speech sorts nothing: a city speaks for its
    government as a person does."""
    if not may_be_read_otherwise(mention):
        return mention, frozenset()
    found = reading(text, mention.start, mention.end)
    if found is None or (found.weak and found.kind == "person"):
        return mention, frozenset()
    fitting = tuple(c for c in mention.candidates if entity_type(c.target) == found.kind)
    if not fitting:
        return mention, frozenset()
    unfit = tuple(c for c in mention.candidates if c not in fitting)
    aside = frozenset(c.target.canonical for c in unfit) - {c.target.canonical for c in fitting}
    return replace(mention, candidates=fitting + unfit), aside


def _objection(mention: Mention, target: Target, text: str, index: Index) -> str | None:
    """Why `mention` must not be rewritten to `target` whatever its score, or None:
    its spelling (`spelling_objection`), or words around it that read as
    another type of name than the target's (`_misread`)."""
    return spelling_objection(mention, target, index) or _misread(mention, target, text, index)


def spelling_objection(mention: Mention, target: Target, index: Index) -> str | None:
    """Why the spelling of `mention` alone, wherever it stands, keeps it
    from being `target`, or None: an unlisted spelling (a key or fuzzy
    match) that does not stand for the whole word written (`_not_whole`),
    or that is the nisba of a place (`_nisba`)."""
    if mention.method in ("key", "fuzzy"):
        return _not_whole_of(index, mention.core) or _nisba(mention, target)
    return None


def _nisba(mention: Mention, target: Target) -> str | None:
    """Why an unlisted spelling ending in ``-i`` is not the place it shares a
    key with, or None: ``Gatrani``, ``al-Misrati`` are the nisba of Qatrun
    and Misrata, a person's surname or an adjective (``from Misrata``),
    unless the place itself is spelled with that ending (``Bengazi``)."""
    word = WORD.findall(mention.core)[-1] if mention.core else ""
    low = fold(word).lower()
    if len(low) < 3 or low[-1] != "i" or low[-2] in "aeiouy":
        return None
    if any(fold(s).lower().endswith(("i", "y")) for s in (target.canonical, target.spelling)):
        return None
    if entity_type(target) != "place":
        return None
    return f"{word!r} reads as the nisba of {target.canonical} (a surname or an adjective), not the place"


def _not_whole_of(index: Index, core: str) -> str | None:
    """`_not_whole`, worked out once per spelling for each index (it looks at the spelling alone)."""
    answers: dict[str, str | None] = derived(index, _answers)
    if core not in answers:
        if len(answers) >= 100_000:
            answers.clear()
        answers[core] = _not_whole(core, index)
    return answers[core]


def _answers(index: Index) -> dict:
    return {}


def _not_whole(core: str, index: Index) -> str | None:
    """Why a key or fuzzy match over `core` would drop characters of what
    was written, or None.  The key reads Latin letters only (``HafterΩ`` and
    ``Hafter2`` have the key of ``Haftar``), and a listed name with a
    function word or an accented letter glued on (``Sirtthe``, ``Hafteré``)
    is a typo around that name, not another spelling of it::

        >>> from normalize import load_gazetteers
        >>> index = Index.build(load_gazetteers())
        >>> _not_whole("Sirtthe", index), _not_whole("Haftir", index)
        ("'Sirtthe' reads as 'Sirt' with 'the' glued on", None)
    """
    for word in WORD.findall(core):
        stray = sorted({c for c in fold(word) if not (c.isascii() and (c.isalpha() or c == "'"))})
        if stray:
            return f"{word!r} has characters a transliteration key cannot read: {' '.join(stray)}"
        for cut in range(4, len(word)):
            head, tail = word[:cut].rstrip(APOSTROPHES), word[cut:].lstrip(APOSTROPHES)
            glued = tail and ((len(tail) > 1 and is_function_word(tail)) or (len(tail) <= 2 and fold(tail) != tail))
            listed = glued and index.exact.get((fold(head),))
            if listed and not listed.keep:
                return f"{word!r} reads as {head!r} with {tail!r} glued on"
    return None


def _misread(mention: Mention, target: Target, text: str, index: Index) -> str | None:
    """Why the words around `mention` do not fit the type of `target`
    (person, place, org), or None.  A span after a given name or a title, or
    before ``who``, reads as a person and is never made a place or an
    organisation (``Ali Gatrani`` is not ``Ali Qatrun``); nor is a place
    spelling that begins a person's name with the word after it (``Aqaila
    Saleh``: the given name of Aguila Saleh, not the town Uqayla).  A span after ``town of`` reads
    as a place and is never made a person.  A verb of speech after a span
    weakly reads as a person: it only keeps an unlisted spelling from
    becoming a place (``Tripoli said`` speaks for a government)."""
    found = reading(text, mention.start, mention.end)
    kind = None
    if found is None:
        follower = _person_after(text, mention, index)
        if follower is None:
            return None
        kind = entity_type(target)
        if kind == "person":
            return None
        found = Reading("person", f"before the person's name {follower!r}")
    kind = kind or entity_type(target)
    if kind is None:
        return None
    if found.kind == "place" and kind == "person":
        if found.weak and mention.method not in ("key", "fuzzy"):
            return None
        return f"reads as a place ({found.cue}) but {target.canonical} is a person"
    if found.kind == "person" and kind != "person":
        if found.weak and (kind != "place" or mention.method not in ("key", "fuzzy")):
            return None
        return f"reads as a person ({found.cue}) but {target.canonical} is {_a(kind)}"
    return None


def _a(kind: str) -> str:
    return {"org": "an organisation", "other": "not a person"}.get(kind, f"a {kind}")


_NEXT_WORD = re.compile(rf"[ \t\u00a0]+({WORD.pattern})")


def _person_after(text: str, mention: Mention, index: Index) -> str | None:
    """The word right after `mention` (spaces between) if the mention and
    that word begin a person's listed name, as their transliteration keys
    tell: ``Aqaila Saleh`` begins Aguila Saleh's, so ``Aqaila`` there is
    his given name, whatever else it spells."""
    match = _NEXT_WORD.match(text, mention.end)
    if match is None or not match.group(1)[:1].isupper():
        return None
    key = (*spelling_keys(mention.core), translit_key(match.group(1)))
    people = name_beginnings(index).get(key, ())
    return match.group(1) if any(entity_type(t) == "person" for t in people) else None


@lru_cache(maxsize=65536)
def spelling_keys(spelling: str) -> tuple[str, ...]:
    """The transliteration key of each word of `spelling` (worked out once per spelling).

    >>> spelling_keys("Aqaila") == (translit_key("Aqaila"),)
    True
    """
    return tuple(translit_key(t.text) for t in tokenize(spelling))


def name_beginnings(index: Index) -> dict[tuple[str, ...], tuple[Target, ...]]:
    """Every beginning of two or more words of a listed key -> a name it begins."""
    return derived(index, _name_beginnings)


def _name_beginnings(index: Index) -> dict[tuple[str, ...], tuple[Target, ...]]:
    table: dict[tuple[str, ...], dict[str, Target]] = {}
    for key, named in index.keys.items():
        for k in range(2, len(key) + 1):
            begun = table.setdefault(key[:k], {})
            for target, _ in named:
                begun.setdefault(target.entity, target)
    return {k: tuple(v.values()) for k, v in table.items()}


def entity_type(target: Target) -> str | None:
    """The gazetteer ``type`` of a target's entity (person, place, org,
    other), or None when it cannot be told (a keep word)."""
    return target.type or None
