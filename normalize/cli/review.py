"""``normalize report`` and ``normalize review``: see what a run did, decide what it left.

$ normalize report OUT            # OUT/report.html, one offline page
$ normalize review OUT            # accept, reject (to the ignore file), skip, quit
$ normalize review OUT --again    # also what was decided in earlier sessions
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..batch.exitcodes import ExitCode
from .shared import NameSources, err, out, setting_option


def review_command(
    output: Annotated[Path, typer.Argument(help="The output folder of a run (holding review.jsonl).")],
    again: Annotated[bool, typer.Option("--again", help="Ask again about what earlier sessions decided.")] = False,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    ignore_file: Path | None = setting_option("ignore_file"),
) -> None:
    """Walk the review candidates of a run: accept adds the spelling to the
    gazetteer, reject adds it to the ignore file; rerun the run to apply."""
    from ..engine.ignore import DEFAULT_IGNORE_FILE
    from ..review.session import DecisionLog, Reviewer, group_review, read_review, review_session

    names = NameSources.of(gazetteer, no_default_gazetteers, ignore_file=ignore_file)
    warn = Warnings()
    try:
        rows = read_review(output, warn)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(ExitCode.USAGE) from None
    groups = group_review(rows)
    log = DecisionLog(output, warn)
    warn.done()
    rejections = names.ignore_file or Path(DEFAULT_IGNORE_FILE)
    reviewer = Reviewer(rejections, list(names.gazetteers), names.include_default)
    if not groups:
        out.print("nothing to review", markup=False)
        return
    counts = review_session(groups, log, reviewer, ask_line, say_line, again)
    done = ", ".join(f"{n} {what}" for what, n in counts.items())
    out.print(f"\n{done}.", markup=False)
    if counts["accepted"] or counts["rejected"]:
        out.print("Run the same `normalize run` again to apply the decisions.", markup=False)


class Warnings:
    """Prints one warning a line on standard error, up to a limit, then how
    many more there were (a tampered log can have a million bad lines)."""

    LIMIT = 20

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        if self.count <= self.LIMIT:
            err.print(f"warning: {message}", markup=False)

    def done(self) -> None:
        if self.count > self.LIMIT:
            err.print(f"warning: {self.count - self.LIMIT} more line(s) skipped", markup=False)


def say_line(text: str) -> None:
    out.print(text, markup=False)


def ask_line(prompt: str) -> str | None:
    """One line from standard input (a terminal or a pipe); None at its end."""
    out.print(prompt, end="", markup=False)
    out.file.flush()
    line = sys.stdin.readline()
    if not line:
        out.print("", markup=False)
        return None
    return line.rstrip("\n")


def report_command(
    output: Annotated[Path, typer.Argument(help="The output folder of a run.")],
    to: Annotated[Path | None, typer.Option("--output", "-o", help="The page to write [OUTPUT/report.html].")] = None,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
) -> None:
    """Write one offline HTML page of what a run changed: an overview, and
    every file with its changes and review candidates marked in the text.
    Entities are named as the gazetteers (those of a run: -g, the
    configuration, the shipped and your own) name them."""
    from ..review.report import ReportOptions, write_report

    gazetteers = NameSources.of(gazetteer, no_default_gazetteers).gazetteer()
    options = ReportOptions(names={entity.id: entity.canonical for entity in gazetteers.entities})
    warn = Warnings()
    try:
        target = write_report(output, to, options, warn=warn)
    except (FileNotFoundError, ValueError) as exc:
        warn.done()
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(ExitCode.USAGE) from None
    warn.done()
    out.print(f"wrote {target}", markup=False)
