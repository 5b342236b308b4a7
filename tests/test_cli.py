"""The real ``normalize`` command, run as a process: outputs and exit codes."""

import json
import os
from pathlib import Path

from conftest import MINI, run_cli

MINI_ONLY = ("--no-default-gazetteers", "-g", str(MINI))


def corpus(folder: Path) -> Path:
    (folder / "in" / "sub").mkdir(parents=True)
    (folder / "in" / "a.txt").write_bytes("Hafter’s men took Sirt.\r\nCalm in Libya.\r\n".encode())
    (folder / "in" / "sub" / "b.txt").write_bytes(b"Nothing to see here.\n")
    (folder / "in" / "notes.md").write_bytes(b"Hafter in markdown\n")
    return folder / "in"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_mirrors_the_tree_and_writes_clean_text(tmp_path):
    src = corpus(tmp_path)
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "-o", str(out), *MINI_ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (out / "a.txt").read_bytes() == "Haftar’s men took Sirte.\r\nCalm in Libya.\r\n".encode()
    assert (out / "sub" / "b.txt").read_bytes() == b"Nothing to see here.\n"
    assert not (out / "notes.md").exists()
    assert b"2 changes" in proc.stderr


def test_run_writes_a_change_log_with_every_field(tmp_path):
    src = corpus(tmp_path)
    run_cli("run", str(src), "-o", str(tmp_path / "out"), *MINI_ONLY)
    first, second = read_jsonl(tmp_path / "out" / "changes.jsonl")
    assert first == {
        "file": str(src / "a.txt"),
        "line": 1,
        "column": 1,
        "start": 0,
        "end": 6,
        "byte_start": 0,
        "byte_end": 6,
        "before": "Hafter",
        "after": "Haftar",
        "entity": "khalifa_haftar",
        "gazetteer_file": str(MINI / "libya.toml"),
        "gazetteer_line": first["gazetteer_line"],
        "method": "exact",
        "score": 100.0,
        "rule": "exact",
        "runner_up": None,
        "margin": None,
    }
    assert (second["before"], second["after"], second["byte_start"]) == ("Sirt", "Sirte", 20)


