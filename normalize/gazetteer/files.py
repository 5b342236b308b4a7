"""Where gazetteer files are: the shipped folder, your own, and the files
under a folder; and the hash that says whether a compiled gazetteer is still
current.  No parsing here: a run that finds its compiled gazetteer in the
cache checks it with these alone, without importing the TOML parsers.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

USER_GAZETTEER_FILE = "user.toml"


def default_gazetteer_dir() -> Path:
    """The shipped gazetteers: inside the installed package, else the checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "gazetteers"  # the wheel puts them here; a checkout links to the top
    if installed.is_dir():
        return installed.resolve()
    return package.parent / "gazetteers"


def user_gazetteer_dir(env: Mapping[str, str] | None = None) -> Path:
    """Your own gazetteers, loaded with the shipped ones when the folder exists:
    ``$NORMALIZE_GAZETTEER_DIR``, else ``$XDG_DATA_HOME/normalize/gazetteers``,
    else ``~/.local/share/normalize/gazetteers``.  Outside the package, so an
    upgrade never erases what you added.

    >>> user_gazetteer_dir({"XDG_DATA_HOME": "/data"})
    PosixPath('/data/normalize/gazetteers')
    """
    env = os.environ if env is None else env
    if env.get("NORMALIZE_GAZETTEER_DIR"):
        return Path(env["NORMALIZE_GAZETTEER_DIR"])
    data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return data / "normalize" / "gazetteers"


def gazetteer_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``*.toml`` file named or found (recursively) under `paths`, once each."""
    files: dict[Path, Path] = {}
    for path in paths:
        for file in sorted(path.rglob("*.toml")) if path.is_dir() else [path]:
            files.setdefault(file.resolve(), file)
    return list(files.values())


def gazetteer_roots(paths: Iterable[str | Path] = (), include_default: bool = True) -> list[Path]:
    """The files and folders a gazetteer is loaded from: the shipped folder
    and, when it exists, your `user_gazetteer_dir` (the defaults), then `paths`.

    >>> gazetteer_roots(["mine.toml"], include_default=False)
    [PosixPath('mine.toml')]
    """
    user = user_gazetteer_dir()
    defaults = [default_gazetteer_dir(), *([user] if user.is_dir() else [])] if include_default else []
    return defaults + [Path(p) for p in paths]


def gazetteer_digest(files: Iterable[Path], replaced: Mapping[Path, str] | None = None) -> str:
    """A hash of the files' names and bytes: what decides a compiled gazetteer.

    Cheap next to parsing, so a cache can be checked before anything is loaded.
    """
    digest = hashlib.sha256()
    for path in files:
        override = (replaced or {}).get(path.resolve())
        try:
            digest.update(str(path).encode("utf-8", "surrogateescape"))
            digest.update(path.read_bytes() if override is None else override.encode("utf-8"))
        except OSError:
            digest.update(b"\0unreadable")  # the loader reports it
    return digest.hexdigest()
