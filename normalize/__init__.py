"""normalize: canonical spellings for names in machine-translated news.

>>> from normalize import normalize_text
>>> normalize_text("Clashes near Sirt between Al-Wefaq and Hafter forces.")
'Clashes near Sirte between GNA and Haftar forces.'
"""

__version__ = "0.1.0"  # first: modules below read it

from .gazetteer import Gazetteer, GazetteerError, Problem, default_gazetteer_dir, load_gazetteers
from .normalizer import Normalizer, Settings, normalize_text
from .pipeline import ExitCode, RunOptions, RunSummary, UsageError, run
from .records import Change, Result, ReviewItem

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
    "default_gazetteer_dir",
    "load_gazetteers",
    "normalize_text",
    "run",
]
