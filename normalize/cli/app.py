"""The ``normalize`` command: parse options, call the library, print.

$ normalize run seeds -o out
$ echo "Hafter took Sirt" | normalize text
"""

from __future__ import annotations

import difflib
import gc
import os
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..batch import runners
from ..batch.exitcodes import ExitCode
from ..engine.records import json_lines
from ..version import __version__
from .config import (
    ComputeType,
    Config,
    ConfigError,
    Device,
    OutputEncoding,
    file_defaults,
    render_config,
    resolve_config,
)
from .gazetteer import gazetteer_app
from .review import report_command, review_command
from .shared import (
    NameSources,
    command_defaults,
    compiled_cache,
    decode_input,
    err,
    out,
    read_input_bytes,
    refuse_overwrites,
    setting_option,
)
from .translate import ProtectOpt, Translation, models_app, translate_command

if TYPE_CHECKING:
    from ..batch.pipeline import Cleaner, FileOutcome, Runner, RunOptions, RunSummary
    from ..engine.records import Result
    from ..review.session import InteractiveCleaner

# Batch runs and translation are imported by the commands that need them,
# so that `normalize text` in a pipeline starts quickly.

app = typer.Typer(
    context_settings={"help_option_names": ["-h", "--help"]},  # every command below inherits it
    help="Rewrite variant spellings of names in news text to one canonical spelling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(models_app, name="models")
app.command("translate")(translate_command)
app.command("review")(review_command)
app.command("report")(report_command)
ChangesOpt = Annotated[
    Path | None, typer.Option(help="Write the changes (JSON Lines) here (run: OUTPUT/changes.jsonl).")
]
ReviewOpt = Annotated[
    Path | None,
    typer.Option(help="Write the review candidates (JSON Lines) here (run: OUTPUT/review.jsonl)."),
]
CheckOpt = Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")]


class FindingFormat(StrEnum):
    """How `run --check` lists what it would change."""

    TEXT = "text"  # path:line:col: before -> after (entity, method)
    JSON = "json"  # the change records, as JSON Lines


class Findings:
    """What a check found, one line per change, listed by path and place
    once the run is done (files finish in any order with several workers)."""

    def __init__(self, format: FindingFormat):
        self.format = format
        self.lines: list[tuple[str, int, str]] = []

    def add(self, outcome: FileOutcome) -> None:
        from ..engine.records import Change, encode

        display = outcome.input.display
        for change in outcome.record.changes.decode(Change):
            if self.format is FindingFormat.JSON:
                line = encode(change).decode("utf-8")
            else:
                line = (
                    f"{display}:{change.line}:{change.column}: {change.before} -> {change.after} "
                    f"({change.entity}, {change.method})"
                )
            self.lines.append((display, change.start, line))

    def print(self) -> None:
        for _, _, line in sorted(self.lines, key=lambda item: item[:2]):
            out.print(line, markup=False, highlight=False, soft_wrap=True)


class RunEngine(StrEnum):
    """What runs the files of `normalize run`."""

    LOCAL = "local"  # worker processes on this machine
    DASK = "dask"  # a Dask cluster whose workers see the same files


def _is_codec(name: str) -> bool:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _version(value: bool) -> None:
    if value:
        typer.echo(f"normalize {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="Where compiled gazetteers are kept between runs "
            "(default: $NORMALIZE_CACHE_DIR, else ~/.cache/normalize).",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Compile the gazetteers afresh; keep nothing.")] = False,
) -> None:
    """normalize: canonical spellings for names in machine-translated news.

    Options not given on the command line come from normalize.toml, or the
    tool.normalize table of pyproject.toml (see `normalize config`).
    """
    compiled_cache["use"] = False if no_cache else (cache_dir or True)
    # Read once, here, for every command: the file's values become the
    # defaults of every option of that name (click's default_map), so the
    # command line still wins and no command can forget to look.
    try:
        config = resolve_config({})
    except ConfigError as exc:
        err.print(f"configuration error: {exc}", markup=False)
        raise typer.Exit(ExitCode.USAGE) from None
    ctx.obj = config
    ctx.default_map = command_defaults(ctx.command, file_defaults(config))


@app.command("run")
def run_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to clean.", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder for the clean copies and logs.")] = None,
    glob: str = setting_option("glob"),
    changes: ChangesOpt = None,
    review: ReviewOpt = None,
    check: CheckOpt = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff of each change.")] = False,
    format: Annotated[
        FindingFormat, typer.Option("--format", help="With --check, each finding as a line of text or as JSON Lines.")
    ] = FindingFormat.TEXT,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the input files themselves.")] = False,
    backup_suffix: str = setting_option("backup_suffix"),
    quiet: bool = setting_option("quiet"),
    jobs: int = setting_option("jobs"),
    engine: Annotated[RunEngine, typer.Option(help="local (processes) or dask.")] = RunEngine.LOCAL,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, with --engine dask.")] = None,
    resume: Annotated[bool, typer.Option(help="Skip files a previous run into OUTPUT finished.")] = True,
    encoding: str = setting_option("encoding"),
    output_encoding: OutputEncoding = setting_option("output_encoding"),
    field: str = setting_option("field"),
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    ignore: list[str] | None = setting_option("ignore"),
    ignore_file: Path | None = setting_option("ignore_file"),
    retranslate: Annotated[
        bool, typer.Option("--retranslate", help="The inputs are originals: translate them first (names protected).")
    ] = False,
    model: str | None = setting_option("model"),
    models_dir: Path | None = setting_option("models_dir"),
    source_lang: str | None = setting_option("source_lang"),
    beam_size: int = setting_option("beam_size"),
    device: Device = setting_option("device"),
    compute_type: ComputeType = setting_option("compute_type"),
    threads: int = setting_option("threads"),
    batch_tokens: int = setting_option("batch_tokens"),
    protect: ProtectOpt = True,
    originals: Annotated[
        Path | None,
        typer.Option(help="Folder of the originals (x.ar.txt for x.txt): their names decide between look-alikes."),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Ask about each uncertain change as in `normalize review` (one process)."
        ),
    ] = False,
) -> None:
    """Clean files and folders; mirror them into OUTPUT with a change log.

    Options not given here come from normalize.toml, or the tool.normalize
    table of pyproject.toml (see `normalize config`).
    """
    if in_place and output is not None:
        raise typer.BadParameter("use either --output or --in-place, not both")
    if not (check or in_place or output is not None):
        raise typer.BadParameter("give an output folder with -o, or --in-place, or --check")
    if encoding != "auto" and not _is_codec(encoding):
        # once, before any work, rather than once for every file
        raise typer.BadParameter(
            f"unknown encoding {encoding!r} (auto, or a codec such as cp1256)", param_hint="--encoding"
        )
    from ..batch.pipeline import RunOptions

    plan = CleanerPlan(
        NameSources.of(gazetteer, no_default_gazetteers, ignore, ignore_file),
        originals=originals,
        translation=Translation.of(
            model=model,
            models_dir=models_dir,
            source_lang=source_lang,
            protect=protect,
            beam_size=beam_size,
            device=device,
            compute_type=compute_type,
            threads=threads,
            batch_tokens=batch_tokens,
        )
        if retranslate
        else None,
        interactive=interactive,
        output=output,
    )
    if plan.translation is not None:
        from ..translate.models import ModelError

        try:
            plan.translation.check()
        except ModelError as exc:  # once, before any work, rather than once for every file
            err.print(f"model error: {exc}", markup=False)
            raise typer.Exit(ExitCode.USAGE) from None
    options = RunOptions(
        output=output,
        in_place=in_place,
        backup_suffix=backup_suffix,
        check=check,
        glob=glob,
        changes_path=changes,
        review_path=review,
        field=field,
        encoding=encoding,
        output_encoding=OutputEncoding(output_encoding).resolved(in_place),
        keep_texts=diff,
        resume=resume,
    )
    workers = Workers(engine, scheduler, 1 if plan.one_process else (jobs or os.cpu_count() or 1))
    if engine is RunEngine.DASK and scheduler and (why := runners.unreachable(scheduler)):
        # once, before any work or output folder
        err.print(f"error: the Dask scheduler {scheduler} cannot be reached: {why}", markup=False)
        raise typer.Exit(ExitCode.RUN_FAILED)
    cleaner = plan.build()
    # The gazetteer's tables live as long as the run: the collector need not
    # walk them again and again (and forked workers then share their pages).
    gc.collect()  # (start-up's garbage is not kept for the run)
    gc.freeze()
    findings = Findings(format) if check else None
    _execute(cleaner, paths, options, workers.runner(), quiet=quiet, diff=diff, asking=interactive, findings=findings)


