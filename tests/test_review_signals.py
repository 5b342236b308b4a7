"""Two review signals kept apart (``cannot_choose``, ``probably_none``), and
every change with the rule that applied it, the runner-up and the margin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI, run_cli

from normalize import Normalizer, load_gazetteers
from normalize.batch.journal import ManifestLine
from normalize.engine.context import Context
from normalize.engine.index import Index
from normalize.engine.normalizer import Settings
from normalize.engine.records import Candidate, Mention, encode
from normalize.engine.resolve import ResolveSettings, decide
from normalize.engine.rewrite import rewrite
from normalize.review.report import build_report_data

SIGNALS = {"cannot_choose", "probably_none"}

# Fuzzy scores are the matcher's business and may be tuned: the fuzzy cases
# are decided here over mentions whose candidates' scores are given.
CLOSE = """\
[gazetteer]
region = "LY"
context = ["Libya"]

[brega]
type = "place"
canonical = "Brega"

[breda]
type = "place"
canonical = "Breda"
"""

ARTICLE = (
    "In Libya, Hafter took Sirt.\n"  # exact changes
    "Troops reached Jufara.\n"  # a key Jufra and Jafara share: cannot choose
    "Hoftoor met Ali Sirty.\n"  # too far; a person's given name before a place: probably none
    "Tarhunnah was calm.\n"  # a key change
)


@pytest.fixture(scope="module")
def close(tmp_path_factory) -> Index:
    path = tmp_path_factory.mktemp("close") / "close.toml"
    path.write_text(CLOSE, encoding="utf-8")
    return Index.build(load_gazetteers([path], include_default=False))


def _fuzzy(index: Index, text: str, *scored: tuple[str, float]):
    """Decide the first word of `text` as a fuzzy mention with these candidates."""
    word = text.split()[0]
    candidates = tuple(Candidate(index.exact[(name,)], score) for name, score in scored)
    mention = Mention(0, len(word), 0, word, "fuzzy", candidates)
    applied, review = decide([mention], Context(text), index)
    return text, applied, review


def _review(normalizer: Normalizer, text: str) -> dict[str, tuple[str, str]]:
    return {item.text: (item.signal, item.reason) for item in normalizer.normalize(text).review}


# --- the signals, set where each reason is made ---------------------------


def test_a_key_two_names_share_is_cannot_choose(mini):
    signal, reason = _review(mini, "Troops reached Jufara in Libya.")["Jufara"]
    assert signal == "cannot_choose" and reason == "transliteration key shared by several names: Jafara, Jufra"


def test_a_runner_up_within_the_apply_margin_is_cannot_choose(close):
    margin = ResolveSettings().fuzzy_margin
    _, applied, review = _fuzzy(close, "Bregda in Libya.", ("Brega", 95.0), ("Breda", 95.0 - margin + 1))
    assert applied == [] and [(d.reason, d.signal) for d in review] == [
        (f"runner-up Breda too close ({95.0 - margin + 1:g})", "cannot_choose")
    ]


def test_a_fuzzy_score_under_the_apply_threshold_is_probably_none(close):
    low = ResolveSettings().fuzzy_auto - 1
    _, applied, review = _fuzzy(close, "Bregda in Libya.", ("Brega", low), ("Breda", low - 20))
    assert applied == [] and [(d.signal, "below" in d.reason) for d in review] == [("probably_none", True)]


def test_a_rewrite_that_would_read_as_another_entitys_name_is_cannot_choose(shipped):
    signal, reason = _review(shipped, "Khalid Khaftar spoke.")["Khaftar"]
    assert signal == "cannot_choose" and "Khalid Haftar" in reason


@pytest.mark.parametrize(
    "text, spelling, words",
    [
        ("In Libya, Hoftoor spoke.", "Hoftoor", "spelling too far"),  # key score under the apply threshold
        ("The painter Hifter showed new work in Paris.", "Hifter", "region"),  # no supporting context
        ("In Libya, Ali Sirty spoke.", "Sirty", "reads as a person"),  # a person/place type mismatch
        ("Sirtthe in Libya.", "Sirtthe", "glued on"),  # a function word glued on
    ],
)
def test_a_best_candidate_too_far_or_refused_by_a_guard_is_probably_none(mini, text, spelling, words):
    signal, reason = _review(mini, text)[spelling]
    assert signal == "probably_none" and words in reason


def test_an_ambiguous_name_without_support_is_probably_none(mini):
    review = mini.normalize("Wefaq won seats in Bahrain.").review
    assert [(r.text, r.signal) for r in review] == [("Wefaq", "probably_none")]
    assert "ambiguous" in review[0].reason


def test_every_review_row_of_a_run_has_a_signal_and_keeps_its_reason(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = run_cli("run", "in", "-o", "out", "-q", "--no-default-gazetteers", "-g", str(MINI), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in (tmp_path / "out" / "review.jsonl").read_text().splitlines()]
    assert {r["text"]: r["signal"] for r in rows} == {
        "Jufara": "cannot_choose",
        "Hoftoor": "probably_none",
        "Sirty": "probably_none",
    }
    assert all(r["reason"] and r["candidates"] and r["context"] for r in rows)


# --- the change fields ----------------------------------------------------


def test_an_exact_or_key_change_has_its_rule_and_no_runner_up(mini):
    changes = mini.normalize(ARTICLE).changes
    assert [(c.before, c.rule, c.runner_up, c.margin) for c in changes] == [
        ("Hafter", "exact", None, None),
        ("Sirt", "exact", None, None),
        ("Tarhunnah", "key", None, None),
    ]
    assert [c.method for c in changes] == ["exact", "exact", "key"]  # the method keeps its meaning


def test_a_fuzzy_change_gives_the_runner_up_and_the_margin(close):
    text, applied, review = _fuzzy(close, "Bregda in Libya.", ("Brega", 96.5), ("Breda", 81.3))
    assert review == []
    clean, (change,) = rewrite(text, applied, "a.txt")
    assert clean == "Brega in Libya." and (change.method, change.rule, change.score) == ("fuzzy", "fuzzy", 96.5)
    assert (change.runner_up, change.margin) == ("Breda", 15.2)
    assert change.to_dict()["runner_up"] == "Breda" and change.to_dict()["margin"] == 15.2


def test_a_name_the_original_decides_gives_the_look_alike_it_beat(mini):
    text = "Troops reached Jufara in Libya."
    (item,) = mini.normalize(text).review
    jafara = next(c["score"] for c in item.candidates if c["canonical"] == "Jafara")
    (change,) = mini.normalize(text, confirmed={"jufra"}).changes
    assert (change.after, change.method, change.rule, change.runner_up) == ("Jufra", "source", "source", "Jafara")
    assert change.score == 100.0 and change.margin == pytest.approx(100.0 - jafara)


@pytest.mark.parametrize("engine", ["scan", "reference"])
@pytest.mark.parametrize(
    "written, canonical, rule",
    [
        ("National Oil Company", "National Oil Corporation", "synonym"),
        ("Accord Government", "Government of National Accord", "word_order"),
        ("Dawn of Libya", "Libya Dawn", "word_order"),
        ("Presidency Council", "Presidential Council", "exact"),  # a listed variant, not an expansion
    ],
)
def test_an_expanded_organisation_spelling_names_the_expansion_rule(engine, written, canonical, rule):
    normalizer = _engine(engine)
    (change,) = normalizer.normalize(f"The {written} in Tripoli, Libya.").changes
    assert (change.before, change.after, change.method, change.rule) == (written, canonical, "exact", rule)
    assert change.runner_up is None and change.margin is None


_ENGINES: dict[str, Normalizer] = {}


def _engine(name: str) -> Normalizer:
    if name not in _ENGINES:
        _ENGINES[name] = Normalizer.load(settings=Settings(engine=name))
    return _ENGINES[name]


def test_every_change_of_a_run_logs_rule_runner_up_and_margin_with_the_old_fields(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.jsonl").write_text('{"text": "Hafter in Libya"}\n', encoding="utf-8")
    for glob in ("*.txt", "*.jsonl"):
        proc = run_cli(
            "run", "in", "-o", "out", "-q", "--no-resume", "--glob", glob,
            "--no-default-gazetteers", "-g", str(MINI), cwd=tmp_path,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        rows = [json.loads(line) for line in (tmp_path / "out" / "changes.jsonl").read_text().splitlines()]
        assert rows
        for row in rows:
            assert {"rule", "runner_up", "margin"} <= row.keys()
            assert {"before", "after", "entity", "method", "score", "gazetteer_file", "gazetteer_line"} <= row.keys()
            assert row["rule"] == row["method"] and row["runner_up"] is None and row["margin"] is None


# --- review and report read the signals, and runs from before them --------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    return tmp_path


def _strip_new_fields(out: Path) -> None:
    """Make the logs those of a run from before the signals and change fields."""
    for log, names in (("changes.jsonl", ("rule", "runner_up", "margin")), ("review.jsonl", ("signal",))):
        rows = [json.loads(line) for line in (out / log).read_text().splitlines()]
        assert all(set(names) <= row.keys() for row in rows)
        (out / log).write_text("".join(json.dumps({k: v for k, v in r.items() if k not in names}) + "\n" for r in rows))


def test_review_shows_the_signal_with_each_spelling(project):
    proc = run_cli("review", "out", input=b"s\ns\ns\n", cwd=project)
    text = proc.stdout.decode()
    assert proc.returncode == 0
    block = text[text.index("'Jufara'") :].split("\n[")[0]
    assert "signal: cannot_choose" in block
    block = text[text.index("'Hoftoor'") :].split("\n[")[0]
    assert "signal: probably_none" in block


def test_report_counts_the_two_signals_apart(project):
    data = build_report_data(project / "out", warn=pytest.fail)
    assert (data["run"]["cannot_choose"], data["run"]["probably_none"]) == (1, 2)
    assert dict(data["review_signals"]) == {"cannot_choose": 1, "probably_none": 2}
    marks = [m for f in data["files"] for m in f.get("marks", ())]
    assert {m["before"]: m["signal"] for m in marks if m["kind"] == "review"}["Jufara"] == "cannot_choose"
    assert {(m["before"], m["rule"], m["runner_up"], m["margin"]) for m in marks if m["kind"] == "change"} == {
        ("Hafter", "exact", None, None),
        ("Sirt", "exact", None, None),
        ("Tarhunnah", "key", None, None),
    }


def test_review_and_report_still_read_a_run_from_before_the_new_fields(project):
    out = project / "out"
    _strip_new_fields(out)
    data = build_report_data(out, warn=pytest.fail)  # no line skipped
    assert data["run"]["review"] == 3 and data["run"]["changes"] == 3
    assert (data["run"]["cannot_choose"], data["run"]["probably_none"]) == (0, 0)
    assert dict(data["review_signals"]) == {"not recorded": 3}
    marks = [m for f in data["files"] for m in f.get("marks", ())]
    assert all(m["signal"] == "" for m in marks if m["kind"] == "review")
    assert all(m["rule"] == "" and m["runner_up"] is None for m in marks if m["kind"] == "change")
    proc = run_cli("report", "out", cwd=project)
    assert proc.returncode == 0 and b"warning" not in proc.stderr
    proc = run_cli("review", "out", input=b"s\ns\ns\n", cwd=project)
    text = proc.stdout.decode()
    assert proc.returncode == 0 and "0 accepted, 0 rejected, 3 skipped, 0 left." in text
    assert "why not applied: transliteration key shared by several names" in text and "signal:" not in text


def test_a_signal_or_margin_of_the_wrong_type_skips_that_line_with_a_warning(project):
    out = project / "out"
    rows = [json.loads(line) for line in (out / "review.jsonl").read_text().splitlines()]
    rows[0]["signal"] = ["cannot_choose"]
    (out / "review.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text().splitlines()]
    changes[0]["margin"] = "big"
    (out / "changes.jsonl").write_text("".join(json.dumps(r) + "\n" for r in changes))
    warnings: list[str] = []
    data = build_report_data(out, warn=warnings.append)
    assert data["run"]["review"] == 2 and data["run"]["changes"] == 2
    assert any("'signal' is not a string" in w for w in warnings)
    assert any("'margin' is not a number or null" in w for w in warnings)


def test_the_report_filters_by_signal_from_the_address_and_shows_the_rule_in_a_change_tooltip(project):
    from browser import open_page

    assert run_cli("report", "out", cwd=project).returncode == 0
    page = open_page(project / "out" / "report.html", "signal=cannot_choose&open=0")
    totals = {td.attrs["data-total"]: td.text for td in page.find_all("td") if "data-total" in td.attrs}
    assert totals["review: cannot choose"] == "1" and totals["review: probably none of these"] == "2"
    assert {a.text for a in page.find_all("a") if a.attrs.get("data-filter") == "signal"} == SIGNALS
    assert page.find("select", id="filter-signal")
    marks = page.find("pre", id="text").find_all("mark")
    shown = [m.text for m in marks if not m.has_class("dim")]
    assert shown == ["Jufara"]
    rows = page.find("table", id="marks").find_all("tr")
    assert [r.attrs["data-signal"] for r in rows] == ["cannot_choose"]
    tips = {m.attrs["data-before"]: m.attrs["title"] for m in marks}
    assert "· cannot choose ·" in tips["Jufara"] and "· probably none of these ·" in tips["Hoftoor"]
    assert tips["Hafter"].endswith("· rule exact · no runner-up")
    page = open_page(project / "out" / "report.html", "signal=probably_none&show=review&open=0")
    shown = [m.text for m in page.find("pre", id="text").find_all("mark") if not m.has_class("dim")]
    assert shown == ["Hoftoor", "Sirty"]
    page = open_page(project / "out" / "report.html", "signal=cannot_choose")
    assert page.find("span", id="page-info").text == "page 1 of 1 · 1 files"


def test_a_change_tooltip_gives_the_runner_up_and_the_margin_and_an_old_change_has_none(tmp_path):
    from browser import open_page

    out = tmp_path / "out"
    (out / ".normalize").mkdir(parents=True)
    (out / "a.txt").write_text("Brega and Sirte.\n")
    manifest = ManifestLine("in/a.txt", "a.txt", "in-sha", "key", "out-sha", "utf-8", None, 2, 0)
    (out / ".normalize" / "manifest.jsonl").write_bytes(encode(manifest) + b"\n")
    place = {"file": "in/a.txt", "line": 1, "gazetteer_file": "g.toml", "gazetteer_line": 3}
    changes = [
        place | {"column": 1, "start": 0, "end": 6, "byte_start": 0, "byte_end": 6, "before": "Bregda",
                 "after": "Brega", "entity": "brega", "method": "fuzzy", "score": 96.5, "rule": "fuzzy",
                 "runner_up": "Breda", "margin": 15.2},
        place | {"column": 12, "start": 11, "end": 15, "byte_start": 11, "byte_end": 15, "before": "Sirt",
                 "after": "Sirte", "entity": "sirte", "method": "exact", "score": 100.0},  # from before rules
    ]  # fmt: skip
    (out / "changes.jsonl").write_text("".join(json.dumps(c) + "\n" for c in changes))
    assert run_cli("report", str(out)).returncode == 0
    marks = open_page(out / "report.html", "open=0").find("pre", id="text").find_all("mark")
    tips = {m.text: m.attrs["title"] for m in marks}
    assert tips["Brega"] == (
        "Bregda → Brega · fuzzy · score 96.5 · brega (g.toml:3) · rule fuzzy · runner-up Breda, margin 15.2"
    )
    assert tips["Sirte"] == "Sirt → Sirte · exact · score 100 · sirte (g.toml:3)"
