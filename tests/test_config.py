"""Configuration: where the file is found, what wins, and how problems are reported."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from normalize.cli.config import (
    SETTINGS,
    Config,
    ConfigError,
    file_defaults,
    find_config_file,
    load_config_file,
    render_config,
    resolve_config,
)

DEFAULTS = {s.name: s.default for s in SETTINGS}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Discovery


def test_the_file_is_found_from_a_subfolder(tmp_path, monkeypatch):
    config = write(tmp_path / "normalize.toml", 'glob = "*.md"\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert find_config_file(Path.cwd()) == config.resolve()
    assert resolve_config({}).get("glob") == "*.md"


def test_the_nearest_folder_with_a_file_wins(tmp_path):
    write(tmp_path / "normalize.toml", "jobs = 1\n")
    inner = write(tmp_path / "sub" / "pyproject.toml", "[tool.normalize]\njobs = 2\n")
    assert find_config_file(tmp_path / "sub") == inner.resolve()


def test_normalize_toml_beats_pyproject_in_the_same_folder(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.normalize]\nglob = "*.py"\njobs = 3\n')
    config = write(tmp_path / "normalize.toml", 'glob = "*.md"\n')
    monkeypatch.chdir(tmp_path)
    resolved = resolve_config({})
    assert resolved.file == config.resolve()
    assert resolved.get("glob") == "*.md"
    assert resolved.get("jobs") == 0  # pyproject.toml is ignored entirely, not merged


def test_pyproject_without_a_tool_normalize_table_is_skipped(tmp_path, monkeypatch):
    outer = write(tmp_path / "pyproject.toml", "[tool.normalize]\njobs = 2\n")
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n\n[tool.ruff]\nline-length = 99\n')
    monkeypatch.chdir(tmp_path / "pkg")
    assert find_config_file(Path.cwd()) == outer.resolve()


def test_a_broken_pyproject_with_our_table_is_reported_not_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.normalize]\nglob = "*.md\n')
    assert find_config_file(tmp_path) == (tmp_path / "pyproject.toml").resolve()
    with pytest.raises(ConfigError):
        resolve_config({}, start=tmp_path)


def test_an_explicit_file_skips_discovery(tmp_path):
    write(tmp_path / "normalize.toml", "jobs = 1\n")
    chosen = write(tmp_path / "elsewhere" / "team.toml", "jobs = 5\n")
    config = resolve_config({}, start=tmp_path, file=chosen)
    assert config.file == chosen.resolve()
    assert config.get("jobs") == 5


# Precedence


def test_command_line_beats_file_beats_default(tmp_path):
    config_file = write(tmp_path / "normalize.toml", 'glob = "*.md"\nbeam_size = 2\n')
    config = resolve_config({"beam_size": 1, "jobs": None}, start=tmp_path)
    assert (config.get("beam_size"), config.sources["beam_size"]) == (1, "command line")
    assert (config.get("glob"), config.sources["glob"]) == ("*.md", str(config_file.resolve()))
    assert (config.get("jobs"), config.sources["jobs"]) == (0, "default")


def test_a_flag_given_as_false_on_the_command_line_beats_true_in_the_file(tmp_path):
    write(tmp_path / "normalize.toml", "quiet = true\n")
    assert resolve_config({"quiet": False}, start=tmp_path).get("quiet") is False


def test_an_empty_list_from_the_command_line_counts_as_not_given(tmp_path):
    write(tmp_path / "normalize.toml", 'ignore = ["GNA"]\n')
    config = resolve_config({"ignore": []}, start=tmp_path)
    assert config.get("ignore") == ["GNA"]


def test_an_empty_file_gives_the_defaults(tmp_path):
    config = resolve_config({}, file=write(tmp_path / "normalize.toml", ""))
    assert config.values == DEFAULTS
    assert set(config.sources.values()) == {"default"}


def test_no_file_anywhere_gives_the_defaults(tmp_path):
    if find_config_file(tmp_path) is not None:
        pytest.skip("a folder above the temporary folder has a configuration file")
    config = resolve_config({}, start=tmp_path)
    assert (config.file, config.values) == (None, DEFAULTS)


def test_a_pyproject_without_our_table_given_explicitly_gives_the_defaults(tmp_path):
    config = resolve_config({}, file=write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n'))
    assert config.values == DEFAULTS


def test_default_lists_are_not_shared_between_configs(tmp_path):
    empty = write(tmp_path / "normalize.toml", "")
    resolve_config({}, file=empty).get("ignore").append("x")
    assert resolve_config({}, file=empty).get("ignore") == []


def test_an_unknown_command_line_name_is_a_programming_error(tmp_path):
    with pytest.raises(KeyError, match="models_dir"):
        resolve_config({"models_directory": "m"}, file=write(tmp_path / "normalize.toml", ""))


# Values from the file


def test_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    write(tmp_path / "proj" / "pyproject.toml", '[tool.normalize]\ngazetteer = ["gaz", "../shared/x.toml"]\n')
    (tmp_path / "proj" / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "proj" / "deep")
    config = resolve_config({})
    base = tmp_path.resolve()
    assert config.get("gazetteer") == [base / "proj" / "gaz", base / "shared" / "x.toml"]


def test_a_single_path_is_a_path_relative_to_the_file(tmp_path):
    values = load_config_file(write(tmp_path / "normalize.toml", 'models_dir = "models"\n'))
    assert values == {"models_dir": (tmp_path / "models").resolve()}


def test_a_single_string_is_accepted_where_a_list_is_expected(tmp_path):
    values = load_config_file(write(tmp_path / "normalize.toml", 'ignore = "GNA"\n'))
    assert values == {"ignore": ["GNA"]}


def test_pyproject_settings_live_in_tool_normalize(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.normalize]\nencoding = "latin-1"\n')
    assert load_config_file(path) == {"encoding": "latin-1"}


# Problems


def test_unknown_key_names_file_and_line_and_suggests_the_closest(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.normalize]\nglob = "*"\nbeam_sise = 2\n')
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert (caught.value.path, caught.value.line, caught.value.key) == (path, 6, "beam_sise")
    assert str(caught.value).startswith(f"{path}:6: beam_sise: unknown key")
    assert "did you mean 'beam_size'?" in str(caught.value)


def test_an_unknown_sub_table_is_found_at_its_header(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.normalize]\nglob = "*"\n\n[tool.normalize.extras]\nx = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert (caught.value.line, caught.value.key) == (4, "extras")


def test_a_dashed_key_suggests_the_underscored_one(tmp_path):
    with pytest.raises(ConfigError, match="did you mean 'backup_suffix'"):
        load_config_file(write(tmp_path / "normalize.toml", 'backup-suffix = ""\n'))


def test_wrong_type_names_the_key_the_expected_type_and_the_line(tmp_path):
    path = write(tmp_path / "normalize.toml", '# settings\nglob = "*.txt"\njobs = "4"\n')
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert str(caught.value) == f'{path}:3: jobs: expected an integer, got a string ("4")'


@pytest.mark.parametrize(
    "line, expected",
    [
        ("quiet = 1", "expected true or false"),
        ("jobs = true", "expected an integer"),
        ("jobs = -1", "must be at least 0"),
        ("gazetteer = [1, 2]", "expected a list of strings"),
        ("models_dir = false", "expected a string"),
        ('device = "gpu"', "expected one of auto, cpu, cuda, got 'gpu'"),
        ('output_encoding = "cp1256"', "expected one of auto, utf-8, original"),
    ],
)
def test_each_kind_rejects_values_of_another_kind(tmp_path, line, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config_file(write(tmp_path / "normalize.toml", line + "\n"))


def test_bad_toml_names_the_file_and_the_line(tmp_path):
    path = write(tmp_path / "normalize.toml", 'glob = "*.md"\njobs = \n')
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: invalid TOML")


def test_an_explicit_file_that_is_missing_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        resolve_config({}, file=tmp_path / "nope.toml")


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


# What the commands get


def test_the_commands_get_what_the_file_sets_and_the_ignore_file_beside_it(tmp_path):
    path = write(tmp_path / "normalize.toml", 'glob = "*.md"\nbeam_size = 2\n')
    defaults = file_defaults(resolve_config({}, file=path))
    assert defaults == {"glob": "*.md", "beam_size": 2, "ignore_file": tmp_path.resolve() / "normalize-ignore.toml"}


def test_the_commands_get_the_ignore_file_the_file_names(tmp_path):
    path = write(tmp_path / "normalize.toml", 'ignore_file = "rules/ignore.toml"\n')
    assert file_defaults(resolve_config({}, file=path)) == {"ignore_file": tmp_path.resolve() / "rules" / "ignore.toml"}


# Rendering


def test_render_lists_every_setting_in_order_with_its_source(tmp_path):
    path = write(tmp_path / "normalize.toml", 'glob = "*.md"\n')
    lines = render_config(resolve_config({"jobs": 2}, file=path)).splitlines()
    assert [line.lstrip("# ").split(" ")[0] for line in lines] == [s.name for s in SETTINGS]
    assert 'glob = "*.md"' in lines[2] and lines[2].endswith(f"# {path.resolve()}")
    assert lines[3].startswith("jobs = 2 ") and lines[3].endswith("# command line")
    assert lines[4].startswith("quiet = false ") and lines[4].endswith("# default")


def test_render_output_is_toml_that_gives_the_same_values(tmp_path):
    path = write(tmp_path / "normalize.toml", 'gazetteer = ["g"]\nignore = ["a \\"b\\"", "c\\\\d"]\nmodel = "m"\n')
    config = resolve_config({"backup_suffix": ""}, file=path)
    parsed = tomllib.loads(render_config(config))
    expected = {k: v for k, v in config.values.items() if v is not None}
    expected["gazetteer"] = [str(p) for p in config.get("gazetteer")]
    assert parsed == expected


def test_render_comments_out_settings_that_are_not_set():
    config = Config({"model": None}, {"model": "default"}, None)
    assert render_config(config) == "# model = (not set)  # default"
