"""Settings from a configuration file, merged with the command line.

Where the file is found: starting at the working folder and going up to the
filesystem root, the first folder that has either

- ``normalize.toml`` (the settings at its top level), or
- ``pyproject.toml`` with a ``[tool.normalize]`` table

wins.  When one folder has both, ``normalize.toml`` is used and that folder's
``pyproject.toml`` is ignored (one file per project, never a mix of two).
A ``pyproject.toml`` without a ``[tool.normalize]`` table does not count: the
search goes on upward, so a package inside a larger project still finds the
project's settings.

Precedence: a value given on the command line beats the file, and the file
beats the built-in default.  Paths in the file are relative to the file's
folder, so a configuration means the same thing from any subfolder.

SETTINGS is the one home of each setting: its command-line flags, default
and help text are read from here by every command that has the option
(`shared.setting_option`), and the file is read once, by the app's callback,
which hands its values to every command as click defaults (`file_defaults`)::

    >>> [s.name for s in SETTINGS][:3]
    ['gazetteer', 'no_default_gazetteers', 'glob']
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from ..text.toml_text import NESTED_TOO_DEEP, TomlLines, deep_nesting_line, syntax_error, toml_value

CONFIG_NAME = "normalize.toml"
PYPROJECT_NAME = "pyproject.toml"
COMMAND_LINE = "command line"
DEFAULT = "default"

Kind = Literal["str", "int", "bool", "path", "paths", "str-list"]


class OutputEncoding(StrEnum):
    """How the clean copies are encoded."""

    AUTO = "auto"  # UTF-8 into an output folder; in place, each file keeps its own
    UTF8 = "utf-8"
    ORIGINAL = "original"  # each file's own, as detected

    def resolved(self, in_place: bool) -> str:
        """The encoding a run writes with (a plain string: it is part of the run's key).

        >>> OutputEncoding.AUTO.resolved(in_place=True), OutputEncoding.AUTO.resolved(in_place=False)
        ('original', 'utf-8')
        """
        if self is OutputEncoding.AUTO:
            return OutputEncoding.ORIGINAL.value if in_place else OutputEncoding.UTF8.value
        return self.value


class Device(StrEnum):
    """Where CTranslate2 translates."""

    AUTO = "auto"  # cuda when CTranslate2 sees a GPU, else cpu
    CPU = "cpu"
    CUDA = "cuda"


class ComputeType(StrEnum):
    """CTranslate2's compute types (its own names)."""

    AUTO = "auto"
    DEFAULT = "default"
    INT8 = "int8"
    INT8_FLOAT32 = "int8_float32"
    INT8_FLOAT16 = "int8_float16"
    INT8_BFLOAT16 = "int8_bfloat16"
    INT16 = "int16"
    FLOAT16 = "float16"
    BFLOAT16 = "bfloat16"
    FLOAT32 = "float32"


@dataclass(frozen=True)
class Setting:
    """One known configuration key, and the command-line option of that name.

    ``type`` is a kind name rather than a Python type because ``path`` and
    ``str`` are both strings in TOML but are read differently.  A default of
    ``None`` means "not set" (TOML has no null, so only the command line or
    nothing can leave it unset).  ``flags`` are the option's names when they
    are not just ``--the-name``; ``choices`` the values a ``str`` may take.

    >>> Setting("glob", "str", "*.txt", "Which files to take from folders.").default
    '*.txt'
    """

    name: str
    type: Kind
    default: object
    help: str
    minimum: int | None = None  # for "int": the smallest value that makes sense
    flags: tuple[str, ...] = ()
    choices: type[StrEnum] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("gazetteer", "paths", [], "Extra gazetteer file or folder (repeatable).", flags=("--gazetteer", "-g")),
    Setting(
        "no_default_gazetteers",
        "bool",
        False,
        "Use only the gazetteers given, not the shipped ones.",
        flags=("--no-default-gazetteers/--default-gazetteers",),
    ),
    Setting("glob", "str", "*.txt", "Which files to take from folders."),
    Setting("jobs", "int", 0, "Worker processes (0: one per core).", minimum=0, flags=("--jobs", "-j")),
    Setting("quiet", "bool", False, "No progress bar and no summary.", flags=("--quiet/--no-quiet", "-q")),
    Setting("backup_suffix", "str", ".orig", "With --in-place, keep the original as FILE+SUFFIX ('' for none)."),
    Setting("encoding", "str", "auto", "Input encoding: auto, or a codec such as cp1256."),
    Setting(
        "output_encoding",
        "str",
        OutputEncoding.AUTO,
        "Encoding of the files written: utf-8, original (each file's own), or auto (utf-8 into an output folder, "
        "each file's own in place).",
        choices=OutputEncoding,
    ),
    Setting("field", "str", "text", "JSON Lines input: the field to clean."),
    Setting(
        "ignore",
        "str-list",
        [],
        "A spelling never to change: exact, or re:PATTERN for the whole spelling (repeatable).",
        flags=("--ignore",),
    ),
    Setting(
        "ignore_file",
        "path",
        None,
        "Ignore rules, written by `normalize review` (default: normalize-ignore.toml beside the config file, "
        "else in the working folder).",
    ),
    Setting(
        "model", "str", None, "Translation model: a package, a folder or an installed name.", flags=("--model", "-m")
    ),
    Setting(
        "models_dir",
        "path",
        None,
        "Folder of installed models (default: $NORMALIZE_MODELS, else ~/.local/share/normalize/models).",
        flags=("--models-dir",),
    ),
    Setting("source_lang", "str", None, "Language of the original (default: from the file name or script)."),
    Setting("beam_size", "int", 4, "Beam size (1 is fastest).", minimum=1),
    Setting(
        "compute_type",
        "str",
        ComputeType.AUTO,
        "CTranslate2 compute type (auto: int8 where the CPU supports it).",
        choices=ComputeType,
    ),
    Setting(
        "device", "str", Device.AUTO, "Where to translate (auto: cuda if a GPU is seen, else cpu).", choices=Device
    ),
    Setting("batch_tokens", "int", 4096, "Tokens per translation batch.", minimum=1),
    Setting("threads", "int", 0, "Threads for one translation (0: one per core).", minimum=0),
)

