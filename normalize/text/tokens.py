"""Splitting text into word tokens with their character offsets.

A token is a run of letters and digits, with apostrophes allowed between
letters (``Mu'ammar``).  A trailing possessive (``’s``) is not part of the
token, so ``Hafter’s`` yields ``Hafter`` and the ``’s`` is left in place::

    >>> [t.text for t in tokenize("Hafter’s pro-GNA forces")]
    ['Hafter', 'pro', 'GNA', 'forces']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .keys import APOSTROPHES, HYPHENS, fold, is_article
from .memo import word_memo
from .words import english_words

# Combining marks (decomposed accents, Arabic harakat), soft hyphens and
# zero-width characters do not end a word: "Misra\u0304ta" is one word.
_IN_WORD = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670\u00ad\u200b-\u200d\u2060"
)
LETTERS = rf"[^\W_](?:[^\W_]|[{_IN_WORD}])*"
# A word as the matcher sees it: letters joined by apostrophes, a possessive
# ending left out by the pattern itself, so a text is split in one pass.
_JOINED = rf"(?:[{APOSTROPHES}](?![sS](?![^\W_])){LETTERS})*"
WORD = re.compile(LETTERS + _JOINED)
# The same words, found only where they start with a character that may be
# uppercase: ASCII capitals and every block with cased letters; callers
# check ``isupper`` and that no word runs on from the left.  The compiled
# core finds these words (`Words.hits`); this pattern is its specification
# (tests/test_core.py).
CAPITALISED_WORD = re.compile(
    "[A-Z\u00c0-\u05ff\u0900-\u1fff\u2070-\u2fff\ua000-\uffff\U00010000-\U0010ffff]"
    rf"(?<=[^\W\d_])(?:[^\W_]|[{_IN_WORD}])*" + _JOINED
)


def starts_word(text: str, start: int) -> bool:
    """Whether the tokenizer starts a word at `start` (not inside a longer word).

    >>> starts_word("McDonald", 2), starts_word("d'Hafter", 2), starts_word("al-Hafter", 3)
    (False, False, True)
    """
    if start == 0 or not is_word_char(text[start - 1]):
        return True
    for m in words_around(text, start):  # rare: a capital inside a run of word characters
        if m.start() >= start:
            return m.start() == start
    return False


def words_around(text: str, at: int) -> Iterator[re.Match[str]]:
    """The words the tokenizer finds from the start of the run of word
    characters that reaches `at`, onwards: splitting a piece of text alone
    gives the same words as splitting all of it.

    >>> [m.group() for m in words_around("x d'Hafter y", 5)][:1]
    ["d'Hafter"]
    """
    lo = at
    while lo and is_word_char(text[lo - 1]):
        lo -= 1
    return WORD.finditer(text, lo)


def glued_word_before(text: str, at: int) -> tuple[int, int] | None:
    """Where the word joined to a word starting at `at` as inside a name
    (`gap_glue`) starts and ends, if there is one.

    >>> glued_word_before("forces of Khalid Haftar", 17), glued_word_before("(Haftar)", 1)
    ((10, 16), None)
    """
    head = max(0, at - 40)
    before = _GAP_AND_RUN.match(text[head:at][::-1])  # read backwards
    if before is None:
        return None
    gap = at - before.start(1)
    lo = at - before.end()
    while lo == head and lo and is_word_char(text[lo - 1]):  # a very long run
        lo -= 1
        head = lo
    if text[lo:gap].isalnum():  # a plain word (most): the run is the word
        return lo, gap
    last = None
    for match in WORD.finditer(text, lo, gap):
        last = match
    return (last.start(), gap) if last is not None and last.end() == gap else None


def glued_word_after(text: str, at: int) -> tuple[int, int] | None:
    """Where the word joined to a word ending at `at` as inside a name starts
    and ends, if there is one.

    >>> glued_word_after("Khalid Haftar’s men", 6), glued_word_after("Khalid Haftar’s men", 13)
    ((7, 13), None)
    """
    match = GLUED_WORD.match(text, at)
    if match is None or gap_glue(text[at : match.start(1)]) is None:
        return None
    return match.span(1)


def is_word_char(c: str) -> bool:
    """A letter, digit, apostrophe or in-word mark: something a word may hold."""
    if c.isascii():
        return c.isalnum() or c in "'`"
    return c.isalnum() or c in APOSTROPHES or bool(_IN_WORD_CHARS.match(c))


_IN_WORD_CHARS = re.compile(f"[{_IN_WORD}]")
# A name gap (`_NAME_GAP`, not empty) and the run of characters `is_word_char`
# accepts before it, matched backwards (on a reversed piece of text).
_GAP_AND_RUN = re.compile(
    rf"(?:[{HYPHENS}]|[ \t\u00a0]+(?:\n\r|\n|\r)?[ \t\u00a0]*|(?:\n\r|\n|\r)[ \t\u00a0]*)"
    rf"((?:[^\W_]|[{APOSTROPHES}{_IN_WORD}])+)"
)
# What may stand between two words of one name: spaces with at most one line
# break (a name wrapped across lines), or a single hyphen (Bani-Walid).
_NAME_GAP = re.compile(rf"[ \t\u00a0]*(?:\r\n|\n|\r)?[ \t\u00a0]*|[{HYPHENS}]")
# A word after such a gap (group 1): the next word of a name, if any.
GLUED_WORD = re.compile(rf"(?:[ \t\u00a0]*(?:\r\n|\n|\r)?[ \t\u00a0]*|[{HYPHENS}])({WORD.pattern})")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Word tokens of `text`, possessive endings left out.

    >>> [t.text for t in tokenize("Haftar’s men in Ra's Lanuf")]
    ['Haftar', 'men', 'in', 'Ra', 'Lanuf']
    """
    tokens: list[Token] = []
    for m in WORD.finditer(text):
        start, word = m.start(), m.group()
        # WORD stops before a possessive ending; its "s" is not a word
        if word in ("s", "S") and tokens and tokens[-1].end == start - 1 and text[start - 1] in APOSTROPHES:
            continue
        tokens.append(Token(start, m.end(), word))
    return tokens


