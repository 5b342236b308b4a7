"""Re-translation end to end, on tiny real models built by tests/modelkit.py.

The word-for-word model translates each Arabic word to its lexicon gloss,
with the machine-translation spellings a real model produces (Hafter, Sirt,
Maitika); its attention is exact, so the tests can assert every word.
"""

import json

import pytest
from conftest import run_cli
from modelkit import build_kit

from normalize import Normalizer
from normalize.translate.engine import Engine, TranslateOptions
from normalize.translate.models import ModelError, open_model
from normalize.translate.retranslate import Retranslator

SHIPPED = Normalizer.load()


@pytest.fixture(scope="session")
def kit(tmp_path_factory):
    return build_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="session")
def engine(kit, tmp_path_factory):
    return Engine(open_model(kit.argos_zip, unpack_dir=tmp_path_factory.mktemp("unpacked")))


def test_every_package_layout_loads_and_translates(kit, tmp_path):
    for path in (kit.argos_zip, kit.argos_dir, kit.opus_dir):
        engine = Engine(open_model(path, unpack_dir=tmp_path), TranslateOptions(beam_size=1))
        [translation] = engine.translate(["قوات حفتر في سرت."])
        assert engine.decode(translation.target_pieces) == "forces Hafter in Sirt."


def test_a_converted_opus_mt_model_with_random_weights_loads_and_runs(kit, tmp_path):
    engine = Engine(open_model(kit.marian_opus_dir), TranslateOptions(beam_size=1, max_decoding_length=8))
    [translation] = engine.translate(["قوات حفتر"])
    assert 0 < len(translation.target_pieces) <= 8


def test_names_come_out_canonical_and_the_log_says_they_came_from_the_source(engine):
    done = Retranslator(SHIPPED, engine).retranslate("قال المشير خليفة حفتر إن قوات الوفاق في سرت.")
    assert done.translation == "said marshal Khalifa Hafter that forces Al-Wefaq in Sirt."
    assert done.result.text == "said marshal Khalifa Haftar that forces GNA in Sirte."
    assert {(c.before, c.after, c.method) for c in done.result.changes} == {
        ("Khalifa Hafter", "Khalifa Haftar", "source"),
        ("Al-Wefaq", "GNA", "source"),
        ("Sirt", "Sirte", "source"),
    }


def test_protection_settles_what_post_editing_alone_cannot(engine):
    # "Maitika" shares a key with Mitiga airport and Ahmed Maiteeq: English alone asks.
    source = "هجوم على مطار معيتيقة الدولي."
    alone = Retranslator(SHIPPED, engine, protect_names=False).retranslate(source)
    assert alone.result.text == "attack on airport Maitika international." and alone.result.review
    protected = Retranslator(SHIPPED, engine).retranslate(source)
    # the source names the airport ("مطار معيتيقة"): its whole name replaces "airport Maitika"
    assert protected.result.text == "attack on Mitiga International Airport international."


def test_paragraphs_and_line_endings_are_kept(engine):
    source = "قوات حفتر في سرت. هجوم على طرابلس.\r\n\r\nقال رئيس مجلس النواب؟\r\n"
    done = Retranslator(SHIPPED, engine).retranslate(source)
    assert (
        done.result.text == "forces Haftar in Sirte. attack on Tripoli.\r\n\r\nsaid head council representatives?\r\n"
    )


def test_a_batch_of_many_sentences_of_different_lengths(engine, kit):
    from modelkit import generate_sentences

    pairs = generate_sentences(64, seed=3)
    translations = engine.translate([arabic for arabic, _ in pairs])
    assert [engine.decode(t.target_pieces) for t in translations] == [english for _, english in pairs]


def test_a_repeated_sentence_is_translated_once(engine):
    first, second = engine.translate(["قوات حفتر.", "قوات حفتر."])
    assert first is second


def test_control_characters_in_the_source_do_not_reach_the_model(engine):
    done = Retranslator(SHIPPED, engine).retranslate("قوات\u200f حفتر\u200c في سرت.")
    assert done.result.text == "forces Haftar in Sirte."


# the command line