@dataclass(frozen=True)
class CleanerPlan:
    """The cleaner a run asks for: the normaliser of its `names`, paired with
    the `originals` folder, or translating first (`translation`), or asking
    about uncertain changes (`interactive`, its decisions kept in `output`)."""

    names: NameSources
    originals: Path | None = None
    translation: Translation | None = None
    interactive: bool = False
    output: Path | None = None

    @property
    def one_process(self) -> bool:
        # Models are loaded once per process, and questions need the terminal.
        return self.translation is not None or self.interactive

    def build(self) -> Cleaner:
        """The cleaner; exit for broken gazetteers or ignore lists, BadParameter for options that do not go together."""
        normalizer = self.names.normalizer(learnt_words=True)
        cleaner: Cleaner = normalizer
        if self.originals is not None:
            from ..translate.paired import PairedCleaner, originals_by_name

            if not self.originals.is_dir():
                raise typer.BadParameter(f"{self.originals} is not a folder")
            cleaner = PairedCleaner(normalizer, originals_by_name(self.originals))
        if self.translation is not None:
            from ..translate.retranslate import RetranslatingCleaner

            cleaner = RetranslatingCleaner(
                normalizer,
                self.translation.engine,
                source_lang=self.translation.source_lang,
                protect_names=self.translation.protect,
            )
        if self.interactive:
            if self.translation is not None or self.originals is not None:
                raise typer.BadParameter("--interactive works on plain runs, not with --retranslate or --originals")
            cleaner = self._interactive_cleaner()
        return cleaner

    def _interactive_cleaner(self) -> InteractiveCleaner:
        """The cleaner of `run --interactive`; decisions are kept in OUTPUT (in memory for --check)."""
        from ..engine.ignore import DEFAULT_IGNORE_FILE
        from ..review.session import DecisionLog, InteractiveCleaner, Reviewer
        from .review import ask_line, say_line

        names = self.names
        rejections = names.ignore_file or Path(DEFAULT_IGNORE_FILE)
        reviewer = Reviewer(rejections, list(names.gazetteers), names.include_default)
        return InteractiveCleaner(names.normalizer, reviewer, DecisionLog(self.output), ask_line, say_line)


