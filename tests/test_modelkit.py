"""The test model kit builds real, tiny models that behave as specified."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import ctranslate2
import numpy as np
import pytest
import sentencepiece
import yaml
from modelkit import (
    LEXICON,
    MALICIOUS_MEMBERS,
    PUNCTUATION,
    WORD_START,
    Kit,
    build_kit,
    build_marian_model,
    build_word_model,
    generate_sentences,
    lexicon_symbols,
    malicious_zip,
    pack_argos,
    piece_map,
    spm_pieces,
    train_lexicon_spm,
    train_sentencepiece,
    translate,
)

BUILD_SECONDS: dict[str, float] = {}


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    started = time.perf_counter()
    built = build_kit(tmp_path_factory.mktemp("modelkit"))
    BUILD_SECONDS["kit"] = time.perf_counter() - started
    return built


@pytest.fixture(scope="session")
def shared(kit: Kit) -> sentencepiece.SentencePieceProcessor:
    return sentencepiece.SentencePieceProcessor(model_file=str(kit.shared_spm))


@pytest.fixture(scope="session")
def word_translator(kit: Kit) -> ctranslate2.Translator:
    return ctranslate2.Translator(str(kit.word_model), device="cpu", intra_threads=1)


def test_the_kit_builds_in_well_under_ten_seconds(kit):
    assert BUILD_SECONDS["kit"] < 10


# --- lexicon and sentences


def test_the_lexicon_gives_machine_translation_variants_for_names():
    assert 40 <= len(LEXICON) <= 80
    for arabic, variant in {"حفتر": "Hafter", "سرت": "Sirt", "ترهونة": "Tharouna", "الوفاق": "Al-Wefaq"}.items():
        assert LEXICON[arabic] == variant
    assert all(" " not in w for pair in LEXICON.items() for w in pair)  # one word each side


def test_sentences_are_deterministic_glossed_and_3_to_12_words():
    pairs = generate_sentences(300, seed=5)
    assert pairs == generate_sentences(300, seed=5)
    assert pairs != generate_sentences(300, seed=6)
    for arabic, english in pairs:
        words = arabic.split()
        assert 3 <= len(words) <= 12 and len(english.split()) == len(words)
        bare = [w.rstrip("".join(PUNCTUATION)) for w in words]
        assert english.split() == [
            LEXICON[b] + PUNCTUATION.get(w[len(b) :], "") for w, b in zip(words, bare, strict=True)
        ]
    text = " ".join(a for a, _ in pairs)
    assert all(mark in text for mark in PUNCTUATION)


# --- SentencePiece


def test_the_shared_spm_keeps_every_lexicon_word_whole(shared):
    for arabic, english in LEXICON.items():
        assert shared.encode(arabic, out_type=str) == [WORD_START + arabic]
        assert shared.encode(english, out_type=str) == [WORD_START + english]
    assert shared.encode("طرابلس، سرت؟", out_type=str) == ["▁طرابلس", "،", "▁سرت", "؟"]
    assert shared.encode("Tripoli, Sirt?", out_type=str) == ["▁Tripoli", ",", "▁Sirt", "?"]


def test_one_sided_spms_keep_their_side_whole(kit):
    source = sentencepiece.SentencePieceProcessor(model_file=str(kit.marian_source_spm))
    target = sentencepiece.SentencePieceProcessor(model_file=str(kit.marian_target_spm))
    for arabic, english in LEXICON.items():
        assert source.encode(arabic, out_type=str) == [WORD_START + arabic]
        assert target.encode(english, out_type=str) == [WORD_START + english]


def test_unknown_words_become_subword_pieces(shared):
    pieces = shared.encode("البرلمان", out_type=str)
    assert len(pieces) > 1 and shared.decode(pieces) == "البرلمان"


# --- the word model


@pytest.mark.parametrize("compute_type", ["default", "int8"])
@pytest.mark.parametrize("beam_size", [1, 4])
def test_the_word_model_translates_exactly_the_gloss(kit, shared, beam_size, compute_type):
    translator = ctranslate2.Translator(str(kit.word_model), device="cpu", compute_type=compute_type, intra_threads=1)
    pairs = generate_sentences(200, seed=11)
    results = translator.translate_batch([shared.encode(a, out_type=str) for a, _ in pairs], beam_size=beam_size)
    assert [shared.decode(r.hypotheses[0]) for r in results] == [e for _, e in pairs]


def test_attention_peaks_on_the_aligned_source_piece(shared, word_translator):
    pairs = generate_sentences(50, seed=12)
    sources = [shared.encode(a, out_type=str) for a, _ in pairs]
    results = word_translator.translate_batch(sources, beam_size=4, return_attention=True)
    for source, result in zip(sources, results, strict=True):
        attention = np.array(result.attention[0])
        assert attention.shape == (len(source), len(source))  # target piece j <- source piece j
        assert (attention.argmax(axis=1) == np.arange(len(source))).all()
        assert attention.max(axis=1).min() > 0.99


def test_a_batch_of_64_sentences_of_different_lengths(shared, word_translator):
    pairs = generate_sentences(64, seed=13)
    sources = [shared.encode(a, out_type=str) for a, _ in pairs]
    assert len({len(s) for s in sources}) >= 8
    results = word_translator.translate_batch(sources, beam_size=4, max_batch_size=256, batch_type="tokens")
    assert [shared.decode(r.hypotheses[0]) for r in results] == [e for _, e in pairs]


def test_a_long_input_is_translated_and_aligned(shared, word_translator):
    pairs = generate_sentences(25, seed=14)
    source = shared.encode(" ".join(a for a, _ in pairs), out_type=str)
    assert len(source) > 150
    result = word_translator.translate_batch([source], max_decoding_length=1000, return_attention=True)[0]
    assert shared.decode(result.hypotheses[0]) == " ".join(e for _, e in pairs)
    assert (np.array(result.attention[0]).argmax(axis=1) == np.arange(len(source))).all()


def test_pieces_outside_the_lexicon_are_copied_or_unknown(kit, shared, word_translator):
    mapping = piece_map(spm_pieces(kit.shared_spm), spm_pieces(kit.shared_spm))
    assert mapping["▁حفتر"] == "▁Hafter" and mapping["،"] == "," and mapping["</s>"] == "</s>"
    for text in ["الاتحاد الأفريقي في البرلمان", "Hafter في Sirt", "xyz حفتر ☃"]:
        source = shared.encode(text, out_type=str)
        expected = [mapping.get(p, "<unk>") for p in source]
        assert word_translator.translate_batch([source])[0].hypotheses[0] == expected
    assert translate(kit.word_model, kit.shared_spm, kit.shared_spm, ["قوات حفتر في البرلمان"]) == [
        "forces Hafter in البرلمان"
    ]


def test_the_word_model_works_with_separate_vocabularies(kit, tmp_path):
    model = build_word_model(tmp_path / "ct2", kit.marian_source_spm, kit.marian_target_spm)
    assert (model / "source_vocabulary.json").exists() and (model / "target_vocabulary.json").exists()
    pairs = generate_sentences(30, seed=15)
    out = translate(model, kit.marian_source_spm, kit.marian_target_spm, [a for a, _ in pairs], beam_size=2)
    assert out == [e for _, e in pairs]


def test_the_word_model_is_byte_for_byte_reproducible(kit, tmp_path):
    spm = train_lexicon_spm(tmp_path / "spm" / "shared", side="both")
    assert spm_pieces(spm) == spm_pieces(kit.shared_spm)  # the file also records its own path
    model = build_word_model(tmp_path / "ct2", spm, spm)
    assert (model / "model.bin").read_bytes() == (kit.word_model / "model.bin").read_bytes()


def test_a_custom_lexicon_is_honoured(tmp_path):
    lexicon = {"حفتر": "Haftar", "سرت": "Sirte", "في": "at"}
    lines = ["حفتر في سرت", "Haftar at Sirte"] * 20
    spm = train_sentencepiece(lines, tmp_path / "tiny", user_defined_symbols=lexicon_symbols(lexicon))
    model = build_word_model(tmp_path / "ct2", spm, spm, lexicon)
    assert translate(model, spm, spm, ["حفتر في سرت."]) == ["Haftar at Sirte."]


# --- the random Marian model (real OPUS-MT formats)


def test_the_marian_release_has_marian_files_and_names(kit):
    marian = kit.marian_release
    decoder = yaml.safe_load((marian / "decoder.yml").read_text())
    assert decoder["models"] == ["model.npz"] and decoder["vocabs"] == ["vocab.src.yml", "vocab.trg.yml"]
    weights = np.load(marian / "model.npz")
    for name in [
        "encoder_Wemb",
        "decoder_Wemb",
        "encoder_l1_self_Wq",
        "decoder_l1_context_Wk",
        "decoder_ff_logit_out_b",
    ]:
        assert name in weights.files
    config = yaml.safe_load(weights["special:model.yml"][:-1].tobytes())
    assert config["type"] == "transformer" and config["dim-emb"] == 32
    assert (marian / "vocab.src.yml").read_text(encoding="utf-8").startswith('"</s>": 0\n"<unk>": 1\n')


def test_the_converted_marian_model_loads_and_translates(kit):
    folder = kit.marian_opus_dir
    assert {"model.bin", "config.json", "source.spm", "target.spm"} <= {p.name for p in folder.iterdir()}
    assert (folder / "source_vocabulary.json").exists() and (folder / "target_vocabulary.json").exists()
    assert json.loads((folder / "config.json").read_text())["add_source_eos"] is True
    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target_vocab = set(json.loads((folder / "target_vocabulary.json").read_text()))
    translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=1)
    batch = [source.encode(a, out_type=str) for a, _ in generate_sentences(8, seed=16)]
    results = translator.translate_batch(batch, beam_size=2, max_decoding_length=12, return_attention=True)
    assert all(r.hypotheses[0] and set(r.hypotheses[0]) <= target_vocab for r in results)


def test_a_shared_vocabulary_marian_model_converts_too(kit, tmp_path):
    model = build_marian_model(tmp_path, kit.shared_spm, kit.shared_spm, dim=16, heads=4, layers=2, seed=3)
    assert (tmp_path / "marian" / "vocab.yml").exists() and "Wemb" in np.load(tmp_path / "marian" / "model.npz").files
    assert (model / "shared_vocabulary.json").exists()
    out = translate(model, kit.shared_spm, kit.shared_spm, ["قوات حفتر"], max_decoding_length=5)
    assert isinstance(out[0], str)


# --- packages


def test_the_argos_zip_holds_one_folder_with_the_argos_layout(kit):
    assert kit.argos_zip.name == "translate-ar_en-1_0.argosmodel"
    with zipfile.ZipFile(kit.argos_zip) as zf:
        names = zf.namelist()
        tops = {n.split("/")[0] for n in names}
        assert tops == {"translate-ar_en-1_0"}
        top = tops.pop()
        for member in ["metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"]:
            assert f"{top}/{member}" in names
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    assert {"package_version", "argos_version", "from_code", "from_name", "to_code", "to_name"} <= set(meta)
    assert (meta["from_code"], meta["to_code"], meta["from_name"], meta["to_name"]) == ("ar", "en", "Arabic", "English")
    assert meta["type"] == "translate"


def test_the_unpacked_argos_folder_translates_with_its_one_spm(kit):
    folder = kit.argos_dir
    assert folder.name == "translate-ar_en-1_0" and (folder / "model" / "shared_vocabulary.json").exists()
    spm = folder / "sentencepiece.model"
    pairs = generate_sentences(10, seed=17)
    assert translate(folder / "model", spm, spm, [a for a, _ in pairs]) == [e for _, e in pairs]


def test_argos_packages_for_other_pairs(kit, tmp_path):
    archive = pack_argos(kit.word_model, kit.shared_spm, tmp_path, from_code="ar", to_code="fr")
    assert archive.name == "translate-ar_fr-1_0.argosmodel"
    with zipfile.ZipFile(archive) as zf:
        assert json.loads(zf.read("translate-ar_fr-1_0/metadata.json"))["to_name"] == "French"


def test_the_opus_mt_folder_has_the_converted_layout(kit):
    folder = kit.opus_dir
    names = {p.name for p in folder.iterdir()}
    assert {"model.bin", "config.json", "shared_vocabulary.json", "source.spm", "target.spm"} <= names
    assert "metadata.json" not in names  # as users get it from the converter
    pairs = generate_sentences(10, seed=18)
    out = translate(folder, folder / "source.spm", folder / "target.spm", [a for a, _ in pairs])
    assert out == [e for _, e in pairs]


def test_the_malicious_zip_carries_traversal_members(tmp_path):
    archive = malicious_zip(tmp_path)
    assert archive.suffix == ".argosmodel" and zipfile.is_zipfile(archive)
    names = zipfile.ZipFile(archive).namelist()
    assert "../evil.txt" in names and any(n.startswith("/") for n in names)
    assert set(MALICIOUS_MEMBERS) <= set(names)
    assert not (tmp_path.parent / "evil.txt").exists() and not Path(MALICIOUS_MEMBERS[1]).exists()
    only = malicious_zip(tmp_path / "one", members=["a/../../evil.txt"])
    assert zipfile.ZipFile(only).namelist() == ["translate-ar_en-1_0/metadata.json", "a/../../evil.txt"]
