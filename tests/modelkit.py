"""Tiny real translation models, built offline in seconds, for tests.

Everything is generated here: SentencePiece models trained on sentences made
from a small Arabic→English lexicon, a hand-wired CTranslate2 Transformer
that translates word for word (deterministically, with attention on the
aligned source piece), a randomly initialised Marian model in the OPUS-MT
release format converted by CTranslate2's own converter, and the package
layouts users install (Argos ``.argosmodel`` zips, converted OPUS-MT folders).

The word model
--------------
One attention head, one encoder and one decoder layer, pre-norm.  The hidden
vector has ``V + P`` dimensions: ``V`` one-hot dimensions for the source
piece and ``P`` dimensions for a learned position code (random unit vectors
with zero mean, nearly orthogonal).  Every vector the layer norms see has the
same mean and variance, so each layer norm is undone exactly by its
gamma/beta.  All self-attention and feed-forward weights are zero, so the
residual carries the embedding through.  The decoder's token embeddings are
zero (the previous token changes nothing); its position code at step ``t``
queries the encoder keys (the source position codes) with a large scale, so
step ``t`` attends to source position ``t`` (weight > 0.9999); the value
copies the source one-hot, and the output projection maps source piece ``i``
to the target piece of its gloss.  The source ``</s>`` (added by the model
config) maps to ``</s>``, which ends the translation.  The scales are kept
moderate (attention logits within ±45): attention weights near the float32
denormal range made float32 decoding 10-30x slower.
"""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece
import yaml
from ctranslate2.converters import Converter, OpusMTConverter
from ctranslate2.specs import common_spec, transformer_spec

WORD_START = "▁"

# Arabic → English, one word each.  Names carry the spelling machine
# translation typically produces (the variants the normaliser rewrites),
# not the canonical one: Hafter (Haftar), Sirt (Sirte), Tharouna (Tarhuna)...
LEXICON: dict[str, str] = {
    # names and places
    "حفتر": "Hafter",
    "خليفة": "Khalifa",
    "سرت": "Sirt",
    "ترهونة": "Tharouna",
    "الوفاق": "Al-Wefaq",
    "بنغازي": "Benghazi",
    "طرابلس": "Tripoli",
    "الجفرة": "Al-Jafra",
    "بني": "Beni",
    "وليد": "Walid",
    "مصراتة": "Misurata",
    "درنة": "Derna",
    "سبها": "Sebha",
    "غريان": "Gharian",
    "الزاوية": "Al-Zawiyah",
    "أجدابيا": "Ajdabia",
    "طبرق": "Tobrouk",
    "السراج": "Al-Sarraj",
    "فايز": "Fayez",
    "الدبيبة": "Dbeibeh",
    "معيتيقة": "Maitika",
    "الكفرة": "Al-Kufrah",
    "فزان": "Fazzan",
    "ليبيا": "Libya",
    # function and content words
    "قوات": "forces",
    "في": "in",
    "مدينة": "city",
    "قال": "said",
    "إن": "that",
    "هجوم": "attack",
    "على": "on",
    "الجيش": "army",
    "حكومة": "government",
    "من": "from",
    "إلى": "to",
    "اليوم": "today",
    "الليبي": "Libyan",
    "الوطني": "national",
    "المشير": "marshal",
    "رئيس": "head",
    "وزير": "minister",
    "الداخلية": "interior",
    "مطار": "airport",
    "الدولي": "international",
    "اشتباكات": "clashes",
    "عنيفة": "violent",
    "جنوب": "south",
    "شرق": "east",
    "غرب": "west",
    "العاصمة": "capital",
    "المجلس": "council",
    "الرئاسي": "presidential",
    "مجلس": "council",
    "النواب": "representatives",
    "أعلن": "announced",
    "الهدنة": "truce",
    "الأمم": "nations",
    "المتحدة": "united",
    "بعثة": "mission",
    "و": "and",
    "بين": "between",
    "بعد": "after",
    "أمس": "yesterday",
    "النفط": "oil",
    "ميناء": "port",
    "سيطرة": "control",
    "المدنيين": "civilians",
}

# Arabic punctuation → English, each its own piece.
PUNCTUATION: dict[str, str] = {"،": ",", "؛": ";", "؟": "?", ".": "."}

