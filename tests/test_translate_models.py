"""Finding and installing user-supplied models; unsafe archives are refused."""

import json
import zipfile
from pathlib import Path

import pytest

from normalize.translate.models import (
    ModelError,
    choose_model,
    install,
    list_models,
    models_dir,
    open_model,
    safe_unpack,
    source_language,
)


def argos_folder(root: Path, name: str = "translate-ar_en-1_0") -> Path:
    folder = root / name
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"x")
    (folder / "sentencepiece.model").write_bytes(b"x")
    (folder / "metadata.json").write_text(json.dumps({"from_code": "ar", "to_code": "en"}))
    return folder


def opus_folder(root: Path, name: str = "opus-mt-fr-en") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for file in ("model.bin", "source.spm", "target.spm"):
        (folder / file).write_bytes(b"x")
    return folder


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.rglob("*"):
            zf.write(file, file.relative_to(folder.parent))
    return archive


def test_an_unpacked_argos_package_is_recognised_with_its_languages(tmp_path):
    package = open_model(argos_folder(tmp_path))
    assert (package.kind, package.source_lang, package.target_lang) == ("argos", "ar", "en")
    assert package.source_spm == package.target_spm  # Argos shares one SentencePiece model


def test_an_opus_mt_folder_takes_its_languages_from_its_name(tmp_path):
    package = open_model(opus_folder(tmp_path))
    assert (package.kind, package.source_lang, package.target_lang) == ("opus-mt", "fr", "en")
    assert package.source_spm.name == "source.spm" and package.target_spm.name == "target.spm"


def test_an_argos_zip_is_unpacked_once_into_the_cache(tmp_path):
    archive = zip_folder(argos_folder(tmp_path / "src"), tmp_path / "translate-ar_en-1_0.argosmodel")
    first = open_model(archive, unpack_dir=tmp_path / "cache")
    second = open_model(archive, unpack_dir=tmp_path / "cache")
    assert first.path == second.path and first.path.is_relative_to(tmp_path / "cache")


@pytest.mark.parametrize("member", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt"])
def test_an_archive_that_would_write_outside_its_folder_is_refused(tmp_path, member):
    archive = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pkg/metadata.json", "{}")
        zf.writestr(member, "gotcha")
    with pytest.raises(ModelError, match="refusing to unpack"):
        safe_unpack(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


def test_a_missing_file_is_named_with_the_expected_layout(tmp_path):
    folder = argos_folder(tmp_path)
    (folder / "sentencepiece.model").unlink()
    with pytest.raises(ModelError, match=r"missing sentencepiece\.model; expected an Argos package"):
        open_model(folder)


def test_something_that_is_not_a_model_says_what_was_expected(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(ModelError, match=r"expected an Argos package .* or an OPUS-MT model"):
        open_model(tmp_path / "x")
    (tmp_path / "y.argosmodel").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a zip file"):
        open_model(tmp_path / "y.argosmodel")


def test_install_list_and_choose(tmp_path):
    models = tmp_path / "models"
    install(zip_folder(argos_folder(tmp_path / "src"), tmp_path / "translate-ar_en-1_0.argosmodel"), models)
    install(opus_folder(tmp_path / "src2"), models)
    (models / "junk").mkdir()
    found, problems = list_models(models)
    assert sorted(p.describe() for p in found) == [
        "opus-mt-fr-en (opus-mt, fr->en)",
        "translate-ar_en-1_0 (argos, ar->en)",
    ]
    assert len(problems) == 1 and "junk" in problems[0]
    assert choose_model(found, "fr").kind == "opus-mt"
    with pytest.raises(ModelError, match="no model for tr->en"):
        choose_model(found, "tr")


def test_installing_twice_is_refused(tmp_path):
    source = opus_folder(tmp_path / "src")
    install(source, tmp_path / "models")
    with pytest.raises(ModelError, match="exists"):
        install(source, tmp_path / "models")


def test_the_models_folder_is_an_option_an_environment_variable_or_a_default():
    assert models_dir({}, Path("/opt/m")) == Path("/opt/m")
    assert models_dir({"NORMALIZE_MODELS": "/srv/m"}) == Path("/srv/m")
    assert models_dir({"XDG_DATA_HOME": "/data"}) == Path("/data/normalize/models")


def test_the_source_language_comes_from_option_file_name_or_script():
    assert source_language("a.txt", "قوات", "tr") == "tr"
    assert source_language("news/a.tr.txt", "Hafter güçleri") == "tr"
    assert source_language("a.txt", "قوات حفتر") == "ar"
    assert source_language("a.txt", "Hafter forces") is None
