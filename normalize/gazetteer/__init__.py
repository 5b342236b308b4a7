"""Gazetteer files: the model of entities and spellings (model.py), how
organisation names expand by word synonyms and word order (synonyms.py), and
loading the files with precise ``file:line`` errors (loading.py)."""

from .loading import (
    USER_GAZETTEER_FILE,
    default_gazetteer_dir,
    gazetteer_digest,
    gazetteer_files,
    gazetteer_roots,
    load_gazetteers,
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
