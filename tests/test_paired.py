"""An English translation checked against its Arabic original."""

from conftest import MINI, run_cli

from normalize import Normalizer
from normalize.translate.paired import clean_with_original

MINI_NORMALIZER = Normalizer.load([MINI], include_default=False)
ONLY = ("--no-default-gazetteers", "-g", str(MINI))


def test_the_original_decides_between_look_alikes_the_english_cannot():
    alone = MINI_NORMALIZER.normalize("Troops reached Jufara in Libya.")
    assert alone.text == "Troops reached Jufara in Libya." and alone.review
    paired = clean_with_original(MINI_NORMALIZER, "Troops reached Jufara in Libya.", "وصلت القوات إلى الجفارة")
    assert paired.text == "Troops reached Jafara in Libya."
    assert paired.changes[0].method == "source"


def test_the_original_corrects_a_listed_spelling_that_means_the_other_place():
    # "Jafra" is listed for Jufra, but this original names Jafara.
    assert clean_with_original(MINI_NORMALIZER, "near Jafra", "قرب الجفارة").text == "near Jafara"
    assert clean_with_original(MINI_NORMALIZER, "near Jafra", "قرب الجفرة").text == "near Jufra"


def test_an_ambiguous_name_confirmed_by_the_original_needs_no_other_context():
    assert clean_with_original(MINI_NORMALIZER, "Wefaq forces", "قوات الوفاق").text == "GNA forces"


def test_text_takes_an_original(tmp_path):
    original = tmp_path / "a.ar.txt"
    original.write_text("وصلت القوات إلى الجفارة", encoding="utf-8")
    proc = run_cli("text", *ONLY, "--original", str(original), input=b"Troops reached Jufara.")
    assert proc.stdout == b"Troops reached Jafara."


def test_run_pairs_each_file_with_its_original_by_name(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "ar").mkdir()
    (tmp_path / "en" / "a.txt").write_text("Troops reached Jufara.\n")
    (tmp_path / "en" / "b.txt").write_text("Troops reached Jufara.\n")
    (tmp_path / "ar" / "a.ar.txt").write_text("وصلت القوات إلى الجفارة", encoding="utf-8")
    proc = run_cli("run", str(tmp_path / "en"), "-o", str(tmp_path / "out"), "--originals", str(tmp_path / "ar"), *ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text() == "Troops reached Jafara.\n"
    assert (tmp_path / "out" / "b.txt").read_text() == "Troops reached Jufara.\n"  # no original: left for review


def test_an_original_in_windows_1256_is_read(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "ar").mkdir()
    (tmp_path / "en" / "a.txt").write_text("Troops reached Jufara.\n")
    (tmp_path / "ar" / "a.ar.txt").write_bytes("وصلت القوات إلى الجفارة".encode("cp1256"))
    proc = run_cli("run", str(tmp_path / "en"), "-o", str(tmp_path / "out"), "--originals", str(tmp_path / "ar"), *ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text() == "Troops reached Jafara.\n"
