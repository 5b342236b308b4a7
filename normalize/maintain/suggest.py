"""Mining a corpus for spellings of known names that the gazetteer does not list.

Every key or fuzzy match in the corpus is an unlisted spelling that looks
like a known name. They are counted, ranked (most frequent, then closest)
and written with an example sentence as a TSV file that a maintainer
reviews (delete the rows you reject) and hands to ``gazetteer add --from``.
A spelling that differs from a listed one only in case (``Khalifa HAFTAR``,
``SiRT``) is never suggested: lint would call it redundant (G004, G017)::

    >>> from normalize import Normalizer
    >>> [s.spelling for s in suggest(Normalizer.load(), [("a.txt", "Hafteer spoke in Sirte.")])]
    ['Hafteer']
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ..engine.normalizer import Normalizer
from ..gazetteer import Gazetteer, iter_spellings
from ..text.keys import translit_key
from ..text.tokens import WORD, case_key, is_all_caps

HEADER = (
    "# Spellings that look like known names but are not listed.\n"
    "# Review each row: delete the ones you reject, then run\n"
    "#   normalize gazetteer add --from THIS_FILE\n"
)
COLUMNS = ("spelling", "entity", "short", "canonical", "count", "score", "key_distance", "status", "example", "file")
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]?")


@dataclass
class Suggestion:
    spelling: str
    entity: str
    short: str  # the short form's canonical when the spelling belongs there, else ""
    canonical: str
    count: int = 0
    score: float = 0.0
    key_distance: int = 0
    status: str = ""  # "applied" (found by key or fuzzy) or "review: reason"
    example: str = ""
    file: str = ""
    alternatives: list[str] = field(default_factory=list)


def suggest(normalizer: Normalizer, documents: Iterable[tuple[str, str]]) -> list[Suggestion]:
    """Suggestions from (name, text) documents, best first; spellings that
    differ only in case from a listed one, or from each other, are one or none."""
    listed = listed_spellings(normalizer.gazetteer)
    found: dict[tuple[tuple[str, ...], str], Suggestion] = {}
    for name, text in documents:
        decided = normalizer.decisions(text)
        for decision in [*decided.applied, *decided.review]:
            mention = decision.mention
            if mention.method == "exact":
                continue
            target = decision.candidate.target
            spelling = _as_listed(mention.core)
            if case_twin(spelling, listed) is not None:
                continue
            item = found.get((case_key(spelling), target.canonical))
            if item is None:
                entity = normalizer.gazetteer.entity(target.entity)
                is_short = target.canonical != entity.canonical
                item = found[(case_key(spelling), target.canonical)] = Suggestion(
                    spelling=spelling,
                    entity=target.entity,
                    short=target.canonical if is_short else "",
                    canonical=target.canonical,
                    score=decision.candidate.score,
                    key_distance=_key_distance(spelling, target.canonical),
                    status="applied" if not decision.reason else f"review: {decision.reason}",
                    example=_sentence(text, mention.start),
                    file=name,
                    alternatives=[c.target.canonical for c in mention.candidates[1:]],
                )
            item.count += 1
    return sorted(found.values(), key=lambda s: (-s.count, s.key_distance, -s.score, s.spelling))


def listed_spellings(gazetteer: Gazetteer) -> dict[tuple[str, ...], str]:
    """Every canonical and variant of every entity, by `case_key`."""
    return {case_key(s.text): s.text for entity in gazetteer.entities for _, s in iter_spellings(entity)}


def case_twin(spelling: str, listed: dict[tuple[str, ...], str]) -> str | None:
    """The listed spelling that `spelling` equals or differs from only in case
    (accents, apostrophes, hyphens, a leading article folded), else None.

    >>> listed = {case_key("Khalifa Haftar"): "Khalifa Haftar"}
    >>> case_twin("Khalifa HAFTAR", listed), case_twin("Khalifa Hiftar", listed)
    ('Khalifa Haftar', None)
    """
    return listed.get(case_key(spelling))


def listed_as(spelling: str, twin: str) -> str:
    """Why `spelling` is not added, `twin` being its `case_twin`.

    >>> listed_as("HaFTar", "Haftar"), listed_as("Sirté", "Sirte")
    ("differs from 'Haftar' only in case", "is listed already, as 'Sirte'")
    """
    if spelling != twin and spelling.casefold() == twin.casefold():
        return f"differs from {twin!r} only in case"
    return "is listed already" + (f", as {twin!r}" if spelling != twin else "")


def _as_listed(spelling: str) -> str:
    """A spelling as a gazetteer would list it: one written in capitals is
    listed as its capitalised form, which text in capitals matches too
    (``HIFTAR`` is ``Hiftar``; listing both would be lint G004).

    >>> _as_listed("HIFTAR"), _as_listed("AL-HIFTAR"), _as_listed("Hiftar")
    ('Hiftar', 'Al-Hiftar', 'Hiftar')
    """
    if not all(is_all_caps(word) for word in WORD.findall(spelling)):
        return spelling
    return "".join(w.capitalize() if w[:1].isalpha() else w for w in _PIECES.split(spelling))


_PIECES = re.compile(r"([\s\-‐‑]+)")


def _key_distance(spelling: str, canonical: str) -> int:
    keys = [" ".join(translit_key(w) for w in name.split()) for name in (spelling, canonical)]
    return Levenshtein.distance(*keys)


def _sentence(text: str, offset: int) -> str:
    for m in _SENTENCE.finditer(text):
        if m.start() <= offset < max(m.end(), m.start() + 1):
            return " ".join(m.group().split())
    return ""


def write_suggestions(path: Path, suggestions: Iterable[Suggestion]) -> None:
    """The reviewable TSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for s in suggestions:
            writer.writerow([getattr(s, c) for c in COLUMNS])


def read_suggestions(path: Path) -> list[Suggestion]:
    """Rows of a (reviewed) suggestions file; comment lines are skipped."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    missing = {"spelling", "entity", "short"} - set(rows[0] if rows else COLUMNS)
    if missing:
        raise ValueError(f"{path}: not a suggestions file: no column {', '.join(sorted(missing))}")
    return [
        Suggestion(spelling=r["spelling"], entity=r["entity"], short=r["short"], canonical=r.get("canonical", ""))
        for r in rows
    ]