def name_gap(text: str, left: Token, right: Token) -> str | None:
    """The glue between two tokens if they can belong to one name, else None.

    Returns ``"-"`` for a hyphen and ``" "`` for white space.

    >>> t = tokenize("Bani-Walid, Sirte")
    >>> name_gap("Bani-Walid, Sirte", t[0], t[1]), name_gap("Bani-Walid, Sirte", t[1], t[2])
    ('-', None)
    """
    return gap_glue(text[left.end : right.start])


@lru_cache(maxsize=4096)
def gap_glue(gap: str) -> str | None:
    """``"-"`` or ``" "`` if `gap` may stand between two words of one name, else None."""
    if not gap or not _NAME_GAP.fullmatch(gap):
        return None
    return "-" if gap in HYPHENS else " "


def is_capitalised(word: str) -> bool:
    """Starts with an uppercase letter (``Sirte``, ``GNA``, not ``after``)."""
    return word[:1].isupper()


@word_memo(maxsize=65536)
def is_all_caps(word: str) -> bool:
    """Two or more letters, all uppercase (``HAFTER``; ``GNA`` too)."""
    if word.isascii() and not word.isupper():  # (in ASCII, a letter is cased: a lowercase one, or none)
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def fold_words(text: str, tokens: list[Token]) -> list[str]:
    """Folded tokens, with every glued article written ``al``.

    ``al-``, ``Al-``, ``El-`` and ``ash-`` spell one article, so a name matches
    whichever the writer used, at its start or inside it.

    >>> fold_words("Fayez El-Sarrāj", tokenize("Fayez El-Sarrāj"))
    ['Fayez', 'al', 'Sarraj']
    """
    words = []
    for k, token in enumerate(tokens):
        glue = name_gap(text, token, tokens[k + 1]) if k + 1 < len(tokens) else None
        words.append("al" if glue and is_article(token.text, glue) else fold(token.text))
    return words


def name_tuples(spelling: str) -> list[tuple[str, ...]]:
    """The folded word tuples under which a gazetteer spelling is matched.

    The full spelling always; also without its leading article, so that
    ``Al-Jafra`` in a text finds a variant listed as ``Jafra`` and the other
    way round, unless the name left is one English word: ``El Hums`` is
    Khoms, a bare ``Hums`` is the English word.

    >>> name_tuples("Al-Jafra"), name_tuples("El Hums")
    ([('al', 'Jafra'), ('Jafra',)], [('al', 'Hums')])
    """
    full = tuple(fold_words(spelling, tokenize(spelling)))
    if len(full) < 2 or full[0] != "al" or (len(full) == 2 and full[1].lower() in english_words()):
        return [full]
    return [full, full[1:]]


def case_key(spelling: str) -> tuple[str, ...]:
    """What is left of a spelling when case is ignored too: its matched words
    (accents, apostrophes, hyphens and a leading article folded), lowercased.
    Two spellings with one key differ only in case: the matcher does not
    tell them apart.

    >>> case_key("Khalifa HAFTAR") == case_key("Khalifa Haftar"), case_key("Al-SIRT") == case_key("Sirt")
    (True, True)
    """
    # lower(), as the matcher lowers what it compares; casefold() would also
    # join spellings it tells apart ("ẞ" and "SS")
    return tuple(word.lower() for word in name_tuples(spelling)[-1])


@lru_cache(maxsize=4096)
def without_article(name: str) -> str:
    """`name` without a leading glued article.

    >>> without_article("Al-Jafra"), without_article("Al Bayda"), without_article("Alamein")
    ('Jafra', 'Bayda', 'Alamein')
    """
    tokens = tokenize(name)
    if len(tokens) > 1:
        glue = name_gap(name, tokens[0], tokens[1])
        if glue and is_article(tokens[0].text, glue):
            return name[tokens[1].start :]
    return name


def spelling_problem(spelling: str) -> str | None:
    """Why `spelling` cannot serve as a name in a gazetteer, or None.

    >>> spelling_problem("al-Wefaq"), spelling_problem("U.N.")
    (None, 'has characters that cannot be part of a name: .')
    """
    if spelling != spelling.strip() or not spelling:
        return "is empty or has leading or trailing spaces"
    tokens = tokenize(spelling)
    covered = "".join(t.text for t in tokens)
    stray = {c for c in spelling if c not in covered and not c.isspace() and c not in HYPHENS}
    if stray:
        return f"has characters that cannot be part of a name: {' '.join(sorted(stray))}"
    if tokens[0].start != 0 or tokens[-1].end != len(spelling):
        return "does not start and end with a letter or digit"
    for left, right in itertools.pairwise(tokens):
        if name_gap(spelling, left, right) is None:
            return f"words must be joined by one space or one hyphen: {spelling[left.end : right.start]!r}"
    head = tokens[0]
    if len(tokens) > 1 and is_article(head.text, name_gap(spelling, head, tokens[1]) or " "):
        head = tokens[1]
    if not is_capitalised(head.text):
        return "must start with a capital letter (after an optional glued article)"
    return None
