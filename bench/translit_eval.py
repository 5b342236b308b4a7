"""How well each similarity finds attested spelling variants of Arabic names.

    python bench/translit_eval.py            # shipped gazetteers
    python bench/translit_eval.py --show-misses

The attested pairs are the gazetteers' own: every single-word spelling of a
name form (canonical or variant) that has at least one other single-word
spelling.  Each is held out in turn and looked up among all the other
single-word spellings of the gazetteers:

* key: the held-out spelling's transliteration key equals a key of one of
  its own name's other spellings and of no other name's (what the key stage
  decides alone);
* ratio / translit / blend (rapidfuzz's ratio, the weighted transliteration
  similarity, and their mean, which the fuzzy stage uses): the best-scoring spelling belongs to its own name
  ("first"), and the tool would apply it (score 90+ and 10 points ahead of
  any other name: "apply"), among all spellings and among the fuzzy stage's
  key-bucket candidates only (`Index.fuzzy_neighbours`);
* pipeline: the key stage's answer if the key is listed (a key shared with
  another name goes to review), else the fuzzy stage's apply over the
  bucket candidates.

Prints figures only (no timing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from normalize.engine.matcher import fuzzy_score  # noqa: E402
from normalize.gazetteer import load_gazetteers  # noqa: E402
from normalize.text.keys import fold, key_deletions, translit_key  # noqa: E402
from normalize.text.translit_distance import translit_similarity  # noqa: E402

AUTO, MARGIN = 90.0, 10.0  # resolve.Settings.fuzzy_auto, fuzzy_margin


def attested(paths: list[Path], include_default: bool) -> list[tuple[str, str]]:
    """(name, spelling) for every single-word spelling, lowercase and folded;
    a name is an entity's form, known by its canonical."""
    gazetteer = load_gazetteers(paths, include_default=include_default)
    pairs: set[tuple[str, str]] = set()
    for entity in gazetteer.entities:
        for form in entity.forms:
            for spelling in (form.canonical, *form.variants):
                text = fold(spelling.text)
                if " " in text or "-" in text or text.isupper() or not text.isalpha():
                    continue
                pairs.add((form.canonical.text, text.lower()))
    return sorted(pairs)


def evaluate(pairs: list[tuple[str, str]], show: bool = False) -> dict[str, list[float]]:
    by_name: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for name, word in pairs:
        by_name[name].add(word)
        owners[word].add(name)
    key_owners: dict[str, set[str]] = defaultdict(set)
    buckets: dict[str, set[str]] = defaultdict(set)
    for name, word in pairs:
        key_owners[translit_key(word)].add(name)
        for near in key_deletions(translit_key(word)):
            buckets[near].add(word)
    scorers: dict[str, Callable[[str, str], float]] = {
        "ratio": fuzz.ratio,  # the fuzzy stage before the weighted distance
        "translit": translit_similarity,
        "blend": fuzzy_score,  # the fuzzy stage now: mean of the two
    }
    results: dict[str, list[float]] = defaultdict(list)
    for name, word in pairs:
        if len(by_name[name]) < 2 or len(owners[word]) > 1:
            continue  # no other spelling to find, or the spelling is two names'
        own_keys = {translit_key(w) for w in by_name[name] - {word}}
        key = translit_key(word)
        others_with_key = key_owners[key] - {name}
        key_hit = key in own_keys and not others_with_key
        key_listed = key in own_keys or bool(others_with_key)
        results["key"].append(key_hit)
        bucket = {w for near in key_deletions(key) for w in buckets.get(near, ())} - {word}
        everything = {w for w in owners} - {word}
        for label, scorer in scorers.items():
            for where, choices in (("all", everything), ("bucket", bucket)):
                first, apply, margin = _decide(name, word, choices, owners, scorer)
                results[f"{label} {where} first"].append(first)
                results[f"{label} {where} apply"].append(apply)
                if first:
                    results[f"{label} {where} margin"].append(margin)
                if where == "bucket":
                    # a listed key is decided by the key stage; the fuzzy stage sees the rest
                    found = key_hit if key_listed else apply
                    results[f"pipeline key+{label}"].append(found)
                    if show and label == "blend" and not found:
                        print(f"  miss: {word!r} of {name!r} (first={first}, margin={margin:.1f})")
    return results


def _decide(name, word, choices, owners, scorer) -> tuple[bool, bool, float]:
    """Whether `word`'s best choice is its own name, whether it would be applied, and the margin."""
    best: dict[str, float] = {}
    for choice in choices:
        score = scorer(word, choice)
        for owner in owners[choice]:
            best[owner] = max(best.get(owner, 0.0), score)
    own = best.pop(name, 0.0)
    runner_up = max(best.values(), default=0.0)
    first = own > runner_up
    return first, first and own >= AUTO and own - runner_up >= MARGIN, own - runner_up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gazetteer", "-g", type=Path, action="append", default=[])
    parser.add_argument("--no-default-gazetteers", action="store_true")
    parser.add_argument("--show-misses", action="store_true", help="list the spellings the pipeline misses")
    args = parser.parse_args()
    pairs = attested(args.gazetteer, not args.no_default_gazetteers)
    results = evaluate(pairs, args.show_misses)
    n = len(results["key"])
    print(f"held-out spellings: {n} (names with 2+ single-word spellings)\n")
    print("| method | hit rate | mean margin when first |")
    print("| --- | ---: | ---: |")
    for label, values in results.items():
        if label.endswith("margin"):
            continue
        margin = results.get(label.replace(" first", " margin"), []) if label.endswith("first") else []
        shown = f"{statistics.mean(margin):.1f}" if margin else "-"
        print(f"| {label} | {sum(values) / len(values):.3f} ({sum(values)}/{len(values)}) | {shown} |")


if __name__ == "__main__":
    main()
