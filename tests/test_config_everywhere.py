"""Every command honours the configuration file.

``normalize.toml`` (or ``[tool.normalize]``) is read once, when the command
line is parsed, and each option named like a setting takes the file's value
unless the command line gives one.  The commands run as real processes in a
project folder holding the file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from conftest import MINI, run_cli
from modelkit import build_kit

from normalize import load_gazetteers
from normalize.cli.app import app
from normalize.cli.config import SETTINGS

MINI_ENTITIES = len(load_gazetteers([MINI], include_default=False).entities)
ARABIC = "قوات حفتر في سرت.".encode()


def project(folder: Path, *settings: str) -> Path:
    """`folder` with a normalize.toml of these lines, on the mini gazetteer only."""
    lines = [f"gazetteer = [{json.dumps(str(MINI))}]", "no_default_gazetteers = true", *settings]
    (folder / "normalize.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def stats(folder: Path, *args: str) -> dict:
    proc = run_cli("gazetteer", "stats", "--json", *args, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return build_kit(tmp_path_factory.mktemp("kit"))


# the ignore list


def test_explain_says_a_spelling_the_configuration_ignores_is_left_alone(tmp_path):
    proc = run_cli("gazetteer", "explain", "Hafter", cwd=project(tmp_path, 'ignore = ["Hafter"]'))
    assert proc.returncode == 0, proc.stderr
    verdict, *steps = proc.stdout.decode().splitlines()
    assert verdict == "'Hafter': left alone"
    assert steps[-1] == "  ignored: the rule 'Hafter' (configuration)"


def test_explain_and_text_agree_on_an_ignored_spelling(tmp_path):
    folder = project(tmp_path, 'ignore = ["Hafter"]')
    assert run_cli("text", input=b"Hafter in Sirt", cwd=folder).stdout == b"Hafter in Sirte"
    assert b"'Sirt': changed to 'Sirte'" in run_cli("gazetteer", "explain", "Sirt", cwd=folder).stdout
    assert b"'Hafter': left alone" in run_cli("gazetteer", "explain", "Hafter", cwd=folder).stdout


def test_explain_names_the_rule_of_the_ignore_file_beside_the_configuration(tmp_path):
    folder = project(tmp_path)
    (folder / "normalize-ignore.toml").write_text('[[ignore]]\ntext = "Sirt"\nreason = "kept as written"\n')
    proc = run_cli("gazetteer", "explain", "Sirt", cwd=folder)
    ignore_file = folder.resolve() / "normalize-ignore.toml"
    assert proc.stdout.decode().splitlines()[-1] == f"  ignored: the rule 'Sirt' ({ignore_file}:1, kept as written)"


def test_an_ignore_list_on_the_command_line_replaces_the_configured_one(tmp_path):
    proc = run_cli("gazetteer", "explain", "Hafter", "--ignore", "Sirt", cwd=project(tmp_path, 'ignore = ["Hafter"]'))
    assert proc.stdout.decode().startswith("'Hafter': changed to 'Haftar'")


def test_suggest_leaves_out_what_the_configuration_ignores(tmp_path):
    folder = project(tmp_path, 'ignore = ["Hifter"]')
    (folder / "corpus").mkdir()
    (folder / "corpus" / "a.txt").write_text("Hifter spoke in Libya. Forces reached Tarhounah.\n")
    proc = run_cli("gazetteer", "suggest", "corpus", "-o", "s.tsv", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in (folder / "s.tsv").read_text().splitlines() if not line.startswith("#")]
    assert [row[0] for row in rows[1:]] == ["Tarhounah"]


# gazetteers


def test_suggest_reads_the_gazetteers_the_configuration_names_relative_to_its_folder(tmp_path):
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\nglob = "*.md"\n')
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.md").write_text("Hifter spoke in Libya.\n")
    (tmp_path / "sub").mkdir()
    proc = run_cli("gazetteer", "suggest", "../corpus", "-o", "s.tsv", cwd=tmp_path / "sub")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in (tmp_path / "sub" / "s.tsv").read_text().splitlines()]
    assert rows[-1][:2] == ["Hifter", "khalifa_haftar"]
    assert rows[-1][-1].endswith("a.md")


def test_stats_counts_the_gazetteers_the_configuration_names(tmp_path):
    assert stats(project(tmp_path))["entities"] == MINI_ENTITIES


def one_entity(folder: Path) -> Path:
    path = folder / "one.toml"
    path.write_text('[gotham]\ntype = "place"\ncanonical = "Gotham"\n')
    return path


def test_gazetteers_on_the_command_line_replace_the_configured_ones(tmp_path):
    assert stats(project(tmp_path), "-g", str(one_entity(tmp_path)))["entities"] == 1


def test_default_gazetteers_on_the_command_line_beat_the_configuration(tmp_path):
    one_entity(tmp_path)
    (tmp_path / "normalize.toml").write_text('gazetteer = ["one.toml"]\nno_default_gazetteers = true\n')
    assert stats(tmp_path)["entities"] == 1
    assert stats(tmp_path, "--default-gazetteers")["entities"] > 1


def test_lint_checks_the_gazetteers_the_configuration_names(tmp_path):
    (tmp_path / "gaz").mkdir()
    (tmp_path / "gaz" / "bad.toml").write_text('[sirte]\ntype = "place"\n')
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    proc = run_cli("gazetteer", "lint", cwd=tmp_path)
    assert proc.returncode == 4
    assert f"{tmp_path.resolve() / 'gaz' / 'bad.toml'}:1:".encode() in proc.stdout


def test_text_cleans_the_json_lines_field_the_configuration_names(tmp_path):
    proc = run_cli(
        "text", "--jsonl", input=b'{"text": "Sirt", "body": "Sirt"}\n', cwd=project(tmp_path, 'field = "body"')
    )
    assert proc.stdout == b'{"text": "Sirt", "body": "Sirte"}\n'


# translation


def test_translate_uses_the_beam_size_of_the_configuration(kit, tmp_path):
    folder = project(tmp_path, "beam_size = 2", f"model = {json.dumps(str(kit.argos_zip))}")
    proc = run_cli("translate", "--verbose", input=ARABIC, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "forces Haftar in Sirte."
    assert "; beam size 2," in proc.stderr.decode()


def test_a_beam_size_on_the_command_line_beats_the_configuration(kit, tmp_path):
    folder = project(tmp_path, "beam_size = 2", f"model = {json.dumps(str(kit.argos_zip))}")
    proc = run_cli("translate", "--verbose", "--beam-size", "3", input=ARABIC, cwd=folder)
    assert "; beam size 3," in proc.stderr.decode()


def test_translate_takes_every_engine_setting_from_the_configuration(kit, tmp_path):
    settings = ('device = "cpu"', 'compute_type = "int8"', "threads = 1", "batch_tokens = 512")
    folder = project(tmp_path, f"model = {json.dumps(str(kit.argos_zip))}", *settings)
    proc = run_cli("translate", "--verbose", input=ARABIC, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert "device cpu, compute type int8, threads 1, batches of 512 tokens" in proc.stderr.decode()


def test_models_install_where_the_configuration_says_and_translate_finds_them_there(kit, tmp_path):
    project(tmp_path, 'models_dir = "models"')
    (tmp_path / "sub").mkdir()
    assert run_cli("models", "install", str(kit.argos_zip), cwd=tmp_path / "sub").returncode == 0
    assert (tmp_path / "models").is_dir()
    proc = run_cli("translate", input=ARABIC, cwd=tmp_path / "sub")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "forces Haftar in Sirte."


# problems and choices


@pytest.mark.parametrize(
    "command",
    [("gazetteer", "explain", "Hafter"), ("gazetteer", "stats"), ("translate",), ("models", "list"), ("config",)],
)
def test_a_broken_configuration_stops_every_command_with_its_file_and_line(tmp_path, command):
    (tmp_path / "normalize.toml").write_text("glob = '*.md'\njobz = 2\n")
    proc = run_cli(*command, input=ARABIC, cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{tmp_path.resolve() / 'normalize.toml'}:2: jobz: unknown key".encode() in proc.stderr


def test_a_configured_value_outside_its_choices_is_named_with_its_place(tmp_path):
    (tmp_path / "normalize.toml").write_text('device = "gpu"\n')
    proc = run_cli("text", input=b"Sirt", cwd=tmp_path)
    assert proc.returncode == 2
    expected = f"{tmp_path.resolve() / 'normalize.toml'}:1: device: expected one of auto, cpu, cuda, got 'gpu'"
    assert expected.encode() in proc.stderr


def test_a_choice_on_the_command_line_outside_its_values_is_a_usage_error(tmp_path):
    proc = run_cli("run", str(tmp_path), "--check", "--engine", "spark")
    assert proc.returncode == 2
    assert b"'spark' is not one of 'local', 'dask'" in proc.stderr


def test_help_shows_the_configured_value_as_the_default(tmp_path):
    proc = run_cli("run", "--help", cwd=project(tmp_path, 'glob = "*.md"'))
    assert b"[default: *.md]" in proc.stdout


# one home for each setting


def _options(command, path=()) -> list[tuple[tuple[str, ...], object]]:
    """(command path, parameter) for every parameter of every command."""
    found = [(path, param) for param in command.params]
    for name, sub in getattr(command, "commands", {}).items():
        found += _options(sub, (*path, name))
    return found


def test_every_option_named_like_a_setting_has_its_help_and_default():
    for path, param in _options(typer.main.get_command(app)):
        setting = next((s for s in SETTINGS if s.name == param.name), None)
        if setting is None:
            continue
        default = None if isinstance(setting.default, list) else setting.default
        assert (param.help, param.default) == (setting.help, default), (path, param.name)


def test_every_setting_is_an_option_of_some_command():
    names = {param.name for _, param in _options(typer.main.get_command(app))}
    assert {s.name for s in SETTINGS} <= names
