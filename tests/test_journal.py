"""The resume journal: append-only lines, later ones win, torn ones are ignored."""

from __future__ import annotations

from pathlib import Path

from normalize.batch.journal import FileRecord, Journal
from normalize.batch.logrows import Rows


def _record(relative: str, run_key: str) -> FileRecord:
    changes = Rows.of([{"entity": "haftar"}, {"entity": "sirte", "before": "Sirt, Libya"}])
    return FileRecord(
        relative, relative, "in-sha", run_key, None, "utf-8", None, changes, Rows(), {"haftar": 1, "sirte": 1}
    )


def test_a_later_line_wins_and_a_torn_line_is_ignored(tmp_path):
    journal = Journal(tmp_path)
    journal.write(Path("a.txt"), _record("a.txt", "old"))
    journal.write(Path("a.txt"), _record("a.txt", "new"))
    journal.write(Path("b.txt"), _record("b.txt", "new"))
    (file,) = journal.folder.glob("*.jsonl")
    file.write_bytes(file.read_bytes()[:-20])  # a crash in the middle of the last line
    records = Journal(tmp_path).records()
    assert records[Journal.record_name("a.txt")].run_key == "new"
    assert Journal.record_name("b.txt") not in records
    assert list(records[Journal.record_name("a.txt")].changes.decode(dict)) == [
        {"entity": "haftar"},
        {"entity": "sirte", "before": "Sirt, Libya"},
    ]
    assert records[Journal.record_name("a.txt")].entities == {"haftar": 1, "sirte": 1}


def test_compacting_folds_every_file_into_one_with_the_same_records(tmp_path):
    journal = Journal(tmp_path)
    journal.write(Path("a.txt"), _record("a.txt", "k"))
    journal.compact()  # closes this process's file
    journal.write(Path("b.txt"), _record("b.txt", "k"))
    before = Journal(tmp_path).records()
    assert len(list(journal.folder.glob("*.jsonl"))) == 2
    journal.compact()
    assert len(list(journal.folder.glob("*.jsonl"))) == 1
    assert Journal(tmp_path).records() == before
