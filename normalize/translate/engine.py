"""Sentences in, translations out: SentencePiece around a CTranslate2 translator.

All sentences of a run go to ``translate_batch`` together, cut into batches
by token count, so the CPU stays busy (Argos' default of 32 tokens per batch
amounts to one sentence at a time).  A sentence that occurs twice (wire
boilerplate) is translated once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from .models import ModelError, ModelPackage


@dataclass(frozen=True)
class TranslateOptions:
    device: str = "auto"  # "cuda" when CTranslate2 sees a GPU, else "cpu"
    compute_type: str = "auto"  # int8 on most CPUs; "default" keeps a float32 model slow
    beam_size: int = 4
    max_batch_size: int = 4096  # tokens per batch
    inter_threads: int = 1
    intra_threads: int = 0  # 0: one per core
    max_decoding_length: int = 256
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0


@dataclass(frozen=True)
class Translation:
    source_pieces: tuple[str, ...]
    target_pieces: tuple[str, ...]
    # attention[j][i]: how much target piece j looked at source piece i
    attention: tuple[tuple[float, ...], ...] | None


class Engine:
    """A loaded model: call `translate` with any number of sentences."""

    def __init__(self, package: ModelPackage, options: TranslateOptions | None = None):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.options = options or TranslateOptions()
        o = self.options
        device = o.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        try:
            self.source = sentencepiece.SentencePieceProcessor(model_file=str(package.source_spm))
            self.target = sentencepiece.SentencePieceProcessor(model_file=str(package.target_spm))
            self.translator = ctranslate2.Translator(
                str(package.model_dir),
                device=device,
                compute_type=o.compute_type,
                inter_threads=o.inter_threads,
                intra_threads=o.intra_threads or (os.cpu_count() or 1),
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise ModelError(f"{package.path}: the model does not load: {exc}") from None

    def encode(self, sentence: str) -> list[str]:
        return self.source.encode(sentence, out_type=str)

    def decode(self, pieces: Sequence[str]) -> str:
        return self.target.decode(list(pieces))

    def translate(self, sentences: Sequence[str], *, attention: bool = False) -> list[Translation]:
        """Translations of `sentences`, in order; repeated sentences are translated once."""
        unique = list(dict.fromkeys(sentences))
        pieces = [self.encode(s) for s in unique]
        o = self.options
        results = (
            self.translator.translate_batch(
                pieces,
                beam_size=o.beam_size,
                max_batch_size=o.max_batch_size,
                batch_type="tokens",
                max_decoding_length=o.max_decoding_length,
                repetition_penalty=o.repetition_penalty,
                no_repeat_ngram_size=o.no_repeat_ngram_size,
                return_attention=attention,
            )
            if pieces
            else []
        )
        by_sentence = {}
        for sentence, source, result in zip(unique, pieces, results, strict=True):
            weights = None
            if attention and result.attention:
                weights = tuple(tuple(row) for row in result.attention[0])
            by_sentence[sentence] = Translation(tuple(source), tuple(result.hypotheses[0]), weights)
        return [by_sentence[s] for s in sentences]
