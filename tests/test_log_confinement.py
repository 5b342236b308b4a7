"""`normalize report` and `normalize review` treat a run's logs as data, not orders.

A place read from a log is used only below the output folder (relative, no
``..``, no link leading out), a gazetteer is written only where the loaded
gazetteers define the entity, and a log line that cannot be used is skipped
with a warning naming it, never with a traceback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI, run_cli

MARKER = "SECRET-d41d8cd98f00b204"
ARTICLE = "In Libya, Hoftoor met Houftaar.\nTurhoonah is near Tripoli. Hafter took Sirt.\n"
QUIET = "Sirt is quiet.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A finished run in `out`, over `in/a.txt` and `in/b.txt`, and a secret beside it."""
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(QUIET, encoding="utf-8")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    (tmp_path / "secret.txt").write_text(f"{MARKER}\n")
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    return tmp_path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write(path: Path, rows: list[dict], extra: str = "") -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + extra)


def _tamper(path: Path, edit) -> None:
    rows = _read(path)
    for row in rows:
        edit(row)
    _write(path, rows)


def _report(project: Path):
    proc = run_cli("report", "out", cwd=project)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return proc


def _page(project: Path) -> str:
    return (project / "out" / "report.html").read_text()


def _shown(project: Path) -> dict:
    """The run's figures as the page carries them."""
    data = _page(project).split('<script type="application/json" id="report-data">')[1].split("</script>")[0]
    return json.loads(data)["run"]


def _review(project: Path, answers: str):
    proc = run_cli("review", "out", input=answers.encode(), cwd=project)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return proc


# report


@pytest.mark.parametrize("place", ["../secret.txt", "ABSOLUTE"])
def test_report_reads_no_clean_copy_whose_place_in_the_manifest_leaves_the_output(project, place):
    place = str(project / "secret.txt") if place == "ABSOLUTE" else place
    manifest = project / "out" / ".normalize" / "manifest.jsonl"
    _tamper(manifest, lambda m: m.update(relative=place) if m["relative"] == "a.txt" else None)
    proc = _report(project)
    assert proc.returncode == 0
    assert MARKER not in _page(project)
    assert f"manifest.jsonl:1: skipped: its place {place!r} is not inside out" in proc.stderr.decode()
    assert "Sirte is quiet" in _page(project)  # the other file is still shown


def test_report_skips_change_records_that_name_a_file_the_run_did_not_write(project):
    changes = project / "out" / "changes.jsonl"
    _tamper(changes, lambda c: c.update(file="../../secret.txt", before=MARKER) if c["file"] == "in/a.txt" else None)
    proc = _report(project)
    assert proc.returncode == 0
    assert MARKER not in _page(project)
    assert "changes.jsonl:1: skipped: its file '../../secret.txt' is not among the run's files" in proc.stderr.decode()


def test_report_reads_no_clean_copy_that_is_a_link_out_of_the_output(project):
    copy = project / "out" / "a.txt"
    copy.unlink()
    copy.symlink_to(project / "secret.txt")
    proc = _report(project)
    assert proc.returncode == 0
    assert MARKER not in _page(project)
    assert "its place 'a.txt' is not inside out" in proc.stderr.decode()


def test_report_reads_no_log_that_is_a_link_out_of_the_output(project):
    outside = project / "elsewhere.jsonl"
    rows = _read(project / "out" / "changes.jsonl")
    _write(outside, [{**row, "after": MARKER} for row in rows])
    (project / "out" / "changes.jsonl").unlink()
    (project / "out" / "changes.jsonl").symlink_to(outside)
    proc = _report(project)
    assert proc.returncode == 0
    assert MARKER not in _page(project)
    assert "changes.jsonl: leads out of out; not read" in proc.stderr.decode()


def test_report_reads_nothing_through_a_state_folder_linked_out_of_the_output(project):
    state = project / "out" / ".normalize"
    shutil.move(state, project / "elsewhere")
    state.symlink_to(project / "elsewhere")
    proc = _report(project)
    assert proc.returncode == 2
    assert "manifest.jsonl: leads out of out; not read" in proc.stderr.decode()
    assert not (project / "out" / "report.html").exists()


def test_report_skips_log_lines_that_are_not_json_or_lack_a_field_and_shows_the_rest(project):
    changes = project / "out" / "changes.jsonl"
    rows = _read(changes)
    del rows[0]["start"]
    _write(changes, rows, extra="not json at all\n")
    proc = _report(project)
    assert proc.returncode == 0
    stderr = proc.stderr.decode()
    assert "changes.jsonl:1: skipped: no 'start' field" in stderr
    assert f"changes.jsonl:{len(rows) + 1}: skipped: not a JSON line" in stderr
    assert _shown(project)["changes"] == len(rows) - 1 and _shown(project)["skipped"] == 2


