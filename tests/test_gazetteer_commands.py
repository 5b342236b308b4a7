"""The maintainers' commands, run as real processes, error paths included."""

import json
import shutil
from pathlib import Path

from conftest import MINI, run_cli

ONLY = "--no-default-gazetteers"


def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini gazetteer."""
    folder = tmp_path / "gaz"
    shutil.copytree(MINI, folder)
    return folder


# lint


def test_lint_of_clean_files_exits_0(tmp_path):
    proc = run_cli("gazetteer", "lint", ONLY, str(mini_copy(tmp_path)))
    assert proc.returncode == 0, proc.stdout
    assert b"no problems" in proc.stderr


def _lint_with_sirte_variant(tmp_path: Path, variant: str) -> tuple[bytes, str]:
    """`gazetteer lint` of the mini gazetteer with `variant` added to Sirte:
    its output, and the file:line where the variant is."""
    folder = mini_copy(tmp_path)
    path = folder / "libya.toml"
    path.write_text(path.read_text().replace('variants = ["Sirt"]', f'variants = ["Sirt", "{variant}"]'))
    proc = run_cli("gazetteer", "lint", ONLY, str(folder))
    assert proc.returncode == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if f'"{variant}"' in text)
    return proc.stdout, f"{path}:{line}"


def test_lint_reports_file_line_and_code_and_exits_1(tmp_path):
    out, place = _lint_with_sirte_variant(tmp_path, "Sort")
    assert f"{place}: G005 sirte: variant 'Sort' is a common English word".encode() in out


def test_lint_of_a_file_that_does_not_load_exits_4(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[x\n")
    proc = run_cli("gazetteer", "lint", ONLY, str(bad))
    assert proc.returncode == 4 and f"{bad}:1: G000 TOML syntax".encode() in proc.stdout


# add


def test_add_puts_a_variant_into_the_entitys_file_and_keeps_comments(tmp_path):
    folder = mini_copy(tmp_path)
    before = (folder / "libya.toml").read_text()
    proc = run_cli("gazetteer", "add", "sirte", "Syrte", ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    after = (folder / "libya.toml").read_text()
    assert after == before.replace('variants = ["Sirt"]', 'variants = ["Sirt", "Syrte"]')
    assert run_cli("text", ONLY, "-g", str(folder), input=b"Syrte").stdout == b"Sirte"


def test_add_to_a_linked_gazetteer_edits_the_file_the_link_leads_to(tmp_path):
    folder = mini_copy(tmp_path)
    shared = tmp_path / "shared.toml"
    (folder / "libya.toml").rename(shared)
    (folder / "libya.toml").symlink_to(shared)
    proc = run_cli("gazetteer", "add", "sirte", "Syrte", ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert (folder / "libya.toml").is_symlink()
    assert '"Syrte"' in shared.read_text()


def test_add_to_a_short_form(tmp_path):
    folder = mini_copy(tmp_path)
    assert (
        run_cli("gazetteer", "add", "khalifa_haftar", "Hifter", "--short", "Haftar", ONLY, "-g", str(folder)).returncode
        == 0
    )
    assert 'variants = ["Hafter", "Heftar", "Hifter"]' in (folder / "libya.toml").read_text()


def test_add_creates_a_new_short_form(tmp_path):
    folder = mini_copy(tmp_path)
    proc = run_cli("gazetteer", "add", "benghazi", "Bengasi", "--short", "Bengh", ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert run_cli("text", ONLY, "-g", str(folder), input=b"Bengasi").stdout == b"Bengh"


def test_add_refuses_an_edit_that_lint_rejects_and_writes_nothing(tmp_path):
    folder = mini_copy(tmp_path)
    before = (folder / "libya.toml").read_bytes()
    proc = run_cli("gazetteer", "add", "sirte", "Jafra", ONLY, "-g", str(folder))  # Jufra's variant
    assert proc.returncode == 4
    assert b"the edit was not written" in proc.stderr and b"G002" in proc.stderr
    assert (folder / "libya.toml").read_bytes() == before


def test_add_to_an_unknown_entity_explains_how_to_create_one(tmp_path):
    proc = run_cli("gazetteer", "add", "gotham", "Gothham", ONLY, "-g", str(mini_copy(tmp_path)))
    assert proc.returncode == 4 and b"no entity with id 'gotham'" in proc.stderr


def test_add_a_new_entity(tmp_path):
    folder = mini_copy(tmp_path)
    new = folder / "more.toml"
    proc = run_cli(
        "gazetteer",
        "add",
        "zliten",
        "Zlitan",
        "--canonical",
        "Zliten",
        "--type",
        "place",
        "--file",
        str(new),
        "--arabic",
        "زليتن",
        "--geonames",
        "2208425",
        ONLY,
        "-g",
        str(folder),
    )
    assert proc.returncode == 0, proc.stderr
    assert 'canonical = "Zliten"' in new.read_text() and "geonames = 2208425" in new.read_text()
    assert run_cli("text", ONLY, "-g", str(folder), input=b"Zlitan").stdout == b"Zliten"


def test_add_a_new_entity_needs_a_type(tmp_path):
    proc = run_cli("gazetteer", "add", "zliten", "--canonical", "Zliten", ONLY, "-g", str(mini_copy(tmp_path)))
    assert proc.returncode == 2 and b"needs --type" in proc.stderr


# suggest, then add --from


def test_suggest_finds_unlisted_spellings_ranked_with_an_example(tmp_path):
    folder = mini_copy(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hifter spoke in Libya. Later Hifter left.\n")
    (corpus / "b.txt").write_text("Forces reached Tarhounah in Libya.\n")
    out = tmp_path / "s.tsv"
    proc = run_cli("gazetteer", "suggest", str(corpus), "-o", str(out), ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in out.read_text().splitlines() if not line.startswith("#")]
    header, first, second = rows
    assert header[:3] == ["spelling", "entity", "short"]
    assert first[:5] == ["Hifter", "khalifa_haftar", "Haftar", "Haftar", "2"]
    assert first[header.index("example")] == "Hifter spoke in Libya."
    assert second[:2] == ["Tarhounah", "tarhuna"]

    proc = run_cli("gazetteer", "add", "--from", str(out), ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    result = run_cli("run", str(corpus), "-o", str(tmp_path / "clean"), ONLY, "-g", str(folder))
    assert result.returncode == 0
    changes = [json.loads(line) for line in (tmp_path / "clean" / "changes.jsonl").read_text().splitlines()]
    assert {c["method"] for c in changes} == {"exact"}


def _suggested(tmp_path: Path, text: str) -> list[list[str]]:
    """The rows `gazetteer suggest` writes for a corpus of one file holding
    `text`, against a copy of the mini gazetteer (header row left out)."""
    folder = mini_copy(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(text)
    out = tmp_path / "s.tsv"
    proc = run_cli("gazetteer", "suggest", str(corpus), "-o", str(out), ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    return [line.split("\t") for line in out.read_text().splitlines() if not line.startswith("#")][1:]


def test_suggest_counts_a_spelling_in_capitals_as_its_capitalised_form(tmp_path):
    # a text in capitals matches every listed spelling in capitals: one row, never an ALL-CAPS copy
    rows = _suggested(tmp_path, "Hifter spoke in Libya.\nHIFTER FORCES ADVANCE IN LIBYA\n")
    assert [row[:5] for row in rows] == [["Hifter", "khalifa_haftar", "Haftar", "Haftar", "2"]]


def test_suggest_never_proposes_a_spelling_that_differs_from_a_listed_one_only_in_case(tmp_path):
    # the key and fuzzy stages find them, ignoring case; listing them would be lint G004/G017
    rows = _suggested(tmp_path, "Khalifa HAFTAR spoke in Libya. In Libya SiRT was quiet. Hifter left Libya.\n")
    assert [row[0] for row in rows] == ["Hifter"]


SUGGESTED = "spelling\tentity\tshort\n"


def test_add_from_skips_a_spelling_that_differs_from_a_listed_one_only_in_case_with_a_note(tmp_path):
    folder = mini_copy(tmp_path)
    rows = tmp_path / "s.tsv"
    rows.write_text(
        SUGGESTED + "Khalifa HAFTAR\tkhalifa_haftar\t\nHifter\tkhalifa_haftar\tHaftar\nHIFTER\tkhalifa_haftar\tHaftar\n"
    )
    proc = run_cli("gazetteer", "add", "--from", str(rows), ONLY, "-g", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        "skipped 'Khalifa HAFTAR' (khalifa_haftar): differs from 'Khalifa Haftar' only in case",
        "skipped 'HIFTER' (khalifa_haftar): differs from 'Hifter' only in case",
    ]
    text = (folder / "libya.toml").read_text()
    assert 'variants = ["Hafter", "Heftar", "Hifter"]' in text and "HAFTAR" not in text and "HIFTER" not in text


def test_add_from_skips_a_spelling_listed_already_so_a_file_can_be_added_again(tmp_path):
    folder = mini_copy(tmp_path)
    rows = tmp_path / "s.tsv"
    rows.write_text(SUGGESTED + "Hifter\tkhalifa_haftar\tHaftar\n")
    assert run_cli("gazetteer", "add", "--from", str(rows), ONLY, "-g", str(folder)).returncode == 0
    again = run_cli("gazetteer", "add", "--from", str(rows), ONLY, "-g", str(folder))
    assert again.returncode == 0 and again.stderr == b"skipped 'Hifter' (khalifa_haftar): is listed already\n"


def test_lint_reports_a_variant_that_differs_from_another_only_in_case_g017(tmp_path):
    out, place = _lint_with_sirte_variant(tmp_path, "SiRT")
    assert f"{place}: G017 sirte: 'SiRT' differs from 'Sirt' only in case".encode() in out


def test_suggest_reports_unreadable_files_and_exits_3(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad.txt").write_bytes(b"\x00\x01binary")
    proc = run_cli("gazetteer", "suggest", str(corpus), "-o", str(tmp_path / "s.tsv"), ONLY, "-g", str(MINI))
    assert proc.returncode == 3 and b"bad.txt" in proc.stderr


# stats and explain


def test_stats_counts_what_the_data_holds():
    proc = run_cli("gazetteer", "stats", "--json", ONLY, "-g", str(MINI))
    stats = json.loads(proc.stdout)
    assert stats["entities"] == 15 and stats["by_type"]["place"] == 10
    assert stats["with_arabic"] == 6


def test_explain_an_exact_variant():
    proc = run_cli("gazetteer", "explain", "Hafter", ONLY, "-g", str(MINI))
    text = proc.stdout.decode()
    assert "'Hafter': changed to 'Haftar'" in text and "khalifa_haftar" in text and "libya.toml:" in text


def test_explain_a_guarded_common_word():
    proc = run_cli("gazetteer", "explain", "After", ONLY, "-g", str(MINI))
    assert b"'after' is a common English word" in proc.stdout


def test_explain_an_ambiguous_name_without_context():
    proc = run_cli("gazetteer", "explain", "Trablus", "--context", "Trablus, north of Beirut", ONLY, "-g", str(MINI))
    assert b"sent to review" in proc.stdout and b"no supporting context" in proc.stdout


def test_explain_needs_the_word_inside_its_context():
    proc = run_cli("gazetteer", "explain", "Sirt", "--context", "nothing here", ONLY, "-g", str(MINI))
    assert proc.returncode == 2


# import-geonames

GEONAMES = Path(__file__).parent / "fixtures" / "geonames"


def test_import_geonames_writes_a_gazetteer_that_loads_and_lints(tmp_path):
    out = tmp_path / "ly.toml"
    proc = run_cli(
        "gazetteer",
        "import-geonames",
        str(GEONAMES / "LY.txt"),
        "--country",
        "LY",
        "-o",
        str(out),
        "--alternate-names",
        str(GEONAMES / "alternateNamesV2.txt"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "GeoNames" in out.read_text() and "geonames = " in out.read_text()
    assert run_cli("gazetteer", "lint", ONLY, str(out)).returncode == 0
    assert run_cli("text", ONLY, "-g", str(out), input=b"from Sebha").stdout == b"from Sabha"


def test_import_geonames_to_standard_output(tmp_path):
    proc = run_cli("gazetteer", "import-geonames", str(GEONAMES / "LY.txt"), "--country", "LY")
    assert proc.returncode == 0 and b"[gazetteer]" in proc.stdout


def test_import_geonames_names_the_file_and_line_of_a_bad_row(tmp_path):
    dump = tmp_path / "LY.txt"
    dump.write_text((GEONAMES / "LY.txt").read_text(encoding="utf-8") + "123\tbroken row\n", encoding="utf-8")
    proc = run_cli("gazetteer", "import-geonames", str(dump), "--country", "LY")
    assert proc.returncode == 3
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert f"{dump}:{len(lines)}:".encode() in proc.stderr


def test_import_geonames_never_overwrites_a_file(tmp_path):
    out = tmp_path / "ly.toml"
    out.write_text("# mine\n")
    proc = run_cli("gazetteer", "import-geonames", str(GEONAMES / "LY.txt"), "--country", "LY", "-o", str(out))
    assert proc.returncode == 2 and out.read_text() == "# mine\n"


def test_import_geonames_never_replaces_a_dangling_link(tmp_path):
    out = tmp_path / "ly.toml"
    out.symlink_to(tmp_path / "not-yet.toml")
    proc = run_cli("gazetteer", "import-geonames", str(GEONAMES / "LY.txt"), "--country", "LY", "-o", str(out))
    assert proc.returncode == 2 and out.is_symlink()