@dataclass(frozen=True)
class Workers:
    """Who cleans the files: `jobs` local processes (one: this process), or a Dask cluster."""

    engine: RunEngine
    scheduler: str | None
    jobs: int

    def runner(self) -> Runner:
        from ..batch.pipeline import serial

        if self.engine is RunEngine.DASK:
            if not self.scheduler:
                raise typer.BadParameter("--engine dask needs --scheduler ADDRESS")
            return runners.dask(self.scheduler)
        return serial if self.jobs == 1 else runners.processes(self.jobs)


def _execute(
    cleaner: Cleaner,
    paths: list[Path],
    options: RunOptions,
    runner: Runner,
    *,
    quiet: bool,
    diff: bool,
    asking: bool,
    findings: Findings | None = None,
) -> None:
    """Run, showing progress (or not), and exit with the run's status."""
    from ..batch.pipeline import UsageError, run
    from ..batch.runfolder import BusyError, UnsafeStateError
    from ..batch.stopping import exit_status, shielded, stop_on_signals
    from .progress import Bar, Plain

    # (questions and a progress bar would share the terminal)
    show = Bar(err) if err.is_terminal and not (quiet or asking) else Plain(None if quiet else err)
    with show:

        def on_file(outcome: FileOutcome) -> None:
            show.advance(outcome)
            if outcome.error:
                err.print(f"error {outcome.input.display}: {outcome.error}", markup=False)
            elif outcome.record.warning:
                err.print(f"warning {outcome.input.display}: {outcome.record.warning}", markup=False)
            elif diff and outcome.changed and outcome.text is not None:
                _print_diff(outcome)
            if findings is not None and outcome.changed:
                findings.add(outcome)

        try:
            with stop_on_signals():
                summary = run(cleaner, paths, options, on_file, show.start, runner)
        except UsageError as exc:
            raise typer.BadParameter(str(exc)) from None
        except BusyError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(ExitCode.BUSY) from None
        except (UnsafeStateError, OSError) as exc:  # before any file: the output folder cannot be used
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(ExitCode.RUN_FAILED) from None
        except KeyboardInterrupt as exc:  # while the inputs were listed or checked: no file was cleaned
            err.print("interrupted before any file was cleaned; nothing was written", markup=False)
            raise typer.Exit(exit_status(exc)) from None
    with shielded():  # the work is done and written: a late Ctrl-C must not turn it into a traceback
        if findings is not None:
            findings.print()
        if not quiet:
            _print_summary(summary, options)
        if summary.interrupted:
            err.print(
                "interrupted: the finished files and their logs are written; run the same command to resume",
                markup=False,
            )
        if summary.failure:
            err.print(f"error: the run could not go on: {summary.failure}", markup=False)
        raise typer.Exit(summary.exit_code)


@app.command("config")
def config_command(ctx: typer.Context) -> None:
    """Print the effective configuration: each setting, its value and where it came from."""
    config: Config = ctx.obj
    err.print(f"# from {config.file}" if config.file else "# no normalize.toml or [tool.normalize] found", markup=False)
    typer.echo(render_config(config))