def test_report_of_a_json_lines_run_with_a_record_that_is_not_json_shows_the_rest(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"id": 1, "text": "Hafter took Sirt."}\nnot json\n')
    assert run_cli("run", "in", "-o", "out", "-q", "--glob", "*.jsonl", cwd=tmp_path).returncode == 0
    proc = _report(tmp_path)
    assert proc.returncode == 0
    assert "review.jsonl:1: skipped: no 'line' field (record not cleaned: line 2" in proc.stderr.decode()
    assert _shown(tmp_path)["changes"] == 2


# review


def _candidates(project: Path, **fields) -> None:
    def edit(row: dict) -> None:
        for candidate in row["candidates"]:
            candidate.update(fields)

    _tamper(project / "out" / "review.jsonl", edit)


def test_review_writes_an_accepted_spelling_into_the_loaded_gazetteer_not_the_file_named_in_the_log(project):
    other = project / "other.toml"
    shutil.copy(project / "gaz" / "libya.toml", other)
    before = other.read_bytes()
    _candidates(project, gazetteer_file=str(other))
    proc = _review(project, "a\nq\n")
    assert other.read_bytes() == before
    assert 'variants = ["Hafter", "Heftar", "Hoftoor"]' in (project / "gaz" / "libya.toml").read_text()
    assert f"{project / 'gaz' / 'libya.toml'}: 'Hoftoor' added" in proc.stdout.decode()


def test_review_adds_nothing_for_an_entity_the_gazetteers_in_use_do_not_define(project):
    other = project / "other.toml"
    other.write_text('[intruder]\ntype = "person"\ncanonical = "Intruder"\nvariants = []\n')
    before = other.read_bytes()
    _candidates(project, entity="intruder", canonical="Intruder", gazetteer_file=str(other))
    proc = _review(project, "a\nq\n")
    assert other.read_bytes() == before
    assert "not added: no entity 'intruder' in the gazetteers in use" in proc.stdout.decode()


def test_review_adds_nothing_under_a_canonical_the_entity_does_not_have(project):
    gazetteer = project / "gaz" / "libya.toml"
    before = gazetteer.read_bytes()
    _candidates(project, canonical="Somebody Else")
    proc = _review(project, "a\nq\n")
    assert gazetteer.read_bytes() == before
    assert "has no form 'Somebody Else'" in proc.stdout.decode()


def test_review_keeps_no_decisions_through_a_state_folder_linked_out_of_the_output(project):
    state = project / "out" / ".normalize"
    shutil.move(state, project / "elsewhere")
    state.symlink_to(project / "elsewhere")
    proc = _review(project, "r\na hotel\nn\nq\n")
    assert proc.returncode == 0
    assert not (project / "elsewhere" / "review-decisions.jsonl").exists()
    assert "review-decisions.jsonl: leads out of out" in proc.stderr.decode()


def test_review_writes_no_decision_through_a_decisions_file_linked_out_of_the_output(project):
    victim = project / "victim.txt"
    victim.write_text("untouched\n")
    (project / "out" / ".normalize" / "review-decisions.jsonl").symlink_to(victim)
    proc = _review(project, "r\na hotel\nn\nq\n")
    assert victim.read_text() == "untouched\n"
    assert "review-decisions.jsonl: leads out of out" in proc.stderr.decode()


def test_review_of_a_json_lines_run_with_a_record_that_is_not_json_asks_about_the_rest(tmp_path):
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"id": 1, "text": "In Libya, Hoftoor."}\nnot json\n')
    assert run_cli("run", "in", "-o", "out", "-q", "--glob", "*.jsonl", cwd=tmp_path).returncode == 0
    proc = _review(tmp_path, "s\n")
    assert proc.returncode == 0
    assert "[1/1] 'Hoftoor'" in proc.stdout.decode()
    assert "review.jsonl:2: skipped: no 'line' field (record not cleaned: line 2" in proc.stderr.decode()


def test_review_skips_a_log_line_that_is_not_json_or_lacks_a_field_and_asks_about_the_rest(project):
    review = project / "out" / "review.jsonl"
    rows = _read(review)
    del rows[0]["text"]
    _write(review, rows, extra="not json at all\n")
    proc = _review(project, "s\ns\n")
    assert proc.returncode == 0
    assert "[1/2]" in proc.stdout.decode() and "'Hoftoor'" not in proc.stdout.decode()
    stderr = proc.stderr.decode()
    assert "review.jsonl:1: skipped: no 'text' field" in stderr
    assert f"review.jsonl:{len(rows) + 1}: skipped: not a JSON line" in stderr
