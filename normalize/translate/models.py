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

An archive is held to limits before and while it is unpacked (the sizes in a
zip's headers are checked first, then the bytes actually written are
counted), so a zip bomb stops with a `ModelError` and leaves nothing behind:
`MAX_UNPACKED_BYTES` in all (4 GiB: a real model is 100-400 MB),
`MAX_ENTRIES` files (1000: a model has about ten) and, for a member of more
than 1 MiB, `MAX_RATIO` times its compressed size (100: weights compress
about 1.1-3x, vocabularies 3-5x, a file of zeros about 1000x).  Copying a
model folder counts its bytes and files against the same limits.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# "opus-mt-ar-en", "ar_en": the last two short segments of a folder name
_LANGS_IN_NAME = re.compile(r"(?:^|[-_])([a-z]{2,3})[-_]([a-z]{2,3})$")
ARGOS_LAYOUT = "an Argos package (metadata.json, model/ with model.bin, sentencepiece.model)"
OPUS_LAYOUT = "an OPUS-MT model converted by CTranslate2 (model.bin, source.spm, target.spm)"
# Limits on what installing or opening a model may write (module docstring).
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_ENTRIES = 1000
MAX_RATIO = 100
_RATIO_FROM = 1024**2  # smaller members are not held to MAX_RATIO
_CHUNK = 1024**2


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
        with path.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()[:16]
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
    """Unpack a zip into `target`, refusing any member that would land outside it,
    and any archive past the limits (`MAX_UNPACKED_BYTES`, `MAX_ENTRIES`, `MAX_RATIO`).

    Absolute paths, ``..`` components, drive letters and links, and sizes the
    headers declare past the limits, are refused before anything is written;
    the bytes written are counted as they are, in case the headers lie.  The
    files appear in `target` only once all are out (a temporary folder is
    renamed); on any failure nothing is left.
    """
    _check_entry_count(archive, _declared_entries(archive))
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ModelError(f"{archive}: not a readable zip file: {exc}") from None
    with zf:
        infos = zf.infolist()
        _check_headers(archive, infos, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            _extract(archive, zf, infos, staging)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _declared_entries(archive: Path) -> int | None:
    """The entry count the end of the zip declares, read before the whole central
    directory is (millions of entries would fill memory); None if unreadable."""
    try:
        with archive.open("rb") as file:
            end = zipfile._EndRecData(file)  # the stdlib's own reader of that record
        return None if end is None else int(end[zipfile._ECD_ENTRIES_TOTAL])
    except (AttributeError, IndexError, OSError, ValueError, TypeError):
        return None


def _check_entry_count(archive: Path, count: int | None) -> None:
    if count is not None and count > MAX_ENTRIES:
        raise ModelError(f"{archive}: holds {count} entries; at most {MAX_ENTRIES} are taken (MAX_ENTRIES)")


def _check_headers(archive: Path, infos: list[zipfile.ZipInfo], target: Path) -> None:
    _check_entry_count(archive, len(infos))
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
        if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]) or is_link:
            raise ModelError(f"{archive}: refusing to unpack {info.filename!r}: it would land outside {target}")
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise _ratio_error(archive, info.filename, info.file_size, info.compress_size)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise _size_error(archive, total)


def _extract(archive: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], staging: Path) -> None:
    total = 0
    for info in infos:
        dest = staging.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
        try:
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as source, dest.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if written > info.file_size:
                        raise ModelError(
                            f"{archive}: {info.filename!r} unpacks past the {info.file_size} bytes its header declares"
                        )
                    if total > MAX_UNPACKED_BYTES:
                        raise _size_error(archive, total)
                    if written > _RATIO_FROM and written > MAX_RATIO * info.compress_size:
                        raise _ratio_error(archive, info.filename, written, info.compress_size)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise ModelError(f"{archive}: cannot unpack {info.filename!r}: {exc}") from None


def _size_error(source: Path, size: int) -> ModelError:
    return ModelError(
        f"{source}: would take {_mb(size)} or more unpacked; at most {_mb(MAX_UNPACKED_BYTES)} (MAX_UNPACKED_BYTES)"
    )


def _ratio_error(archive: Path, name: str, size: int, compressed: int) -> ModelError:
    return ModelError(
        f"{archive}: {name!r} unpacks {_mb(size)} from {compressed} bytes, more than {MAX_RATIO} times its "
        "compressed size (MAX_RATIO): a zip bomb, not a model"
    )


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.1f} MiB"


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


def install(source: Path, directory: Path, check: Callable[[ModelPackage], None] | None = None) -> ModelPackage:
    """Copy (a folder) or unpack (a zip) a model into `directory`; return it.

    The model is made in a temporary folder beside its place, opened and given
    to `check` (`verify`, say) there, and renamed into place only then: a
    failure at any step leaves nothing behind, and the same install can be
    tried again.
    """
    if not (source.is_file() or source.is_dir()):
        what = "not a file or folder" if source.exists() else "no such file or folder"
        raise ModelError(f"{source}: {what}; expected an .argosmodel package or a model folder")
    name = source.stem if source.is_file() else _open_folder(source).path.name
    if (directory / name).exists():
        raise ModelError(f"{directory / name} exists; remove it first to reinstall")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".installing-{name}.", dir=directory))
    except OSError as exc:
        raise ModelError(f"{directory}: cannot create the models folder: {exc}") from None
    try:
        built = staging / name
        if source.is_file():
            safe_unpack(source, built)
        else:
            _copy_folder(_open_folder(source).path, built)
        try:
            package = _open_folder(built)
            if check is not None:
                check(package)
        except ModelError as exc:  # named as the user knows it, not by the temporary folder
            raise ModelError(str(exc).replace(str(built), str(source))) from None
        target = directory / name
        if target.exists():  # installed meanwhile
            raise ModelError(f"{target} exists; remove it first to reinstall")
        try:
            os.rename(built, target)
        except OSError as exc:
            raise ModelError(f"{target}: cannot put the model in place: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _open_folder(target)


def _copy_folder(source: Path, target: Path) -> None:
    """`shutil.copytree`, held to `MAX_UNPACKED_BYTES` and `MAX_ENTRIES` (a folder
    may hold links to anything, /dev/zero included)."""
    count = total = 0

    def copy(src: str, dst: str) -> None:
        nonlocal count, total
        count += 1
        _check_entry_count(source, count)
        with open(src, "rb") as read, open(dst, "wb") as write:
            while chunk := read.read(_CHUNK):
                total += len(chunk)
                if total > MAX_UNPACKED_BYTES:
                    raise _size_error(source, total)
                write.write(chunk)
        shutil.copystat(src, dst)

    try:
        shutil.copytree(source, target, copy_function=copy)
    except (OSError, shutil.Error) as exc:
        raise ModelError(f"{source}: cannot copy: {exc}") from None


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
