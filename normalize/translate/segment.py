"""Splitting a document into sentences to translate, and joining it back.

Paragraphs (separated by blank lines) are kept; inside a paragraph a
sentence ends at ``.``, ``!``, ``?``, the Arabic question mark ``؟`` or a
line break, followed by space.  The Arabic comma ``،`` and semicolon ``؛``
do not end a sentence.  Nothing here needs a model::

    >>> [s.text for s in segment("قال حفتر. هل انتهى؟ نعم!\\n\\nفقرة ثانية")]
    ['قال حفتر.', 'هل انتهى؟', 'نعم!', 'فقرة ثانية']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A sentence: text up to a terminator (with closing quotes/brackets after it)
# or up to the end of the line.
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?؟۔]+[\"'”’»)\]]*(?=\s|$)|(?=\n)|$)")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset in the document
    end: int


def segment(document: str) -> list[Sentence]:
    """The sentences of `document`, in order, with their offsets."""
    sentences = []
    position = 0
    while position < len(document):
        m = _SENTENCE.match(document, position)
        end = m.end() if m and m.end() > position else document.find("\n", position)
        if end < 0:
            end = len(document)
        if end == position:  # a line break or space between sentences
            position += 1
            continue
        raw = document[position:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            sentences.append(Sentence(stripped, position + lead, position + lead + len(stripped)))
        position = end
    return sentences


def join(document: str, sentences: Sequence[Sentence], translations: Sequence[str]) -> tuple[str, list[int]]:
    """`document` with each sentence replaced by its translation, and where
    each translation starts in the result.

    What lies between sentences (spaces, line breaks, blank lines) is kept,
    so paragraphs and line endings survive translation.
    """
    pieces, starts, last, length = [], [], 0, 0
    for sentence, translation in zip(sentences, translations, strict=True):
        gap = document[last : sentence.start]
        pieces.append(gap)
        starts.append(length + len(gap))
        pieces.append(translation)
        length += len(gap) + len(translation)
        last = sentence.end
    pieces.append(document[last:])
    return "".join(pieces), starts
