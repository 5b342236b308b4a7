"""What the ``normalize`` commands share: the consoles, the configurable
options, where the names come from, reading the input."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..batch.corpus import display_name
from ..batch.exitcodes import ExitCode
from ..engine.normalizer import Normalizer
from ..gazetteer import GazetteerError
from .config import setting

if TYPE_CHECKING:
    from rich.console import Console

    from ..batch.decoding import Decoded
    from ..gazetteer import Gazetteer

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with its control characters (but line breaks and tabs) shown as escapes.

    >>> printable("Sirt\\x1b[31m.txt")
    'Sirt\\\\x1b[31m.txt'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _safe_console(**options: Any) -> Console:
    """A console that never sends a control character it was given to the
    terminal: file names, article text and log lines are other people's
    data, and an escape sequence in them could rewrite the screen."""
    from rich.console import Console

    class SafeConsole(Console):
        def print(self, *objects, **kwargs) -> None:
            super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)

    return SafeConsole(**options)


class _LazyConsole:
    """A console made when first used: importing rich would cost every
    command, a one-line ``normalize text`` included, a tenth of its start-up."""

    def __init__(self, **options: Any):
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            self._console = _safe_console(**self._options)
        return getattr(self._console, name)


err: Console = _LazyConsole(stderr=True, highlight=False, soft_wrap=True)  # type: ignore[assignment]  # never wrap paths
out: Console = _LazyConsole(highlight=False, soft_wrap=True)  # type: ignore[assignment]


def setting_option(name: str) -> Any:
    """The command-line option of the configuration setting `name`: its
    flags, default and help come from `config.SETTINGS`, so every command
    that has it declares it the same way.  The configuration file's value
    reaches it as a click default (see `command_defaults`).

    >>> setting_option("beam_size").help
    'Beam size (1 is fastest).'
    """
    known = setting(name)
    # A list setting's empty default is "none given" to typer.
    default = None if isinstance(known.default, list) else known.default
    return typer.Option(default, *known.flags, help=known.help, min=known.minimum)


def command_defaults(command: TyperCommand | TyperGroup, values: Mapping[str, object]) -> dict[str, object]:
    """click's ``default_map`` for `command` and every command below it:
    each parameter named like a setting in `values` gets that value as its
    default, so a value typed on the command line still wins.

    >>> demo = typer.Typer()
    >>> @demo.command("run")
    ... def run(glob: str = "*.txt", diff: bool = False) -> None: ...
    >>> @demo.command("text")
    ... def text() -> None: ...
    >>> command_defaults(typer.main.get_command(demo), {"glob": "*.md"})
    {'run': {'glob': '*.md'}, 'text': {}}
    """
    found: dict[str, object] = {p.name: values[p.name] for p in command.params if p.name in values}
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            found[name] = command_defaults(sub, values)
    return found


def report_gazetteer_error(exc: GazetteerError) -> typer.Exit:
    """Print the loader's problems; the caller raises the returned exit."""
    err.print("[bold red]gazetteer error[/]", markup=True)
    for problem in exc.problems:
        err.print(str(problem), markup=False)
    return typer.Exit(ExitCode.GAZETTEER)


def refuse_overwrites(inputs: list[Path | None], changes: Path | None, review: Path | None = None) -> None:
    """Refuse (exit 2) a change or review log that would be written over an
    input file (``-`` is standard input) or over the other log."""
    from ..batch.overwrites import log_clashes

    logs = [(label, path) for label, path in (("change log", changes), ("review log", review)) if path is not None]
    files = [path for path in inputs if path is not None and str(path) != "-"]
    if messages := log_clashes(logs, files):
        raise typer.BadParameter("; ".join(messages))


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


@dataclass(frozen=True)
class NameSources:
    """Where a command's names come from: the extra gazetteers, whether the
    shipped ones count, and the spellings to leave alone.

    >>> NameSources.of([Path("mine")], no_default_gazetteers=True).include_default
    False
    """

    gazetteers: tuple[Path, ...] = ()
    include_default: bool = True
    ignore: tuple[str, ...] = ()
    ignore_file: Path | None = None

    @classmethod
    def of(
        cls,
        gazetteer: list[Path] | None,
        no_default_gazetteers: bool,
        ignore: list[str] | None = None,
        ignore_file: Path | None = None,
    ) -> NameSources:
        """From the options of the same names."""
        return cls(tuple(gazetteer or ()), not no_default_gazetteers, tuple(ignore or ()), ignore_file)

    def normalizer(self, learnt_words: bool = False) -> Normalizer:
        """The normaliser they describe (with the words earlier runs learnt,
        for a batch run); exit 4 for a broken gazetteer, 2 for a broken
        ignore list or file."""
        from ..engine.ignore import IgnoreError, IgnoreList, load_ignore_file

        try:
            rules = IgnoreList.from_entries(list(self.ignore))
            if self.ignore_file is not None:
                rules = rules + load_ignore_file(self.ignore_file)
        except IgnoreError as exc:
            err.print(f"ignore list error: {exc}", markup=False)
            raise typer.Exit(ExitCode.USAGE) from None
        try:
            return Normalizer.load(
                list(self.gazetteers),
                include_default=self.include_default,
                cache=compiled_cache["use"],
                ignore=rules,
                learnt_words=learnt_words,
            )
        except GazetteerError as exc:
            raise report_gazetteer_error(exc) from None

    def gazetteer(self) -> Gazetteer:
        """The gazetteers alone (no index, no ignore list); exit 4 if broken."""
        from ..gazetteer import load_gazetteers

        try:
            return load_gazetteers(list(self.gazetteers), include_default=self.include_default)
        except GazetteerError as exc:
            raise report_gazetteer_error(exc) from None
