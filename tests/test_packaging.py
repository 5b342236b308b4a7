"""A plain (non-editable) install carries the shipped gazetteers with it."""

import os
import subprocess
import sys
import zipfile

from conftest import ROOT, SEED


def test_a_wheel_install_finds_the_shipped_gazetteers_outside_the_checkout(tmp_path):
    wheels, target, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("normalize-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "normalize/gazetteers/libya/places.toml" in names
    assert "normalize/data/english_words.txt.gz" in names
    assert any(n.startswith("normalize/_core.") for n in names)  # the compiled core

    subprocess.run([*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    work.mkdir()
    (work / "seeds").mkdir()
    (work / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import normalize; print(normalize.default_gazetteer_dir())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == str(target / "normalize" / "gazetteers")
    proc = subprocess.run(
        [sys.executable, "-m", "normalize", "run", "seeds", "-o", "out"],
        cwd=work,
        env=env,
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Haftar’s" in (work / "out" / SEED.name).read_text(encoding="utf-8")