def test_translate_command_with_an_argos_package(kit, tmp_path):
    source = tmp_path / "article.ar.txt"
    source.write_text("قوات حفتر في سرت.\n", encoding="utf-8")
    changes = tmp_path / "changes.jsonl"
    proc = run_cli(
        "translate",
        str(source),
        "--model",
        str(kit.argos_zip),
        "--models-dir",
        str(tmp_path / "m"),
        "--changes",
        str(changes),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "forces Haftar in Sirte.\n"
    assert [json.loads(line)["method"] for line in changes.read_text().splitlines()] == ["source", "source"]


def test_run_retranslates_a_folder_of_originals(kit, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.ar.txt").write_text("قوات حفتر في سرت.\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("هجوم على ترهونة.\n", encoding="utf-8")
    proc = run_cli(
        "run",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "--retranslate",
        "--model",
        str(kit.opus_dir),
        "--beam-size",
        "1",
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.ar.txt").read_text() == "forces Haftar in Sirte.\n"
    assert (tmp_path / "out" / "b.txt").read_text() == "attack on Tarhuna.\n"
    log = [json.loads(line) for line in (tmp_path / "out" / "changes.jsonl").read_text().splitlines()]
    assert [(c["file"].endswith("b.txt"), c["after"], c["method"]) for c in log][-1] == (True, "Tarhuna", "source")


def test_models_install_list_verify_and_choose_by_language(kit, tmp_path):
    models = tmp_path / "models"
    proc = run_cli("models", "install", str(kit.argos_zip), "--models-dir", str(models))
    assert proc.returncode == 0, proc.stderr
    listing = run_cli("models", "list", "--models-dir", str(models))
    assert b"translate-ar_en-1_0 (argos, ar->en)" in listing.stdout
    assert run_cli("models", "verify", str(kit.opus_dir)).returncode == 0
    # no --model: the installed ar->en model is chosen from the Arabic script
    proc = run_cli("translate", "--models-dir", str(models), input="قوات حفتر".encode())
    assert proc.stdout.decode() == "forces Haftar"


def test_a_missing_model_is_a_clear_error(tmp_path):
    proc = run_cli("translate", "--models-dir", str(tmp_path / "none"), input="قوات حفتر".encode())
    assert proc.returncode == 3 and b"no model for ar->en" in proc.stderr
    proc = run_cli("translate", "--model", str(tmp_path / "nowhere"), input="قوات".encode())
    assert proc.returncode == 3 and b"expected an Argos package" in proc.stderr


def test_a_broken_model_says_it_does_not_load(kit, tmp_path):
    import shutil

    broken = tmp_path / "opus-mt-ar-en"
    shutil.copytree(kit.opus_dir, broken)
    (broken / "model.bin").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="does not load"):
        Engine(open_model(broken))
    assert run_cli("models", "verify", str(broken)).returncode == 3


def test_an_archive_that_escapes_its_folder_is_refused_on_install(tmp_path):
    from modelkit import malicious_zip

    evil = malicious_zip(tmp_path)
    proc = run_cli("models", "install", str(evil), "--models-dir", str(tmp_path / "models"))
    assert proc.returncode == 3 and b"refusing to unpack" in proc.stderr
    assert not (tmp_path / "evil.txt").exists()


def test_run_reports_files_without_a_model_and_goes_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.tr.txt").write_text("Hafter güçleri\n", encoding="utf-8")
    (tmp_path / "in" / "b.en.txt").write_text("Hafter forces\n", encoding="utf-8")
    proc = run_cli(
        "run",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "--retranslate",
        "--models-dir",
        str(tmp_path / "none"),
    )
    assert proc.returncode == 3 and b"no model for tr->en" in proc.stderr
    assert (tmp_path / "out" / "b.en.txt").read_text() == "Haftar forces\n"


def test_a_name_the_model_left_out_goes_to_review(kit, tmp_path):
    from modelkit import LEXICON, build_word_model, pack_opus_mt

    # a model that renders حفتر as "in": nothing in the output is the name, and it cannot be put back
    lossy = build_word_model(tmp_path / "ct2", kit.shared_spm, kit.shared_spm, {**LEXICON, "حفتر": "in"})
    engine = Engine(open_model(pack_opus_mt(lossy, kit.shared_spm, kit.shared_spm, tmp_path / "opus-mt-ar-en")))
    done = Retranslator(SHIPPED, engine).retranslate("قوات حفتر في سرت.")
    assert done.lost_names == ("حفتر",)
    [item] = done.result.review
    assert "has no word for the name حفتر (Haftar)" in item.reason and item.method == "source"
    assert done.result.text == "forces in in Sirte."
