"""Distinct files stay distinct: one display name per path, read back exactly.

A file name's bytes that are not UTF-8 show as ``\\xNN``; so that the byte
0xFF and the four characters ``\\xff`` do not share a name in the logs, a
backslash shows as ``\\\\``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from conftest import MINI, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.batch.corpus import display_name, path_of_display

MINI_ONLY = ("--no-default-gazetteers", "-g", str(MINI))
BYTE_NAME = os.fsdecode(b"\xff.txt")  # the byte 0xFF, then ".txt"
ESCAPE_NAME = "\\xff.txt"  # a backslash, "x", "f", "f", then ".txt"


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def two_files(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / BYTE_NAME).write_bytes(b"Hafter\n")
    (tmp_path / "in" / ESCAPE_NAME).write_bytes(b"Sirt and Tarhunah\n")
    out = tmp_path / "out"
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(out), *MINI_ONLY)
    assert proc.returncode == 0, proc.stderr
    return out


def test_a_byte_and_the_text_of_its_escape_have_different_display_names():
    assert display_name(Path(BYTE_NAME)) == "\\xff.txt"
    assert display_name(Path(ESCAPE_NAME)) == "\\\\xff.txt"


def test_ordinary_names_are_displayed_as_they_are():
    for name in ("seeds/000_4796237a99d6d92a.txt", "in/sub/a b.txt", "أخبار/café-نص.txt"):
        assert display_name(Path(name)) == name


_NAME_BYTES = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME_BYTES, min_size=1, max_size=3))
def test_display_names_read_back_to_their_paths(parts):
    path = Path(os.fsdecode(b"/".join(parts)))
    assert path_of_display(display_name(path)) == path


def test_run_logs_a_file_named_by_a_byte_and_one_named_by_its_escape_apart(tmp_path):
    out = two_files(tmp_path)
    by_file = {}
    for change in rows(out / "changes.jsonl"):
        by_file.setdefault(change["file"].rsplit("/", 1)[-1], []).append(change["before"])
    assert by_file == {"\\xff.txt": ["Hafter"], "\\\\xff.txt": ["Sirt", "Tarhunah"]}
    manifest = rows(out / ".normalize" / "manifest.jsonl")
    assert sorted(m["relative"] for m in manifest) == ["\\\\xff.txt", "\\xff.txt"]
    assert len({m["file"] for m in manifest}) == 2


def report_data(out: Path) -> dict:
    proc = run_cli("report", str(out))
    assert proc.returncode == 0, proc.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    return json.loads(embedded[1])


def test_the_report_counts_the_two_files_apart(tmp_path):
    files = report_data(two_files(tmp_path))["files"]
    assert sorted((f["name"], f["changes"]) for f in files) == [("\\\\xff.txt", 2), ("\\xff.txt", 1)]


def test_the_report_shows_each_file_its_own_clean_copy(tmp_path):
    files = report_data(two_files(tmp_path))["files"]
    views = {f["name"]: json.dumps(f["view"], ensure_ascii=False) for f in files}
    assert "Haftar" in views["\\xff.txt"] and "Sirte" not in views["\\xff.txt"]
    assert "Sirte" in views["\\\\xff.txt"] and "Haftar" not in views["\\\\xff.txt"]
