"""Your additions to the gazetteers go where an upgrade cannot erase them: a
user gazetteer outside the installed package, loaded by every command with
the shipped one (issue 15).  Each test has its own user gazetteer folder
(`NORMALIZE_GAZETTEER_DIR`, the conftest's `user_gazetteers`)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from conftest import run_cli, tree

from normalize import default_gazetteer_dir

SHIPPED = default_gazetteer_dir()
# Shares a key with Haftar but scores too low to be applied: the shipped data sends it to review.
ARTICLE = "In Libya, Hoftoor met Houftaar.\n"
GOTHAM = '[gotham]\ntype = "place"\ncanonical = "Gotham"\nvariants = ["Gothum"]\n'


def _said(proc) -> str:
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode().strip()


# gazetteer add


def test_a_variant_of_a_shipped_entity_goes_into_the_user_gazetteer_as_an_extension(user_gazetteers):
    before = tree(SHIPPED)
    proc = run_cli("gazetteer", "add", "khalifa_haftar", "Hoftoor", "--short", "Haftar")
    user = user_gazetteers / "user.toml"
    assert _said(proc) == f"{user}: 'Hoftoor' added to Haftar [khalifa_haftar]"
    assert tree(SHIPPED) == before
    assert tomllib.loads(user.read_text(encoding="utf-8"))["khalifa_haftar"] == {
        "extends": True,
        "short": [{"canonical": "Haftar", "variants": ["Hoftoor"]}],
    }


def test_an_added_variant_takes_effect_in_the_next_run_through_the_compiled_cache():
    assert run_cli("text", input=ARTICLE.encode()).stdout.decode() == ARTICLE  # compiled and cached
    _said(run_cli("gazetteer", "add", "khalifa_haftar", "Hoftoor", "--short", "Haftar"))
    assert run_cli("text", input=ARTICLE.encode()).stdout.decode() == ARTICLE.replace("Hoftoor", "Haftar")


def test_the_user_gazetteer_is_under_xdg_data_home_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("NORMALIZE_GAZETTEER_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    user = tmp_path / "data" / "normalize" / "gazetteers" / "user.toml"
    assert _said(run_cli("gazetteer", "add", "sirte", "Syrtee")) == f"{user}: 'Syrtee' added to Sirte [sirte]"
    assert run_cli("text", input=b"Syrtee").stdout == b"Sirte"


def test_without_xdg_data_home_the_user_gazetteer_is_under_home(tmp_path, monkeypatch):
    monkeypatch.delenv("NORMALIZE_GAZETTEER_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    user = tmp_path / ".local" / "share" / "normalize" / "gazetteers" / "user.toml"
    assert _said(run_cli("gazetteer", "add", "sirte", "Syrtee")) == f"{user}: 'Syrtee' added to Sirte [sirte]"


def test_a_variant_of_a_shipped_entity_goes_into_the_first_configured_gazetteer_folder(tmp_path, user_gazetteers):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "places.toml").write_text(GOTHAM)
    (tmp_path / "normalize.toml").write_text('gazetteer = ["mine"]\n')
    proc = run_cli("gazetteer", "add", "sirte", "Syrtee", cwd=tmp_path)
    assert _said(proc) == f"{tmp_path / 'mine' / 'user.toml'}: 'Syrtee' added to Sirte [sirte]"
    assert not user_gazetteers.exists()
    assert run_cli("text", input=b"Syrtee", cwd=tmp_path).stdout == b"Sirte"


def test_an_entity_defined_in_your_own_file_is_edited_in_that_file(tmp_path, user_gazetteers):
    mine = tmp_path / "places.toml"
    mine.write_text(GOTHAM)
    proc = run_cli("gazetteer", "add", "gotham", "Gothamm", "-g", str(mine))
    assert _said(proc) == f"{mine}: 'Gothamm' added to Gotham [gotham]"
    assert 'variants = ["Gothum", "Gothamm"]' in mine.read_text()
    assert not user_gazetteers.exists()


def test_the_shipped_folder_is_never_written_even_when_given_as_a_gazetteer(user_gazetteers):
    before = tree(SHIPPED)
    proc = run_cli("gazetteer", "add", "sirte", "Syrtee", "-g", str(SHIPPED))
    assert _said(proc) == f"{user_gazetteers / 'user.toml'}: 'Syrtee' added to Sirte [sirte]"
    assert tree(SHIPPED) == before


def test_file_writes_exactly_there_as_an_extension_of_an_entity_defined_elsewhere(tmp_path, user_gazetteers):
    team = tmp_path / "team.toml"
    proc = run_cli("gazetteer", "add", "sirte", "Syrtee", "--file", str(team))
    assert _said(proc) == f"{team}: 'Syrtee' added to Sirte [sirte]"
    assert 'extends = true\nvariants = ["Syrtee"]' in team.read_text() and not user_gazetteers.exists()
    assert run_cli("text", "-g", str(team), input=b"Syrtee").stdout == b"Sirte"


def test_file_naming_the_defining_file_edits_the_definition(tmp_path):
    # how a maintainer edits the shipped data (a copy here: the tests never write the checkout)
    own = tmp_path / "places.toml"
    own.write_text(GOTHAM)
    proc = run_cli(
        "gazetteer", "add", "gotham", "Gothamm", "--file", str(own), "--no-default-gazetteers", "-g", str(own)
    )
    assert _said(proc) == f"{own}: 'Gothamm' added to Gotham [gotham]"
    assert own.read_text() == GOTHAM.replace('["Gothum"]', '["Gothum", "Gothamm"]')


def test_a_new_entity_goes_into_the_user_gazetteer_without_file(user_gazetteers):
    proc = run_cli("gazetteer", "add", "gotham", "Gothamm", "--canonical", "Gotham", "--type", "place")
    assert _said(proc) == f"{user_gazetteers / 'user.toml'}: added [gotham] 'Gotham'"
    assert run_cli("text", input=b"Gothamm").stdout == b"Gotham"


# the user gazetteer as every command loads it


def test_an_extension_of_an_unknown_id_stops_every_command_with_its_file_and_line(user_gazetteers):
    user_gazetteers.mkdir()
    (user_gazetteers / "user.toml").write_text('[sirt]\nextends = true\nvariants = ["Syrtee"]\n')
    proc = run_cli("text", input=b"Sirt")
    assert proc.returncode == 4
    message = f"{user_gazetteers / 'user.toml'}:1: sirt: extends = true, but no gazetteer in use defines [sirt]"
    assert message.encode() in proc.stderr


def test_lint_reports_an_extension_that_sets_the_canonical_at_its_line(user_gazetteers):
    user_gazetteers.mkdir()
    (user_gazetteers / "user.toml").write_text('[sirte]\nextends = true\ncanonical = "Sirt"\n')
    proc = run_cli("gazetteer", "lint")
    assert proc.returncode == 4
    assert (
        f"{user_gazetteers / 'user.toml'}:3: G000 sirte: an extension (extends = true) cannot set 'canonical'".encode()
        in (proc.stdout)
    )


def test_no_default_gazetteers_leaves_the_user_gazetteer_out_too(tmp_path, user_gazetteers):
    user_gazetteers.mkdir()
    (user_gazetteers / "user.toml").write_text(GOTHAM)
    mine = tmp_path / "mine.toml"
    mine.write_text(GOTHAM.replace("gotham", "metropolis").replace("Goth", "Metrop"))
    assert run_cli("text", input=b"Gothum").stdout == b"Gotham"
    assert run_cli("text", "--no-default-gazetteers", "-g", str(mine), input=b"Gothum").stdout == b"Gothum"


# review


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """A run over the shipped gazetteers that leaves Hoftoor for review."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    return tmp_path


def test_accepting_a_shipped_entity_in_review_writes_the_user_gazetteer(reviewed, user_gazetteers):
    before = tree(SHIPPED)
    proc = run_cli("review", "out", input=b"a\nq\n", cwd=reviewed)
    assert f"{user_gazetteers / 'user.toml'}: 'Hoftoor' added to Haftar [khalifa_haftar]" in _said(proc)
    assert tree(SHIPPED) == before
    assert run_cli("run", "in", "-o", "again", "-q", cwd=reviewed).returncode == 0
    assert (reviewed / "again" / "a.txt").read_text() == ARTICLE.replace("Hoftoor", "Haftar")


def test_a_change_made_through_a_user_variant_names_the_user_file(reviewed, user_gazetteers):
    _said(run_cli("gazetteer", "add", "khalifa_haftar", "Hoftoor", "--short", "Haftar"))
    assert run_cli("run", "in", "-o", "again", "-q", cwd=reviewed).returncode == 0
    [change] = [json.loads(line) for line in (reviewed / "again" / "changes.jsonl").read_text().splitlines()]
    assert (change["gazetteer_file"], change["gazetteer_line"]) == (str(user_gazetteers / "user.toml"), 11)
