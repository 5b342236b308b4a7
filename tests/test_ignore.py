"""The ignore list: spellings a run leaves alone, from the configuration or an ignore file."""

from __future__ import annotations

import json

from conftest import MINI, run_cli

from normalize import Normalizer
from normalize.engine.ignore import IgnoreList, load_ignore_file
from normalize.maintain.rejections import add_rejection

ONLY = ("--no-default-gazetteers", "-g", str(MINI))


def _mini(rules: IgnoreList) -> Normalizer:
    return Normalizer.load([MINI], include_default=False, ignore=rules)


def test_an_ignored_spelling_is_neither_changed_nor_sent_to_review():
    result = _mini(IgnoreList.from_entries(["Sirt"])).normalize("Hafter took Sirt.")
    assert result.text == "Haftar took Sirt."
    assert [c.before for c in result.changes] == ["Hafter"]
    assert result.review == ()


def test_a_pattern_must_match_the_whole_spelling():
    rules = IgnoreList.from_entries(["re:Haft[a-z]r"])
    assert _mini(rules).normalize("Hafter and Hafterx").text.startswith("Hafter")


def test_a_rule_with_context_holds_only_near_that_context(tmp_path):
    path = tmp_path / "ignore.toml"
    add_rejection(path, "Sirt", "the Sirt hotel, not the city", context="Hotel")
    normalizer = _mini(load_ignore_file(path))
    assert normalizer.normalize("Rooms at the Hotel Sirt.").text == "Rooms at the Hotel Sirt."
    assert normalizer.normalize("Fighting in Sirt.").text == "Fighting in Sirte."


def test_a_rule_for_some_files_holds_only_in_them(tmp_path):
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\ntext = "Sirt"\nreason = "quoted as written"\nfiles = ["quotes/*"]\n')
    normalizer = _mini(load_ignore_file(path))
    assert normalizer.normalize("Sirt", name="quotes/a.txt").text == "Sirt"
    assert normalizer.normalize("Sirt", name="news/a.txt").text == "Sirte"


def test_rejections_are_appended_and_the_file_stays_readable(tmp_path):
    path = tmp_path / "ignore.toml"
    add_rejection(path, "Sirt", "one")
    add_rejection(path, "Hifter", "two", context="Mr Hifter")
    rules = load_ignore_file(path).rules
    assert [(r.text, r.reason, r.context) for r in rules] == [("Sirt", "one", None), ("Hifter", "two", "Mr Hifter")]
    assert path.read_text().startswith("# Spellings normalize leaves alone.")


def test_a_rejection_edits_a_linked_ignore_file_where_it_lies(tmp_path):
    shared = tmp_path / "shared-ignore.toml"
    add_rejection(shared, "Sirt", "one")
    link = tmp_path / "normalize-ignore.toml"
    link.symlink_to(shared)
    add_rejection(link, "Hifter", "two")
    assert link.is_symlink() and [r.text for r in load_ignore_file(shared).rules] == ["Sirt", "Hifter"]


def test_a_rejection_writes_through_no_file_beside_the_ignore_file(tmp_path):
    bystander = tmp_path / "bystander.txt"
    bystander.write_text("mine")
    (tmp_path / "normalize-ignore.toml.check").symlink_to(bystander)  # a name a scratch file once had
    add_rejection(tmp_path / "normalize-ignore.toml", "Hifter", "two")
    assert bystander.read_text() == "mine"


def test_a_rejection_into_a_dangling_link_makes_no_folders_where_it_points(tmp_path):
    link = tmp_path / "normalize-ignore.toml"
    link.symlink_to(tmp_path / "unmounted" / "deep" / "ignore.toml")
    add_rejection(link, "Sirt", "one")
    assert not (tmp_path / "unmounted").exists() and [r.text for r in load_ignore_file(link).rules] == ["Sirt"]


def test_a_broken_ignore_file_is_a_usage_error_naming_file_and_line(tmp_path):
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\ntext = "Sirt"\nreason = "ok"\n\n[[ignore]]\ntext = "Hifter"\nreson = "typo"\n')
    proc = run_cli("text", "--ignore-file", str(path), *ONLY, input=b"Sirt\n")
    assert proc.returncode == 2
    assert f"{path}:5: unknown key 'reson' (did you mean 'reason'?)".encode() in proc.stderr


def test_a_run_honours_the_project_ignore_file_and_its_rules_are_part_of_the_run_key(tmp_path):
    (tmp_path / "normalize.toml").write_text('ignore = ["Hafter"]\n')
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hafter took Sirt.\n")
    proc = run_cli("run", "in", "-o", "out", *ONLY, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text() == "Hafter took Sirte.\n"
    add_rejection(tmp_path / "normalize-ignore.toml", "Sirt", "kept as written")
    proc = run_cli("run", "in", "-o", "out", *ONLY, cwd=tmp_path)
    assert (tmp_path / "out" / "a.txt").read_text() == "Hafter took Sirt.\n"
    assert [json.loads(line)["before"] for line in (tmp_path / "out" / "changes.jsonl").read_text().splitlines()] == []
