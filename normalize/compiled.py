"""The compiled core (`normalize._core`, built from core/ by `pip install`).

Every layer reaches it through this module, so that an install without it
stops at once with what to do, never running a slower engine in silence.
"""

try:
    from ._core import FuzzyChoices, FuzzyScorer, Neighbours, Rows, Words, WordSet, rewritten, splice, translit_key
except ImportError as exc:
    raise ImportError(
        "normalize's compiled core (normalize._core) is missing or broken: reinstall with `pip install .`, "
        f"which builds it (a Rust toolchain is needed): {exc}"
    ) from exc

__all__ = [
    "FuzzyChoices",
    "FuzzyScorer",
    "Neighbours",
    "Rows",
    "WordSet",
    "Words",
    "rewritten",
    "splice",
    "translit_key",
]
