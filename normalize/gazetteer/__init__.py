"""Gazetteer files: the model of entities and spellings (model.py), how
organisation names expand by word synonyms and word order (synonyms.py), and
loading the files with precise ``file:line`` errors (loading.py), and where
the files are (files.py)."""

from .files import (
    USER_GAZETTEER_FILE,
    default_gazetteer_dir,
    gazetteer_digest,
    gazetteer_files,
    gazetteer_roots,
    user_gazetteer_dir,
)
from .model import (
    ENTITY_TYPES,
    Entity,
    Form,
    Gazetteer,
    GazetteerError,
    Kept,
    Problem,
    Spelling,
    Synonym,
    iter_spellings,
)

__all__ = [
    "ENTITY_TYPES",
    "USER_GAZETTEER_FILE",
    "Entity",
    "Form",
    "Gazetteer",
    "GazetteerError",
    "Kept",
    "Problem",
    "Spelling",
    "Synonym",
    "default_gazetteer_dir",
    "gazetteer_digest",
    "gazetteer_files",
    "gazetteer_roots",
    "iter_spellings",
    "load_gazetteers",
    "user_gazetteer_dir",
]


def __getattr__(name: str):
    # The loader pulls in the TOML parsers, which a run that finds its
    # compiled gazetteer in the cache never needs (a tenth of its start-up).
    if name == "load_gazetteers":
        from .loading import load_gazetteers

        return load_gazetteers
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
