"""Translation overhead: our pipeline against a bare CTranslate2 loop, in one run.

    python bench/translate.py                    # OPUS-MT base dimensions, random weights
    python bench/translate.py --sentences 400 --beam-size 2 --json bench/results/translate.json

A Marian model with OPUS-MT's base dimensions (512 wide, 6+6 layers, 8
heads, 2048 feed-forward) and random weights is written and converted with
CTranslate2's own converter (tests/modelkit.py), so nothing is downloaded.
Random weights decode to the length limit, so every sentence costs the same
number of target tokens in both measurements.

Measured on the same unique sentences:
- bare: ``Translator.translate_batch`` on SentencePiece-encoded sentences,
  batched by tokens, then decoded;
- ours: ``Retranslator.retranslate`` on the same sentences as one document
  (segmentation, clean-up, Arabic name search, attention, alignment,
  rendering and the normaliser included).
The target: our overhead under 5%.  Then the same corpus with repeated
sentences (wire boilerplate), which we translate once and the bare loop
translates every time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import ctranslate2  # noqa: E402
import modelkit  # noqa: E402
import sentencepiece  # noqa: E402

from normalize import Normalizer  # noqa: E402
from normalize.translate.engine import Engine, TranslateOptions  # noqa: E402
from normalize.translate.models import open_model  # noqa: E402
from normalize.translate.retranslate import Retranslator  # noqa: E402


def build_model(work: Path) -> Path:
    source = modelkit.train_lexicon_spm(work / "spm" / "ar", side="source")
    target = modelkit.train_lexicon_spm(work / "spm" / "en", side="target")
    ct2 = modelkit.build_marian_model(work / "marian", source, target, dim=512, layers=6, heads=8, seed=1)
    return modelkit.pack_opus_mt(ct2, source, target, work / "opus-mt-ar-en")


class Bare:
    """The peer: SentencePiece and one warm ``ctranslate2.Translator``, nothing else."""

    def __init__(self, package, options: TranslateOptions):
        self.options = options
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(package.source_spm))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(package.target_spm))
        self.translator = ctranslate2.Translator(
            str(package.model_dir),
            device="cpu",
            compute_type=options.compute_type,
            intra_threads=options.intra_threads or (os.cpu_count() or 1),
        )

    def __call__(self, sentences: list[str]) -> tuple[float, int]:
        o = self.options
        start = time.perf_counter()
        pieces = [self.source.encode(s, out_type=str) for s in sentences]
        results = self.translator.translate_batch(
            pieces,
            beam_size=o.beam_size,
            max_batch_size=o.max_batch_size,
            batch_type="tokens",
            max_decoding_length=o.max_decoding_length,
        )
        for r in results:
            self.target.decode(r.hypotheses[0])
        return time.perf_counter() - start, sum(len(r.hypotheses[0]) for r in results)


def ours(retranslator: Retranslator, sentences: list[str]) -> tuple[float, int]:
    document = "\n".join(sentences) + "\n"
    start = time.perf_counter()
    done = retranslator.retranslate(document)
    return time.perf_counter() - start, done.target_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--beam-size", type=int, default=1)
    parser.add_argument("--max-length", type=int, default=48)
    parser.add_argument("--repeat-share", type=float, default=0.3, help="share of repeated sentences")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs each")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    options = TranslateOptions(device="cpu", beam_size=args.beam_size, max_decoding_length=args.max_length)
    with tempfile.TemporaryDirectory() as work:
        package = open_model(build_model(Path(work)))
        pairs = modelkit.generate_sentences(args.sentences, seed=7)
        # one sentence each (no inner terminators), so both sides translate the same units
        unique = list(dict.fromkeys(re.sub(r"\s*[.!?؟]\s*", " ", arabic).strip() + "." for arabic, _ in pairs))
        retranslator = Retranslator(Normalizer.load(), Engine(package, options))
        bare = Bare(package, options)
        bare(unique[:8])  # warm-up: load pages, first-call costs
        retranslator.retranslate("\n".join(unique[:8]))
        # Best of N, the two measured in turn, so load on the machine hits both alike.
        runs = [(bare(unique), ours(retranslator, unique)) for _ in range(args.rounds)]
        bare_time, bare_tokens = min(b for b, _ in runs)
        our_time, our_tokens = min(o for _, o in runs)
        repeats = unique + unique[: int(len(unique) * args.repeat_share / (1 - args.repeat_share))]
        bare_rep = min(bare(repeats)[0] for _ in range(args.rounds))
        ours_rep = min(ours(retranslator, repeats)[0] for _ in range(args.rounds))
    figures = {
        "sentences": len(unique),
        "beam_size": args.beam_size,
        "bare_tokens_per_s": round(bare_tokens / bare_time, 1),
        "ours_tokens_per_s": round(our_tokens / our_time, 1),
        "overhead_percent": round(100 * (our_time / bare_time - 1), 2),
        "with_repeats_sentences": len(repeats),
        "with_repeats_speedup": round(bare_rep / ours_rep, 2),
    }
    print("| measure | bare CTranslate2 | ours |")
    print("| --- | ---: | ---: |")
    print(
        f"| target tokens/s, {len(unique)} unique sentences | {figures['bare_tokens_per_s']} "
        f"| {figures['ours_tokens_per_s']} |"
    )
    print(f"| seconds, {len(repeats)} sentences with repeats | {bare_rep:.2f} | {ours_rep:.2f} |")
    print(f"\noverhead on unique sentences: {figures['overhead_percent']}% (target: under 5%)")
    print(f"speed-up from translating repeats once: {figures['with_repeats_speedup']}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
