"""Nothing a user gives a run is lost, damaged or left hanging: backups,
the state folder, one run per output folder, signals, failures that are
reported as such, and texts of any shape."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import MINI, ROOT, SEED, run_cli, tree

from normalize import Normalizer, RunOptions, run
from normalize.batch.exitcodes import ExitCode
from normalize.batch.runfolder import claim
from normalize.batch.stopping import deferred
from normalize.engine.normalizer import Settings
from normalize.engine.records import Result

ONLY = ("--no-default-gazetteers", "-g", str(MINI))
LINE = "Hafter met envoys in Sirt, Libya.\n"


def corpus(folder: Path, files: int, lines: int = 3) -> Path:
    for n in range(files):
        path = folder / f"d{n % 3}" / f"{n:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LINE * lines, encoding="utf-8")
    return folder


def start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "normalize", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job would be
    )


def wait_for_workers(proc: subprocess.Popen, count: int, timeout: float = 30) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    parent = psutil.Process(proc.pid)
    while time.monotonic() < deadline:
        children = parent.children(recursive=True)
        if len(children) >= count:
            return children
        time.sleep(0.02)
    pytest.fail(f"the run started {len(parent.children())} workers, not {count}")


def gone(processes: list[psutil.Process], timeout: float = 10) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not alive


# Originals are never lost


def test_a_second_in_place_run_keeps_the_first_backup(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Hafter met envoys.\n", encoding="utf-8")
    assert run_cli("run", str(article), "--in-place", *ONLY).returncode == 0
    article.write_text("Hafter again, and Sirt.\n", encoding="utf-8")  # edited since, then cleaned again
    assert run_cli("run", str(article), "--in-place", *ONLY).returncode == 0
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == "Hafter met envoys.\n"
    assert (tmp_path / "a.txt.orig.1").read_text(encoding="utf-8") == "Hafter again, and Sirt.\n"


def test_an_unchanged_file_is_not_rewritten_in_place(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Nothing to change here.\n", encoding="utf-8")
    before = article.stat()
    assert run_cli("run", str(article), "--in-place", *ONLY).returncode == 0
    after = article.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_backups_are_never_cleaned_in_place(tmp_path):
    (tmp_path / "a.txt").write_text("Hafter met envoys.\n", encoding="utf-8")
    assert run_cli("run", str(tmp_path), "--in-place", "--glob", "*", *ONLY).returncode == 0
    assert run_cli("run", str(tmp_path), "--in-place", "--glob", "*", *ONLY).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig"]
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == "Hafter met envoys.\n"


def test_backups_an_earlier_run_kept_are_never_cleaned_by_a_run_that_keeps_none(tmp_path):
    (tmp_path / "a.txt").write_text("Hafter met envoys.\n", encoding="utf-8")
    assert run_cli("run", str(tmp_path), "--in-place", "--glob", "*", *ONLY).returncode == 0
    no_backups = ("--backup-suffix", "")
    assert run_cli("run", str(tmp_path), "--in-place", "--glob", "*", *no_backups, *ONLY).returncode == 0
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == "Hafter met envoys.\n"


# A run never writes over what it reads, nor one of its files over another


@pytest.mark.parametrize("log", ["--changes", "--review"])
@pytest.mark.parametrize("mode", [["--check"], ["--in-place"], ["-o", "OUT"]])
def test_a_log_named_as_one_of_the_inputs_is_refused_and_the_input_kept(tmp_path, mode, log):
    inputs = corpus(tmp_path / "in", 3)
    victim = inputs / "d1" / "0001.txt"
    mode = [str(tmp_path / "out") if arg == "OUT" else arg for arg in mode]
    proc = run_cli("run", str(inputs), *mode, log, str(victim), *ONLY)
    assert proc.returncode == 2 and b"is the input" in proc.stderr
    assert victim.read_text(encoding="utf-8") == LINE * 3


def test_a_log_named_as_a_kept_original_is_refused_and_the_original_kept(tmp_path):
    (tmp_path / "a.txt").write_text("Hafter met envoys.\n", encoding="utf-8")
    assert run_cli("run", str(tmp_path), "--in-place", "--glob", "*", *ONLY).returncode == 0
    backup = tmp_path / "a.txt.orig"
    proc = run_cli("run", str(tmp_path), "--in-place", "--glob", "*", "--changes", str(backup), *ONLY)
    assert proc.returncode == 2 and b"is the input" in proc.stderr
    assert backup.read_text(encoding="utf-8") == "Hafter met envoys.\n"


def test_a_log_named_as_the_runs_summary_is_refused(tmp_path):
    inputs, out = corpus(tmp_path / "in", 2), tmp_path / "out"
    proc = run_cli("run", str(inputs), "-o", str(out), "--changes", str(out / "summary.json"), *ONLY)
    assert proc.returncode == 2 and b"a file the run keeps for itself" in proc.stderr


def test_two_logs_sent_to_a_device_are_not_one_file_lost(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(LINE, encoding="utf-8")
    proc = run_cli("text", str(article), "--changes", os.devnull, "--review", os.devnull, *ONLY)
    assert proc.returncode == 0 and proc.stdout == LINE.replace("Hafter", "Haftar").replace("Sirt", "Sirte").encode()


@pytest.mark.parametrize("same", ["one path", "the default change log"])
def test_the_change_and_review_logs_cannot_be_one_file(tmp_path, same):
    inputs, out = corpus(tmp_path / "in", 2), tmp_path / "out"
    log = tmp_path / "log.jsonl" if same == "one path" else out / "changes.jsonl"
    options = ("--changes", str(log), "--review", str(log)) if same == "one path" else ("--review", str(log))
    proc = run_cli("run", str(inputs), "-o", str(out), *options, *ONLY)
    assert proc.returncode == 2 and b"would be one file" in proc.stderr
    assert not log.exists()


def test_a_clean_copy_is_never_written_over_a_file_of_the_run(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "changes.jsonl").write_text('{"text": "Hafter"}\n', encoding="utf-8")
    (inputs / "other.jsonl").write_text('{"text": "Sirt"}\n', encoding="utf-8")
    proc = run_cli("run", str(inputs), "-o", str(tmp_path / "out"), "--glob", "*.jsonl", *ONLY)
    assert proc.returncode == 2 and b"changes.jsonl would be written over" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_check_writes_no_copies_so_none_is_refused(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "summary.json").write_text('{"text": "Hafter"}\n', encoding="utf-8")
    proc = run_cli("run", str(inputs), "--check", "-o", str(tmp_path / "out"), "--glob", "*.json", *ONLY)
    assert proc.returncode != 2, proc.stderr


def test_the_state_folder_of_an_earlier_run_is_never_read_as_input(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_text('{"text": "Hafter"}\n', encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    logs = ("--changes", str(tmp_path / "c.jsonl"), "--review", str(tmp_path / "r.jsonl"))
    assert run_cli("run", str(inputs), "-o", str(first), "--glob", "*.jsonl", *logs, *ONLY).returncode == 0
    assert list((first / ".normalize").rglob("*.jsonl"))  # its journal and manifest
    proc = run_cli("run", str(first), "-o", str(second), "--glob", "*.jsonl", *logs, *ONLY)
    assert proc.returncode == 0, proc.stderr
    manifest = (second / ".normalize" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["relative"] for line in manifest] == ["a.jsonl"]


@pytest.mark.parametrize("command", ["text", "translate"])
def test_a_single_text_command_never_writes_its_log_over_its_input(tmp_path, command):
    article = tmp_path / "a.txt"
    article.write_text(LINE, encoding="utf-8")
    proc = run_cli(command, str(article), "--changes", str(article), *ONLY)
    assert proc.returncode == 2 and b"is the input" in proc.stderr
    assert article.read_text(encoding="utf-8") == LINE


# Nothing outside OUT is touched


@pytest.mark.parametrize("link", [".normalize", ".normalize/journal", ".normalize/tmp"])
def test_a_link_in_the_state_folder_is_refused_and_nothing_behind_it_is_touched(tmp_path, link):
    inputs = corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    victim = tmp_path / "victim"
    (victim / "tmp").mkdir(parents=True)
    (victim / "tmp" / "keep.txt").write_text("precious", encoding="utf-8")
    (victim / "keep.jsonl").write_text("precious", encoding="utf-8")
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(victim, target_is_directory=True)
    proc = run_cli("run", str(inputs), "-o", str(out), *ONLY)
    assert proc.returncode == ExitCode.RUN_FAILED
    assert b"symbolic link" in proc.stderr and b"Traceback" not in proc.stderr
    assert tree(victim) == {"keep.jsonl": b"precious", "tmp/keep.txt": b"precious"}


# One run per OUT


def test_a_second_run_into_a_busy_output_folder_is_refused(tmp_path):
    inputs = corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    with claim(out):  # as a first run holds it
        proc = run_cli("run", str(inputs), "-o", str(out), *ONLY)
    assert proc.returncode == ExitCode.BUSY
    assert f"another run (process {os.getpid()}) is writing to {out}".encode() in proc.stderr
    assert not (out / "changes.jsonl").exists()
    assert run_cli("run", str(inputs), "-o", str(out), *ONLY).returncode == 0  # free again


def test_a_killed_run_leaves_no_stale_lock(tmp_path):
    inputs = corpus(tmp_path / "in", 400, lines=40)
    out = tmp_path / "out"
    proc = start("run", str(inputs), "-o", str(out), "-j", "1", "-q", *ONLY)
    deadline = time.monotonic() + 30
    while not (out / ".normalize" / "lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait(timeout=10)
    assert run_cli("run", str(inputs), "-o", str(out), *ONLY).returncode == 0


# No orphans, no hangs


def test_workers_die_with_a_killed_run(tmp_path):
    proc = start("run", str(corpus(tmp_path / "in", 4000, lines=40)), "-o", str(tmp_path / "out"), "-j", "2", *ONLY)
    workers = wait_for_workers(proc, 2)
    assert proc.poll() is None, "the run must still be going for this test to mean anything"
    proc.kill()
    proc.wait(timeout=10)
    assert gone(workers), "workers outlived their parent"
    assert proc.stdout.read() == b""  # the caller's pipe is closed: nothing holds it open


def test_sigterm_writes_the_logs_and_exits_143(tmp_path):
    out = tmp_path / "out"
    # (enough work that the run is still going when the signal comes, even on a fast machine)
    proc = start("run", str(corpus(tmp_path / "in", 4000, lines=40)), "-o", str(out), "-j", "2", *ONLY)
    workers = wait_for_workers(proc, 2)
    time.sleep(0.3)
    proc.terminate()
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.TERMINATED, stderr
    assert b"run the same command to resume" in stderr and b"Traceback" not in stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] and summary["exit_code"] == 143
    assert gone(workers)


def test_ctrl_c_always_ends_the_run_promptly(tmp_path):
    """Ctrl-C reaches the whole process group (parent and workers) at a random moment."""
    inputs = corpus(tmp_path / "in", 300, lines=40)
    rng = random.Random(11)
    for trial in range(10):
        proc = start("run", str(inputs), "-o", str(tmp_path / f"out{trial}"), "-j", "2", *ONLY)
        workers = wait_for_workers(proc, 2)
        time.sleep(rng.uniform(0, 0.8))
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)  # a hang fails here
        # (-SIGINT: the signal came as the process was exiting, after its work; a shell shows 130 too)
        assert proc.returncode in (ExitCode.INTERRUPTED, ExitCode.OK, -signal.SIGINT), stderr
        assert b"Traceback" not in stderr
        assert gone(workers)


def test_sigkill_at_random_moments_leaves_no_process_and_the_rerun_equals_an_uninterrupted_run(tmp_path):
    inputs = corpus(tmp_path / "in", 150, lines=30)
    assert run_cli("run", str(inputs), "-o", str(tmp_path / "whole"), *ONLY).returncode == 0
    whole = tree(tmp_path / "whole")
    rng = random.Random(7)
    for trial in range(10):
        out = tmp_path / f"killed{trial}"
        proc = start("run", str(inputs), "-o", str(out), "-j", "2", *ONLY)
        workers = wait_for_workers(proc, 2)
        time.sleep(rng.uniform(0, 1.0))
        proc.kill()
        proc.wait(timeout=10)
        assert gone(workers), f"trial {trial}: workers outlived the killed run"
        rerun = run_cli("run", str(inputs), "-o", str(out), *ONLY)
        assert rerun.returncode == 0, rerun.stderr
        assert tree(out) == whole, f"trial {trial}: the rerun differs from an uninterrupted run"


# A crash never reports success


def test_a_file_that_cannot_be_written_is_an_error_of_that_file_only(tmp_path):
    inputs = corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    out.mkdir()
    (out / "d1").write_text("a file where a folder must go", encoding="utf-8")
    proc = run_cli("run", str(inputs), "-o", str(out), "-j", "1", *ONLY)
    assert proc.returncode == ExitCode.BAD_INPUT and b"Traceback" not in proc.stderr
    assert b"cannot write" in proc.stderr
    assert sorted(tree(out / "d0")) == ["0000.txt", "0003.txt"]  # the others are written
    summary = json.loads((out / "summary.json").read_text())
    assert summary["exit_code"] == ExitCode.BAD_INPUT and len(summary["problems"]) == 2


@pytest.fixture
def full_disk(tmp_path):
    """A 200 kB file system (tmpfs; needs the right to mount, as CI's root has)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)]
    if shutil.which("mount") is None or subprocess.run(mount, capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_reported_per_file_and_never_as_success(tmp_path, full_disk):
    inputs = corpus(tmp_path / "in", 40, lines=600)  # 20 kB each: 800 kB for a 200 kB disk
    proc = run_cli("run", str(inputs), "-o", str(full_disk / "out"), "-j", "1", *ONLY)
    assert proc.returncode in (ExitCode.BAD_INPUT, ExitCode.RUN_FAILED) and b"Traceback" not in proc.stderr
    assert b"No space left on device" in proc.stderr
    assert b"the run could not go on: cannot write the run's logs" in proc.stderr  # no room for them either


class Fragile:
    """A cleaner that fails on one document as a bug would."""

    def __init__(self, inner: Normalizer, bad: str):
        self.inner, self.bad = inner, bad

    def normalize(self, text: str, *, name: str | None = None) -> Result:
        if name and name.endswith(self.bad):
            raise RecursionError("maximum recursion depth exceeded")
        return self.inner.normalize(text, name=name)


def test_a_bug_on_one_file_is_reported_and_the_run_goes_on(tmp_path, mini):
    inputs = corpus(tmp_path / "in", 4)
    summary = run(Fragile(mini, "0002.txt"), [inputs], RunOptions(output=tmp_path / "out"))
    assert summary.files == 4 and summary.changed_files == 3
    assert [p.display for p in summary.problems] == [str(inputs / "d2" / "0002.txt")]
    assert "RecursionError" in summary.problems[0].message
    assert summary.exit_code == ExitCode.BAD_INPUT


def test_logs_that_cannot_be_written_fail_the_run_honestly(tmp_path):
    inputs = corpus(tmp_path / "in", 2)
    (tmp_path / "blocker").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("run", str(inputs), "-o", str(out), "--changes", str(tmp_path / "blocker" / "c.jsonl"), *ONLY)
    assert proc.returncode == ExitCode.RUN_FAILED, proc.stderr
    assert b"the run could not go on" in proc.stderr and b"Traceback" not in proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["exit_code"] == ExitCode.RUN_FAILED and "blocker" in summary["failure"]


# Any line length


def test_a_line_longer_than_a_part_is_cleaned_without_recursion():
    normalizer = Normalizer.load([MINI], include_default=False, settings=Settings(part_chars=1000))
    text = "Hafter met envoys in Sirt. " * 2000 + "\nHafter again.\n"
    result = normalizer.normalize(text)
    assert result.text == text.replace("Hafter", "Haftar").replace("Sirt.", "Sirte.")
    assert len(result.changes) == 4001
    last_on_line_1 = result.changes[-2]
    assert (last_on_line_1.line, last_on_line_1.column) == (1, 27 * 1999 + 22)
    assert text[last_on_line_1.start : last_on_line_1.end] == "Sirt"
    assert (result.changes[-1].line, result.changes[-1].column) == (2, 1)


def test_the_parts_of_a_long_line_are_cut_between_words():
    normalizer = Normalizer.load([MINI], include_default=False, settings=Settings(part_chars=50))
    text = "The envoys of Hafter met in Sirt " * 30
    assert normalizer.normalize(text).text == text.replace("Hafter", "Haftar").replace("Sirt ", "Sirte ")


def test_a_large_file_runs_in_less_than_three_times_its_size(tmp_path):
    """Peak memory of a run over one 40 MB file (the seed article again and
    again: one change every 500 bytes), above that of a run over the seed alone."""
    article = SEED.read_bytes()
    big = tmp_path / "big" / "big.txt"
    big.parent.mkdir()
    big.write_bytes(article * (40_000_000 // len(article)))
    probe = (
        "import resource, sys; from pathlib import Path; from normalize import Normalizer, RunOptions, run; "
        "n = Normalizer.load(); run(n, [Path(sys.argv[1])], RunOptions(output=Path(sys.argv[2]))); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"
    )

    def peak(path: Path) -> int:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path), str(tmp_path / ("out-" + path.name))],
            capture_output=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        return int(done.stdout)

    assert peak(big) - peak(SEED) < 3 * big.stat().st_size


@pytest.mark.parametrize("tail", [b"", b"a stray \xff byte in Sirt\n", b"a NUL \x00 byte\n"])
def test_a_file_read_as_a_stream_gives_what_a_whole_read_gives(tmp_path, monkeypatch, mini, tail):
    from normalize.batch import pipeline

    (tmp_path / "in").mkdir()
    data = SEED.read_bytes() * 3 + (LINE * 3000).encode() + tail + LINE.encode()
    (tmp_path / "in" / "long.txt").write_bytes(data)
    small = Normalizer.load([MINI], include_default=False, settings=Settings(part_chars=7000))
    whole = run(small, [tmp_path / "in"], RunOptions(output=tmp_path / "whole"))
    monkeypatch.setattr(pipeline, "STREAM_BYTES", 1000)
    monkeypatch.setattr(pipeline, "READ_BLOCK", 4099)  # blocks end inside characters and lines
    if not tail:  # plain UTF-8 is never read whole
        monkeypatch.setattr(pipeline, "read_bytes", lambda path: pytest.fail(f"{path} was read whole"))
    streamed = run(small, [tmp_path / "in"], RunOptions(output=tmp_path / "streamed"))
    assert tree(tmp_path / "streamed") == tree(tmp_path / "whole")
    assert streamed.to_dict() == whole.to_dict()


# Other people's text never drives the terminal


def test_escape_sequences_in_file_names_and_articles_are_shown_not_sent(tmp_path):
    (tmp_path / "gaz").mkdir()
    shutil.copytree(MINI, tmp_path / "gaz", dirs_exist_ok=True)
    (tmp_path / "in").mkdir()
    hostile = "\x1b]0;owned\x07\x1b[2J"  # set the window title, clear the screen
    (tmp_path / "in" / f"{hostile}.txt").write_bytes(b"\x00binary")  # an error names the file
    (tmp_path / "in" / "a.txt").write_text(f"In Libya, Hoftoor met{hostile} envoys.\n", encoding="utf-8")
    only = ("--no-default-gazetteers", "-g", "gaz")
    ran = run_cli("run", "in", "-o", "out", *only, cwd=tmp_path)
    reviewed = run_cli("review", "out", *only, input=b"s\n", cwd=tmp_path)
    assert b"Hoftoor" in reviewed.stdout  # the candidate and its context were shown
    for output in (ran.stderr, reviewed.stdout, reviewed.stderr):
        assert b"\x1b" not in output and b"\x07" not in output
    assert b"\\x1b]0;owned\\x07" in ran.stderr


def test_a_stop_signal_inside_a_deferred_block_arrives_once_the_block_is_whole():
    done = []
    with pytest.raises(KeyboardInterrupt), deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # (time for a signal that was not held back to arrive)
        done.append("the whole block")
    assert done == ["the whole block"]
