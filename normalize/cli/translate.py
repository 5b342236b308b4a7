"""``normalize translate`` and ``normalize models ...``: re-translation from the original.

$ normalize models install translate-ar_en-1_0.argosmodel
$ normalize translate article.ar.txt
$ normalize run originals/ -o clean/ --retranslate --model opus-mt-ar-en
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..batch.exitcodes import ExitCode
from ..engine.records import json_lines
from .config import ComputeType, Device
from .shared import NameSources, err, out, read_input, refuse_overwrites, setting_option

if TYPE_CHECKING:
    from ..translate.engine import Engine, TranslateOptions

# The translation stack is imported by the commands that use it: a plain
# `normalize text` should not pay for it at start-up.

models_app = typer.Typer(help="List, check and install translation models.", no_args_is_help=True)

ProtectOpt = Annotated[bool, typer.Option(help="Protect gazetteer names through translation.")]


@dataclass(frozen=True)
class Translation:
    """How to translate: the model asked for (a package, a folder or an
    installed name, else the installed one for the language), where models
    are installed, the original's language when its name and script should
    not decide, whether names are protected, and the engine's settings.

    >>> hints = dict(model=None, models_dir=None, source_lang=None, protect=True)
    >>> engine = dict(device=Device.CPU, compute_type=ComputeType.INT8, threads=1, batch_tokens=512)
    >>> Translation.of(**hints, beam_size=2, **engine).options.beam_size
    2
    """

    model: str | None
    models_dir: Path | None
    source_lang: str | None
    protect: bool
    options: TranslateOptions

    @classmethod
    def of(
        cls,
        *,
        model: str | None,
        models_dir: Path | None,
        source_lang: str | None,
        protect: bool,
        beam_size: int,
        device: Device,
        compute_type: ComputeType,
        threads: int,
        batch_tokens: int,
    ) -> Translation:
        """From the options of the same names."""
        from ..translate.engine import TranslateOptions

        options = TranslateOptions(
            # The library takes plain strings (they end up in CTranslate2).
            device=Device(device).value,
            compute_type=ComputeType(compute_type).value,
            beam_size=beam_size,
            intra_threads=threads,
            max_batch_size=batch_tokens,
        )
        return cls(model, models_dir, source_lang, protect, options)

    def check(self) -> None:
        """Refuse, before any work, what no file could be translated with: a
        model asked for that does not open, or no installed model for the
        language given (ModelError).  Without either, each file's language
        decides, and a file already in English needs no model."""
        from ..translate.models import find_model, models_dir

        if self.model is not None or (self.source_lang is not None and self.source_lang != "en"):
            find_model(self.model, self.source_lang, models_dir(option=self.models_dir))

    def engine(self, lang: str | None) -> Engine:
        """The engine for an original in `lang` (ModelError if there is none or it does not load)."""
        from ..translate.engine import Engine
        from ..translate.models import find_model, models_dir

        return Engine(find_model(self.model, lang, models_dir(option=self.models_dir)), self.options)


def translate_command(
    file: Annotated[Path | None, typer.Argument(help="The original (default: standard input).")] = None,
    model: str | None = setting_option("model"),
    models_dir: Path | None = setting_option("models_dir"),
    source_lang: str | None = setting_option("source_lang"),
    beam_size: int = setting_option("beam_size"),
    device: Device = setting_option("device"),
    compute_type: ComputeType = setting_option("compute_type"),
    threads: int = setting_option("threads"),
    batch_tokens: int = setting_option("batch_tokens"),
    protect: ProtectOpt = True,
    changes: Annotated[Path | None, typer.Option(help="Write the changes (JSON Lines) here.")] = None,
    gazetteer: list[Path] | None = setting_option("gazetteer"),
    no_default_gazetteers: bool = setting_option("no_default_gazetteers"),
    ignore: list[str] | None = setting_option("ignore"),
    ignore_file: Path | None = setting_option("ignore_file"),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say which model and settings translate (on standard error).")
    ] = False,
) -> None:
    """Translate one original to English (names protected) and clean it, to standard output."""
    from ..translate.models import ModelError, source_language
    from ..translate.retranslate import Retranslator

    refuse_overwrites([file], changes)
    name, text = read_input(file)
    normalizer = NameSources.of(gazetteer, no_default_gazetteers, ignore, ignore_file).normalizer()
    translation = Translation.of(
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
    try:
        engine = translation.engine(source_language(name, text, source_lang))
    except ModelError as exc:
        err.print(f"model error: {exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    if verbose:
        err.print(describe_engine(engine), markup=False)
    done = Retranslator(normalizer, engine, protect_names=protect).retranslate(text, name=name)
    if changes is not None:
        lines = [json_lines(c.to_dict() for c in done.result.changes)]
        changes.write_text("".join(lines), encoding="utf-8")
    for lost in done.lost_names:
        err.print(f"note: the model left out the name {lost}", markup=False)
    sys.stdout.buffer.write(done.result.text.encode("utf-8"))
    sys.stdout.buffer.flush()


def describe_engine(engine: Engine) -> str:
    """One line: the model and the settings the engine was opened with."""
    o = engine.options
    threads = o.intra_threads or "one per core"
    return (
        f"model {engine.package.describe()} at {engine.package.path}; beam size {o.beam_size}, device {o.device}, "
        f"compute type {o.compute_type}, threads {threads}, batches of {o.max_batch_size} tokens"
    )


@models_app.command("list")
def list_command(models_dir: Path | None = setting_option("models_dir")) -> None:
    """The installed models."""
    from ..translate import models

    directory = models.models_dir(option=models_dir)
    listed, problems = models.list_models(directory)
    for package in listed:
        out.print(package.describe(), markup=False)
    for problem in problems:
        err.print(f"not a model: {problem}", markup=False)
    err.print(f"{len(listed)} model(s) in {directory}", markup=False)


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
    models_dir: Path | None = setting_option("models_dir"),
) -> None:
    """Copy or unpack a local model into the models folder (checked before it is put in place).

    A missing path, an archive past the size limits or a model that does not
    load is named on one line and exits 3; nothing is left in the folder.
    """
    from ..translate import models
    from ..translate.models import ModelError, install, verify

    directory = models.models_dir(option=models_dir)
    try:
        package = install(path, directory, check=verify)
    except ModelError as exc:
        err.print(f"model error: {exc}", markup=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    out.print(f"installed {package.describe()} in {directory}", markup=False)
