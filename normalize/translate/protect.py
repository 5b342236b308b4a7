"""Names protected through translation, without relying on the model's goodwill.

Names are found in the Arabic source through the gazetteer's Arabic forms
(after Arabic normalisation, with a leading conjunction or preposition
allowed: و ف ب ل ك).  After translation the model's own attention tells
which target words it wrote for each name; if they look like a name
(capitalised), they are marked to be replaced by the canonical English name,
through the same rewrite (and change log) as every other change; otherwise
the gazetteer's post-editing of the English is all that applies.  Placeholders are not used: models that never
saw them drop or alter them.

    >>> from normalize import load_gazetteers
    >>> names = ArabicNames.build(load_gazetteers())
    >>> [(n.first_word, n.end_word, n.canonical) for n in names.find("قوات حفتر في سرت")]
    [(1, 2, 'Haftar'), (3, 4, 'Sirte')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.records import Target
from ..gazetteer import Gazetteer
from .engine import Translation
from .text import normalize_arabic

_CLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_WORD_START = "▁"


@dataclass(frozen=True, slots=True)
class SourceName:
    first_word: int  # index of the first whitespace word of the sentence
    end_word: int  # one past the last
    canonical: str
    target: Target


class ArabicNames:
    """The gazetteer's Arabic forms, compiled for lookup by word tuples."""

    def __init__(self, forms: dict[tuple[str, ...], Target]):
        self.forms = forms
        self.longest = max((len(k) for k in forms), default=0)

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> ArabicNames:
        forms: dict[tuple[str, ...], Target] = {}
        clashes: set[tuple[str, ...]] = set()

        def add(words: tuple[str, ...], target: Target) -> None:
            other = forms.setdefault(words, target)
            if other.canonical != target.canonical:
                clashes.add(words)

        for entity in gazetteer.entities:
            short = entity.forms[1].canonical.text if len(entity.forms) > 1 else None
            for form in entity.arabic:
                words = tuple(normalize_arabic(form).split())
                # A one-word form of a name that has a short form is that
                # short form ("الوفاق" is the GNA); longer forms are the full
                # name.  Ambiguity carries over: الوفاق is also a party in Bahrain.
                form_ = entity.forms[1] if short and len(words) == 1 else entity.forms[0]
                ambiguous = form_.ambiguous or entity.forms[0].ambiguous
                target = Target(
                    entity.id, form_.canonical.text, entity.region, entity.file, entity.line, form, ambiguous
                )
                add(words, target)
                if short and entity.type == "person" and len(words) > 1:
                    ambiguous = entity.forms[1].ambiguous or entity.forms[0].ambiguous
                    surname = form.split()[-1]
                    add(
                        words[-1:],
                        Target(entity.id, short, entity.region, entity.file, entity.line, surname, ambiguous),
                    )
        for words in clashes:  # an Arabic word shared by two names decides nothing
            del forms[words]
        return cls(forms)

    def find(self, sentence: str) -> list[SourceName]:
        """Names in a (cleaned) source sentence, by whitespace word index, longest first."""
        words = [normalize_arabic(_PUNCTUATION.sub("", w)) for w in sentence.split()]
        found, i = [], 0
        while i < len(words):
            for length in range(min(self.longest, len(words) - i), 0, -1):
                target = self._lookup(words[i : i + length])
                if target is not None:
                    found.append(SourceName(i, i + length, target.canonical, target))
                    i += length
                    break
            else:
                i += 1
        return found

    def _lookup(self, words: list[str]) -> Target | None:
        exact = self.forms.get(tuple(words))
        if exact is not None:
            return exact
        first, rest = words[0], tuple(words[1:])
        for clitic in _CLITICS:
            if first.startswith(clitic) and len(first) > len(clitic) + 1:
                bare = first[len(clitic) :]
                # li + al- is written لل: "للجيش" is "ل" + "الجيش"
                for candidate in (bare, "ا" + bare if clitic.endswith("ل") and bare.startswith("ل") else None):
                    if candidate and (target := self.forms.get((candidate, *rest))):
                        return target
        return None


@dataclass(frozen=True, slots=True)
class Rendered:
    """A translated sentence as text, with the spans the names took in it."""

    text: str
    names: tuple[tuple[int, int, SourceName], ...]  # (start, end) in text, per name
    lost: tuple[SourceName, ...]  # names the model dropped: no target word looked at them


def render(translation: Translation, names: Sequence[SourceName], decode) -> Rendered:
    """Detokenise a translation and locate, by attention, the words written for each name.

    `decode` turns a run of target pieces into text (SentencePiece).  Without
    attention, or without names, the text is decoded as a whole.
    """
    pieces = translation.target_pieces
    if not names or not translation.attention or not pieces:
        return Rendered(decode(pieces), (), tuple(names) if not translation.attention else ())
    word_of_piece = _word_index(translation.source_pieces)
    label: list[int | None] = []
    for row in translation.attention[: len(pieces)]:
        source = max(range(len(row)), key=row.__getitem__)
        word = word_of_piece[source] if source < len(word_of_piece) else None
        label.append(
            next((k for k, n in enumerate(names) if word is not None and n.first_word <= word < n.end_word), None)
        )
    label = _whole_words(pieces, label)
    text, spans, position = "", [], 0
    while position < len(pieces):
        end = position + 1
        while end < len(pieces) and label[end] == label[position]:
            end += 1
        chunk = decode(pieces[position:end])
        spacer = " " if text and pieces[position].startswith(_WORD_START) else ""
        start = len(text) + len(spacer)
        text += spacer + chunk
        # Check what attention chose: an English name is capitalised.  If the
        # words are not ("in", "accord"), the alignment is not trusted and the
        # normaliser's post-editing is left to do what it can.
        if label[position] is not None and any(w[:1].isupper() for w in chunk.split()):
            spans.append((start, len(text), names[label[position]]))
        position = end
    seen = {id(n) for _, _, n in spans}
    return Rendered(text, tuple(spans), tuple(n for n in names if id(n) not in seen))


def _word_index(source_pieces: Sequence[str]) -> list[int]:
    """Whitespace word index of each source piece (a new word starts with ▁)."""
    index, word = [], -1
    for piece in source_pieces:
        if piece.startswith(_WORD_START) or word < 0:
            word += 1
        index.append(word)
    return index


def _whole_words(pieces: Sequence[str], label: list[int | None]) -> list[int | None]:
    """A target word belongs to a name if any of its letter pieces does;
    pieces without letters never do (``Hafter`` + ``.``)."""
    out = [k if any(c.isalpha() for c in piece) else None for piece, k in zip(pieces, label, strict=True)]
    start = 0
    for end in range(1, len(pieces) + 1):
        if end == len(pieces) or pieces[end].startswith(_WORD_START):
            names = {label[k] for k in range(start, end) if label[k] is not None}
            if len(names) == 1:
                name = names.pop()
                for k in range(start, end):
                    if any(c.isalpha() for c in pieces[k]):
                        out[k] = name
            start = end
    return out
