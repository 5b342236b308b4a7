"""Values that cross stages: what a spelling means, what was found, what changed.

Targets and candidates are frozen.  Mentions and decisions are made by the
million over a corpus, so they are not frozen (a frozen dataclass costs six
times a slotted one to build), but no stage changes them after it made
them.  A mention is a struct the garbage collector never tracks (a third of
a slotted dataclass to build; a scanner keeps thousands): it must never be
given a field after it is made, or a cycle through it would never be freed.

A change or review record is one `msgspec.Struct` from the engine to the
logs and back: the run encodes it once (`encode`), and ``normalize report``
and ``normalize review`` decode the very same type from the log, so a line
that is not one is refused by its type, never met as a missing dict key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypedDict

import msgspec
from msgspec import UNSET, UnsetType

from ..gazetteer.model import Value
from ..text.positions import without_surrogates


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


class Target(Value):
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


class Candidate(Value):
    target: Target
    score: float

    def as_record(self) -> CandidateRecord:
        """How a candidate appears in ``review.jsonl``."""
        t = self.target
        return {
            "entity": t.entity,
            "canonical": t.canonical,
            "score": self.score,
            "gazetteer_file": t.file,
            "gazetteer_line": t.line,
        }


class Mention(msgspec.Struct, gc=False):
    """A span of text that may name an entity.

    `start`/`end` cover the whole span, a glued article included;
    `core_start` is where the name proper begins (after ``Al-``).
    Candidates are best first.  (Untracked by the garbage collector: a
    scanner keeps thousands, and they hold only values and other mentions,
    never a cycle.)
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
    organisation spelling expanded by ``synonym`` or ``word_order``);
    `after` is the text an applied decision puts in the mention's place
    (`rewrite.replacement`, worked out once)."""

    mention: Mention
    candidate: Candidate
    reason: str = ""
    signal: Signal | None = None
    rule: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class Settled:
    """Names a run rewrote without a decision of `resolve.decide`, as the
    compiled core settles them (`engine.settled`): the regions their exact
    mentions support, the regions the next run reads them as, how many there
    are, and the decisions themselves, made only if a decision needs the
    whole rewritten text (`decisions()`)."""

    regions: frozenset[str] = frozenset()
    seen: frozenset[str] = frozenset()
    count: int = 0
    decisions: Callable[[], list[Decision]] = list


class CandidateRecord(TypedDict):
    """A scored candidate as a review record carries it.  A plain dict (not a
    struct) so that code reading ``item.candidates[0]["canonical"]`` keeps
    working; msgspec still checks each key and its type when a log is read."""

    entity: str
    canonical: str
    score: float
    gazetteer_file: str
    gazetteer_line: int


# gc=False: records hold only strings, numbers and dicts of them, never a
# cycle, and a corpus makes millions; the collector need not track them.
# Not frozen: `Normalizer.normalize_stream` places a part's records in the
# whole text by moving them in place, just after it made them.
class Located(msgspec.Struct, gc=False):
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
        """The fields as a dict (values shared, not copied), as the log line has them."""
        return {name: value for name in self.__struct_fields__ if (value := getattr(self, name)) is not UNSET}


class Change(Located, gc=False):
    """One rewrite applied to a document (a line of ``changes.jsonl``)."""

    before: str
    after: str
    entity: str
    gazetteer_file: str
    gazetteer_line: int
    method: str
    score: float
    # which rule applied it: the method, or finer (``synonym``, ``word_order``,
    # ``word_order+synonym`` for an organisation spelling expanded from a listed one);
    # these three default to what a log from before them means
    rule: str = ""
    runner_up: str | None = None  # the next candidate's canonical, if any
    margin: float | None = None  # `score` minus the runner-up's score, if any
    # Set by a run, left out of the line when not: the record (1-based line)
    # and field of a JSON Lines input, the encoding of an input not in UTF-8.
    record: int | UnsetType = UNSET
    field: str | UnsetType = UNSET
    encoding: str | UnsetType = UNSET


class ReviewItem(Located, gc=False):
    """A candidate that was not applied (a line of ``review.jsonl``)."""

    text: str
    method: str
    reason: str
    candidates: tuple[CandidateRecord, ...]
    context: str
    # cannot_choose or probably_none (see Signal); "" in a log from before
    # signals, which the report shows as not recorded
    signal: str = ""
    record: int | UnsetType = UNSET  # as in Change
    field: str | UnsetType = UNSET

    def __post_init__(self) -> None:
        if not self.context.isascii():
            # The words around the name, for reading: a byte kept from input
            # that is not UTF-8 (a lone surrogate, which UTF-8 cannot carry
            # into the log) shows as U+FFFD, one for one.
            self.context = without_surrogates(self.context)


@dataclass(frozen=True, slots=True)
class Result:
    """A normalised document: the clean text and what was done to it."""

    text: str
    changes: tuple[Change, ...] = field(default=())
    review: tuple[ReviewItem, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# One encoder for every record and log line: UTF-8 as it is, fields in the
# order their type declares them, unset ones left out.
_ENCODER = msgspec.json.Encoder()


def encode(value: object) -> bytes:
    """One record (a struct, or plain dicts and lists) as JSON, no newline.

    >>> encode(Candidate(Target("e", "Ḥaftar", "LY", "f.toml", 1, "E"), 90.0).as_record())
    b'{"entity":"e","canonical":"\xe1\xb8\xa4aftar","score":90.0,"gazetteer_file":"f.toml","gazetteer_line":1}'
    """
    return _ENCODER.encode(value)


def encode_lines(values: Iterable[object]) -> bytes:
    """Records as JSON Lines bytes, each line ending with a newline."""
    return _ENCODER.encode_lines(values)


def json_lines(rows: Iterable[object]) -> str:
    """Records as JSON Lines text (UTF-8 characters kept as they are).

    >>> json_lines([{"before": "Hafter"}, {"after": "Ḥaftar"}])
    '{"before":"Hafter"}\\n{"after":"Ḥaftar"}\\n'
    """
    return encode_lines(rows).decode("utf-8")
