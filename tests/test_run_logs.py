"""A run's logs are written as each file's turn comes and put in place when the run ends."""

from __future__ import annotations

from pathlib import Path

from normalize import Normalizer
from normalize.batch.pipeline import JOURNAL_EVERY, RunOptions, run
from normalize.batch.runfolder import STATE_DIR


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Forces loyal to Hafter took Sirt.\n" * 200, encoding="utf-8")
    (corpus / "b.txt").write_text("Heftar left Tarhunah.\n", encoding="utf-8")
    return corpus


def test_a_files_rows_are_written_when_its_turn_comes_not_held_to_the_end(tmp_path):
    out = tmp_path / "out"
    corpus = _corpus(tmp_path)
    for k in range(JOURNAL_EVERY):  # (so that the first files' rows go out during the run)
        (corpus / f"c{k:02}.txt").write_text("Misurata.\n", encoding="utf-8")
    seen: list[tuple[bool, bytes, int]] = []

    def on_file(outcome) -> None:
        journal = out / STATE_DIR / "journal"
        scratch = b"".join(p.read_bytes() for p in journal.glob(".*.tmp"))
        entries = sum(len(p.read_bytes().splitlines()) for p in journal.glob("*.jsonl"))
        seen.append(((out / "changes.jsonl").exists(), scratch, entries))

    run(Normalizer.load(), [corpus], RunOptions(output=out), on_file=on_file)
    # while the run goes on, the logs are temporary files (beside the journal,
    # which points into them) that hold the rows of the files done, at most
    # JOURNAL_EVERY files behind, and the journal names those files
    assert [exists for exists, _, _ in seen] == [False] * (JOURNAL_EVERY + 2)
    assert [entries for _, _, entries in seen] == [0] * (JOURNAL_EVERY - 1) + [JOURNAL_EVERY] * 3
    assert seen[JOURNAL_EVERY - 1][1].count(b'"before":"Hafter"') == 200
    changes = (out / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    befores = [line.split('"before":"')[1].split('"')[0] for line in changes]
    assert befores == ["Hafter", "Sirt"] * 200 + ["Heftar", "Tarhunah"] + ["Misurata"] * JOURNAL_EVERY
    assert list((out / STATE_DIR / "tmp").glob("*")) == []
    assert [p.suffix for p in (out / STATE_DIR / "journal").iterdir()] == [".jsonl"]  # no temporary log left


def test_a_run_whose_logs_cannot_be_written_says_so(tmp_path):
    out = tmp_path / "out"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    options = RunOptions(output=out, changes_path=blocked / "changes.jsonl")
    summary = run(Normalizer.load(), [_corpus(tmp_path)], options)
    assert summary.failure is not None and "cannot write the run's logs" in summary.failure
    assert (out / "b.txt").read_text(encoding="utf-8") == "Haftar left Tarhuna.\n"


def test_large_rows_leave_their_process_compressed_and_small_ones_as_they_are():
    import pickle

    from normalize.batch.logrows import PACK_BYTES, Rows

    row = {"file": "a.txt", "before": "Hafter", "after": "Haftar", "entity": "khalifa_haftar"}
    small, large = Rows.of([row] * 3), Rows.of([row] * (PACK_BYTES // 50))
    assert pickle.loads(pickle.dumps(small)).packed is False
    assert len(pickle.dumps(large)) < sum(len(b) for b in large.jsonl()) / 10
    assert pickle.loads(pickle.dumps(large)) == large
