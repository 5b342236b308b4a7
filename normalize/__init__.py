"""normalize: canonical spellings for names in machine-translated news.

>>> from normalize import normalize_text
>>> normalize_text("Clashes near Sirt between Al-Wefaq and Hafter forces.")
'Clashes near Sirte between GNA and Haftar forces.'
"""

from .batch.exitcodes import ExitCode
from .engine.normalizer import Normalizer, Settings, normalize_text
from .engine.records import Change, Result, ReviewItem
from .gazetteer import Gazetteer, GazetteerError, Problem, default_gazetteer_dir
from .version import __version__

_BATCH = ("RunOptions", "RunSummary", "UsageError", "run")


def __getattr__(name: str):
    # Batch runs pull in file handling a one-line `normalize text` never needs.
    if name in _BATCH:
        from .batch import pipeline

        return getattr(pipeline, name)
    if name == "load_gazetteers":  # (the TOML parsers: not needed with a compiled gazetteer)
        from .gazetteer.loading import load_gazetteers

        return load_gazetteers
    raise AttributeError(f"module 'normalize' has no attribute {name!r}")


__all__ = [
    "Change",
    "ExitCode",
    "Gazetteer",
    "GazetteerError",
    "Normalizer",
    "Problem",
    "Result",
    "ReviewItem",
    "RunOptions",
    "RunSummary",
    "Settings",
    "UsageError",
    "__version__",
    "default_gazetteer_dir",
    "load_gazetteers",
    "normalize_text",
    "run",
]
