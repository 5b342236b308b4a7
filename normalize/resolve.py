"""Mentions -> decisions: apply the change, or send it to review, and why.

Precision first.  An exact spelling is applied unless its name is
ambiguous and the document gives no support; a key or fuzzy match is
applied only when it is unique, close enough, clearly ahead of the
runner-up, and the document is about the entity's region::

    >>> from normalize import load_gazetteers
    >>> from normalize.matcher import Document, find_mentions
    >>> index = Index.build(load_gazetteers())
    >>> text = "Heftir spoke in Paris."
    >>> applied, review = decide(find_mentions(Document(text), index), Context(text), index)
    >>> applied, [(d.mention.text, d.reason) for d in review]
    ([], [('Heftir', 'nothing else in the document is about region LY')])
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from .context import Context
from .index import Index
from .keys import translit_key
from .records import Candidate, Decision, Mention, Target
from .rewrite import replacement
from .tokens import tokenize


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
) -> tuple[list[Decision], list[Decision]]:
    """Split mentions into those to apply and those to review.

    `confirmed` holds ids of entities the original (the Arabic source) is
    known to name: a mention whose spelling fits exactly one of them is
    rewritten to it (method ``source``), even where the English alone
    could not decide (Jufra and Jafara share a key).
    """
    regions = {
        m.candidates[0].target.region
        for m in mentions
        if m.method in ("exact", "source") and not m.candidates[0].target.ambiguous
    }

    def supported(target: Target) -> bool:
        return (
            target.region in regions
            or context.mentions(index.entity_context.get(target.entity, frozenset()))
            or context.mentions(index.region_context.get(target.region, frozenset()))
        )

    applied: list[Decision] = []
    review: list[Decision] = []

    def settle(mention: Mention) -> None:
        if confirmed and mention.method != "source" and (target := _confirmed(mention, confirmed, index)):
            if replacement(mention.text, mention.core, target.canonical) is not None:
                applied.append(Decision(replace(mention, method="source"), Candidate(target, 100.0)))
            return
        best = mention.candidates[0]
        reason = _why_not(mention, best, supported, settings)
        if reason is None:
            applied.append(Decision(mention, best))
            return
        if reason:
            review.append(Decision(mention, best, reason))
        for inner in mention.inner:
            settle(inner)

    for mention in mentions:
        settle(mention)
    applied.sort(key=lambda d: d.mention.start)
    return applied, review


def _confirmed(mention: Mention, confirmed: Collection[str], index: Index) -> Target | None:
    """The one confirmed entity this mention's spelling (or its key) fits."""
    if mention.candidates[0].target.keep:
        return None
    key = tuple(translit_key(t.text) for t in tokenize(mention.core))
    pool = [c.target for c in mention.candidates] + [t for t, _ in index.keys.get(key, ())]
    fits = {t.canonical: t for t in pool if t.entity in confirmed}
    return next(iter(fits.values())) if len(fits) == 1 else None


def _why_not(mention: Mention, best: Candidate, supported, settings: ResolveSettings) -> str | None:
    """None to apply; "" to drop silently; otherwise the reason for review."""
    target = best.target
    if mention.method == "source":  # the name is in the original
        if replacement(mention.text, mention.core, target.canonical) is None:
            return ""
        if target.ambiguous and not supported(target):
            return "ambiguous name in the original and no supporting context in the document"
        return None
    if mention.method == "exact":
        if target.keep or replacement(mention.text, mention.core, target.canonical) is None:
            return ""  # nothing would change: neither a change nor a question
        if target.ambiguous and not supported(target):
            return "ambiguous name and no supporting context in the document"
        return None
    others = [c for c in mention.candidates[1:] if c.target.canonical != target.canonical]
    if mention.method == "key":
        if best.score < settings.key_review:
            return ""
        if others:
            names = ", ".join(sorted({c.target.canonical for c in mention.candidates}))
            return f"transliteration key shared by several names: {names}"
        if best.score < settings.key_apply:
            return f"same transliteration key but spelling too far (score {best.score:g})"
    else:
        runner_up = others[0].score if others else 0.0
        if best.score < settings.fuzzy_auto:
            return f"fuzzy score {best.score:g} below {settings.fuzzy_auto:g}"
        if best.score - runner_up < settings.fuzzy_margin:
            return f"runner-up {others[0].target.canonical} too close ({runner_up:g})"
    if not supported(target):
        return f"nothing else in the document is about region {target.region}"
    return None