# Words outside the lexicon, so the SentencePiece models also learn sub-word
# pieces (unknown words are split and copied through by the word model).
_FILLER_AR = [
    "الاتحاد",
    "الأفريقي",
    "المؤتمر",
    "الصحفي",
    "المتحدث",
    "الرسمي",
    "باسم",
    "الكتيبة",
    "اللواء",
    "المنطقة",
    "السكان",
    "الطريق",
    "الساحلي",
]
_FILLER_EN = [
    "African",
    "union",
    "press",
    "conference",
    "spokesman",
    "official",
    "brigade",
    "region",
    "residents",
    "coastal",
    "road",
]

MALICIOUS_MEMBERS: tuple[str, ...] = ("../evil.txt", "/tmp/normalize-modelkit-evil.txt")


# ---------------------------------------------------------------------------
# Sentences


def generate_sentences(n: int, seed: int = 0, lexicon: Mapping[str, str] = LEXICON) -> list[tuple[str, str]]:
    """`n` deterministic (Arabic sentence, word-by-word English gloss) pairs of 3-12 words.

    Arabic punctuation (، ؛ ؟ .) is sometimes attached to a word; the gloss
    carries its English counterpart in the same place.
    """
    rng = random.Random(seed)
    words = sorted(lexicon)
    pairs = []
    for _ in range(n):
        length = rng.randint(3, 12)
        arabic, english = [], []
        for i in range(length):
            word = rng.choice(words)
            mark = ""
            if i < length - 1:
                roll = rng.random()
                mark = "،" if roll < 0.2 else "؛" if roll < 0.25 else ""
            else:
                roll = rng.random()
                mark = "." if roll < 0.4 else "؟" if roll < 0.55 else ""
            arabic.append(word + mark)
            english.append(lexicon[word] + PUNCTUATION.get(mark, ""))
        pairs.append((" ".join(arabic), " ".join(english)))
    return pairs


def lexicon_symbols(lexicon: Mapping[str, str] = LEXICON, *, side: str = "both") -> list[str]:
    """SentencePiece user symbols keeping each lexicon word whole (``▁word``) and punctuation apart.

    `side` is ``"source"`` (Arabic words), ``"target"`` (English glosses) or ``"both"``.
    """
    if side not in ("source", "target", "both"):
        raise ValueError(f"side must be source, target or both, not {side!r}")
    words: list[str] = []
    if side in ("source", "both"):
        words += list(lexicon)
    if side in ("target", "both"):
        words += list(lexicon.values())
    marks = [*PUNCTUATION, *PUNCTUATION.values()]
    return list(dict.fromkeys([WORD_START + w for w in words] + marks))


