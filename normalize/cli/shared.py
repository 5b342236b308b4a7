"""What the ``normalize`` commands share: the error console, gazetteer options, loading."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ..batch.corpus import display_name
from ..batch.exitcodes import ExitCode
from ..engine.normalizer import Normalizer
from ..gazetteer.loading import GazetteerError
from .config import SETTINGS, ConfigError, ignore_file_of, resolve_config

if TYPE_CHECKING:
    from ..batch.decoding import Decoded

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with its control characters (but line breaks and tabs) shown as escapes.

    >>> printable("Sirt\\x1b[31m.txt")
    'Sirt\\\\x1b[31m.txt'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _SafeConsole(Console):
    """A console that never sends a control character it was given to the
    terminal: file names, article text and log lines are other people's
    data, and an escape sequence in them could rewrite the screen."""

    def print(self, *objects, **kwargs) -> None:
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)


err = _SafeConsole(stderr=True, highlight=False, soft_wrap=True)  # never wrap paths in messages
out = _SafeConsole(highlight=False, soft_wrap=True)

GazetteerOpt = Annotated[
    list[Path] | None,
    typer.Option("--gazetteer", "-g", help="Extra gazetteer file or folder (repeatable)."),
]
NoDefaultOpt = Annotated[
    bool, typer.Option("--no-default-gazetteers", help="Use only the files given with --gazetteer.")
]


def report_gazetteer_error(exc: GazetteerError) -> typer.Exit:
    """Print the loader's problems; the caller raises the returned exit."""
    err.print("[bold red]gazetteer error[/]", markup=True)
    for problem in exc.problems:
        err.print(str(problem), markup=False)
    return typer.Exit(ExitCode.GAZETTEER)


def read_input(file: Path | None) -> tuple[str, str]:
    """(name, text) of a file, or of standard input for None or '-', read as
    strict UTF-8; exit 3 if unreadable or not UTF-8."""
    name, data = read_input_bytes(file)
    try:
        return name, data.decode("utf-8")
    except UnicodeDecodeError:
        err.print(f"error {name}: not valid UTF-8", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None


def read_input_bytes(file: Path | None) -> tuple[str, bytes]:
    """(name, bytes) of a file, or of standard input for None or '-'; exit 3
    if unreadable.  The name is the file's `corpus.display_name`."""
    if file is None or str(file) == "-":
        return "<stdin>", sys.stdin.buffer.read()
    name = display_name(file)
    try:
        return name, file.read_bytes()
    except OSError as exc:
        err.print(f"error {name}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None


def decode_input(data: bytes) -> tuple[Decoded | None, str]:
    """(`data` decoded as ``normalize run`` decodes a file, '') or, when it is
    binary or its encoding cannot be told, (None, why).  A nearly-UTF-8
    input is decoded with its bad bytes kept: see `Decoded.warning`."""
    from ..batch.decoding import DecodingError, decode_bytes

    try:
        decoded = decode_bytes(data)
    except DecodingError as exc:
        return None, str(exc)
    if decoded.confident:
        return decoded, ""
    if decoded.encoding.startswith("utf-16"):
        return None, f"cannot tell its encoding ({decoded.reason})"
    return None, f"not valid UTF-8, and its encoding cannot be told ({decoded.reason})"


# Set by the global --cache-dir / --no-cache options (cli.main).
compiled_cache: dict[str, bool | Path] = {"use": True}


IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="A spelling never to change, or re:PATTERN (repeatable)."),
]
IgnoreFileOpt = Annotated[
    Path | None,
    typer.Option(help="Ignore rules (default: normalize-ignore.toml beside the config file, if there is one)."),
]


def load_normalizer(
    gazetteers: list[Path] | None,
    no_default: bool,
    ignore: list[str] | None = None,
    ignore_file: Path | None = None,
) -> Normalizer:
    """The normaliser the options describe; exit 4 for a broken gazetteer,
    2 for a broken ignore file."""
    from ..engine.ignore import IgnoreError, IgnoreList, load_ignore_file

    try:
        rules = IgnoreList.from_entries(list(ignore or []))
        if ignore_file is not None:
            rules = rules + load_ignore_file(ignore_file)
    except IgnoreError as exc:
        err.print(f"ignore list error: {exc}", markup=False)
        raise typer.Exit(ExitCode.USAGE) from None
    try:
        return Normalizer.load(
            gazetteers or [], include_default=not no_default, cache=compiled_cache["use"], ignore=rules
        )
    except GazetteerError as exc:
        raise report_gazetteer_error(exc) from None


# Command-line parameters whose setting has another name in the configuration.
_SETTING_OF = {"models_directory": "models_dir"}


def with_config(ctx: typer.Context, values: dict[str, object]) -> dict[str, object]:
    """`values` (a command's parameters) with the configuration file applied:
    options typed on the command line win, then ``[tool.normalize]`` or
    ``normalize.toml``, then the defaults."""
    known = {s.name for s in SETTINGS}
    given = {}
    for param, value in values.items():
        name = _SETTING_OF.get(param, param)
        source = ctx.get_parameter_source(param)
        if name in known and source is not None and source.name != "DEFAULT":
            given[name] = value
    try:
        config = resolve_config(given)
    except ConfigError as exc:
        err.print(f"configuration error: {exc}", markup=False)
        raise typer.Exit(ExitCode.USAGE) from None
    merged = dict(values)
    for param in values:
        name = _SETTING_OF.get(param, param)
        if name in known:
            merged[param] = config.get(name)
    if "ignore_file" in merged:
        merged["ignore_file"] = ignore_file_of(config)
    return merged
