"""Shared fixtures: a small readable gazetteer and a way to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from normalize import Normalizer

# Compiled gazetteers of test runs go to a scratch folder, never to ~/.cache.
os.environ["NORMALIZE_CACHE_DIR"] = tempfile.mkdtemp(prefix="normalize-test-cache-")
# Your own gazetteers (~/.local/share/normalize/gazetteers) are neither read
# nor written by the tests: a folder that does not exist (the docstring
# examples and session fixtures see this one; each test gets its own below).
os.environ["NORMALIZE_GAZETTEER_DIR"] = str(Path(tempfile.mkdtemp(prefix="normalize-test-gazetteers-")) / "none")

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SEED = ROOT / "seeds" / "000_4796237a99d6d92a.txt"


@pytest.fixture(autouse=True)
def user_gazetteers(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's user gazetteer folder, not made until a command writes
    there: what one test accepts never reaches another (nor your home)."""
    folder = tmp_path_factory.mktemp("user") / "gazetteers"
    monkeypatch.setenv("NORMALIZE_GAZETTEER_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def mini() -> Normalizer:
    """Normaliser over tests/fixtures/mini only (not the shipped data)."""
    return Normalizer.load([MINI], include_default=False)


@pytest.fixture(scope="session")
def shipped() -> Normalizer:
    """Normaliser over the shipped gazetteers."""
    return Normalizer.load()


def clean(normalizer: Normalizer, text: str) -> str:
    return normalizer.normalize(text).text


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (the run's state folder excepted) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".normalize" not in p.parts
    }


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m normalize`` as a real process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "normalize", *args],
        input=input if input is not None else b"",
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
    )