_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """The setting called `name` (KeyError, with the closest name, for an unknown one).

    >>> setting("jobs").minimum
    0
    """
    if name not in _BY_NAME:
        raise KeyError(_unknown_message(name))
    return _BY_NAME[name]


class ConfigError(ValueError):
    """A configuration file that cannot be used.

    The message reads ``FILE:LINE: KEY: problem`` (line and key when known),
    like the gazetteer loader's problems.

    >>> str(ConfigError("expected an integer, got a string", path=Path("n.toml"), line=2, key="jobs"))
    'n.toml:2: jobs: expected an integer, got a string'
    """

    def __init__(self, problem: str, *, path: Path | None = None, line: int | None = None, key: str | None = None):
        self.problem = problem
        self.path = path
        self.line = line
        self.key = key
        where = "" if path is None else f"{path}:" if line is None else f"{path}:{line}:"
        what = f"{key}: {problem}" if key else problem
        super().__init__(f"{where} {what}" if where else what)


@dataclass(frozen=True)
class Config:
    """The effective settings and where each one came from.

    ``sources`` maps every name to ``"default"``, ``"command line"`` or the
    path of the configuration file.

    >>> Config({"jobs": 2}, {"jobs": "command line"}, None).get("jobs")
    2
    """

    values: dict[str, object]
    sources: dict[str, str]
    file: Path | None

    def get(self, name: str) -> object:
        """The effective value of one setting (KeyError for an unknown name).

        >>> Config({"glob": "*.md"}, {"glob": "default"}, None).get("glob")
        '*.md'
        """
        if name not in self.values:
            raise KeyError(_unknown_message(name))
        return self.values[name]


