"""Values that cross stages: what a spelling means, what was found, what changed.

Targets and candidates are frozen.  Mentions, decisions and records are
made by the million over a corpus, so they are plain slotted dataclasses
(six times cheaper to build than frozen ones); no stage changes them after
it made them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cache

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class Signal(StrEnum):
    """Why a candidate was not applied, for machines (``signal`` in
    ``review.jsonl``); the human-readable ``reason`` says it in words.

    ``cannot_choose``: two or more names fit about as well (the runner-up
    within the apply margin, a transliteration key two entities share, a
    rewrite that would read as another entity's name).  ``probably_none``:
    the best name is too far or a guard refused it (score under the apply
    threshold, no supporting context, a type that does not fit the words
    around it, characters glued on, a nisba), so probably none of them is
    meant.

    >>> Signal.CANNOT_CHOOSE == "cannot_choose", str(Signal.PROBABLY_NONE)
    (True, 'probably_none')
    """

    CANNOT_CHOOSE = "cannot_choose"
    PROBABLY_NONE = "probably_none"


@dataclass(frozen=True, slots=True)
class Target:
    """What a gazetteer spelling stands for, and where it is defined."""

    entity: str
    canonical: str
    region: str
    file: str
    line: int
    spelling: str
    ambiguous: bool = False
    keep: bool = False
    type: str = ""  # the entity's type in the gazetteer: person, place, org, ... ("" for keep words)
    rule: str = ""  # for a spelling made from a listed one: synonym, word_order or word_order+synonym


@dataclass(frozen=True, slots=True)
class Candidate:
    target: Target
    score: float

    def as_record(self) -> dict:
        """How a candidate appears in ``review.jsonl``."""
        t = self.target
        return {
            "entity": t.entity,
            "canonical": t.canonical,
            "score": self.score,
            "gazetteer_file": t.file,
            "gazetteer_line": t.line,
        }


@dataclass(slots=True)
class Mention:
    """A span of text that may name an entity.

    `start`/`end` cover the whole span, a glued article included;
    `core_start` is where the name proper begins (after ``Al-``).
    Candidates are best first.
    """

    start: int
    end: int
    core_start: int
    text: str
    method: str  # "exact" | "key" | "fuzzy" | "source" (a translated name, from the original)
    candidates: tuple[Candidate, ...]
    # Exact mentions this longer key match swallowed; they are decided on
    # their own if the key match is not applied ("Agilah Saleh" over "Saleh").
    inner: tuple[Mention, ...] = ()

    @property
    def core(self) -> str:
        """The name without a glued article."""
        return self.text[self.core_start - self.start :]


@dataclass(slots=True)
class Decision:
    """A mention with the candidate chosen for it; `reason` says why it was
    not applied (empty when it was) and `signal` which kind of why that is.
    `rule` is what applied it when finer than the mention's method (an
    organisation spelling expanded by ``synonym`` or ``word_order``)."""

    mention: Mention
    candidate: Candidate
    reason: str = ""
    signal: Signal | None = None
    rule: str = ""


@dataclass(slots=True)
class Located:
    """Where in a document: file label, 1-based line and column (characters),
    character offsets and UTF-8 byte offsets of the span."""

    file: str | None
    line: int
    column: int
    start: int
    end: int
    byte_start: int
    byte_end: int

    def to_dict(self) -> dict:
        return fields_dict(self)


@dataclass(slots=True)
class Change(Located):
    """One rewrite applied to a document (a line of ``changes.jsonl``)."""

    before: str
    after: str
    entity: str
    gazetteer_file: str
    gazetteer_line: int
    method: str
    score: float
    # which rule applied it: the method, or finer (``synonym``, ``word_order``,
    # ``word_order+synonym`` for an organisation spelling expanded from a listed one)
    rule: str = ""
    runner_up: str | None = None  # the next candidate's canonical, if any
    margin: float | None = None  # `score` minus the runner-up's score, if any


@dataclass(slots=True)
class ReviewItem(Located):
    """A candidate that was not applied (a line of ``review.jsonl``)."""

    text: str
    method: str
    reason: str
    candidates: tuple[dict, ...]
    context: str
    # cannot_choose or probably_none (see Signal); a name the translation
    # lost has no written spelling to choose, hence the default
    signal: str = Signal.PROBABLY_NONE.value

    def to_dict(self) -> dict:
        row = fields_dict(self)
        if not self.context.isascii():
            # The words around the name, for reading: a byte kept from input
            # that is not UTF-8 (a lone surrogate, which UTF-8 cannot carry
            # into the log) shows as U+FFFD, one for one.
            row["context"] = _SURROGATE_RE.sub("\ufffd", self.context)
        return row


@dataclass(frozen=True, slots=True)
class Result:
    """A normalised document: the clean text and what was done to it."""

    text: str
    changes: tuple[Change, ...] = field(default=())
    review: tuple[ReviewItem, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def fields_dict(value) -> dict:
    """A dataclass's fields as a dict, values shared, not copied.

    ``dataclasses.asdict`` deep-copies every value; for records written to a
    log once, that copy was most of the cost of a batch run.

    >>> fields_dict(Candidate(Target("e", "E", "LY", "f.toml", 1, "E"), 90.0))["score"]
    90.0
    """
    return {name: getattr(value, name) for name in _field_names(type(value))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


# One encoder for every log line: json.dumps with options builds a new one per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def json_line(row: dict) -> str:
    """One row as JSON (no newline), as in every log."""
    return _ENCODE(row)


def json_lines(rows: Iterable[dict]) -> str:
    """Rows as JSON Lines text (UTF-8 characters kept as they are).

    >>> json_lines([{"before": "Hafter"}, {"after": "Ḥaftar"}])
    '{"before": "Hafter"}\\n{"after": "Ḥaftar"}\\n'
    """
    return "".join(_ENCODE(row) + "\n" for row in rows)
