"""The resume journal: one line per finished file, pointing into the run's logs."""

from __future__ import annotations

import hashlib
from pathlib import Path

from normalize import Normalizer
from normalize.batch.journal import Entry, Extent, Journal
from normalize.batch.pipeline import RunOptions, run
from normalize.batch.runfolder import STATE_DIR


def _entry(relative: str, run_key: str, changes: Extent = Extent()) -> Entry:
    return Entry(relative, relative, "in-sha", run_key, None, "utf-8", None, changes, Extent(), {"haftar": 1})


def _corpus(tmp_path: Path, files: int = 3) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for n in range(files):
        (corpus / f"{n}.txt").write_text(f"Report {n}: forces loyal to Hafter took Sirt.\n" * 50, encoding="utf-8")
    return corpus


def _logs(out: Path) -> dict[str, bytes]:
    return {
        name: (out / name).read_bytes() for name in ("changes.jsonl", "review.jsonl", f"{STATE_DIR}/manifest.jsonl")
    }


def test_a_later_line_wins_and_a_torn_line_is_ignored(tmp_path):
    journal = Journal(tmp_path)
    journal.write(Path("a.txt"), _entry("a.txt", "old"))
    journal.write(Path("a.txt"), _entry("a.txt", "new"))
    journal.write(Path("b.txt"), _entry("b.txt", "new"))
    journal.close()
    (file,) = journal.folder.glob("*.jsonl")
    file.write_bytes(file.read_bytes()[:-20])  # a crash in the middle of the last line
    records = Journal(tmp_path).records()
    assert records[Journal.record_name("a.txt")].run_key == "new"
    assert records[Journal.record_name("a.txt")].entities == {"haftar": 1}
    assert Journal.record_name("b.txt") not in records


def test_the_journal_keeps_where_the_rows_are_not_the_rows(tmp_path):
    out = tmp_path / "out"
    run(Normalizer.load(), [_corpus(tmp_path)], RunOptions(output=out))
    (journal,) = (out / STATE_DIR / "journal").glob("*.jsonl")
    assert b"Hafter" not in journal.read_bytes()
    changes = (out / "changes.jsonl").read_bytes()
    for entry in Journal(out).records().values():
        rows = changes[entry.changes.offset : entry.changes.offset + entry.changes.length]
        assert entry.changes.log == "changes.jsonl" and entry.changes.count == 100
        assert rows.count(b"\n") == 100 and f'"file":"{entry.file}"'.encode() in rows
        assert hashlib.sha256(rows).hexdigest() == entry.changes.sha256


def test_a_resumed_run_copies_the_earlier_rows_and_writes_the_same_logs(tmp_path):
    out = tmp_path / "out"
    run(Normalizer.load(), [_corpus(tmp_path)], RunOptions(output=out))
    before = _logs(out)
    summary = run(Normalizer.load(), [tmp_path / "in"], RunOptions(output=out))
    assert summary.resumed == 3
    assert _logs(out) == before


def test_a_file_whose_logged_rows_changed_is_cleaned_again(tmp_path):
    out = tmp_path / "out"
    run(Normalizer.load(), [_corpus(tmp_path)], RunOptions(output=out))
    before = _logs(out)
    log = out / "changes.jsonl"
    log.write_bytes(log.read_bytes().replace(b"Sirt", b"Sirx", 1))  # inside the first file's rows
    summary = run(Normalizer.load(), [tmp_path / "in"], RunOptions(output=out))
    assert summary.resumed == 2
    assert _logs(out) == before


def test_rows_are_read_back_only_from_a_log_of_the_run(tmp_path):
    out = tmp_path / "out"
    rows = b'{"before":"Hafter"}\n'
    for place in (tmp_path / "secret.txt", out / "changes.jsonl"):
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_bytes(rows)
    journal = Journal(out, [out / "changes.jsonl"])
    sha = hashlib.sha256(rows).hexdigest()
    journal.write("a.txt", _entry("a.txt", "k", Extent(str(tmp_path / "secret.txt"), 0, len(rows), 1, sha)))
    journal.write("b.txt", _entry("b.txt", "k", Extent("changes.jsonl", 0, len(rows), 1, sha)))
    journal.close()
    assert Journal(out, journal.logs).current(Path("a.txt"), lambda: "in-sha", "k") is None
    record = Journal(out, journal.logs).current(Path("b.txt"), lambda: "in-sha", "k")
    assert b"".join(record.changes.jsonl()) == rows


def test_rewriting_keeps_the_given_entries_pointed_at_the_logs_in_place(tmp_path):
    journal = Journal(tmp_path)
    spool = f"{STATE_DIR}/journal/.changes.jsonl.1-0.tmp"
    journal.write(Path("a.txt"), _entry("a.txt", "k", Extent(spool, 0, 5, 1, "x")))
    journal.close()
    (tmp_path / spool).write_bytes(b"rows\n")
    entries = Journal(tmp_path).records()
    journal.rewrite(entries, {spool: "changes.jsonl"})
    assert [p.suffix for p in journal.folder.iterdir()] == [".jsonl"]  # old lines and the temporary log gone
    (entry,) = Journal(tmp_path).records().values()
    assert entry.changes == Extent("changes.jsonl", 0, 5, 1, "x")


def test_rewriting_removes_a_temporary_log_an_earlier_run_left_beside_a_log_outside_the_output(tmp_path):
    target = tmp_path / "logs" / "changes.jsonl"
    left = target.parent / ".changes.jsonl.99-0.tmp"
    left.parent.mkdir()
    left.write_bytes(b"rows\n")
    journal = Journal(tmp_path / "out", [target])
    journal.write(Path("a.txt"), _entry("a.txt", "k", Extent(str(left), 0, 5, 1, "x")))
    journal.rewrite({}, {})
    assert not left.exists()


def test_a_run_with_its_change_log_outside_the_output_folder_resumes_from_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = _corpus(tmp_path)
    options = RunOptions(output=Path("out"), changes_path=Path("logs/changes.jsonl"))
    run(Normalizer.load(), [corpus], options)
    before = (tmp_path / "logs" / "changes.jsonl").read_bytes()
    summary = run(Normalizer.load(), [corpus], options)
    assert summary.resumed == 3
    assert (tmp_path / "logs" / "changes.jsonl").read_bytes() == before
    assert [p.name for p in (tmp_path / "logs").iterdir()] == ["changes.jsonl"]  # no temporary log left