def find_config_file(start: Path) -> Path | None:
    """The configuration file for a working folder, or None.

    Search from ``start`` up to the root; the first folder with
    ``normalize.toml``, or else a ``pyproject.toml`` that has a
    ``[tool.normalize]`` table, wins.  A ``pyproject.toml`` without that
    table does not count and the search continues in the parent folder.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     root = Path(d).resolve()
    ...     _ = (root / "normalize.toml").write_text('glob = "*.md"\\n')
    ...     (root / "sub").mkdir()
    ...     find_config_file(root / "sub") == root / "normalize.toml"
    True
    """
    # Resolved so that walking ``.parents`` really goes up (a relative or
    # ``..``-laden path would stop early or walk lexically).
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate  # beats a pyproject.toml in the same folder
        candidate = folder / PYPROJECT_NAME
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def load_config_file(path: Path) -> dict[str, object]:
    """The settings a file gives, checked and converted.

    ``normalize.toml`` (or any file not named ``pyproject.toml``) holds the
    settings at its top level; a ``pyproject.toml`` holds them in its
    ``[tool.normalize]`` table (none there means no settings).  Path settings
    are made absolute against the file's folder.  Problems raise
    :class:`ConfigError` naming the file, the line and the key.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     config = Path(d, "normalize.toml")
    ...     _ = config.write_text('jobs = 2\\nignore = ["GNA"]\\n')
    ...     load_config_file(config)
    {'jobs': 2, 'ignore': ['GNA']}
    """
    text, document = _read_toml(path)
    if path.name == PYPROJECT_NAME:
        table = document.get("tool", {}).get("normalize", {}) if isinstance(document.get("tool"), dict) else {}
        if not isinstance(table, dict):
            raise ConfigError("[tool.normalize] must be a table", path=path, line=TomlLines(text).key_line("normalize"))
    else:
        table = document
    values: dict[str, object] = {}
    for key, raw in table.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            line = TomlLines(text).key_line(key, "tool.normalize" if path.name == PYPROJECT_NAME else None)
            raise ConfigError(_unknown_message(key), path=path, line=line, key=key)
        try:
            values[key] = _convert(setting, raw, path.parent)
        except ConfigError as exc:
            line = TomlLines(text).key_line(key, "tool.normalize" if path.name == PYPROJECT_NAME else None)
            raise ConfigError(exc.problem, path=path, line=line, key=key) from None
    return values


def resolve_config(cli: Mapping[str, object], *, start: Path | None = None, file: Path | None = None) -> Config:
    """The effective settings: command line, else file, else default.

    ``cli`` holds what the user actually typed, by setting name; ``None``,
    an empty list or a missing name means "not given".  Pass only flags the
    user gave, or a default ``False`` would hide the file's ``true``.  (The
    commands pass nothing: the app reads the file once with ``{}`` and click
    lets the command line win, see `file_defaults`.)  ``file`` skips the
    search that otherwise starts at ``start`` (the working folder by default).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "normalize.toml").write_text("jobs = 2\\nquiet = true\\n")
    ...     config = resolve_config({"quiet": False}, start=Path(d))
    >>> config.get("jobs"), config.get("quiet"), config.sources["quiet"], config.sources["glob"]
    (2, False, 'command line', 'default')
    """
    unknown = [name for name in cli if name not in _BY_NAME]
    if unknown:
        # A programming error in the wiring, not a user error: fail loudly.
        raise KeyError(_unknown_message(unknown[0]))
    if file is not None:
        path: Path | None = file.resolve()
    else:
        path = find_config_file(Path.cwd() if start is None else start)
    from_file = load_config_file(path) if path is not None else {}
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for setting in SETTINGS:
        given = cli.get(setting.name)
        if given is not None and not (isinstance(given, list | tuple) and not given):
            values[setting.name], sources[setting.name] = given, COMMAND_LINE
        elif setting.name in from_file:
            values[setting.name], sources[setting.name] = from_file[setting.name], str(path)
        else:
            # Copied so that a caller appending to a list default cannot change it for everyone.
            default = setting.default
            values[setting.name] = list(default) if isinstance(default, list) else default
            sources[setting.name] = DEFAULT
    return Config(values=values, sources=sources, file=path)


def file_defaults(config: Config) -> dict[str, object]:
    """The values the configuration file sets, by setting name: the defaults
    it gives every command's options.  The ignore file is always there,
    since its default depends on where the configuration file is.

    >>> config = Config({"glob": "*.md", "jobs": 0, "ignore_file": None},
    ...                 {"glob": "n.toml", "jobs": "default", "ignore_file": "default"}, Path("/p/n.toml"))
    >>> file_defaults(config)
    {'glob': '*.md', 'ignore_file': PosixPath('/p/normalize-ignore.toml')}
    """
    given = {name: value for name, value in config.values.items() if config.sources.get(name) not in (DEFAULT, None)}
    return given | {"ignore_file": ignore_file_of(config)}


