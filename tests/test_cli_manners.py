"""CLI manners (issue "CLI manners of the best linters"): help as -h, bad
option values refused once and up front, and TOML errors with their line,
also where a file ends too soon.  Every test runs the real command."""

import pytest
from conftest import SEED, run_cli


@pytest.mark.parametrize("command", [[], ["run"], ["gazetteer", "lint"], ["models", "list"]])
def test_dash_h_prints_the_help_of_every_command(command):
    proc = run_cli(*command, "-h")
    assert proc.returncode == 0
    assert b"Usage: normalize" in proc.stdout and b"--help" in proc.stdout


def test_an_unknown_input_encoding_is_refused_once_before_any_work(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("run", str(SEED), "-o", str(out), "--encoding", "nope")
    assert proc.returncode == 2
    assert b"unknown encoding 'nope'" in proc.stderr
    assert not out.exists()


def test_a_negative_number_of_jobs_is_refused(tmp_path):
    proc = run_cli("run", str(SEED), "-o", str(tmp_path / "out"), "-j", "-1")
    assert proc.returncode == 2 and b"--jobs" in proc.stderr


def test_a_configuration_file_that_ends_too_soon_names_its_last_line(tmp_path):
    (tmp_path / "normalize.toml").write_text('glob = "*.md"\nignore = ["Sirt",\n', encoding="utf-8")
    proc = run_cli("text", "-", input=b"Hafter", cwd=tmp_path)
    assert proc.returncode == 2
    assert b"normalize.toml:2: invalid TOML: " in proc.stderr


def test_a_gazetteer_that_ends_too_soon_names_its_last_line(tmp_path):
    (tmp_path / "g.toml").write_text('[gazetteer]\nregion = "LY"\n\n[sirte]\nvariants = ["Sirt",\n', encoding="utf-8")
    proc = run_cli("gazetteer", "lint", "--no-default-gazetteers", "-g", str(tmp_path))
    assert proc.returncode == 4
    assert f"{tmp_path / 'g.toml'}:5: ".encode() in proc.stdout + proc.stderr


def test_an_ignore_file_that_ends_too_soon_names_its_last_line(tmp_path):
    (tmp_path / "ignore.toml").write_text('[[ignore]]\ntext = "Sirt', encoding="utf-8")
    proc = run_cli("text", "-", "--ignore-file", str(tmp_path / "ignore.toml"), input=b"Hafter")
    assert proc.returncode == 2
    assert f"{tmp_path / 'ignore.toml'}:2: not valid TOML".encode() in proc.stderr


def test_gazetteer_lint_takes_more_gazetteers_with_dash_g(tmp_path):
    (tmp_path / "g.toml").write_text(
        '[gazetteer]\nregion = "LY"\n\n[sirte]\ntype = "place"\ncanonical = "Sirte"\nvariants = ["Sirt", "SIRT"]\n',
        encoding="utf-8",
    )
    proc = run_cli("gazetteer", "lint", "--no-default-gazetteers", "-g", str(tmp_path))
    assert proc.returncode == 1
    assert b"G004" in proc.stdout and b"'SIRT' differs from 'Sirt' only in case" in proc.stdout


@pytest.mark.parametrize(
    "given, said",
    [
        (["--model", "does-not-exist"], b"does-not-exist: no such file or folder"),
        (["--source-lang", "ar"], b"no model for ar->en (installed: none)"),
    ],
)
def test_retranslating_without_a_usable_model_is_refused_before_any_work(tmp_path, given, said):
    out, models = tmp_path / "out", tmp_path / "models"
    models.mkdir()
    proc = run_cli("run", str(SEED), "-o", str(out), "--retranslate", "--models-dir", str(models), *given)
    assert proc.returncode == 2
    assert said in proc.stderr
    assert not out.exists()


# -- check mode lists what it would change, as linters do ----------------------


def two_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b.txt").write_text("Forces of Hafter took Sirt.\n", encoding="utf-8")
    (folder / "a.txt").write_text("Quiet day.\nClashes near Sirt.\n", encoding="utf-8")
    return folder


def test_check_lists_each_finding_by_path_and_place(tmp_path):
    folder = two_files(tmp_path)
    proc = run_cli("run", str(folder), "--check", "-j", "2")
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        f"{folder / 'a.txt'}:2:14: Sirt -> Sirte (sirte, exact)",
        f"{folder / 'b.txt'}:1:11: Hafter -> Haftar (khalifa_haftar, exact)",
        f"{folder / 'b.txt'}:1:23: Sirt -> Sirte (sirte, exact)",
    ]


def test_check_lists_the_findings_as_json_lines(tmp_path):
    import json

    folder = two_files(tmp_path)
    proc = run_cli("run", str(folder), "--check", "--format", "json")
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [(r["file"], r["line"], r["before"], r["after"]) for r in rows] == [
        (str(folder / "a.txt"), 2, "Sirt", "Sirte"),
        (str(folder / "b.txt"), 1, "Hafter", "Haftar"),
        (str(folder / "b.txt"), 1, "Sirt", "Sirte"),
    ]


def test_check_writes_the_change_log_it_is_given_and_nothing_else(tmp_path):
    folder = two_files(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    proc = run_cli("run", str(folder), "--check", "-q", "--changes", str(tmp_path / "changes.jsonl"))
    assert proc.returncode == 1
    assert len((tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted([*before, "changes.jsonl"])


# -- in place: each file keeps its encoding, and the summary says where the log is


def test_in_place_keeps_each_files_own_encoding(tmp_path):
    (tmp_path / "a.txt").write_bytes("Forces of Hafter took Sirt near the café.\n".encode("cp1252"))
    proc = run_cli("run", str(tmp_path), "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.txt").read_bytes() == "Forces of Haftar took Sirte near the café.\n".encode("cp1252")


def test_in_place_says_that_no_change_log_was_kept_or_where_it_is(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Forces of Hafter.\n", encoding="utf-8")
    proc = run_cli("run", str(tmp_path / "in"), "--in-place")
    assert b"no change log kept: give --changes FILE" in proc.stderr
    (tmp_path / "in" / "a.txt").write_text("Forces of Hafter.\n", encoding="utf-8")
    proc = run_cli("run", str(tmp_path / "in"), "--in-place", "--changes", str(tmp_path / "c.jsonl"))
    assert f"changes in {tmp_path / 'c.jsonl'}".encode() in proc.stderr
    assert (tmp_path / "c.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_an_output_folder_still_gets_utf8_by_default(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes("Hafter at the café.\n".encode("cp1252"))
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "Haftar at the café.\n"


def test_an_unreachable_dask_scheduler_is_one_line_and_exit_5_before_any_work(tmp_path):
    import socket
    import time

    with socket.socket() as probe:  # a port nobody listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    started = time.monotonic()
    proc = run_cli("run", str(SEED), "-o", str(out), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert proc.returncode == 5
    assert proc.stderr.decode().strip().splitlines() == [
        f"error: the Dask scheduler tcp://127.0.0.1:{port} cannot be reached: "
        f"cannot connect to 127.0.0.1:{port}: Connection refused"
    ]
    assert time.monotonic() - started < 10 and not out.exists()
