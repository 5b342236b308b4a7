"""Finding, checking and installing translation models the user supplies.

Two layouts are understood, and nothing is ever downloaded:

- an Argos Translate package: a ``.argosmodel`` zip, or its unpacked folder,
  holding ``metadata.json``, ``model/`` (a CTranslate2 model) and one
  ``sentencepiece.model`` shared by both languages;
- an OPUS-MT model converted by CTranslate2's converter: ``model.bin`` and
  its vocabulary files beside ``source.spm`` and ``target.spm``.  Its
  languages come from ``metadata.json`` if present, else from a folder name
  such as ``opus-mt-ar-en``.

    >>> models_dir({"NORMALIZE_MODELS": "/srv/models"})
    PosixPath('/srv/models')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# "opus-mt-ar-en", "ar_en": the last two short segments of a folder name
_LANGS_IN_NAME = re.compile(r"(?:^|[-_])([a-z]{2,3})[-_]([a-z]{2,3})$")
ARGOS_LAYOUT = "an Argos package (metadata.json, model/ with model.bin, sentencepiece.model)"
OPUS_LAYOUT = "an OPUS-MT model converted by CTranslate2 (model.bin, source.spm, target.spm)"


class ModelError(Exception):
    """A model that is missing, broken or unsafe; the message says what was expected."""


@dataclass(frozen=True)
class ModelPackage:
    path: Path  # the package folder
    kind: str  # "argos" or "opus-mt"
    model_dir: Path  # the CTranslate2 model
    source_spm: Path
    target_spm: Path
    source_lang: str | None
    target_lang: str | None

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        langs = f"{self.source_lang or '?'}->{self.target_lang or '?'}"
        return f"{self.name} ({self.kind}, {langs})"


def models_dir(environ: Mapping[str, str] | None = None, option: Path | None = None) -> Path:
    """Where installed models live: the option, else $NORMALIZE_MODELS, else
    $XDG_DATA_HOME/normalize/models, else ~/.local/share/normalize/models."""
    env = os.environ if environ is None else environ
    if option is not None:
        return option
    if env.get("NORMALIZE_MODELS"):
        return Path(env["NORMALIZE_MODELS"])
    data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return data / "normalize" / "models"


def open_model(path: Path, *, unpack_dir: Path | None = None) -> ModelPackage:
    """The model at `path` (a folder or an ``.argosmodel`` zip), checked for its files.

    A zip is unpacked once into `unpack_dir` (default: a cache folder beside
    the installed models), keyed by its content hash.
    """
    if not path.exists():
        raise ModelError(f"{path}: no such file or folder; expected {ARGOS_LAYOUT} or {OPUS_LAYOUT}")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise ModelError(f"{path}: not a zip file; expected an .argosmodel package or a model folder")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        target = (unpack_dir or models_dir() / ".unpacked") / f"{path.stem}-{digest}"
        if not target.exists():
            safe_unpack(path, target)
        path = target
    return _open_folder(path)


def _open_folder(folder: Path) -> ModelPackage:
    # An unpacked Argos zip holds one top folder; look inside it.
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if not (folder / "metadata.json").exists() and not (folder / "model.bin").exists() and len(inner) == 1:
        folder = inner[0]
    if (folder / "metadata.json").exists() and (folder / "model").is_dir():
        meta = _metadata(folder / "metadata.json")
        spm = folder / "sentencepiece.model"
        _require(folder, [folder / "model" / "model.bin", spm], ARGOS_LAYOUT)
        return ModelPackage(folder, "argos", folder / "model", spm, spm, meta.get("from_code"), meta.get("to_code"))
    if (folder / "model.bin").exists():
        _require(folder, [folder / "source.spm", folder / "target.spm"], OPUS_LAYOUT)
        meta = _metadata(folder / "metadata.json") if (folder / "metadata.json").exists() else {}
        source, target = meta.get("from_code"), meta.get("to_code")
        if source is None and (m := _LANGS_IN_NAME.search(folder.name.lower())):
            source, target = m.group(1), m.group(2)
        return ModelPackage(folder, "opus-mt", folder, folder / "source.spm", folder / "target.spm", source, target)
    raise ModelError(f"{folder}: not a model; expected {ARGOS_LAYOUT} or {OPUS_LAYOUT}")


def _require(folder: Path, files: list[Path], layout: str) -> None:
    missing = [str(f.relative_to(folder)) for f in files if not f.is_file()]
    if missing:
        raise ModelError(f"{folder}: missing {', '.join(missing)}; expected {layout}")


def _metadata(path: Path) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable metadata: {exc}") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: metadata must be a JSON object")
    return meta


def safe_unpack(archive: Path, target: Path) -> None:
    """Unpack a zip into `target`, refusing any member that would land outside it.

    Absolute paths, ``..`` components, drive letters and links are refused
    before anything is written; the files appear in `target` only once all
    are out (a temporary folder is renamed).
    """
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]) or is_link:
                raise ModelError(f"{archive}: refusing to unpack {info.filename!r}: it would land outside {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            zf.extractall(staging)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def verify(package: ModelPackage) -> None:
    """Load the model and its SentencePiece files and translate one word; raise ModelError."""
    import ctranslate2
    import sentencepiece

    try:
        source = sentencepiece.SentencePieceProcessor(model_file=str(package.source_spm))
        translator = ctranslate2.Translator(str(package.model_dir), device="cpu", compute_type="auto")
        translator.translate_batch([source.encode("test", out_type=str)], max_decoding_length=8)
        sentencepiece.SentencePieceProcessor(model_file=str(package.target_spm))
    except (RuntimeError, OSError, ValueError) as exc:
        raise ModelError(f"{package.path}: the model does not load: {exc}") from None


def install(source: Path, directory: Path) -> ModelPackage:
    """Copy (a folder) or unpack (a zip) a model into `directory`; return it."""
    if source.is_file():
        target = directory / source.stem
        if target.exists():
            raise ModelError(f"{target} exists; remove it first to reinstall")
        safe_unpack(source, target)
    else:
        package = _open_folder(source)
        target = directory / package.path.name
        if target.exists():
            raise ModelError(f"{target} exists; remove it first to reinstall")
        shutil.copytree(package.path, target)
    return _open_folder(target)


def list_models(directory: Path) -> tuple[list[ModelPackage], list[str]]:
    """Installed models, and a message for each folder that is not a model."""
    models, problems = [], []
    if not directory.is_dir():
        return models, problems
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            models.append(_open_folder(folder))
        except ModelError as exc:
            problems.append(str(exc))
    return models, problems


def choose_model(models: list[ModelPackage], source_lang: str, target_lang: str = "en") -> ModelPackage:
    """The installed model for one language pair."""
    for package in models:
        if package.source_lang == source_lang and package.target_lang in (target_lang, None):
            return package
    have = ", ".join(p.describe() for p in models) or "none"
    raise ModelError(f"no model for {source_lang}->{target_lang} (installed: {have}); see `normalize models install`")


_LANG_SUFFIX = re.compile(r"\.([a-z]{2,3})\.[^.]+$")


def source_language(file_name: str, text: str, option: str | None = None) -> str | None:
    """The language of an original: the option, else the file name
    (``article.ar.txt``), else the script (Arabic script means ``ar``).

    >>> source_language("article.fr.txt", "Les forces de Haftar"), source_language("x.txt", "قوات حفتر")
    ('fr', 'ar')
    """
    if option:
        return option
    if m := _LANG_SUFFIX.search(file_name.lower()):
        return m.group(1)
    from .text import script_of

    return "ar" if script_of(text) == "arabic" else None


def find_model(spec: str | Path | None, source_lang: str | None, directory: Path) -> ModelPackage:
    """`spec` is a package path or the name of an installed model; without
    it, the installed model for `source_lang` is chosen."""
    if spec is not None:
        path = Path(spec)
        if not path.exists() and (directory / str(spec)).exists():
            path = directory / str(spec)
        return open_model(path, unpack_dir=directory / ".unpacked")
    if source_lang is None:
        raise ModelError("cannot tell the source language: name the file like article.ar.txt or give --source-lang")
    models, _ = list_models(directory)
    return choose_model(models, source_lang)
