"""Source text preparation: Unicode clean-up and Arabic normalisation (pure).

Machine-translation models see text the way their training preprocessing
left it.  OPUS-MT's preprocessing (Moses' remove-non-printing-char) turns
every control and format character into a space, so RLM, ZWNJ and their
like never reach the model; we do the same::

    >>> clean_source("قال\\u200f  حفتر")
    'قال حفتر'
    >>> normalize_arabic("أحمد الْمِسْمارِي")
    'احمد المسماري'
"""

from __future__ import annotations

import re
import unicodedata

from ..text.script import ARABIC_LETTERS, HARAKAT

_SPACES = re.compile(r"[^\S\n]+")
_HARAKAT = re.compile(f"[{HARAKAT}]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ی": "ي",
        "\u0640": None,  # tatweel
    }
)
_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def clean_source(text: str) -> str:
    """Control and format characters become spaces; runs of spaces shrink to one.

    Line breaks are kept (paragraphs are segmented before this is applied
    to each sentence).
    """
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n":
            out.append(char)
        elif category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(char)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", "".join(out))).strip(" ")


def normalize_arabic(text: str) -> str:
    """Fold the spellings of one Arabic word: hamza and alef forms, ta marbuta,
    alef maqsura, diacritics and tatweel.  Used to find names, never to
    change what the model reads."""
    return _HARAKAT.sub("", unicodedata.normalize("NFKC", text)).translate(_ARABIC_FOLD)


def script_of(text: str) -> str:
    """``"arabic"`` or ``"latin"`` (whichever has more letters), or ``"unknown"``.

    >>> script_of("قوات حفتر"), script_of("Hafter forces"), script_of("2020")
    ('arabic', 'latin', 'unknown')
    """
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return "unknown"
    return "arabic" if arabic >= latin else "latin"
