"""Hostile data stays bounded: model archives, gazetteers and ignore patterns.

A zip bomb, a gazetteer nested ten thousand levels deep or holding one huge
spelling, a gazetteer of 100,000 entries and a pattern that backtracks
exponentially each end in a one-line error (or a quick load), never in a
full disk, a traceback, gigabytes of memory or minutes of work.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from normalize import Normalizer
from normalize.engine.ignore import IgnoreError, IgnoreList, load_ignore_file
from normalize.gazetteer import GazetteerError, load_gazetteers
from normalize.gazetteer.model import MAX_SPELLING_CHARS, MAX_SPELLING_WORDS
from normalize.translate import models
from normalize.translate.models import ModelError, install, safe_unpack

ARGOS_META = json.dumps({"from_code": "ar", "to_code": "en"})


# ---------------------------------------------------------------------------
# Model archives
# ---------------------------------------------------------------------------


def argos_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def fake_argos_zip(path: Path) -> Path:
    """An Argos package with every file in place but a model that does not load."""
    return argos_zip(
        path,
        {
            "translate-ar_en-1_0/metadata.json": ARGOS_META.encode(),
            "translate-ar_en-1_0/model/model.bin": b"not a model",
            "translate-ar_en-1_0/sentencepiece.model": b"not a model",
        },
    )


def left_in(folder: Path) -> list[str]:
    """What a failed install or unpack left in `folder` (hidden files too)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr


def test_a_zip_bomb_is_refused_by_the_install_command_and_leaves_nothing(tmp_path):
    bomb = argos_zip(
        tmp_path / "bomb.argosmodel",
        {"pkg/metadata.json": ARGOS_META.encode(), "pkg/model/model.bin": bytes(8 * 1024**2)},
    )
    assert bomb.stat().st_size < 64 * 1024  # 8 MiB of zeros in a few KB
    proc = run_cli("models", "install", str(bomb), "--models-dir", str(tmp_path / "models"))
    assert proc.returncode == 3
    assert "MAX_RATIO" in one_line_error(proc)
    assert left_in(tmp_path / "models") == []


def test_an_archive_past_the_size_limit_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1024**2)
    archive = argos_zip(
        tmp_path / "big.argosmodel",
        {"pkg/a.bin": os.urandom(700 * 1024), "pkg/b.bin": os.urandom(700 * 1024)},  # 1.4 MiB, incompressible
        zipfile.ZIP_STORED,
    )
    with pytest.raises(ModelError, match="MAX_UNPACKED_BYTES"):
        safe_unpack(archive, tmp_path / "out" / "big")
    assert left_in(tmp_path / "out") == []


def test_an_archive_with_too_many_entries_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "MAX_ENTRIES", 50)
    archive = argos_zip(tmp_path / "many.argosmodel", {f"pkg/{i}.txt": b"" for i in range(51)})
    with pytest.raises(ModelError, match=r"holds 51 entries.*MAX_ENTRIES"):
        safe_unpack(archive, tmp_path / "out" / "many")
    assert left_in(tmp_path / "out") == []


def test_an_archive_whose_headers_understate_a_member_is_refused_while_unpacking(tmp_path):
    archive = argos_zip(tmp_path / "liar.argosmodel", {"pkg/model.bin": bytes(4 * 1024**2)})
    raw = bytearray(archive.read_bytes())
    # Both the local header (offset 22) and the central directory (offset 24)
    # say the member unpacks to 1000 bytes; it holds 4 MiB.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.index(signature) + offset
        raw[at : at + 4] = (1000).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    with pytest.raises(ModelError, match=r"cannot unpack 'pkg/model\.bin'"):
        safe_unpack(archive, tmp_path / "out" / "liar")
    assert left_in(tmp_path / "out") == []


def test_a_model_folder_is_copied_within_the_same_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1024**2)
    folder = tmp_path / "opus-mt-fr-en"
    folder.mkdir()
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(b"x")
    (folder / "model.bin").write_bytes(bytes(2 * 1024**2))
    with pytest.raises(ModelError, match="MAX_UNPACKED_BYTES"):
        install(folder, tmp_path / "models")
    assert left_in(tmp_path / "models") == []


