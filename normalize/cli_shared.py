"""What the ``normalize`` commands share: the error console, gazetteer options, loading."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .gazetteer import GazetteerError
from .normalizer import Normalizer
from .pipeline import ExitCode

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

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


def load_normalizer(gazetteers: list[Path] | None, no_default: bool) -> Normalizer:
    try:
        return Normalizer.load(gazetteers or [], include_default=not no_default)
    except GazetteerError as exc:
        raise report_gazetteer_error(exc) from None
