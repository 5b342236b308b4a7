"""bench/speed.py runs end to end on a tiny corpus and writes the report it promises.

Only the shape of the results is checked, never a timing: speed targets are
reported by the benchmark, not enforced by the tests.
"""

import json
import subprocess
import sys

from conftest import ROOT


def test_speed_benchmark_smoke(tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "speed.py"),
            "--size-mb",
            "0.2",
            "--skip-slow",
            "--repeat",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads((out / "speed.json").read_text(encoding="utf-8"))
    assert {"meta", "io", "sizes", "tools", "startup", "file_length", "cli_runs", "targets"} <= set(results)
    assert set(results["sizes"]) == {"shipped", "10k"}  # --skip-slow: no 100k
    for size in results["sizes"].values():
        assert size["spellings"] > 0
        assert size["build"]["build_s"] > 0
        for method in ("ours", "ours_again", "aho_corasick", "trie_regex", "flashtext"):
            assert size[method]["mb_s"] > 0, method
        # a second pass settles what the first worked out: the same records
        assert (size["ours_again"]["changes"], size["ours_again"]["review"]) == (
            size["ours"]["changes"],
            size["ours"]["review"],
        )
    assert results["sizes"]["10k"]["spellings"] >= results["sizes"]["shipped"]["spellings"] + 10_000
    assert results["io"]["mb_s"] > 0
    assert results["startup"]["median_s"] > 0
    assert all(row["ours_one_file_mb_s"] > 0 for row in results["file_length"]["rows"])
    assert results["cli_runs"]["j1"]["returncode"] == 0 and results["cli_runs"]["speedup_j2"] > 0
    assert all(t["status"] in ("PASS", "FAIL", "n/a") for t in results["targets"])
    assert "| target |" in (out / "speed.md").read_text(encoding="utf-8")