def test_a_failed_install_leaves_nothing_so_the_same_install_can_be_retried(tmp_path):
    package = fake_argos_zip(tmp_path / "translate-ar_en-1_0.argosmodel")
    for _ in range(2):  # the second attempt fails for the same reason, not "exists"
        proc = run_cli("models", "install", str(package), "--models-dir", str(tmp_path / "models"))
        assert proc.returncode == 3
        stderr = one_line_error(proc)
        assert "the model does not load" in stderr and str(package) in stderr
        assert ".installing" not in stderr
        assert left_in(tmp_path / "models") == []


def test_a_check_that_fails_keeps_the_model_out_of_the_models_folder(tmp_path):
    def refuse(package):
        raise ModelError(f"{package.path}: refused")

    with pytest.raises(ModelError, match="refused"):
        install(fake_argos_zip(tmp_path / "translate-ar_en-1_0.argosmodel"), tmp_path / "models", check=refuse)
    assert left_in(tmp_path / "models") == []


@pytest.mark.parametrize("name", ["missing.argosmodel", "missing-folder"])
def test_installing_a_missing_path_is_a_one_line_error_naming_it(tmp_path, name):
    missing = tmp_path / name
    proc = run_cli("models", "install", str(missing), "--models-dir", str(tmp_path / "models"))
    assert proc.returncode == 3  # BAD_INPUT: an input is missing
    assert f"{missing}: no such file or folder" in one_line_error(proc)


# ---------------------------------------------------------------------------
# Gazetteers
# ---------------------------------------------------------------------------


def entity(entity_id: str, canonical: str, *variants: str) -> str:
    return f'[{entity_id}]\ntype = "place"\ncanonical = {json.dumps(canonical)}\nvariants = {json.dumps(variants)}\n\n'


def test_a_gazetteer_nested_ten_thousand_deep_is_a_file_line_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text(entity("sirte", "Sirte", "Sirt") + "[tripoli]\nvariants = " + "[" * 10_000 + "\n")
    proc = run_cli("text", "--no-default-gazetteers", "-g", str(path), input=b"Sirt\n")
    assert proc.returncode == 4
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr and "RecursionError" not in stderr
    assert f"{path}:7: TOML syntax: arrays or inline tables nested too deeply" in stderr


def test_a_spelling_longer_than_the_limit_is_refused_with_its_line(tmp_path):
    path = tmp_path / "long.toml"
    path.write_text(entity("sirte", "Sirte", "Sirt") + entity("alpha", "Alpha", "A" + "b" * MAX_SPELLING_CHARS))
    with pytest.raises(GazetteerError) as caught:
        load_gazetteers([path], include_default=False)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:9: alpha: 'Abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'... is 201 characters long; "
        f"a spelling has at most {MAX_SPELLING_CHARS} (MAX_SPELLING_CHARS)"
    ]


def test_a_spelling_of_more_words_than_the_limit_is_refused_with_its_line(tmp_path):
    path = tmp_path / "wordy.toml"
    wordy = " ".join(["Alpha"] * (MAX_SPELLING_WORDS + 1))
    path.write_text(entity("alpha", "Alpha", wordy))
    with pytest.raises(GazetteerError, match=r"wordy\.toml:4: alpha: .* has 21 words; a spelling has at most 20"):
        load_gazetteers([path], include_default=False)


def test_a_spelling_at_the_word_limit_is_loaded_and_matched(tmp_path):
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] * 4
    assert len(words) == MAX_SPELLING_WORDS
    path = tmp_path / "at-limit.toml"
    path.write_text(entity("nato", " ".join(words), " ".join(w + "x" for w in words)))
    normalizer = Normalizer.load([path], include_default=False)
    text = "They said " + " ".join(w + "x" for w in words) + " today."
    assert normalizer.normalize(text).text == "They said " + " ".join(words) + " today."


def test_a_huge_variant_is_refused_at_load_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.toml"
    huge = " ".join(["Alpha"] + [f"Beta{i}" for i in range(14_000)])  # about 125 KB
    path.write_text(entity("alpha", "Alphaville", huge))
    # The scanner kept every word prefix of this spelling: 4.75 GB for 100 KB.
    proc = run_limited(["text", "--no-default-gazetteers", "-g", str(path)], b"Alpha Beta0 Beta1 went home\n", 1024)
    assert proc.returncode == 4, proc.stderr.decode()[-400:]
    assert f"{path}:4: alpha: 'Alpha Beta0" in proc.stderr.decode()


