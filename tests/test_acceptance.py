"""The issue's acceptance test: the seed article through the real CLI."""

import json

from conftest import ROOT, SEED, run_cli

EXPECTED = [
    ("Sirt", "Sirte"),
    ("Al-Jafra", "Jufra"),
    ("Al-Wefaq", "GNA"),
    ("Hafter", "Haftar"),  # in "Hafter’s": the possessive stays
    ("Heftar", "Haftar"),
    ("Tarhunah", "Tarhuna"),
    ("Al-Wefaq", "GNA"),
    ("Tharouna", "Tarhuna"),
    ("Beni Walid", "Bani Walid"),
]


def test_the_seed_article_gets_exactly_the_expected_changes(tmp_path):
    out = tmp_path / "OUT"
    proc = run_cli("run", "seeds", "-o", str(out), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr.decode()
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(c["before"], c["after"]) for c in changes] == EXPECTED

    original = SEED.read_text(encoding="utf-8")
    expected = original
    for before, after in [
        ("Sirt.", "Sirte."),
        ("Al-Jafra", "Jufra"),
        ("Al-Wefaq", "GNA"),
        ("Hafter’s", "Haftar’s"),
        ("Heftar", "Haftar"),
        ("Tarhunah", "Tarhuna"),
        ("Tharouna", "Tarhuna"),
        ("Beni Walid", "Bani Walid"),
    ]:
        expected = expected.replace(before, after)
    assert (out / SEED.name).read_text(encoding="utf-8") == expected
    assert (out / "review.jsonl").read_text(encoding="utf-8") == ""
