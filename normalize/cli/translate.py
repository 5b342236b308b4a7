"""``normalize translate`` and ``normalize models ...``: re-translation from the original.

$ normalize models install translate-ar_en-1_0.argosmodel
$ normalize translate article.ar.txt
$ normalize run originals/ -o clean/ --retranslate --model opus-mt-ar-en
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..batch.exitcodes import ExitCode
from ..engine.records import json_lines
from .shared import GazetteerOpt, NoDefaultOpt, err, load_normalizer, out, read_input

if TYPE_CHECKING:
    from ..translate.engine import Engine, TranslateOptions

# The translation stack is imported by the commands that use it: a plain
# `normalize text` should not pay for it at start-up.

models_app = typer.Typer(help="List, check and install translation models.", no_args_is_help=True)

ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="Model package or folder, or an installed name.")]
ModelsDirOpt = Annotated[
    Path | None, typer.Option("--models-dir", help="Installed models (default: $NORMALIZE_MODELS or ~/.local/share).")
]
SourceLangOpt = Annotated[str | None, typer.Option(help="Language of the original (default: file name or script).")]
BeamOpt = Annotated[int, typer.Option(help="Beam size (1 is fastest).")]
DeviceOpt = Annotated[str, typer.Option(help="auto (cuda if a GPU is seen), cpu or cuda.")]
ComputeOpt = Annotated[str, typer.Option(help="CTranslate2 compute type: auto, int8, int8_float16, float16...")]
ThreadsOpt = Annotated[int, typer.Option(help="Threads for one translation (0: one per core).")]
BatchOpt = Annotated[int, typer.Option(help="Tokens per batch.")]
ProtectOpt = Annotated[bool, typer.Option(help="Protect gazetteer names through translation.")]


def translate_options(
    beam_size: int, device: str, compute_type: str, threads: int, batch_tokens: int
) -> TranslateOptions:
    from ..translate.engine import TranslateOptions

    return TranslateOptions(
        device=device,
        compute_type=compute_type,
        beam_size=beam_size,
        intra_threads=threads,
        max_batch_size=batch_tokens,
    )


def open_engine(spec: str | None, lang: str | None, directory: Path | None, options: TranslateOptions) -> Engine:
    from ..translate.engine import Engine
    from ..translate.models import ModelError, find_model, models_dir

    try:
        return Engine(find_model(spec, lang, models_dir(option=directory)), options)
    except ModelError as exc:
        err.print(f"model error: {exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None


def translate_command(
    file: Annotated[Path | None, typer.Argument(help="The original (default: standard input).")] = None,
    model: ModelOpt = None,
    models_directory: ModelsDirOpt = None,
    source_lang: SourceLangOpt = None,
    beam_size: BeamOpt = 4,
    device: DeviceOpt = "auto",
    compute_type: ComputeOpt = "auto",
    threads: ThreadsOpt = 0,
    batch_tokens: BatchOpt = 4096,
    protect: ProtectOpt = True,
    changes: Annotated[Path | None, typer.Option(help="Write the changes (JSON Lines) here.")] = None,
    gazetteer: GazetteerOpt = None,
    no_default_gazetteers: NoDefaultOpt = False,
) -> None:
    """Translate one original to English (names protected) and clean it, to standard output."""
    from ..translate.models import source_language
    from ..translate.retranslate import Retranslator

    name, text = read_input(file)
    normalizer = load_normalizer(gazetteer, no_default_gazetteers)
    options = translate_options(beam_size, device, compute_type, threads, batch_tokens)
    engine = open_engine(model, source_language(name, text, source_lang), models_directory, options)
    done = Retranslator(normalizer, engine, protect_names=protect).retranslate(text, name=name)
    if changes is not None:
        lines = [json_lines(c.to_dict() for c in done.result.changes)]
        changes.write_text("".join(lines), encoding="utf-8")
    for lost in done.lost_names:
        err.print(f"note: the model left out the name {lost}", markup=False)
    sys.stdout.buffer.write(done.result.text.encode("utf-8"))
    sys.stdout.buffer.flush()


@models_app.command("list")
def list_command(models_directory: ModelsDirOpt = None) -> None:
    """The installed models."""
    from ..translate.models import list_models, models_dir

    directory = models_dir(option=models_directory)
    models, problems = list_models(directory)
    for package in models:
        out.print(package.describe(), markup=False)
    for problem in problems:
        err.print(f"not a model: {problem}", markup=False)
    err.print(f"{len(models)} model(s) in {directory}", markup=False)


@models_app.command("verify")
def verify_command(path: Annotated[Path, typer.Argument(help="A model package or folder.")]) -> None:
    """Check that a model has its files, loads, and translates."""
    from ..translate.models import ModelError, open_model, verify

    with tempfile.TemporaryDirectory() as scratch:
        try:
            package = open_model(path, unpack_dir=Path(scratch))
            verify(package)
        except ModelError as exc:
            err.print(f"model error: {exc}", markup=False)
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        out.print(f"ok: {package.describe()}", markup=False)


@models_app.command("install")
def install_command(
    path: Annotated[Path, typer.Argument(help="An .argosmodel file or a model folder you downloaded.")],
    models_directory: ModelsDirOpt = None,
) -> None:
    """Copy or unpack a local model into the models folder (checked before it is put in place).

    A missing path, an archive past the size limits or a model that does not
    load is named on one line and exits 3; nothing is left in the folder.
    """
    from ..translate.models import ModelError, install, models_dir, verify

    directory = models_dir(option=models_directory)
    try:
        package = install(path, directory, check=verify)
    except ModelError as exc:
        err.print(f"model error: {exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    out.print(f"installed {package.describe()} in {directory}", markup=False)
