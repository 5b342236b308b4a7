"""Batch runs on real corpora: parallel, resumable, safe on bad input."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, ROOT, SEED, run_cli, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import Normalizer
from normalize.batch.corpus import InputFile
from normalize.batch.pipeline import RunOptions, clean_file

ONLY = ("--no-default-gazetteers", "-g", str(MINI))
MINI_NORMALIZER = Normalizer.load([MINI], include_default=False)
SENTENCES = [
    "Hafter’s forces moved towards Sirt.",
    "Clashes near Tarhunah and Beni Walid, Libya.",
    "Nothing to change in this line.",
    "The Al-Wefaq government in Tripoli, Libya.",
    "HAFTER AND AL-JAFRA IN THE HEADLINE, LIBYA",
]


def make_corpus(folder: Path, files: int, lines: int = 3) -> Path:
    for n in range(files):
        path = folder / f"d{n % 4}" / f"{n:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(lines)) + "\n"
        path.write_text(text, encoding="utf-8")
    return folder


def test_parallel_output_is_identical_to_a_serial_run(tmp_path):
    corpus = make_corpus(tmp_path / "in", 40)
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "serial"), "-j", "1", *ONLY).returncode == 0
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "parallel"), "-j", "2", *ONLY).returncode == 0
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert len((tmp_path / "serial" / "changes.jsonl").read_text().splitlines()) > 40


def test_a_very_large_file_among_small_ones_is_started_first_and_logged_in_place(tmp_path):
    corpus = make_corpus(tmp_path / "in", 30)
    big = corpus / "d1" / "0013.txt"  # in the middle of the input order
    big.write_text(big.read_text(encoding="utf-8") * 2000, encoding="utf-8")
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "serial"), "-j", "1", *ONLY).returncode == 0
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "parallel"), "-j", "2", *ONLY).returncode == 0
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    manifest = (tmp_path / "parallel" / ".normalize" / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(line)["relative"] for line in manifest] == sorted(
        str(p.relative_to(corpus)) for p in corpus.rglob("*.txt")
    )


def test_a_second_run_skips_what_is_done_and_redoes_what_changed(tmp_path):
    corpus = make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    run_cli("run", str(corpus), "-o", str(out), *ONLY)
    first = tree(out)
    proc = run_cli("run", str(corpus), "-o", str(out), *ONLY)
    assert b"6 files (6 finished earlier)" in proc.stderr and tree(out) == first
    (corpus / "d0" / "0000.txt").write_text("Hafter again\n")
    proc = run_cli("run", str(corpus), "-o", str(out), *ONLY)
    assert b"(5 finished earlier)" in proc.stderr
    assert (out / "d0" / "0000.txt").read_text() == "Haftar again\n"


def test_new_gazetteers_or_options_redo_every_file(tmp_path):
    corpus = make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_cli("run", str(corpus), "-o", str(out), *ONLY)
    proc = run_cli("run", str(corpus), "-o", str(out), "--output-encoding", "original", *ONLY)
    assert b"finished earlier" not in proc.stderr


def test_the_manifest_records_hashes_and_the_run_key(tmp_path):
    corpus = make_corpus(tmp_path / "in", 2)
    run_cli("run", str(corpus), "-o", str(tmp_path / "out"), *ONLY)
    lines = [json.loads(x) for x in (tmp_path / "out" / ".normalize" / "manifest.jsonl").read_text().splitlines()]
    assert [line["relative"] for line in lines] == ["d0/0000.txt", "d1/0001.txt"]
    assert all(len(line["input_sha256"]) == 64 and line["run_key"] for line in lines)


def _start(corpus: Path, out: Path, jobs: int = 1) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "normalize", "run", str(corpus), "-o", str(out), "-j", str(jobs), "-q", *ONLY]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _journal_entries(out: Path) -> int:
    """Finished files recorded in the journal (one line each)."""
    journal = out / ".normalize" / "journal"
    return sum(p.read_bytes().count(b"\n") for p in journal.glob("*.jsonl")) if journal.is_dir() else 0


def _wait_for_journal(out: Path, entries: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if _journal_entries(out) >= entries:
            return
        time.sleep(0.01)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_run_stopped_part_way_and_resumed_equals_an_uninterrupted_run(tmp_path, how):
    corpus = make_corpus(tmp_path / "in", 300, lines=60)
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "whole"), "-j", "1", *ONLY).returncode == 0
    out = tmp_path / "stopped"
    proc = _start(corpus, out)
    _wait_for_journal(out, 20, proc)
    proc.send_signal(how)
    _, stderr = proc.communicate(timeout=60)
    done = _journal_entries(out)
    assert 20 <= done < 300, "the run must be stopped part-way for this test to mean anything"
    if how == signal.SIGINT:
        assert proc.returncode == 130 and b"run the same command to resume" in stderr
        assert len((out / "changes.jsonl").read_text().splitlines()) > 0  # what finished is logged
    proc = run_cli("run", str(corpus), "-o", str(out), "-j", "1", *ONLY)
    assert proc.returncode == 0 and b"finished earlier" in proc.stderr
    resumed, whole = tree(out), tree(tmp_path / "whole")
    assert sorted(resumed) == sorted(whole)  # no stray or missing file
    assert [name for name in whole if resumed[name] != whole[name]] == []


def test_a_run_with_workers_killed_part_way_and_resumed_equals_an_uninterrupted_run(tmp_path):
    # the parent journals each file once its rows are in the (temporary) logs
    corpus = make_corpus(tmp_path / "in", 300, lines=60)
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "whole"), "-j", "1", *ONLY).returncode == 0
    out = tmp_path / "stopped"
    proc = _start(corpus, out, jobs=2)
    _wait_for_journal(out, 20, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    done = _journal_entries(out)
    assert 20 <= done < 300, "the run must be stopped part-way for this test to mean anything"
    proc = run_cli("run", str(corpus), "-o", str(out), "-j", "2", *ONLY)
    assert proc.returncode == 0 and b"finished earlier" in proc.stderr
    resumed, whole = tree(out), tree(tmp_path / "whole")
    assert sorted(resumed) == sorted(whole)
    assert [name for name in whole if resumed[name] != whole[name]] == []


# JSON Lines


def test_json_lines_clean_one_field_and_keep_every_other_byte(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    lines = [
        '{"id": 1, "text": "Hafter took Sirt", "meta": {"lang": "en"}}\n',
        '{"text":"Nothing here","id":2}\n',
        "not json\n",
        '{"id": 3, "body": "Hafter", "text": "Libya: Tharouna"}\r\n',
    ]
    (src / "a.jsonl").write_text("".join(lines), encoding="utf-8")
    proc = run_cli("run", str(src), "-o", str(tmp_path / "out"), "--glob", "*.jsonl", *ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.jsonl").read_bytes().decode() == "".join(
        [
            '{"id": 1, "text": "Haftar took Sirte", "meta": {"lang": "en"}}\n',
            lines[1],
            lines[2],
            '{"id": 3, "body": "Hafter", "text": "Libya: Tarhuna"}\r\n',
        ]
    )
    changes = [json.loads(x) for x in (tmp_path / "out" / "changes.jsonl").read_text().splitlines()]
    assert [(c["record"], c["field"], c["before"]) for c in changes] == [
        (1, "text", "Hafter"),
        (1, "text", "Sirt"),
        (4, "text", "Tharouna"),
    ]
    review = (tmp_path / "out" / "review.jsonl").read_text()
    assert "line 3: not a JSON object" in review


def test_json_lines_with_another_field(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text('{"body": "Hafter", "text": "Hafter"}\n')
    run_cli("run", str(src), "-o", str(tmp_path / "out"), "--glob", "*.jsonl", "--field", "body", *ONLY)
    assert (tmp_path / "out" / "a.jsonl").read_text() == '{"body": "Haftar", "text": "Hafter"}\n'


# Bad input: each case named, the rest processed, the exit code says so


def bad_corpus(folder: Path) -> Path:
    folder.mkdir()
    arabic_note = "قوات حفتر تتقدم نحو سرت\n"
    (folder / "good.txt").write_text("Hafter in Sirt\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bom-crlf.txt").write_bytes("\ufeffHafter\r\nin Sirt\r\n".encode())
    (folder / "mixed-endings.txt").write_bytes(b"Hafter\r\nSirt\nTarhunah\r")
    (folder / "arabic-1256.txt").write_bytes(("Hafter: " + arabic_note).encode("cp1256"))
    (folder / "arabic-iso.txt").write_bytes(("Hafter: " + arabic_note).encode("iso8859_6"))
    (folder / "french-latin.txt").write_bytes("Le maréchal Hafter à Syrte, Sirt.\n".encode("cp1252"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02Hafter")
    (folder / "noise.txt").write_bytes(bytes(range(1, 256)) * 4)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a folder loop
    (folder / os.fsdecode(b"caf\xe9-Hafter.txt")).write_bytes(b"Hafter\n")
    return folder


def test_a_corpus_of_bad_input(tmp_path):
    src = bad_corpus(tmp_path / "in")
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "-o", str(out), *ONLY)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 3
    assert "binary.txt: looks binary: NUL byte at offset 0" in err
    assert "noise.txt: looks binary" in err or "noise.txt: skipped: cannot tell its encoding" in err
    assert "loop-a.txt: a symbolic link loop" in err and "dangling.txt: cannot read" in err
    # the rest is processed
    assert (out / "good.txt").read_text() == "Haftar in Sirte\n"
    assert (out / "empty.txt").read_bytes() == b""
    assert (out / "bom-crlf.txt").read_bytes() == "\ufeffHaftar\r\nin Sirte\r\n".encode()
    assert (out / "mixed-endings.txt").read_bytes() == b"Haftar\r\nSirte\nTarhuna\r"
    assert (out / "arabic-1256.txt").read_text(encoding="utf-8") == "Haftar: قوات حفتر تتقدم نحو سرت\n"
    assert (out / "arabic-iso.txt").read_text(encoding="utf-8") == "Haftar: قوات حفتر تتقدم نحو سرت\n"
    assert (out / "french-latin.txt").read_text(encoding="utf-8") == "Le maréchal Haftar à Sirte, Sirte.\n"
    assert (out / os.fsdecode(b"caf\xe9-Hafter.txt")).read_bytes() == b"Haftar\n"
    assert not (out / "sub" / "up").exists()
    encodings = {
        json.loads(x)["file"].rsplit("/", 1)[-1]: json.loads(x).get("encoding")
        for x in (out / "changes.jsonl").read_text().splitlines()
    }
    assert encodings["arabic-1256.txt"] == "windows-1256" and encodings["arabic-iso.txt"] == "iso-8859-6"
    assert encodings["good.txt"] is None and "caf\\xe9-Hafter.txt" in encodings
    assert "5 with errors" in err


def test_output_can_keep_each_files_own_encoding(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes("Hafter: قوات حفتر\n".encode("cp1256"))
    run_cli("run", str(src), "-o", str(tmp_path / "out"), "--output-encoding", "original", *ONLY)
    assert (tmp_path / "out" / "a.txt").read_bytes() == "Haftar: قوات حفتر\n".encode("cp1256")


def test_a_forced_input_encoding(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes("Hafter à Syrte\n".encode("latin-1"))
    run_cli("run", str(src), "-o", str(tmp_path / "out"), "--encoding", "latin-1", *ONLY)
    assert (tmp_path / "out" / "a.txt").read_text() == "Haftar à Sirte\n"  # Syrte found by its key


def test_a_large_file_is_processed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    body = SEED.read_text(encoding="utf-8")
    (src / "big.txt").write_text(body * 3000, encoding="utf-8")  # about 6 MB
    proc = run_cli("run", str(src), "-o", str(tmp_path / "out"), "-q")
    assert proc.returncode == 0
    assert (tmp_path / "out" / "big.txt").read_text(encoding="utf-8").count("Haftar’s") == 3000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=120).map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_either_refused_with_a_reason_or_cleaned_losslessly(tmp_path, data):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    options = RunOptions(check=True, output_encoding="original", keep_texts=True)
    outcome = clean_file(MINI_NORMALIZER, InputFile(path, "x.txt", Path("x.txt")), options)
    if outcome.error:
        assert outcome.error.strip()
        return
    if not outcome.changed:
        assert outcome.text == outcome.original
    assert outcome.record.encoding


# past one machine


def test_the_dask_engine_gives_the_same_result_as_a_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "in", 12)
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "local"), "-j", "1", *ONLY).returncode == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = run_cli(
            "run",
            str(corpus),
            "-o",
            str(tmp_path / "dask"),
            "--engine",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            *ONLY,
        )
    assert proc.returncode == 0, proc.stderr
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


# configuration


def test_a_pyproject_table_configures_a_run_and_the_command_line_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.normalize]\nglob = "*.md"\nbackup_suffix = ".bak"\n')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("Hafter\n")
    (tmp_path / "in" / "b.txt").write_text("Hafter\n")
    assert run_cli("run", "in", "-o", "out", *ONLY, cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "a.md").exists() and not (tmp_path / "out" / "b.txt").exists()
    assert run_cli("run", "in", "-o", "out2", "--glob", "*.txt", *ONLY, cwd=tmp_path).returncode == 0
    assert (tmp_path / "out2" / "b.txt").exists() and not (tmp_path / "out2" / "a.md").exists()
    run_cli("run", "in", "--in-place", *ONLY, cwd=tmp_path)
    assert (tmp_path / "in" / "a.md.bak").read_text() == "Hafter\n"


def test_the_config_command_shows_each_value_and_where_it_came_from(tmp_path):
    (tmp_path / "normalize.toml").write_text('jobs = 2\nfield = "body"\n')
    proc = run_cli("config", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "jobs = 2" in out and str(tmp_path / "normalize.toml") in out
    assert 'glob = "*.txt"' in out and "# default" in out


def test_a_bad_config_file_is_a_usage_error_naming_file_and_key(tmp_path):
    (tmp_path / "normalize.toml").write_text("jobz = 2\n")
    proc = run_cli("run", ".", "--check", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{tmp_path / 'normalize.toml'}:1: jobz: unknown key; did you mean 'jobs'?".encode() in proc.stderr


def test_text_filters_a_json_lines_stream():
    proc = run_cli("text", "--jsonl", *ONLY, input=b'{"id": 1, "text": "Hafter"}\n{"id": 2}\n')
    assert proc.stdout == b'{"id": 1, "text": "Haftar"}\n{"id": 2}\n'


def test_a_long_text_cleaned_in_parts_equals_one_cleaned_whole():
    from normalize import Settings

    text = "".join(f"Line {n}: Hafter’s men near Sirt,\r\nthen Tarhunah.\n" for n in range(200))
    whole = MINI_NORMALIZER.normalize(text, name="x")
    in_parts = Normalizer.load([MINI], include_default=False, settings=Settings(part_chars=300)).normalize(
        text, name="x"
    )
    assert in_parts.text == whole.text
    assert in_parts.changes == whole.changes


def test_a_link_in_the_output_folder_cannot_send_a_clean_copy_elsewhere(tmp_path):
    corpus = make_corpus(tmp_path / "in", 8)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "d1").symlink_to(elsewhere, target_is_directory=True)
    proc = run_cli("run", str(corpus), "-o", str(out), "-j", "1", *ONLY)
    assert proc.returncode == 3
    assert b"refusing to write outside the output folder" in proc.stderr
    assert list(elsewhere.iterdir()) == []
    assert (out / "d0" / "0000.txt").exists()  # the other files are still cleaned


def test_a_link_at_a_clean_copys_place_is_replaced_by_the_copy_not_written_through(tmp_path):
    corpus = make_corpus(tmp_path / "in", 2)
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (out / "d0").mkdir(parents=True)
    (out / "d0" / "0000.txt").symlink_to(victim)
    proc = run_cli("run", str(corpus), "-o", str(out), "-j", "1", *ONLY)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text(encoding="utf-8") == "precious"
    copy = out / "d0" / "0000.txt"
    assert not copy.is_symlink() and "Haftar" in copy.read_text(encoding="utf-8")


def test_a_run_writes_its_summary_beside_the_logs(tmp_path):
    corpus = make_corpus(tmp_path / "in", 6)
    (corpus / "bad.txt").write_bytes(b"\x00\x01")
    assert run_cli("run", str(corpus), "-o", str(tmp_path / "out"), "-j", "1", *ONLY).returncode == 3
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    changes = (tmp_path / "out" / "changes.jsonl").read_text().splitlines()
    assert (summary["files"], summary["changes"], summary["exit_code"]) == (7, len(changes), 3)
    assert summary["problems"][0]["file"].endswith("bad.txt")
    assert summary["per_entity"]["khalifa_haftar"] > 0


def test_a_link_among_the_inputs_to_a_file_of_the_output_folder_is_not_an_input(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("Hafter in Sirt\n", encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Hafter in Sirt\n", encoding="utf-8")
    (src / "b.txt").symlink_to(out / "old.txt")
    proc = run_cli("run", str(src), "-o", str(out), *ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (out / "a.txt").read_text(encoding="utf-8") == "Haftar in Sirte\n"
    assert not (out / "b.txt").exists() and (out / "old.txt").read_text(encoding="utf-8") == "Hafter in Sirt\n"
