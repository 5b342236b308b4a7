"""Weighted transliteration edit distance between two romanised words.

An edit distance whose costs follow the ways one Arabic name is written in
Latin letters: a substitution romanisation really produces (``q``/``g``/``k``,
``j``/``dj``/``gi``, ``ou``/``u``/``w``, ``kh``/``ch``, ``e``/``i``, a
doubled letter, a dropped vowel) costs a fraction of an arbitrary edit
(1.0), so ``Giofra`` is near ``Jofra`` while a typo such as ``Bengahzi`` (two
letters swapped) stays as far as ordinary edit distance puts it::

    >>> translit_similarity("giofra", "jofra") > 90 > translit_similarity("bengahzi", "benghazi")
    True

Pure functions on lowercase ASCII words (callers fold first).
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("aeiouy")

# Symmetric costs of replacing one spelling of a sound by another.  Each pair
# is a habit of one romanisation or of the Arabic sound behind it.
_PAIRS: dict[tuple[str, str], float] = {}


def _cost(pairs: str, cost: float) -> None:
    for pair in pairs.split():
        a, b = pair.split("/")
        _PAIRS[(a, b)] = _PAIRS[(b, a)] = cost


# vowels: Arabic has three, written with five (and y)
_cost("e/i o/u i/y", 0.2)
_cost("a/e e/y", 0.3)
_cost("a/i a/o a/u e/o e/u i/o i/u o/y u/y a/y", 0.4)
# consonants one Arabic letter is written as
_cost("b/p", 0.3)  # no p in Arabic
_cost("w/v v/f", 0.5)  # no v in Arabic: rare, Italian (Zavia); dearer than w/u
_cost("w/u", 0.3)  # waw as consonant or vowel (Uaddan, Waddan)
_cost("q/g q/k g/k c/q", 0.3)  # qaf: q (standard), g (Libyan speech), k (French)
_cost("c/k", 0.2)
_cost("j/g", 0.3)  # jim: j (English), g (Egyptian, Italian before i/e)
_cost("s/z", 0.4)  # zay written s (Bengasi)
_cost("z/d", 0.6)  # dhal/dad
# two letters for one sound, or one for two
_cost("ou/u oo/u", 0.1)
_cost("ou/w ou/o ee/i ie/y ei/ai ai/ay ei/ay ie/i ey/ay", 0.2)
_cost("aw/au aw/o au/o ow/o uw/u iy/i ay/i ay/e ei/e ai/e ie/e", 0.3)
_cost("dj/j tch/ch", 0.1)
_cost("dj/g gi/j", 0.3)  # French dj, Italian gi (Giofra, Gialo)
_cost("kh/k gh/g dh/d th/t ph/f ck/k sh/ch kh/ch sch/sh", 0.2)
_cost("gh/q ch/k kh/h ch/h sh/s x/ks ch/q", 0.3)  # ch: German/Italian kh or h (Tarchuna)
_cost("dh/z th/z rh/gh gh/r", 0.4)  # French rh for ghayn (Rhadames, Rhat)
_cost("th/s dh/th", 0.5)

# The (left, right) lengths of the pairs: which endings the DP looks up.
_SHAPES = tuple(sorted({(len(a), len(b)) for a, b in _PAIRS}))

DOUBLED = 0.2  # a letter written twice or once (Wazzin, Wazin)
VOWEL = 0.5  # a vowel written or dropped (Tmassah, Tamassah)
FINAL_H = 0.2  # ta marbuta: a final h after a vowel (Sabhah, Sabha)
LETTER_H = 0.8  # any other h
PUNCT = 0.2  # an apostrophe or hyphen inside the word (Asabi'a)
OTHER = 1.0  # any other letter added, dropped or replaced


def cost_table() -> tuple[list[tuple[str, str, float]], str, tuple[float, float, float, float, float, float]]:
    """The costs above as the compiled core's `FuzzyScorer` takes them: the
    pairs, the vowels, and the costs of a doubled letter, a vowel, a final
    h, another h, a punctuation mark and any other letter."""
    pairs = [(a, b, cost) for (a, b), cost in _PAIRS.items()]
    return pairs, "".join(sorted(VOWELS)), (DOUBLED, VOWEL, FINAL_H, LETTER_H, PUNCT, OTHER)


def _indel(s: str, k: int) -> float:
    """Cost of writing or dropping s[k]."""
    c = s[k]
    if k and s[k - 1] == c:
        return DOUBLED
    if c in VOWELS:
        return VOWEL
    if c in "'-":
        return PUNCT
    if c == "h":
        return FINAL_H if k == len(s) - 1 and k and s[k - 1] in VOWELS else LETTER_H
    return OTHER


@lru_cache(maxsize=262144)
def translit_distance(a: str, b: str, limit: float = float("inf")) -> float:
    """Cheapest sum of edit costs turning `a` into `b` (0 when equal);
    infinity as soon as it is sure to exceed `limit`.

    >>> translit_distance("qatrun", "gatroun")
    0.4
    """
    la, lb = len(a), len(b)
    inf = float("inf")
    d = [[inf] * (lb + 1) for _ in range(la + 1)]
    d[0][0] = 0.0
    for i in range(la + 1):
        row = d[i]
        for j in range(lb + 1):
            if not (i or j):
                continue
            best = inf
            if i:
                best = d[i - 1][j] + _indel(a, i - 1)
            if j:
                best = min(best, row[j - 1] + _indel(b, j - 1))
            if i and j:
                x, y = a[i - 1], b[j - 1]
                best = min(best, d[i - 1][j - 1] + (0.0 if x == y else _PAIRS.get((x, y), OTHER)))
            for p, q in _SHAPES:
                if p <= i and q <= j and (p > 1 or q > 1):
                    cost = _PAIRS.get((a[i - p : i], b[j - q : j]))
                    if cost is not None:
                        best = min(best, d[i - p][j - q] + cost)
            row[j] = best
        if min(row) > limit:
            return inf  # every way on passes through this row
    return round(d[la][lb], 6)


def translit_similarity(a: str, b: str, score_cutoff: float = 0.0) -> float:
    """`translit_distance` as a score from 0 to 100 (100: the same word):
    the distance per letter (of the two words' mean length), so one
    arbitrary edit between eight-letter words gives 87.5 and one
    romanisation habit 96 or more.  A score below `score_cutoff` is 0 (and
    costs less to find).

    >>> translit_similarity("haftar", "haftar"), translit_similarity("jufra", "jofra")
    (100.0, 96.0)
    """
    length = (len(a) + len(b)) / 2
    if not length:
        return 100.0
    limit = length * (1.0 - score_cutoff / 100.0) + 1e-9 if score_cutoff > 0 else float("inf")
    score = round(max(0.0, 100.0 * (1.0 - translit_distance(a, b, limit) / length)), 1)
    return score if score >= score_cutoff else 0.0