@app.command("text")
def text_command(
    file: Annotated[Path | None, typer.Argument(help="File to read; standard input if omitted or '-'.")] = None,
    changes: ChangesOpt = None,
    review: ReviewOpt = None,
    check: CheckOpt = False,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    original: Annotated[
        Path | None, typer.Option(help="The original the text was translated from: its names decide look-alikes.")
    ] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="The input is JSON Lines: clean one field per record.")
    ] = False,
    field: str = setting_option("field"),
    ignore: list[str] | None = setting_option("ignore"),
    ignore_file: Path | None = setting_option("ignore_file"),
) -> None:
    """Clean one text (or a JSON Lines stream) from standard input or a file to standard output.

    The input's encoding is detected as by normalize run, and the output
    is UTF-8.  Bytes that are not UTF-8 in otherwise UTF-8 input are written
    back as they were, with a warning naming their offsets.  Input that
    cannot be cleaned (binary, an encoding that cannot be told, an unreadable
    --original) is written through unchanged, with the reason on standard
    error, and the exit code is 3.
    """
    refuse_overwrites([file, original], changes, review)
    name, data = read_input_bytes(file)
    normalizer = NameSources.of(gazetteer, no_default_gazetteers, ignore, ignore_file).normalizer()
    from ..batch.corpus import display_name
    from ..batch.decoding import encode_text

    decoded, problem = decode_input(data)
    source = None
    if decoded is not None and original is not None:
        try:
            source, problem = decode_input(original.read_bytes())
        except OSError as exc:
            problem = exc.strerror or str(exc)
        if source is None:
            decoded, problem = None, f"its original {display_name(original)}: {problem}"
        elif source.warning:
            err.print(f"warning {display_name(original)}: {source.warning}", markup=False)

    def write_through(problem: str) -> typer.Exit:
        # A filter never swallows its input: what cannot be cleaned goes through as it came.
        err.print(f"error {name}: {problem}; {'' if check else 'written through '}unchanged", markup=False)
        for path in (changes, review):
            if path is not None:
                path.write_text("", encoding="utf-8")
        if not check:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return typer.Exit(ExitCode.BAD_INPUT)

    if decoded is None:
        raise write_through(problem)
    if decoded.warning:
        err.print(f"warning {name}: {decoded.warning}", markup=False)
    extra = {} if decoded.encoding == "utf-8" else {"encoding": decoded.encoding}

    def clean(value: str) -> Result:
        if source is not None:
            from ..translate.paired import clean_with_original

            return clean_with_original(normalizer, value, source.text, name=name)
        return normalizer.normalize(value, name=name)

    try:
        if jsonl:
            from ..batch.jsonl import clean_jsonl

            clean_text, changes_rows, review_rows = clean_jsonl(decoded.text, field, clean, file=name, extra=extra)
        else:
            result = clean(decoded.text)
            clean_text = result.text
            changes_rows = [c.to_dict() | extra for c in result.changes]
            review_rows = [v.to_dict() for v in result.review]
        out = encode_text(clean_text, "utf-8")
        logs = [(path, json_lines(rows)) for path, rows in ((changes, changes_rows), (review, review_rows)) if path]
    except Exception as exc:  # a bug, or text UTF-8 cannot hold: the input still goes through
        raise write_through(f"not cleaned: {type(exc).__name__}: {exc}") from exc
    for path, text in logs:
        path.write_text(text, encoding="utf-8")
    if check:
        raise typer.Exit(ExitCode.CHANGES_FOUND if changes_rows else ExitCode.OK)
    if extra:
        err.print(f"note {name}: read as {decoded.encoding}, written as UTF-8", markup=False)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


def _print_diff(outcome: FileOutcome) -> None:
    name = outcome.input.display
    lines = difflib.unified_diff(
        outcome.original.splitlines(keepends=True),
        outcome.text.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    for line in lines:
        sys.stdout.write(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    sys.stdout.flush()


def _print_summary(summary: RunSummary, options: RunOptions) -> None:
    verb = "would change" if options.check else "changed"
    resumed = f" ({summary.resumed} finished earlier)" if summary.resumed else ""
    err.print(
        f"{summary.files} files{resumed}, {summary.changed_files} {verb}, {summary.changes} changes, "
        f"{summary.review} for review, {len(summary.problems)} with errors",
        markup=False,
    )
    for name, count in summary.encodings.most_common():
        err.print(f"  {count} file(s) decoded from {name}", markup=False)
    for entity, count in summary.per_entity.most_common(10):
        err.print(f"  {count:5d}  {entity}", markup=False)
    if not options.check and options.output is not None:
        err.print(f"clean text and logs in {options.output}", markup=False)
    elif options.in_place:
        logs = (("changes", options.changes_path), ("review", options.review_path))
        kept = "; ".join(f"{what} in {path}" for what, path in logs if path)
        err.print(kept or "no change log kept: give --changes FILE (and --review FILE) to keep one", markup=False)
    for problem in summary.problems:
        err.print(f"error {problem}", markup=False)