def test_run_writes_review_candidates_to_their_own_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Fighting near Bengahzi in Libya.\n")
    run_cli("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), *MINI_ONLY)
    [item] = read_jsonl(tmp_path / "out" / "review.jsonl")
    assert item["text"] == "Bengahzi" and item["candidates"][0]["canonical"] == "Benghazi"
    assert (tmp_path / "out" / "a.txt").read_text() == "Fighting near Bengahzi in Libya.\n"


def test_glob_selects_other_files(tmp_path):
    src = corpus(tmp_path)
    run_cli("run", str(src), "-o", str(tmp_path / "out"), "--glob", "*.md", *MINI_ONLY)
    assert (tmp_path / "out" / "notes.md").read_text() == "Haftar in markdown\n"


def test_changes_and_review_paths_can_be_chosen(tmp_path):
    src = corpus(tmp_path)
    proc = run_cli(
        "run",
        str(src),
        "-o",
        str(tmp_path / "out"),
        "--changes",
        str(tmp_path / "c.jsonl"),
        "--review",
        str(tmp_path / "r.jsonl"),
        *MINI_ONLY,
    )
    assert proc.returncode == 0
    assert len(read_jsonl(tmp_path / "c.jsonl")) == 2 and (tmp_path / "r.jsonl").exists()
    assert not (tmp_path / "out" / "changes.jsonl").exists()


def test_check_exits_1_when_something_would_change_and_writes_nothing(tmp_path):
    src = corpus(tmp_path)
    proc = run_cli("run", str(src), "--check", *MINI_ONLY)
    assert proc.returncode == 1
    assert (src / "a.txt").read_bytes().startswith("Hafter’s".encode())
    assert b"would change" in proc.stderr


def test_check_exits_0_when_nothing_would_change(tmp_path):
    src = corpus(tmp_path)
    assert run_cli("run", str(src / "sub"), "--check", *MINI_ONLY).returncode == 0


def test_diff_prints_a_unified_diff(tmp_path):
    src = corpus(tmp_path)
    proc = run_cli("run", str(src), "--check", "--diff", *MINI_ONLY)
    diff = proc.stdout.decode()
    assert f"--- a/{src / 'a.txt'}" in diff
    assert "-Hafter’s men took Sirt.\r\n" in diff and "+Haftar’s men took Sirte.\r\n" in diff


def test_in_place_rewrites_inputs_and_keeps_a_backup(tmp_path):
    src = corpus(tmp_path)
    original = (src / "a.txt").read_bytes()
    proc = run_cli("run", str(src), "--in-place", *MINI_ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (src / "a.txt").read_bytes().startswith("Haftar’s".encode())
    assert (src / "a.txt.orig").read_bytes() == original
    assert not (src / "sub" / "b.txt.orig").exists()  # unchanged files are not touched


def test_output_inside_the_input_folder_is_not_read_as_input(tmp_path):
    src = corpus(tmp_path)
    run_cli("run", str(src), "-o", str(src / "clean"), *MINI_ONLY)
    proc = run_cli("run", str(src), "-o", str(src / "clean"), *MINI_ONLY)
    assert proc.returncode == 0
    assert not (src / "clean" / "clean").exists()


def test_bad_input_is_reported_by_name_and_the_rest_is_processed(tmp_path):
    src = corpus(tmp_path)
    (src / "binary.txt").write_bytes(b"\x00\x01Hafter")
    proc = run_cli("run", str(src), "-o", str(tmp_path / "out"), *MINI_ONLY)
    assert proc.returncode == 3
    err = proc.stderr.decode()
    assert f"{src / 'binary.txt'}: looks binary: NUL byte at offset 0" in err
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8").startswith("Haftar’s")
    assert not (tmp_path / "out" / "binary.txt").exists()


def test_a_missing_input_path_is_bad_input(tmp_path):
    src = corpus(tmp_path)
    proc = run_cli("run", str(src), str(tmp_path / "nope"), "-o", str(tmp_path / "out"), *MINI_ONLY)
    assert proc.returncode == 3
    assert f"{tmp_path / 'nope'}: no such file or folder" in proc.stderr.decode()


def test_a_broken_gazetteer_exits_4_and_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[sirte]\ntype = "place"\n')
    proc = run_cli("run", str(corpus(tmp_path)), "-o", str(tmp_path / "out"), "-g", str(bad))
    assert proc.returncode == 4
    assert f"{bad}:1: sirte: 'canonical' is required" in proc.stderr.decode()
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("run", str(corpus(tmp_path))).returncode == 2  # no -o, --in-place or --check
    assert run_cli("run", "x", "-o", "y", "--in-place").returncode == 2
    assert run_cli("run", "--no-such-option").returncode == 2


def test_text_filters_stdin_to_stdout_byte_for_byte():
    proc = run_cli("text", *MINI_ONLY, input="\ufeffHafter in Sirt\r\n".encode())
    assert proc.returncode == 0
    assert proc.stdout == "\ufeffHaftar in Sirte\r\n".encode()


def test_text_reads_a_file_and_can_log_changes(tmp_path):
    (tmp_path / "a.txt").write_text("Tarhunah\n")
    proc = run_cli("text", str(tmp_path / "a.txt"), "--changes", str(tmp_path / "c.jsonl"), *MINI_ONLY)
    assert proc.stdout == b"Tarhuna\n"
    assert read_jsonl(tmp_path / "c.jsonl")[0]["after"] == "Tarhuna"


def test_text_check_exit_codes():
    assert run_cli("text", "--check", *MINI_ONLY, input=b"Sirt").returncode == 1
    assert run_cli("text", "--check", *MINI_ONLY, input=b"Sirte").returncode == 0


def test_text_writes_through_what_it_cannot_decode_and_exits_3():
    proc = run_cli("text", *MINI_ONLY, input=b"\xff")
    assert proc.returncode == 3 and b"<stdin>: not valid UTF-8" in proc.stderr
    assert proc.stdout == b"\xff"


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith(b"normalize ")


def test_user_gazetteers_add_to_the_shipped_ones(tmp_path):
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "x.toml").write_text('[gotham]\ntype = "place"\ncanonical = "Gotham"\nvariants = ["Gothham"]\n')
    proc = run_cli("text", "-g", str(extra), input=b"Gothham and Sirt, Libya")
    assert proc.stdout == b"Gotham and Sirte, Libya"


def test_text_with_a_missing_file_exits_3(tmp_path):
    proc = run_cli("text", str(tmp_path / "nope.txt"))
    assert proc.returncode == 3 and b"nope.txt" in proc.stderr


def test_an_output_folder_that_is_or_holds_the_input_is_refused(tmp_path):
    src = corpus(tmp_path)
    for output in (src, tmp_path):
        proc = run_cli("run", str(src), "-o", str(output), *MINI_ONLY)
        assert proc.returncode == 2 and b"lies inside the output folder" in proc.stderr
    assert (src / "a.txt").read_bytes().startswith("Hafter’s".encode())


def test_an_output_folder_reached_through_a_folder_not_made_yet_is_checked_like_any_other(tmp_path):
    src = corpus(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    os.link(src / "a.txt", other / "a.txt")  # the input under a second name, in the would-be output
    proc = run_cli("run", str(src), "-o", str(tmp_path / "new" / ".." / "other"), *MINI_ONLY)
    assert proc.returncode == 2 and b"would overwrite the input" in proc.stderr
    assert (other / "a.txt").read_bytes().startswith("Hafter’s".encode())
