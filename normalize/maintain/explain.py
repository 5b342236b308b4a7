"""Why a word is, or is not, changed: the entry, the rule, the guard or the ignore list.

>>> from normalize import Normalizer
>>> print(explain(Normalizer.load(), "Hafter").verdict)
changed to 'Haftar'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.ignore import IgnoreRule
from ..engine.matcher import guard
from ..engine.normalizer import Normalizer
from ..engine.records import Mention


@dataclass
class Explanation:
    word: str
    verdict: str  # "changed to 'X'", "left alone" or "sent to review"
    steps: list[str] = field(default_factory=list)


def explain(normalizer: Normalizer, word: str, context: str | None = None, *, name: str | None = None) -> Explanation:
    """Explain what happens to `word`, alone or inside a `context` text (the
    file `name`, for ignore rules limited to some files).  A spelling the
    normaliser's ignore list matches is left alone, and the rule is named:

    >>> from normalize.engine.ignore import IgnoreList
    >>> ignoring = Normalizer.load(ignore=IgnoreList.from_entries(["Hafter"]))
    >>> explain(ignoring, "Hafter").steps[-1]
    "ignored: the rule 'Hafter' (configuration)"
    """
    text = context if context is not None else word
    start = text.find(word)
    if start < 0:
        raise ValueError(f"{word!r} does not occur in the context text")
    index, settings = normalizer.index, normalizer.settings
    result = Explanation(word, "left alone")
    # The ignore list drops its mentions before any decision: look before it does.
    ignored = _ignored(normalizer, text, start, name)
    if ignored is not None:
        mention, rule = ignored
        result.steps.extend(_describe(mention))
        result.steps.append(f"ignored: {_rule(rule)}")
        return result
    found = normalizer.decisions(text, name=name)
    mentions, applied, review = found.mentions, found.applied, found.review
    mention = next((m for m in mentions if m.start <= start < m.end), None)
    if mention is None:
        result.steps.append("no listed spelling matches it")
        reason = guard(word, index, settings.match.min_key_word)
        result.steps.append(f"key and fuzzy stages skip it: {reason}" if reason else _no_candidate(word, normalizer))
        return result
    result.steps.extend(_describe(mention))
    for decision in applied:
        if decision.mention.start <= start < decision.mention.end:
            new = decision.after
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


def _ignored(normalizer: Normalizer, text: str, start: int, name: str | None) -> tuple[Mention, IgnoreRule] | None:
    """The mention at `start` and the first ignore rule that matches it, if one does."""
    if not normalizer.ignore:
        return None
    for mention in normalizer.mentions(text):
        if mention.start <= start < mention.end:
            spans = (mention.text, mention.core)
            for rule in normalizer.ignore.rules:
                if rule.matches(spans, text, mention.start, mention.end, name):
                    return mention, rule
    return None


def _rule(rule: IgnoreRule) -> str:
    what = f"the rule {rule.text!r}" if rule.text is not None else f"the pattern {rule.pattern!r}"
    why = f", {rule.reason}" if rule.reason else ""
    return f"{what} ({rule.origin}{why})"


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
