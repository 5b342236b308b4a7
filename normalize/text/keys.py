"""Folding and transliteration keys: pure functions on single words.

Folding removes differences that never distinguish two names (accents,
apostrophe and dash styles).  The transliteration key goes further and
collapses the many ways one Arabic name is written in Latin letters, so that
spellings nobody listed still find their entity::

    >>> translit_key("Hifter") == translit_key("Haftar")
    True
"""

from __future__ import annotations

import re
import unicodedata

from ..compiled import translit_key as _core_key
from .memo import word_memo

APOSTROPHES = "'’‘ʼʻ`´"
HYPHENS = "-‐‑"

# Letters that have no decomposition under NFKD but a plain ASCII reading.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        **{c: "'" for c in APOSTROPHES},
        **{c: "" for c in "\u00ad\u200b\u200c\u200d\u2060"},  # invisible inside words
        **{c: "-" for c in HYPHENS},
    }
)

# Arabic definite article as romanised before a name.  Sun-letter forms
# (ash-, az-, ...) only count when glued with a hyphen, because "as", "at"
# and "an" are English words; al/el also count before a space ("Al Jufra").
ARTICLES_HYPHEN = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "adh",
        "ar",
        "as",
        "ash",
        "at",
        "ath",
        "az",
        "an",
        "ed",
        "er",
        "es",
        "esh",
        "et",
        "ez",
        "en",
        "ech",
    }
)
ARTICLES_SPACE = frozenset({"al", "el"})
# Every spelling of the article, glued either way (lowercase).
ARTICLES = ARTICLES_HYPHEN | ARTICLES_SPACE


@word_memo(maxsize=65536)
def fold(word: str) -> str:
    """Remove accents and unify apostrophes and dashes; keep case.

    >>> fold("Misrātah’s")
    "Misratah's"
    """
    if word.isascii():  # (NFKD leaves ASCII as it is, with no combining marks)
        return word.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", word.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_article(word: str, glue: str) -> bool:
    """True when `word` followed by `glue` ("-" or " ") is an Arabic article.

    >>> is_article("Al", "-"), is_article("as", " ")
    (True, False)
    """
    low = fold(word).lower()
    if glue == "-":
        return low in ARTICLES_HYPHEN
    return low in ARTICLES_SPACE


# Ordered rewrite rules for the key; each collapses spellings of one Arabic
# sound or one orthographic habit (French "ou", English "ee", final ta
# marbuta "-ah").  Applied to lowercase ASCII.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"[^a-z]", ""),
        (r"^ou(?=[aeiy])", "w"),
        (r"ou", "u"),
        (r"dj", "j"),
        (r"tch", "ch"),
        (r"kh", "k"),
        (r"gh", "g"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"(?:sh|ch|sch)", "s"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"[qgc]", "k"),
        (r"p", "b"),
        (r"v", "f"),
        (r"x", "ks"),
        (r"(?<=[aeiouy])h$", ""),
        (r"(?<=[^aeiouy])h", ""),
        (r"(.)\1+", r"\1"),
    )
)


@word_memo(maxsize=65536)
def translit_key(word: str) -> str:
    """Consonant skeleton of a romanised Arabic word, uppercase.

    An initial vowel is kept as ``A`` (Ajdabiya, Ejdabia); other vowels and
    ``y`` between consonants are dropped.  Worked out by the compiled core;
    `translit_key_spec` is what it must give::

        >>> translit_key("Tarhounah"), translit_key("Tharouna")
        ('TRN', 'TRN')
    """
    lowered = fold(word).lower()
    if not lowered.isascii():  # the key reads a-z alone; a lone surrogate could not reach the core
        lowered = lowered.encode("ascii", "ignore").decode("ascii")
    return _core_key(lowered)


def translit_key_spec(word: str) -> str:
    """`translit_key` as the rules say it, in Python: the specification the
    core is tested against (tests/test_core.py).

    >>> translit_key_spec("Ejdabia") == translit_key("Ajdabiya") == "AJDB"
    True
    """
    s = fold(word).lower()
    for pattern, repl in _KEY_RULES:
        s = pattern.sub(repl, s)
    if not s:
        return ""
    head, tail = s[0], s[1:]
    if head in "aeiou" or (head == "y" and tail[:1] in ("", *"bcdfghjklmnpqrstvwxz")):
        head = "a"
    tail = re.sub(r"[aeiouy]", "", tail)
    return re.sub(r"(.)\1+", r"\1", head + tail).upper()


def key_deletions(key: str) -> set[str]:
    """The key and every key one letter shorter: two keys share one of these
    when they are at most a deletion apart on each side (one letter added,
    dropped or changed), which is how fuzzy candidates are found.

    >>> sorted(key_deletions("TRN"))
    ['RN', 'TN', 'TR', 'TRN']
    """
    return {key} | {key[:k] + key[k + 1 :] for k in range(len(key))}