def run_limited(args: list[str], stdin: bytes, megabytes: int) -> subprocess.CompletedProcess:
    """The CLI in a process that may map at most `megabytes` of memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024**2, megabytes * 1024**2))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "normalize", "--no-cache", *args]
    return subprocess.run(command, input=stdin, capture_output=True, env=env, preexec_fn=limit, timeout=120)


def test_a_gazetteer_of_100k_entries_loads_in_seconds(tmp_path):
    path = tmp_path / "big.toml"
    with path.open("w", encoding="utf-8") as out:
        for i in range(100_000):
            name = _letters(i)
            out.write(entity(f"e_{name}", f"Qz{name}", f"Qx{name}", f"Qy{name}"))
    script = (
        "import sys, time; from normalize.gazetteer import load_gazetteers; t = time.perf_counter(); "
        "g = load_gazetteers([sys.argv[1]], include_default=False); print(len(g.entities), time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    try:  # before: quadratic, about 20 minutes
        proc = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, env=env, timeout=120, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading 100,000 entries took more than {time.perf_counter() - started:.0f} s")
    count, seconds = proc.stdout.split()
    assert int(count) == 100_000
    assert float(seconds) < 60  # about 10 s on a busy 2-core machine


def _letters(i: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ...: distinct ids and names made of letters."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
    return letters


# ---------------------------------------------------------------------------
# Ignore patterns
# ---------------------------------------------------------------------------

CATASTROPHIC = ["(a+)+", "(a*)*", "(a|a)*", r"(\w+\s?)+", "H(a+)+$", "(a?){30}", "(?:x|xy)+$", "(?=(a+)+)b"]
HARMLESS = ["Sirt[a-z]+", "(?:Al-)?Haf+t[ae]r", "(a|b)+", r"(\d{3})+", "[A-Z][a-z]+ [A-Z][a-z]+", "(?:al|el)-Sirt"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_pattern_that_can_backtrack_exponentially_is_refused(pattern):
    with pytest.raises(IgnoreError, match=r"^configuration: pattern .* can take exponential time"):
        IgnoreList.from_entries([f"re:{pattern}"])


@pytest.mark.parametrize("pattern", HARMLESS)
def test_a_pattern_without_nested_repetition_is_accepted(pattern):
    assert IgnoreList.from_entries([f"re:{pattern}"])


def test_a_catastrophic_pattern_on_the_command_line_is_a_usage_error(tmp_path):
    proc = run_cli("text", "--ignore", "re:H(a+)+$", input=b"Hafter\n")
    assert proc.returncode == 2
    assert "pattern 'H(a+)+$' can take exponential time" in proc.stderr.decode()


def test_a_catastrophic_pattern_in_the_ignore_file_is_named_with_its_line(tmp_path):
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\ntext = "Sirt"\n\n[[ignore]]\npattern = "(\\\\w+\\\\s?)+"\nreason = "words"\n')
    with pytest.raises(IgnoreError, match=rf"^{path}:4: pattern '\(\\\\w\+\\\\s\?\)\+' can take exponential time"):
        load_ignore_file(path)


def test_an_ignore_file_nested_ten_thousand_deep_is_a_file_line_error(tmp_path):
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\ntext = "Sirt"\nfiles = ' + "[" * 10_000 + "\n")
    proc = run_cli("text", "--ignore-file", str(path), input=b"Sirt\n")
    assert proc.returncode == 2
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr and f"{path}:3: not valid TOML" in stderr


def test_a_configuration_nested_ten_thousand_deep_is_a_file_line_error(tmp_path):
    (tmp_path / "normalize.toml").write_text("glob = 1\nignore = " + "[" * 10_000 + "\n", encoding="utf-8")
    proc = run_cli("run", ".", "--check", cwd=tmp_path)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert f"{tmp_path / 'normalize.toml'}:2:".encode() in proc.stderr
