"""`normalize review`: the uncertain cases of a run become gazetteer variants or ignore rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI, run_cli

# Spellings that share a key with a listed name but score too low to be applied
# on their own (the mini gazetteer sends them to review).
ARTICLE = "In Libya, Hoftoor met Houftaar.\nTurhoonah is near Tripoli. Hoftoor again.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    return tmp_path


def _review(project: Path, answers: str, *args: str):
    return run_cli("review", "out", *args, input=answers.encode(), cwd=project)


def _decisions(project: Path) -> list[dict]:
    path = project / "out" / ".normalize" / "review-decisions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_each_spelling_is_asked_once_with_its_places_and_candidates(project):
    proc = _review(project, "s\ns\ns\n")
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "[1/3] 'Hoftoor' (key, 2 time(s) in 1 file(s))" in text
    assert "1) Haftar [khalifa_haftar] score 61.5" in text
    assert "0 accepted, 0 rejected, 3 skipped, 0 left." in text


def test_accepting_adds_the_variant_through_a_checked_edit(project):
    _review(project, "a\nq\n")
    assert 'variants = ["Hafter", "Heftar", "Hoftoor"]' in (project / "gaz" / "libya.toml").read_text()
    assert _decisions(project) == [{"spelling": "Hoftoor", "decision": "accepted", "entity": "khalifa_haftar"}]


def test_rejecting_writes_the_ignore_file_with_the_reason_and_the_context(project):
    _review(project, "s\nr\na hotel\ny\nq\n")
    ignore = (project / "normalize-ignore.toml").read_text()
    assert 'text = "Houftaar"' in ignore and 'reason = "a hotel"' in ignore
    assert 'context = "Hoftoor met Houftaar"' in ignore


def test_a_review_stopped_part_way_goes_on_where_it_stopped(project):
    first = _review(project, "a\nq\n")
    assert "2 left" in first.stdout.decode()
    second = _review(project, "s\ns\n")
    assert "[1/2] 'Houftaar'" in second.stdout.decode()
    assert "'Hoftoor'" not in second.stdout.decode()


def test_an_answer_that_is_not_understood_is_asked_again(project):
    proc = _review(project, "maybe\ns\nq\n")
    assert "not understood: 'maybe'" in proc.stdout.decode()
    assert "1 skipped" in proc.stdout.decode()


def test_an_edit_that_would_break_the_gazetteer_is_refused_and_nothing_is_written(project):
    # another entity already lists the spelling: the checked edit refuses it
    path = project / "gaz" / "libya.toml"
    path.write_text(path.read_text().replace('variants = ["Lybia"]', 'variants = ["Lybia", "Hoftoor"]'))
    before = path.read_text()
    proc = _review(project, "a\nq\n")
    assert "not added:" in proc.stdout.decode()
    assert path.read_text() == before


def test_review_of_a_folder_that_is_not_a_run_output_is_a_usage_error(tmp_path):
    proc = run_cli("review", str(tmp_path))
    assert proc.returncode == 2 and b"review.jsonl: not found" in proc.stderr


def test_an_interactive_run_asks_and_cleans_the_file_with_what_was_accepted(project):
    proc = run_cli("run", "in", "-o", "fresh", "-i", input=b"a\nr\na hotel\nn\ns\n", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "[1/3] 'Hoftoor'" in proc.stdout.decode()
    assert (project / "fresh" / "a.txt").read_text() == ARTICLE.replace("Hoftoor", "Haftar")
    assert [json.loads(line)["text"] for line in (project / "fresh" / "review.jsonl").read_text().splitlines()] == [
        "Turhoonah"
    ]


def test_quitting_an_interactive_run_finishes_it_without_more_questions(project):
    (project / "in" / "b.txt").write_text("In Libya, Seerta and Surta.\n")
    proc = run_cli("run", "in", "-o", "fresh", "-i", input=b"q\n", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.decode().count("accept, [r]eject") == 1
    assert (project / "fresh" / "b.txt").exists()


# The whole loop, as a new user meets it (the "done when").

CORPUS = {
    "one.txt": "In Libya, Hoftoor met Houftaar near Sirt.\n",
    "two.txt": "Turhoonah was quiet; Seerta was not. Hoftoor left Libya.\n",
    "three.txt": "Nothing about Libya here but Saarte.\n",
}


def test_run_report_accept_three_reject_one_rerun(tmp_path):
    from browser import open_page

    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    (tmp_path / "in").mkdir()
    for name, text in CORPUS.items():
        (tmp_path / "in" / name).write_text(text)
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    assert run_cli("report", "out", cwd=tmp_path).returncode == 0
    page = open_page(tmp_path / "out" / "report.html", "show=review")
    assert page.find("span", id="page-info").text == "page 1 of 1 · 3 files"

    questions = [g.spelling for g in _groups(tmp_path / "out")]
    assert sorted(questions) == ["Hoftoor", "Houftaar", "Saarte", "Seerta", "Turhoonah"]
    answers = {"Hoftoor": "a", "Turhoonah": "a", "Seerta": "a", "Houftaar": "r\nthe name of a horse\nn", "Saarte": "s"}
    proc = _review(tmp_path, "".join(answers[q] + "\n" for q in questions))
    assert "3 accepted, 1 rejected, 1 skipped, 0 left." in proc.stdout.decode()

    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    out = tmp_path / "out"
    assert (out / "one.txt").read_text() == "In Libya, Haftar met Houftaar near Sirte.\n"
    assert (out / "two.txt").read_text() == "Tarhuna was quiet; Sirte was not. Haftar left Libya.\n"
    assert (out / "three.txt").read_text() == CORPUS["three.txt"]  # skipped: still for review
    assert [g.spelling for g in _groups(out)] == ["Saarte"]


def _groups(output: Path):
    from normalize.review.session import group_review, read_review

    return group_review(read_review(output))


def test_an_interactive_check_run_asks_and_writes_no_output(project):
    proc = run_cli("run", "in", "--check", "-i", input=b"a\ns\ns\n", cwd=project)
    assert proc.returncode == 1, proc.stderr  # changes would be made
    assert "[1/3] 'Hoftoor'" in proc.stdout.decode()
    assert 'variants = ["Hafter", "Heftar", "Hoftoor"]' in (project / "gaz" / "libya.toml").read_text()
