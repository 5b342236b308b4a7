"""An existing English translation checked against its original.

The names the Arabic original holds (found through the gazetteer's Arabic
forms) confirm, or correct, which entity an English spelling means: Jufra
and Jafara share a transliteration key, but الجفرة and الجفارة do not.

    >>> from normalize import Normalizer
    >>> n = Normalizer.load()
    >>> clean_with_original(n, "Troops reached Jufara.", "وصلت القوات إلى الجفارة.").text
    'Troops reached Jafara.'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..batch.corpus import InputError, read_text
from ..engine.normalizer import Normalizer
from ..engine.records import Result
from .protect import ArabicNames
from .segment import segment
from .text import clean_source


def named_entities(names: ArabicNames, original: str) -> set[str]:
    """Ids of the gazetteer entities the original names."""
    return {found.target.entity for s in segment(original) for found in names.find(clean_source(s.text))}


def clean_with_original(
    normalizer: Normalizer, english: str, original: str, *, name: str | None = None, names: ArabicNames | None = None
) -> Result:
    """Clean `english`, letting the names of `original` decide between look-alikes."""
    names = names or ArabicNames.build(normalizer.gazetteer)
    return normalizer.normalize(english, name=name, confirmed=named_entities(names, original))


class PairedCleaner:
    """For ``normalize run --originals DIR``: each English file is cleaned
    with its original, found by `find_original` (None: cleaned alone)."""

    def __init__(self, normalizer: Normalizer, find_original: Callable[[str], Path | None]):
        self.normalizer = normalizer
        self.find_original = find_original
        self.names = ArabicNames.build(normalizer.gazetteer)

    def normalize(self, text: str, *, name: str | None = None) -> Result:
        original = self.find_original(name or "")
        if original is None:
            return self.normalizer.normalize(text, name=name)
        try:
            source = read_text(original)
        except InputError as exc:
            raise InputError(f"its original {original}: {exc}") from None
        return clean_with_original(self.normalizer, text, source, name=name, names=self.names)


def originals_by_name(folder: Path) -> Callable[[str], Path | None]:
    """Find an original in `folder` by file name: ``x.txt`` or ``x.en.txt``
    pairs with ``x.ar.txt`` (any language code) or ``x.txt``."""
    by_name = {p.name: p for p in sorted(folder.rglob("*")) if p.is_file()}

    def find(display: str) -> Path | None:
        file = Path(display).name
        stem = file.split(".")[0]
        if file in by_name and by_name[file].resolve() != Path(display).resolve():
            return by_name[file]
        matches = [p for n, p in by_name.items() if n.split(".")[0] == stem and n != file]
        return matches[0] if len(matches) == 1 else None

    return find
