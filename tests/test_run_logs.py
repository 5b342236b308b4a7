"""A run's logs are written as each file's turn comes and put in place when the run ends."""

from __future__ import annotations

from pathlib import Path

from normalize import Normalizer
from normalize.batch.pipeline import RunOptions, run
from normalize.batch.runfolder import STATE_DIR


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Forces loyal to Hafter took Sirt.\n" * 200, encoding="utf-8")
    (corpus / "b.txt").write_text("Heftar left Tarhunah.\n", encoding="utf-8")
    return corpus


def test_a_files_rows_are_written_when_its_turn_comes_not_held_to_the_end(tmp_path):
    out = tmp_path / "out"
    seen: list[tuple[bool, bytes]] = []

    def on_file(outcome) -> None:
        scratch = b"".join(p.read_bytes() for p in (out / STATE_DIR / "journal").glob(".*.tmp"))
        seen.append(((out / "changes.jsonl").exists(), scratch))

    run(Normalizer.load(), [_corpus(tmp_path)], RunOptions(output=out), on_file=on_file)
    # while the run goes on, the logs are temporary files (beside the journal,
    # which points into them) that already hold the rows of the files done
    assert [exists for exists, _ in seen] == [False, False]
    assert seen[0][1].count(b'"before":"Hafter"') == 200
    changes = (out / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    befores = [line.split('"before":"')[1].split('"')[0] for line in changes]
    assert befores == ["Hafter", "Sirt"] * 200 + ["Heftar", "Tarhunah"]
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