def training_lines(
    n: int = 200, seed: int = 0, *, side: str = "both", lexicon: Mapping[str, str] = LEXICON
) -> list[str]:
    """Lines to train a SentencePiece model on: generated sentences plus filler text."""
    lines: list[str] = []
    for arabic, english in generate_sentences(n, seed, lexicon):
        if side in ("source", "both"):
            lines.append(arabic)
        if side in ("target", "both"):
            lines.append(english)
    rng = random.Random(seed + 1)
    for _ in range(n // 4):
        if side in ("source", "both"):
            lines.append(" ".join(rng.choices(_FILLER_AR + list(lexicon), k=8)))
        if side in ("target", "both"):
            lines.append(" ".join(rng.choices(_FILLER_EN + list(lexicon.values()), k=8)))
    return lines


# ---------------------------------------------------------------------------
# SentencePiece


def train_sentencepiece(
    lines: Sequence[str],
    model_prefix: Path,
    *,
    vocab_size: int = 400,
    user_defined_symbols: Sequence[str] = (),
    model_type: str = "unigram",
) -> Path:
    """Train a real SentencePiece model on `lines`; return ``<model_prefix>.model``.

    `vocab_size` is an upper bound (``hard_vocab_limit=False``), raised if the
    symbols and characters need more.  ``<unk>``, ``<s>``, ``</s>`` get ids 0, 1, 2.
    """
    model_prefix.parent.mkdir(parents=True, exist_ok=True)
    chars = sorted({c for text in [*lines, *user_defined_symbols] for c in text if not c.isspace()} - {WORD_START})
    needed = len(user_defined_symbols) + len(chars) + 8
    # One line of single characters: every character gets a piece even when
    # the user symbols cover all the text (the trainer needs some left over).
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter([*lines, " ".join(chars)]),
        model_prefix=str(model_prefix),
        vocab_size=max(vocab_size, needed),
        model_type=model_type,
        user_defined_symbols=list(user_defined_symbols),
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return model_prefix.with_name(model_prefix.name + ".model")


def train_lexicon_spm(model_prefix: Path, *, side: str = "both", lexicon: Mapping[str, str] = LEXICON) -> Path:
    """A SentencePiece model for one side (``"source"``, ``"target"``) or both, keeping lexicon words whole."""
    return train_sentencepiece(
        training_lines(side=side, lexicon=lexicon),
        model_prefix,
        user_defined_symbols=lexicon_symbols(lexicon, side=side),
    )


def spm_pieces(model: Path) -> list[str]:
    """All pieces of a SentencePiece model, by id."""
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# ---------------------------------------------------------------------------
# The deterministic word-for-word model


def piece_map(
    source_pieces: Sequence[str],
    target_pieces: Sequence[str],
    lexicon: Mapping[str, str] = LEXICON,
    punctuation: Mapping[str, str] = PUNCTUATION,
) -> dict[str, str]:
    """What the word model writes for each source piece.

    Lexicon words (``▁word``) → ``▁gloss``; punctuation → its English mark;
    ``</s>`` → ``</s>``; any other piece is copied if the target vocabulary
    has it, else ``<unk>``.  Raises ValueError if a gloss is not one target piece.
    """
    targets = set(target_pieces)
    mapping: dict[str, str] = {}
    for piece in source_pieces:
        word = piece[len(WORD_START) :] if piece.startswith(WORD_START) else None
        if piece == "</s>":
            out = "</s>"
        elif piece in ("<unk>", "<s>", "<pad>"):
            out = "<unk>"
        elif word is not None and word in lexicon:
            out = WORD_START + lexicon[word]
            if out not in targets:
                raise ValueError(f"gloss {out!r} of {piece!r} is not a piece of the target vocabulary")
        elif piece in punctuation:
            out = punctuation[piece] if punctuation[piece] in targets else piece
        else:
            out = piece
        mapping[piece] = out if out in targets else "<unk>"
    return mapping


def position_codes(count: int, dim: int, seed: int = 0) -> np.ndarray:
    """`count` zero-mean unit vectors of size `dim`, pairwise dot products well below 1."""
    rng = np.random.default_rng(seed)
    codes = rng.standard_normal((count, dim))
    codes -= codes.mean(axis=1, keepdims=True)
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    return codes.astype(np.float32)


class _SpecConverter(Converter):
    """Hands a ready spec to CTranslate2's converter machinery (validate, optimise, save)."""

    def __init__(self, spec: transformer_spec.TransformerSpec):
        self._spec = spec

    def _load(self) -> transformer_spec.TransformerSpec:
        return self._spec


def _layer_norm(spec: common_spec.LayerNormSpec, dim: int, gamma: float = 1.0, beta: float = 0.0) -> None:
    spec.gamma = np.full(dim, gamma, dtype=np.float32)
    spec.beta = np.full(dim, beta, dtype=np.float32)


def _linear(spec: common_spec.LinearSpec, weight: np.ndarray) -> None:
    spec.weight = weight.astype(np.float32)
    spec.bias = np.zeros(weight.shape[0], dtype=np.float32)


def build_word_model(
    output_dir: Path,
    source_spm: Path,
    target_spm: Path,
    lexicon: Mapping[str, str] = LEXICON,
    *,
    punctuation: Mapping[str, str] = PUNCTUATION,
    max_positions: int = 1024,
    position_dim: int = 128,
    seed: int = 0,
) -> Path:
    """Write a CTranslate2 model translating each source piece to its gloss (see the module doc); return its dir.

    Source and target SentencePiece models may be the same file (a shared
    vocabulary, as Argos needs).  Inputs up to `max_positions` pieces.
    """
    attention_scale = 30.0  # score margin >= 30 * (1 - max off-diagonal dot product)
    logit_scale = 40.0
    epsilon = 1e-6
    source = spm_pieces(source_spm)
    target = spm_pieces(target_spm)
    mapping = piece_map(source, target, lexicon, punctuation)
    target_index = {p: i for i, p in enumerate(target)}
    n_src, n_tgt = len(source), len(target)
    dim = n_src + position_dim
    tok, pos = slice(0, n_src), slice(n_src, dim)

    codes = position_codes(max_positions, position_dim, seed)
    overlap = codes @ codes.T
    np.fill_diagonal(overlap, -1.0)
    if overlap.max() > 0.55:  # keeps the attention margin above 30 * 0.45
        raise ValueError("position codes too similar; change the seed or raise position_dim")
    positions = np.zeros((max_positions, dim), dtype=np.float32)
    positions[:, pos] = codes

    # Every encoder vector [one-hot; code] has mean 1/dim and this deviation;
    # a decoder vector before cross-attention [0; code] has mean 0.
    mean = 1.0 / dim
    sigma = float(np.sqrt(2.0 / dim - mean**2 + epsilon))
    sigma_query = float(np.sqrt(1.0 / dim + epsilon))

    spec = transformer_spec.TransformerSpec.from_config((1, 1), 1, pre_norm=True)
    encoder, decoder = spec.encoder, spec.decoder
    zero_square = np.zeros((dim, dim), dtype=np.float32)
    ffn_dim = 8

    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = np.eye(n_src, dim, dtype=np.float32)
    encoder.position_encodings.encodings = positions
    layer = encoder.layer[0]
    _layer_norm(layer.self_attention.layer_norm, dim)
    _linear(layer.self_attention.linear[0], np.zeros((3 * dim, dim), dtype=np.float32))
    _linear(layer.self_attention.linear[1], zero_square)
    _layer_norm(layer.ffn.layer_norm, dim)
    _linear(layer.ffn.linear_0, np.zeros((ffn_dim, dim), dtype=np.float32))
    _linear(layer.ffn.linear_1, np.zeros((dim, ffn_dim), dtype=np.float32))
    _layer_norm(encoder.layer_norm, dim, gamma=sigma, beta=mean)  # memory == [one-hot; code]

    decoder.scale_embeddings = False
    decoder.embeddings.weight = np.zeros((n_tgt, dim), dtype=np.float32)
    decoder.position_encodings.encodings = positions
    layer = decoder.layer[0]
    _layer_norm(layer.self_attention.layer_norm, dim)
    _linear(layer.self_attention.linear[0], np.zeros((3 * dim, dim), dtype=np.float32))
    _linear(layer.self_attention.linear[1], zero_square)
    cross = layer.attention
    _layer_norm(cross.layer_norm, dim, gamma=sigma_query)  # query input == [0; code]
    query = np.zeros((dim, dim), dtype=np.float32)
    query[pos, pos] = np.eye(position_dim) * attention_scale * np.sqrt(dim)  # undo 1/sqrt(head_dim)
    key_value = np.zeros((2 * dim, dim), dtype=np.float32)
    key_value[pos, pos] = np.eye(position_dim)  # key: the source position code
    key_value[dim : dim + n_src, tok] = np.eye(n_src)  # value: the source one-hot
    out = np.zeros((dim, dim), dtype=np.float32)
    out[tok, tok] = np.eye(n_src)
    _linear(cross.linear[0], query)
    _linear(cross.linear[1], key_value)
    _linear(cross.linear[2], out)
    _layer_norm(layer.ffn.layer_norm, dim)
    _linear(layer.ffn.linear_0, np.zeros((ffn_dim, dim), dtype=np.float32))
    _linear(layer.ffn.linear_1, np.zeros((dim, ffn_dim), dtype=np.float32))
    _layer_norm(decoder.layer_norm, dim, gamma=sigma, beta=mean)  # == [attended one-hot; code]
    projection = np.zeros((n_tgt, dim), dtype=np.float32)
    for i, piece in enumerate(source):
        projection[target_index[mapping[piece]], i] = logit_scale
    _linear(decoder.projection, projection)

    spec.register_source_vocabulary(source)
    spec.register_target_vocabulary(target)
    spec.config.add_source_eos = True
    spec.config.layer_norm_epsilon = epsilon
    _SpecConverter(spec).convert(str(output_dir), force=True)
    return output_dir


# ---------------------------------------------------------------------------
# A random Marian model in the OPUS-MT release format


def _marian_vocab(pieces: Sequence[str]) -> list[str]:
    """Marian's vocabulary from a SentencePiece model: ``</s>`` 0, ``<unk>`` 1, then the pieces."""
    return ["</s>", "<unk>", *(p for p in pieces if p not in ("<unk>", "<s>", "</s>", "<pad>"))]


def write_marian_vocab(tokens: Sequence[str], path: Path) -> Path:
    """Write a Marian ``vocab.yml`` (``"token": id`` per line, as Marian does)."""
    lines = [f"{json.dumps(token, ensure_ascii=False)}: {i}" for i, token in enumerate(tokens)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _marian_config(dim: int, ffn: int, layers: int, heads: int, vocab_sizes: Sequence[int], tied_all: bool) -> dict:
    return {
        "type": "transformer",
        "dim-vocabs": list(vocab_sizes),
        "dim-emb": dim,
        "enc-depth": layers,
        "dec-depth": layers,
        "transformer-heads": heads,
        "transformer-dim-ffn": ffn,
        "transformer-ffn-depth": 2,
        "transformer-ffn-activation": "swish",
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-postprocess-top": "",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-guided-alignment-layer": "last",
        "transformer-tied-layers": [],
        "transformer-train-position-embeddings": False,
        "tied-embeddings": True,
        "tied-embeddings-all": tied_all,
        "tied-embeddings-src": False,
        "right-left": False,
        "version": "v1.7.6 02f4af4 2018-12-12 18:51:10 -0800",
    }


def _marian_weights(config: dict, src_vocab: int, tgt_vocab: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    dim, ffn = config["dim-emb"], config["transformer-dim-ffn"]

    def w(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(weights: dict[str, np.ndarray], scope: str) -> None:
        weights[f"{scope}_ln_scale"] = (1.0 + w(1, dim, scale=0.05)).astype(np.float32)
        weights[f"{scope}_ln_bias"] = w(1, dim, scale=0.05)

    def attention(weights: dict[str, np.ndarray], scope: str) -> None:
        for name in "qkvo":
            weights[f"{scope}_W{name}"] = w(dim, dim)
            weights[f"{scope}_b{name}"] = w(1, dim, scale=0.05)
        norm(weights, f"{scope}_Wo")

    def feed_forward(weights: dict[str, np.ndarray], scope: str) -> None:
        weights[f"{scope}_W1"], weights[f"{scope}_b1"] = w(dim, ffn), w(1, ffn, scale=0.05)
        weights[f"{scope}_W2"], weights[f"{scope}_b2"] = w(ffn, dim), w(1, dim, scale=0.05)
        norm(weights, f"{scope}_ffn")

    weights: dict[str, np.ndarray] = {}
    if config["tied-embeddings-all"]:
        weights["Wemb"] = w(src_vocab, dim)
    else:
        weights["encoder_Wemb"] = w(src_vocab, dim)
        weights["decoder_Wemb"] = w(tgt_vocab, dim)
    for i in range(1, config["enc-depth"] + 1):
        attention(weights, f"encoder_l{i}_self")
        feed_forward(weights, f"encoder_l{i}_ffn")
    for i in range(1, config["dec-depth"] + 1):
        attention(weights, f"decoder_l{i}_self")
        attention(weights, f"decoder_l{i}_context")
        feed_forward(weights, f"decoder_l{i}_ffn")
    weights["decoder_ff_logit_out_b"] = w(1, tgt_vocab, scale=0.05)
    return weights


def write_marian_model(
    marian_dir: Path,
    source_spm: Path,
    target_spm: Path,
    *,
    dim: int = 32,
    layers: int = 1,
    heads: int = 2,
    seed: int = 0,
) -> Path:
    """Write an OPUS-MT release folder with random weights; return it.

    It holds ``model.npz`` (Marian parameter names, config in
    ``special:model.yml``), ``decoder.yml``, ``vocab.yml`` (one file when the
    SentencePiece models are the same file, else ``vocab.src.yml`` and
    ``vocab.trg.yml``), ``source.spm`` and ``target.spm``.
    """
    marian_dir.mkdir(parents=True, exist_ok=True)
    shared = source_spm.resolve() == target_spm.resolve()
    src_tokens = _marian_vocab(spm_pieces(source_spm))
    tgt_tokens = src_tokens if shared else _marian_vocab(spm_pieces(target_spm))
    if shared:
        vocabs = [write_marian_vocab(src_tokens, marian_dir / "vocab.yml")] * 2
    else:
        vocabs = [
            write_marian_vocab(src_tokens, marian_dir / "vocab.src.yml"),
            write_marian_vocab(tgt_tokens, marian_dir / "vocab.trg.yml"),
        ]
    config = _marian_config(dim, 4 * dim, layers, heads, [len(src_tokens), len(tgt_tokens)], shared)
    weights = _marian_weights(config, len(src_tokens), len(tgt_tokens), np.random.default_rng(seed))
    model_yml = yaml.safe_dump(config, sort_keys=False) + "\0"
    weights["special:model.yml"] = np.frombuffer(model_yml.encode("utf-8"), dtype=np.int8)
    np.savez(marian_dir / "model.npz", **weights)
    decoder = {
        "models": ["model.npz"],
        "vocabs": [v.name for v in vocabs],
        "beam-size": 6,
        "normalize": 0.6,
        "word-penalty": 0,
        "mini-batch": 16,
        "maxi-batch": 100,
        "maxi-batch-sort": "src",
        "relative-paths": True,
    }
    (marian_dir / "decoder.yml").write_text(yaml.safe_dump(decoder, sort_keys=False), encoding="utf-8")
    shutil.copyfile(source_spm, marian_dir / "source.spm")
    shutil.copyfile(target_spm, marian_dir / "target.spm")
    return marian_dir


def build_marian_model(
    work_dir: Path,
    source_spm: Path,
    target_spm: Path,
    *,
    dim: int = 32,
    layers: int = 1,
    heads: int = 2,
    seed: int = 0,
) -> Path:
    """A random Marian model written to ``work_dir/marian`` and converted by
    ``OpusMTConverter`` to ``work_dir/ct2``; return the CTranslate2 dir (its output is noise)."""
    marian_dir = write_marian_model(
        work_dir / "marian", source_spm, target_spm, dim=dim, layers=layers, heads=heads, seed=seed
    )
    out_dir = work_dir / "ct2"
    OpusMTConverter(str(marian_dir)).convert(str(out_dir), force=True)
    return out_dir


# ---------------------------------------------------------------------------
# Packages


def _model_files(ct2_dir: Path) -> Iterable[Path]:
    return sorted(p for p in ct2_dir.iterdir() if p.is_file())


def pack_opus_mt(
    ct2_dir: Path,
    source_spm: Path,
    target_spm: Path,
    out_dir: Path,
    *,
    from_code: str | None = None,
    to_code: str | None = None,
) -> Path:
    """A converted OPUS-MT folder: the CTranslate2 files plus ``source.spm`` and ``target.spm``.

    `out_dir` is replaced if it exists.  Real ones have no metadata; with `from_code`/`to_code`
    a ``metadata.json`` names the languages.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for path in _model_files(ct2_dir):
        shutil.copyfile(path, out_dir / path.name)
    shutil.copyfile(source_spm, out_dir / "source.spm")
    shutil.copyfile(target_spm, out_dir / "target.spm")
    if from_code or to_code:
        meta = {"from_code": from_code, "to_code": to_code}
        (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out_dir


LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French", "it": "Italian"}


def argos_metadata(from_code: str = "ar", to_code: str = "en") -> dict:
    """``metadata.json`` of an Argos Translate package, with the keys Argos reads."""
    name = argos_package_name(from_code, to_code)
    return {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [f"https://example.invalid/argospm/{name}.argosmodel"],
    }


def argos_package_name(from_code: str = "ar", to_code: str = "en", version: str = "1.0") -> str:
    """Argos' name for a package: ``translate-ar_en-1_0``."""
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def pack_argos(
    ct2_dir: Path,
    spm: Path,
    out: Path,
    *,
    from_code: str = "ar",
    to_code: str = "en",
    zipped: bool = True,
) -> Path:
    """An Argos package in folder `out`: ``translate-ar_en-1_0.argosmodel`` (a zip of one top
    folder holding ``metadata.json``, ``model/``, ``sentencepiece.model``, ``README.md``), or
    with ``zipped=False`` that folder itself.  The model must use `spm` for both sides.
    """
    name = argos_package_name(from_code, to_code)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "metadata.json": (json.dumps(argos_metadata(from_code, to_code), indent=2) + "\n").encode(),
        "sentencepiece.model": spm.read_bytes(),
        "README.md": f"# {name}\n\nA tiny generated test model (word for word), not a real translator.\n".encode(),
    }
    for path in _model_files(ct2_dir):
        files[f"model/{path.name}"] = path.read_bytes()
    if not zipped:
        folder = out / name
        if folder.exists():
            shutil.rmtree(folder)
        for relative, data in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(data)
        return folder
    archive = out / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(f"{name}/", b"")
        zf.writestr(f"{name}/model/", b"")
        for relative, data in files.items():
            zf.writestr(f"{name}/{relative}", data)
    return archive


def malicious_zip(out: Path, members: Sequence[str] = MALICIOUS_MEMBERS) -> Path:
    """An ``.argosmodel`` in folder `out` that looks like a package (a top folder with
    ``metadata.json``) but also has `members` escaping the unpack folder (by default
    ``../evil.txt`` and an absolute path), stored verbatim."""
    out.mkdir(parents=True, exist_ok=True)
    name = argos_package_name()
    archive = out / "translate-ar_en-evil.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{name}/metadata.json", json.dumps(argos_metadata()))
        for member in members:
            zf.writestr(zipfile.ZipInfo(member), b"escaped\n")
    return archive


# ---------------------------------------------------------------------------
# Everything at once


@dataclass(frozen=True)
class Kit:
    """Paths of one set of built test models."""

    root: Path
    shared_spm: Path  # Arabic + English, lexicon words whole
    word_model: Path  # CTranslate2 dir of the word model over shared_spm
    argos_zip: Path  # word model as translate-ar_en-1_0.argosmodel
    argos_dir: Path  # the same, unpacked
    opus_dir: Path  # word model as a converted OPUS-MT folder (source.spm = target.spm = shared_spm)
    marian_source_spm: Path  # Arabic only
    marian_target_spm: Path  # English only
    marian_release: Path  # the random Marian model as OPUS-MT releases it (model.npz, decoder.yml, vocab ymls)
    marian_opus_dir: Path  # random Marian model, converted, as an OPUS-MT folder (separate vocabularies)
    lexicon: dict[str, str] = field(default_factory=lambda: dict(LEXICON))


def build_kit(tmp: Path) -> Kit:
    """Build all models under `tmp` (about a second)."""
    tmp.mkdir(parents=True, exist_ok=True)
    shared = train_lexicon_spm(tmp / "spm" / "shared", side="both")
    word_model = build_word_model(tmp / "word-ct2", shared, shared)
    argos_zip = pack_argos(word_model, shared, tmp / "argos-zip")
    argos_dir = pack_argos(word_model, shared, tmp / "argos-dir", zipped=False)
    opus_dir = pack_opus_mt(word_model, shared, shared, tmp / "opus" / "opus-mt-ar-en")
    source = train_lexicon_spm(tmp / "spm" / "ar", side="source")
    target = train_lexicon_spm(tmp / "spm" / "en", side="target")
    marian_ct2 = build_marian_model(tmp / "marian-build", source, target)
    marian_opus = pack_opus_mt(marian_ct2, source, target, tmp / "opus-random" / "opus-mt-ar-en")
    return Kit(
        root=tmp,
        shared_spm=shared,
        word_model=word_model,
        argos_zip=argos_zip,
        argos_dir=argos_dir,
        opus_dir=opus_dir,
        marian_source_spm=source,
        marian_target_spm=target,
        marian_release=marian_ct2.parent / "marian",
        marian_opus_dir=marian_opus,
        lexicon=dict(LEXICON),
    )


def translate(
    model_dir: Path,
    source_spm: Path,
    target_spm: Path,
    sentences: Sequence[str],
    *,
    compute_type: str = "default",
    intra_threads: int = 1,
    **options: object,
) -> list[str]:
    """Translate `sentences` with a CTranslate2 model and its SentencePiece models (test helper).

    One thread by default: on a busy machine CTranslate2's thread pool can be 10x slower.
    """
    source = sentencepiece.SentencePieceProcessor(model_file=str(source_spm))
    target = sentencepiece.SentencePieceProcessor(model_file=str(target_spm))
    translator = ctranslate2.Translator(
        str(model_dir), device="cpu", compute_type=compute_type, intra_threads=intra_threads
    )
    batch = [source.encode(s, out_type=str) for s in sentences]
    results = translator.translate_batch(batch, **options)
    return [target.decode(r.hypotheses[0]) for r in results]
