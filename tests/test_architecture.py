"""The package's folders are its layers, and each imports only from those below it.

The contract is in pyproject.toml ([tool.importlinter]); `lint-imports` checks
it from the real import graph, lazy imports inside functions included.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT

LAYERS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"][0]["layers"]


def test_every_layer_imports_only_the_layers_below_it():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_every_subpackage_is_a_layer_of_the_contract():
    folders = {p.parent.name for p in (ROOT / "normalize").glob("*/__init__.py")}
    assert {f"normalize.{f}" for f in folders} == set(LAYERS)


def test_the_package_top_holds_at_most_ten_modules():
    assert len(list((ROOT / "normalize").glob("*.py"))) <= 10