def ignore_file_of(config: Config) -> Path:
    """The ignore file in use: as set, else ``normalize-ignore.toml`` in the
    configuration file's folder, else in the working folder."""
    from ..engine.ignore import DEFAULT_IGNORE_FILE

    given = config.get("ignore_file")
    if given is not None:
        return Path(str(given))
    return (config.file.parent if config.file is not None else Path.cwd()) / DEFAULT_IGNORE_FILE


def render_config(config: Config) -> str:
    """The settings as TOML lines, ``name = value  # source``, in SETTINGS order.

    The output can be pasted under ``[tool.normalize]`` (or into
    ``normalize.toml``).  A setting that is not set (TOML has no null) is
    shown commented out.

    >>> config = Config({"glob": "*.md", "model": None}, {"glob": "command line", "model": "default"}, None)
    >>> print(render_config(config))
    glob = "*.md"        # command line
    # model = (not set)  # default
    """
    rows = []
    for setting in SETTINGS:
        if setting.name not in config.values:
            continue
        value = config.values[setting.name]
        shown = "(not set)" if value is None else toml_value(value)
        assignment = f"{'# ' if value is None else ''}{setting.name} = {shown}"
        rows.append((assignment, config.sources.get(setting.name, DEFAULT)))
    # Sources in one column: easier to scan which values came from where.
    width = max((len(a) for a, _ in rows), default=0)
    return "\n".join(f"{a.ljust(width)}  # {source}" for a, source in rows)


def _read_toml(path: Path) -> tuple[str, dict]:
    """(text, parsed document), or ConfigError for unreadable or invalid files."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("the file is not UTF-8 text", path=path) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error(exc, text)
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from None
    except RecursionError:  # tomllib recurses once per level of [ or {
        raise ConfigError(f"invalid TOML: {NESTED_TOO_DEEP}", path=path, line=deep_nesting_line(text)) from None


def _has_tool_table(pyproject: Path) -> bool:
    """Does this pyproject.toml have a [tool.normalize] table?"""
    try:
        text = pyproject.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # an unreadable file in some parent folder is not ours to judge
    try:
        tool = tomllib.loads(text).get("tool")
    except (tomllib.TOMLDecodeError, RecursionError):
        # Broken TOML: claim it if it looks like ours, so the user hears about
        # the error instead of silently getting another folder's settings.
        return re.search(r"^\s*\[\s*tool\s*\.\s*normalize\s*[\].]", text, re.MULTILINE) is not None
    return isinstance(tool, dict) and "normalize" in tool


def _convert(setting: Setting, raw: object, base: Path) -> object:
    """A file value checked against its setting's kind (problems as ConfigError without place)."""
    kind = setting.type
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ConfigError(f"expected true or false, got {_describe(raw)}")
        return raw
    if kind == "int":
        # bool is an int subclass in Python, but `jobs = true` is a mistake.
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ConfigError(f"expected an integer, got {_describe(raw)}")
        if setting.minimum is not None and raw < setting.minimum:
            raise ConfigError(f"must be at least {setting.minimum}, got {raw}")
        return raw
    if kind in ("str", "path"):
        if not isinstance(raw, str):
            raise ConfigError(f"expected a string, got {_describe(raw)}")
        if setting.choices is not None and raw not in {c.value for c in setting.choices}:
            raise ConfigError(f"expected one of {', '.join(c.value for c in setting.choices)}, got {raw!r}")
        return _file_path(raw, base) if kind == "path" else raw
    # "paths" and "str-list": a list of strings; one string is taken as a list of one.
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ConfigError(f"expected a list of strings, got {_describe(raw)}")
    return [_file_path(item, base) for item in items] if kind == "paths" else list(items)


def _file_path(value: str, base: Path) -> Path:
    """A path from the file, relative to the file's folder (``~`` expanded)."""
    return (base / Path(value).expanduser()).resolve()


def _describe(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    name = next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return f"{name} ({shown})" if len(shown) <= 40 else name


def _unknown_message(key: str) -> str:
    close = difflib.get_close_matches(key.replace("-", "_"), list(_BY_NAME), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(_BY_NAME)}"
    return f"unknown key{hint}"
