"""Quality harness: precision and recall of changes on a development set.

    python bench/quality.py                 # shipped gazetteers, bench/devset
    python bench/quality.py --json out.json --show-errors

`devset/positives.jsonl` holds real sentences with their gold output;
`devset/negatives.jsonl` holds real sentences that must come back unchanged.
An edit is a replaced run of words (found by aligning the words of the input
with those of the output); a system edit counts as correct when the gold
output has the same edit at the same place.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The figures are the shipped gazetteers', never what a maintainer added to
# their own (a folder that does not exist: none is read; children inherit it).
os.environ["NORMALIZE_GAZETTEER_DIR"] = str(ROOT / "bench" / "no-user-gazetteers")

from normalize import Normalizer  # noqa: E402
from normalize.text.tokens import tokenize  # noqa: E402

DEVSET = Path(__file__).resolve().parent / "devset"


@dataclass
class Scores:
    positives: int = 0
    gold_edits: int = 0
    system_edits: int = 0
    correct_edits: int = 0
    negatives: int = 0
    negatives_touched: int = 0
    negative_edits: int = 0
    entities: int = 0  # distinct canonical names in the positives

    @property
    def precision(self) -> float:
        return self.correct_edits / self.system_edits if self.system_edits else 1.0

    @property
    def recall(self) -> float:
        return self.correct_edits / self.gold_edits if self.gold_edits else 1.0


def edits(before: str, after: str) -> set[tuple[int, int, str]]:
    """Replaced runs of words: (start, end) in `before` and the new text."""
    a, b = tokenize(before), tokenize(after)
    matcher = difflib.SequenceMatcher(a=[t.text for t in a], b=[t.text for t in b], autojunk=False)
    found = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        start = a[i1].start if i1 < len(a) else len(before)
        end = a[i2 - 1].end if i2 > i1 else start
        new = after[b[j1].start : b[j2 - 1].end] if j2 > j1 else ""
        found.add((start, end, new))
    return found


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(normalizer: Normalizer, devset: Path = DEVSET, errors: list | None = None) -> Scores:
    scores = Scores()
    entities: set[str] = set()
    for record in read_jsonl(devset / "positives.jsonl"):
        entities.update(record.get("entities", []))
        text, gold = record["text"], record["gold"]
        got = normalizer.normalize(text).text
        gold_edits, system_edits = edits(text, gold), edits(text, got)
        scores.positives += 1
        scores.gold_edits += len(gold_edits)
        scores.system_edits += len(system_edits)
        scores.correct_edits += len(gold_edits & system_edits)
        if errors is not None and got != gold:
            errors.append({"id": record["id"], "text": text, "gold": gold, "got": got})
    for record in read_jsonl(devset / "negatives.jsonl"):
        got = normalizer.normalize(record["text"]).text
        scores.negatives += 1
        if got != record["text"]:
            scores.negatives_touched += 1
            scores.negative_edits += len(edits(record["text"], got))
            if errors is not None:
                errors.append({"id": record["id"], "text": record["text"], "gold": record["text"], "got": got})
    scores.entities = len(entities)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--gazetteer", "-g", type=Path, action="append", default=[])
    parser.add_argument("--no-default-gazetteers", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show-errors", action="store_true", help="print every sentence that differs")
    args = parser.parse_args()
    normalizer = Normalizer.load(args.gazetteer, include_default=not args.no_default_gazetteers)
    errors: list = []
    s = evaluate(normalizer, args.devset, errors)
    print("| set | sentences | gold edits | system edits | correct | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| positives | {s.positives} | {s.gold_edits} | {s.system_edits} | {s.correct_edits} "
        f"| {s.precision:.3f} | {s.recall:.3f} |"
    )
    print(f"| negatives | {s.negatives} | 0 | {s.negative_edits} | - | - | - |")
    print(f"\nnegatives touched: {s.negatives_touched} of {s.negatives}; entities in the positives: {s.entities}")
    if args.show_errors:
        for e in errors:
            print(f"\n[{e['id']}]\n  text: {e['text']}\n  gold: {e['gold']}\n  got:  {e['got']}")
    if args.json:
        figures = {**asdict(s), "precision": round(s.precision, 4), "recall": round(s.recall, 4)}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
