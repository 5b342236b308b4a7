"""Turning review candidates into gazetteer data or ignore rules.

A run leaves the uncertain cases in ``review.jsonl``.  They are grouped by
spelling (``Hiftar`` met forty times is one question), then each group is
accepted (the spelling becomes a variant of the chosen candidate, through the
same checked edit as ``gazetteer add``), rejected (it goes to the ignore
file, with a reason and, if asked, the context it must appear in) or
skipped.  Decisions are kept in ``OUT/.normalize/review-decisions.jsonl`` as
they are made, so a review can stop at any point and go on later.

The review log is data, not orders: a line that is not a `ReviewItem` with
a spelling and candidates is skipped with a warning, an accepted spelling
goes where the loaded gazetteers say the entity's additions belong (never a
file named in the log, never the shipped gazetteers: see
`maintain.edit.edit_target`), and the decisions file is neither read nor written
through a link out of ``OUT``::

    >>> candidate = {"entity": "haftar", "canonical": "Haftar", "score": 70.0,
    ...              "gazetteer_file": "g.toml", "gazetteer_line": 3}
    >>> item = ReviewItem("a.txt", 1, 3, 2, 8, 2, 8, text="Hiftar", method="key", reason="r",
    ...                   candidates=(candidate,), context="…Hiftar…")
    >>> [(g.spelling, g.count) for g in group_review([item, item])]
    [('Hiftar', 2)]
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from msgspec import UNSET, UnsetType

from ..batch.journal import STATE_DIR
from ..batch.jsonl import BadLine, read_lines
from ..batch.runfolder import REVIEW_LOG
from ..engine.records import CandidateRecord, ReviewItem, encode
from ..gazetteer import Entity
from ..maintain.edit import EditError, add_spelling, load_for_edit
from ..maintain.rejections import add_rejection
from ..text.tokens import without_article
from .report import Warn, inside_output, read_log, read_regular, warn_stderr

DECISIONS_FILE = "review-decisions.jsonl"


@dataclass
class ReviewGroup:
    """Every review item with one spelling, best candidates first."""

    spelling: str  # the name as written, without a glued article
    method: str
    reason: str
    candidates: list[CandidateRecord]
    places: list[ReviewItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.places)

    @property
    def signals(self) -> list[tuple[str, int]]:
        """The review signals of its places (``cannot_choose``,
        ``probably_none``), most frequent first; none for a run from before
        signals were logged."""
        found = Counter(p.signal for p in self.places if p.signal)
        return found.most_common()


def group_review(rows: Iterable[ReviewItem]) -> list[ReviewGroup]:
    """Review items grouped by spelling, most frequent first."""
    groups: dict[str, ReviewGroup] = {}
    for row in rows:
        spelling = without_article(row.text)
        group = groups.get(spelling)
        if group is None:
            group = groups[spelling] = ReviewGroup(spelling, row.method, row.reason, list(row.candidates))
        group.places.append(row)
    return sorted(groups.values(), key=lambda g: (-g.count, g.spelling))


def read_review(output: Path, warn: Warn = warn_stderr) -> list[ReviewItem]:
    """The review items of a run's ``review.jsonl`` that can be asked about;
    `warn` names each line skipped."""
    return read_log(output, REVIEW_LOG, warn, ReviewItem, check=_row_problem, required=True)


def _row_problem(row: ReviewItem) -> str | None:
    if not row.text.strip():
        return "an empty 'text'"
    if not row.candidates:
        return "no candidates"
    return None


class Verdict(msgspec.Struct):
    """A decision on one spelling (a line of the decisions file): accepted
    (for `entity`), rejected (with a `reason`, and the `context` it holds in,
    if any) or skipped (never kept)."""

    spelling: str
    decision: str
    entity: str | UnsetType = UNSET
    reason: str | UnsetType = UNSET
    context: str | UnsetType | None = UNSET


_verdict = msgspec.json.Decoder(Verdict)


class DecisionLog:
    """What was decided in earlier review sessions of one output folder."""

    def __init__(self, output: Path | None, warn: Warn = warn_stderr):
        """Kept in `output`'s state folder; in memory only for None (a --check
        run), or when that place leads out of `output` (with a warning)."""
        self.output = output
        self.path = output / STATE_DIR / DECISIONS_FILE if output is not None else None
        self.warn = warn
        self.decided: dict[str, Verdict] = {}
        if self.path is None:
            return
        if self._inside() is None:
            return
        data = read_regular(self.path)
        if isinstance(data, str):
            if data != "not found":
                warn(f"{self.path}: {data}; earlier decisions are asked again")
            return
        for _, entry in read_lines(data, _verdict.decode):
            if not isinstance(entry, BadLine):  # else torn by a crash: that decision is asked again
                self.decided[entry.spelling] = entry

    def _inside(self) -> Path | None:
        """The decisions file, if it is inside the output folder; else None,
        and from then on the decisions are kept in memory only."""
        path = inside_output(self.output, f"{STATE_DIR}/{DECISIONS_FILE}") if self.output is not None else None
        if path is None:
            self.warn(f"{self.path}: leads out of {self.output}; decisions are not read or kept there")
            self.path = None
        return path

    def record(self, entry: Verdict) -> None:
        self.decided[entry.spelling] = entry
        if self.path is None:
            return
        path = self._inside()
        if path is None:
            return
        # O_NOFOLLOW: a link put in place of the file since the check is refused, not written through
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o666)
        except OSError as exc:
            self.warn(f"{self.path}: cannot be written: {exc.strerror or exc}; decisions are kept in memory only")
            self.path = None
            return
        with os.fdopen(fd, "ab") as stream:
            stream.write(encode(entry) + b"\n")


@dataclass
class Reviewer:
    """Applies decisions: accepted spellings to the gazetteers, rejected ones to the ignore file."""

    ignore_file: Path
    gazetteers: list[Path] = field(default_factory=list)
    include_default: bool = True

    def accept(self, group: ReviewGroup, candidate: CandidateRecord) -> str:
        """Add the spelling to the candidate's entity; returns what was written where.

        The file written is worked out from the loaded gazetteers: the one
        that defines the entity, or your user gazetteer for a shipped entity
        (`edit_target`); the candidate's own ``gazetteer_file`` (read from a
        log) is not trusted with a place to write."""
        return add_spelling(
            self.entity(candidate["entity"], candidate["canonical"]),
            group.spelling,
            short=candidate["canonical"],
            gazetteers=self.gazetteers,
            include_default=self.include_default,
        )

    def entity(self, entity_id: str, canonical: str) -> Entity:
        """The loaded entity `entity_id`, which must have a form spelt
        `canonical`; `EditError` if the gazetteers have no such one."""
        gazetteer = load_for_edit(self.gazetteers, self.include_default)
        try:
            entity = gazetteer.entity(entity_id)
        except KeyError:
            raise EditError(f"no entity {entity_id!r} in the gazetteers in use") from None
        if canonical not in {form.canonical.text for form in entity.forms}:
            raise EditError(f"{entity.file}: [{entity_id}] has no form {canonical!r}")
        return entity

    def reject(self, group: ReviewGroup, reason: str, context: str | None = None) -> str:
        add_rejection(self.ignore_file, group.spelling, reason, context=context)
        where = f" near {context!r}" if context else ""
        return f"{self.ignore_file}: {group.spelling!r} will be left alone{where}"


Ask = Callable[[str], str | None]  # a prompt -> the answer, None at the end of input
Say = Callable[[str], None]


def review_session(
    groups: list[ReviewGroup], log: DecisionLog, reviewer: Reviewer, ask: Ask, say: Say, again: bool = False
) -> dict[str, int]:
    """Walk the groups not decided before, asking for each; returns counts
    of accepted, rejected, skipped and left (not reached) groups."""
    counts = {"accepted": 0, "rejected": 0, "skipped": 0, "left": 0}
    todo = [g for g in groups if again or g.spelling not in log.decided]
    for n, group in enumerate(todo, 1):
        say(describe(group, n, len(todo)))
        outcome = ask_one(group, reviewer, ask, say)
        if outcome is None:
            counts["left"] = len(todo) - n + 1
            break
        counts[outcome.decision] += 1
        if outcome.decision != "skipped":
            log.record(outcome)
    return counts


def ask_one(group: ReviewGroup, reviewer: Reviewer, ask: Ask, say: Say) -> Verdict | None:
    """One decision, asked until the answer is understood; None to quit."""
    choices = "a" if len(group.candidates) == 1 else f"a (=1), 1-{len(group.candidates)}"
    while True:
        answer = ask(f"[{choices}] accept, [r]eject, [s]kip, [q]uit: ")
        if answer is None or answer.strip().lower() in ("q", "quit"):
            return None
        answer = answer.strip().lower()
        if answer in ("s", "skip", ""):
            return Verdict(group.spelling, "skipped")
        pick = 1 if answer in ("a", "accept") else int(answer) if answer.isdigit() else 0
        if 1 <= pick <= len(group.candidates):
            candidate = group.candidates[pick - 1]
            try:
                say(reviewer.accept(group, candidate))
            except EditError as exc:
                say(f"not added: {exc}")
                for problem in exc.problems:
                    say(f"  {problem}")
                continue
            return Verdict(group.spelling, "accepted", entity=candidate["entity"])
        if answer in ("r", "reject"):
            reason = (ask("reason: ") or "").strip() or "rejected in review"
            near = (ask("only in this context? [y/N] ") or "").strip().lower() in ("y", "yes")
            context = _context_words(group) if near else None
            say(reviewer.reject(group, reason, context))
            return Verdict(group.spelling, "rejected", reason=reason, context=context)
        say(f"not understood: {answer!r}")


def describe(group: ReviewGroup, n: int, total: int) -> str:
    """What the reviewer sees of one group."""
    files = len({p.file for p in group.places})
    lines = [
        "",
        f"[{n}/{total}] {group.spelling!r} ({group.method}, {group.count} time(s) in {files} file(s))",
        f"  why not applied: {group.reason}",
    ]
    signals = group.signals
    if len(signals) == 1:
        lines.append(f"  signal: {signals[0][0]} ({_SIGNAL_HELP.get(signals[0][0], 'unknown')})")
    elif signals:
        lines.append("  signal: " + ", ".join(f"{name} ({n} time(s))" for name, n in signals))
    for place in group.places[:3]:
        lines.append(f"  {place.file}:{place.line}: …{' '.join(place.context.split())}…")
    for k, c in enumerate(group.candidates, 1):
        lines.append(
            f"  {k}) {c['canonical']} [{c['entity']}] score {c['score']:g}, {c['gazetteer_file']}:{c['gazetteer_line']}"
        )
    return "\n".join(lines)


_SIGNAL_HELP = {
    "cannot_choose": "two or more names fit about as well: choose",
    "probably_none": "the best name is too far or a guard refused it: probably none of these",
}


def _context_words(group: ReviewGroup) -> str:
    """The words just before the spelling in its first place: what must be
    near it for the rejection to hold."""
    place = group.places[0]
    before = place.context.split(place.text)[0].split()
    return " ".join([*before[-2:], place.text]) if before else place.text


class InteractiveCleaner:
    """A cleaner for ``normalize run --interactive``: before a file's uncertain
    changes are left for review, it asks about each, in the same way as
    ``normalize review``; after an accept or a reject the gazetteers and the
    ignore list are loaded again and the file is cleaned with them."""

    def __init__(self, load: Callable[[], object], reviewer: Reviewer, log: DecisionLog, ask: Ask, say: Say):
        self._load = load
        self.normalizer = load()
        self.reviewer = reviewer
        self.log = log
        self.ask = ask
        self.say = say
        self.stopped = False  # the user quit: the rest of the run asks nothing

    def fingerprint(self) -> str:
        return self.normalizer.fingerprint()

    def normalize(self, text: str, *, name: str | None = None):
        result = self.normalizer.normalize(text, name=name)
        if self.stopped or not result.review:
            return result
        groups = group_review(result.review)
        counts = review_session(groups, self.log, self.reviewer, self.ask, self.say)
        self.stopped = counts["left"] > 0
        if counts["accepted"] or counts["rejected"]:
            self.normalizer = self._load()
            result = self.normalizer.normalize(text, name=name)
        return result
