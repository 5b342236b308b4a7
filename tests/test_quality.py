"""The quality harness runs on the development set and guards against regressions.

The floors sit a little below the figures in the README, so an honest
improvement never fails, and a change that touches negatives does.
"""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import quality


def test_edits_are_runs_of_replaced_words():
    assert quality.edits("Hafter’s men in Sirt.", "Haftar’s men in Sirte.") == {
        (0, 6, "Haftar"),
        (16, 20, "Sirte"),
    }
    assert quality.edits("the Al-Wefaq government", "the GNA government") == {(4, 12, "GNA")}


def test_the_shipped_gazetteers_touch_no_negative_and_keep_precision(shipped):
    scores = quality.evaluate(shipped)
    assert scores.positives >= 100 and scores.negatives >= 40 and scores.entities >= 40
    assert scores.negatives_touched == 0
    assert scores.precision >= 0.995
    assert scores.recall >= 0.95
