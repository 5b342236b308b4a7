"""Why a word is, or is not, changed: the entry, the rule and the guard.

>>> from normalize import Normalizer
>>> print(explain(Normalizer.load(), "Hafter").verdict)
changed to 'Haftar'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.matcher import guard
from ..engine.normalizer import Normalizer
from ..engine.records import Mention
from ..engine.rewrite import replacement


@dataclass
class Explanation:
    word: str
    verdict: str  # "changed to 'X'", "left alone" or "sent to review"
    steps: list[str] = field(default_factory=list)


def explain(normalizer: Normalizer, word: str, context: str | None = None) -> Explanation:
    """Explain what happens to `word`, alone or inside a `context` text."""
    text = context if context is not None else word
    start = text.find(word)
    if start < 0:
        raise ValueError(f"{word!r} does not occur in the context text")
    index, settings = normalizer.index, normalizer.settings
    found = normalizer.decisions(text)
    mentions, applied, review = found.mentions, found.applied, found.review
    mention = next((m for m in mentions if m.start <= start < m.end), None)
    result = Explanation(word, "left alone")
    if mention is None:
        result.steps.append("no listed spelling matches it")
        reason = guard(word, index, settings.match.min_key_word)
        result.steps.append(f"key and fuzzy stages skip it: {reason}" if reason else _no_candidate(word, normalizer))
        return result
    result.steps.extend(_describe(mention))
    for decision in applied:
        if decision.mention.start <= start < decision.mention.end:
            target = decision.candidate.target
            new = replacement(decision.mention.text, decision.mention.core, target.canonical, target.type)
            result.verdict = f"changed to {new!r}" if new else "left alone"
            result.steps.append(f"applied: {decision.mention.text!r} -> {new!r}" if new else "already canonical")
            return result
    for decision in review:
        if decision.mention.start <= start < decision.mention.end:
            result.verdict = "sent to review"
            result.steps.append(f"not applied: {decision.reason}")
            return result
    target = mention.candidates[0].target
    result.steps.append("a word kept as it is (keep list)" if target.keep else "already canonical")
    return result


def _describe(mention: Mention) -> list[str]:
    steps = [f"{mention.method} match on {mention.text!r}"]
    for candidate in mention.candidates[:5]:
        t = candidate.target
        name = "keep word" if t.keep else f"{t.entity} -> {t.canonical!r}"
        flags = " (ambiguous: needs context)" if t.ambiguous else ""
        steps.append(f"  {name}, spelling {t.spelling!r} at {t.file}:{t.line}, score {candidate.score:g}{flags}")
    return steps


def _no_candidate(word: str, normalizer: Normalizer) -> str:
    return f"no listed spelling has its transliteration key or scores {normalizer.settings.match.fuzzy_floor:g}+"
