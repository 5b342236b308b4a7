"""Turning review candidates into gazetteer data or ignore rules.

A run leaves the uncertain cases in ``review.jsonl``.  They are grouped by
spelling (``Hiftar`` met forty times is one question), then each group is
accepted (the spelling becomes a variant of the chosen candidate, through the
same checked edit as ``gazetteer add``), rejected (it goes to the ignore
file, with a reason and, if asked, the context it must appear in) or
skipped.  Decisions are kept in ``OUT/.normalize/review-decisions.jsonl`` as
they are made, so a review can stop at any point and go on later::

    >>> rows = [{"text": "Hiftar", "method": "key", "reason": "r", "file": "a.txt", "line": 1,
    ...          "context": "…Hiftar…", "candidates": [{"entity": "haftar", "canonical": "Haftar",
    ...          "score": 70.0, "gazetteer_file": "g.toml", "gazetteer_line": 3}]}] * 2
    >>> [(g.spelling, g.count) for g in group_review(rows)]
    [('Hiftar', 2)]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .edit import EditError, add_variant
from .ignore import add_rejection
from .journal import STATE_DIR
from .records import json_lines
from .rewrite import without_article

DECISIONS_FILE = "review-decisions.jsonl"


@dataclass
class ReviewGroup:
    """Every review item with one spelling, best candidates first."""

    spelling: str  # the name as written, without a glued article
    method: str
    reason: str
    candidates: list[dict]
    places: list[dict] = field(default_factory=list)  # the review rows

    @property
    def count(self) -> int:
        return len(self.places)


def group_review(rows: Iterable[dict]) -> list[ReviewGroup]:
    """Review rows grouped by spelling, most frequent first."""
    groups: dict[str, ReviewGroup] = {}
    for row in rows:
        spelling = without_article(row["text"])
        group = groups.get(spelling)
        if group is None:
            group = groups[spelling] = ReviewGroup(spelling, row["method"], row["reason"], list(row["candidates"]))
        group.places.append(row)
    return sorted(groups.values(), key=lambda g: (-g.count, g.spelling))


def read_review(output: Path) -> list[dict]:
    """The rows of a run's ``review.jsonl``."""
    path = output / "review.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: not found; is {output} the output folder of a run?") from None
    return [json.loads(line) for line in lines if line.strip()]


class DecisionLog:
    """What was decided in earlier review sessions of one output folder."""

    def __init__(self, output: Path | None):
        """Kept in `output`'s state folder; in memory only for None (a --check run)."""
        self.path = output / STATE_DIR / DECISIONS_FILE if output is not None else None
        self.decided: dict[str, dict] = {}
        if self.path is None:
            return
        try:
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.decided[entry["spelling"]] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash: that decision is asked again
        except FileNotFoundError:
            pass

    def record(self, entry: dict) -> None:
        self.decided[entry["spelling"]] = entry
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json_lines([entry]))


@dataclass
class Reviewer:
    """Applies decisions: accepted spellings to the gazetteers, rejected ones to the ignore file."""

    ignore_file: Path
    gazetteers: list[Path] = field(default_factory=list)
    include_default: bool = True

    def accept(self, group: ReviewGroup, candidate: dict) -> str:
        """Add the spelling to the candidate's entity; returns where."""
        path = Path(candidate["gazetteer_file"])
        add_variant(
            path,
            candidate["entity"],
            group.spelling,
            short=candidate["canonical"],
            gazetteers=self.gazetteers,
            include_default=self.include_default,
        )
        return f"{path}: {group.spelling!r} added to {candidate['canonical']} [{candidate['entity']}]"

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
        counts[outcome["decision"]] += 1
        if outcome["decision"] != "skipped":
            log.record(outcome)
    return counts


def ask_one(group: ReviewGroup, reviewer: Reviewer, ask: Ask, say: Say) -> dict | None:
    """One decision, asked until the answer is understood; None to quit."""
    choices = "a" if len(group.candidates) == 1 else f"a (=1), 1-{len(group.candidates)}"
    while True:
        answer = ask(f"[{choices}] accept, [r]eject, [s]kip, [q]uit: ")
        if answer is None or answer.strip().lower() in ("q", "quit"):
            return None
        answer = answer.strip().lower()
        if answer in ("s", "skip", ""):
            return {"spelling": group.spelling, "decision": "skipped"}
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
            return {"spelling": group.spelling, "decision": "accepted", "entity": candidate["entity"]}
        if answer in ("r", "reject"):
            reason = (ask("reason: ") or "").strip() or "rejected in review"
            near = (ask("only in this context? [y/N] ") or "").strip().lower() in ("y", "yes")
            context = _context_words(group) if near else None
            say(reviewer.reject(group, reason, context))
            return {"spelling": group.spelling, "decision": "rejected", "reason": reason, "context": context}
        say(f"not understood: {answer!r}")


def describe(group: ReviewGroup, n: int, total: int) -> str:
    """What the reviewer sees of one group."""
    files = len({p["file"] for p in group.places})
    lines = [
        "",
        f"[{n}/{total}] {group.spelling!r} ({group.method}, {group.count} time(s) in {files} file(s))",
        f"  why not applied: {group.reason}",
    ]
    for place in group.places[:3]:
        lines.append(f"  {place['file']}:{place['line']}: …{' '.join(place['context'].split())}…")
    for k, c in enumerate(group.candidates, 1):
        lines.append(
            f"  {k}) {c['canonical']} [{c['entity']}] score {c['score']:g}, {c['gazetteer_file']}:{c['gazetteer_line']}"
        )
    return "\n".join(lines)


def _context_words(group: ReviewGroup) -> str:
    """The words just before the spelling in its first place: what must be
    near it for the rejection to hold."""
    place = group.places[0]
    before = place["context"].split(place["text"])[0].split()
    return " ".join([*before[-2:], place["text"]]) if before else place["text"]


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
        groups = group_review(r.to_dict() for r in result.review)
        counts = review_session(groups, self.log, self.reviewer, self.ask, self.say)
        self.stopped = counts["left"] > 0
        if counts["accepted"] or counts["rejected"]:
            self.normalizer = self._load()
            result = self.normalizer.normalize(text, name=name)
        return result
