"""An original article in, clean canonical English out.

segment -> clean each sentence -> translate (attention on) -> find the
gazetteer's Arabic names in each source sentence -> locate the words the
model wrote for them -> join -> the normaliser, with those words forced to
the canonical names (method ``source`` in the change log) and everything
else cleaned as any English text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..batch.corpus import InputError
from ..engine.normalizer import Normalizer
from ..engine.records import Candidate, Result, ReviewItem, Signal
from ..text.positions import Positions
from .engine import Engine
from .models import ModelError, source_language
from .protect import ArabicNames, Rendered, SourceName, render
from .segment import join, segment
from .text import clean_source


@dataclass(frozen=True)
class Retranslation:
    source: str
    translation: str  # the model's English, before cleaning
    result: Result  # the clean text and its change and review records
    lost_names: tuple[str, ...]  # source names with no (name-like) target word attending to them
    target_tokens: int = 0  # pieces the model produced (repeated sentences counted once)


class Retranslator:
    """A model and a normaliser, loaded once, for many articles."""

    def __init__(self, normalizer: Normalizer, engine: Engine, *, protect_names: bool = True):
        self.normalizer = normalizer
        self.engine = engine
        self.names = ArabicNames.build(normalizer.gazetteer) if protect_names else None

    def retranslate(self, source: str, *, name: str | None = None) -> Retranslation:
        sentences = segment(source)
        cleaned = [clean_source(s.text) for s in sentences]
        translations = self.engine.translate(cleaned, attention=self.names is not None)
        rendered = [
            render(t, self.names.find(c) if self.names else [], self.engine.decode)
            for t, c in zip(translations, cleaned, strict=True)
        ]
        text, starts = join(source, sentences, [r.text for r in rendered])
        forced = [
            (start + a, start + b, found.target)
            for start, r in zip(starts, rendered, strict=True)
            for a, b, found in r.names
        ]
        result = self.normalizer.normalize(text, name=name, forced=forced)
        lost = [(start, r, found) for start, r in zip(starts, rendered, strict=True) for found in r.lost]
        if lost:  # a name the model dropped cannot be put back without inserting words: ask
            result = replace(result, review=result.review + tuple(_lost_item(text, name, *x) for x in lost))
        produced = sum(len(t.target_pieces) for t in {id(t): t for t in translations}.values())
        return Retranslation(source, text, result, tuple(f.target.spelling for _, _, f in lost), produced)


def _lost_item(text: str, name: str | None, start: int, rendered: Rendered, found: SourceName) -> ReviewItem:
    target = found.target
    return ReviewItem(
        *Positions(text).place(name, start, start + len(rendered.text)),
        text=rendered.text,
        method="source",
        reason=f"the translation has no word for the name {target.spelling} ({target.canonical}) of the original",
        candidates=(Candidate(target, 100.0).as_record(),),
        context=rendered.text,
        signal=Signal.PROBABLY_NONE.value,  # the translation lost the name: no written spelling to choose
    )


class RetranslatingCleaner:
    """For ``normalize run --retranslate``: each original is translated with
    the model for its language (English ones are only cleaned), then cleaned.

    A file whose model cannot be found or loaded is reported as bad input;
    the other files go on.
    """

    def __init__(
        self,
        normalizer: Normalizer,
        open_engine: Callable[[str | None], Engine],
        *,
        source_lang: str | None = None,
        protect_names: bool = True,
    ):
        self.normalizer = normalizer
        self.open_engine = open_engine
        self.source_lang = source_lang
        self.protect_names = protect_names
        self._by_lang: dict[str | None, Retranslator] = {}

    def normalize(self, text: str, *, name: str | None = None) -> Result:
        lang = source_language(name or "", text, self.source_lang)
        if lang == "en":
            return self.normalizer.normalize(text, name=name)
        if lang not in self._by_lang:
            try:
                engine = self.open_engine(lang)
            except ModelError as exc:
                raise InputError(f"no translation: {exc}") from None
            self._by_lang[lang] = Retranslator(self.normalizer, engine, protect_names=self.protect_names)
        return self._by_lang[lang].retranslate(text, name=name).result
