"""Invariants over arbitrary text (hypothesis)."""

import re

from conftest import MINI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from normalize import Normalizer
from normalize.engine.normalizer import Settings
from normalize.text.keys import translit_key
from normalize.text.tokens import tokenize

NORMALIZER = Normalizer.load([MINI], include_default=False)
SHIPPED = Normalizer.load()
SHIPPED_REFERENCE = Normalizer.load(settings=Settings(engine="reference"))

NAMES = [
    "Hafter",
    "Heftar",
    "Hifter",
    "Sirt",
    "Al-Jafra",
    "Wefaq",
    "Tarhunah",
    "Beni Walid",
    "Libya",
    "Salih",
    "Trablus",
    "Khalifa Hifter",
    "HAFTER",
    "Bengahzi",
    "Jufara",
    "Misuratta",
    "after",
    "Government of National Accord",
    "Misrata Brigades",
    "Sirte",
]
GLUE = [" ", "  ", "\n", "\r\n", "-", "’s ", "'s ", ", ", ". ", "\ufeff", "é", "(", ")"]
texts = st.lists(st.sampled_from(NAMES) | st.sampled_from(GLUE) | st.text(max_size=8), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(["mini", "shipped"]))
def test_output_equals_input_outside_the_reported_spans(text, which):
    result = (NORMALIZER if which == "mini" else SHIPPED).normalize(text)
    rebuilt, last = [], 0
    for change in result.changes:
        assert text[change.start : change.end] == change.before
        rebuilt.append(text[last : change.start])
        rebuilt.append(change.after)
        last = change.end
    rebuilt.append(text[last:])
    assert "".join(rebuilt) == result.text


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(["mini", "shipped"]))
def test_normalising_twice_changes_nothing(text, which):
    normalizer = NORMALIZER if which == "mini" else SHIPPED
    once = normalizer.normalize(text).text
    assert normalizer.normalize(once).text == once


# Multi-word names from the shipped gazetteers, as the news writes them:
# one word swapped for a listed spelling with the same transliteration key
# (``Khalid Hifter``), or spelled anew the way the key stage tolerates,
# short forms followed by the rest of their full name (``Ghardabia
# Airbase``), capitalised words and given names before them, articles,
# possessives, and sometimes a word that makes the document Libyan.
SPELLINGS = sorted({s.text for e in SHIPPED.gazetteer.entities for f in e.forms for s in (f.canonical, *f.variants)})
MULTI_WORD = [s for s in SPELLINGS if len(tokenize(s)) > 1]
SAME_KEY: dict[str, list[str]] = {}
for _spelling in SPELLINGS:
    if len(tokenize(_spelling)) == 1:
        SAME_KEY.setdefault(translit_key(_spelling), []).append(_spelling)
NAME_WORDS = sorted({t.text for s in MULTI_WORD for t in tokenize(s) if t.text[:1].isupper()})
BEFORE = ["The", "General", "Field Marshal", "Speaker", "Commander", "Mr", "Sheikh", "In", "After", "Forces"]
AFTER = ["Airbase", "Air Base", "Brigade", "Brigades", "Council", "forces", "said", "Airport", "Port"]
ARTICLE = ["al-", "Al-", "El-", "el-", "Al ", "ash-"]
# Spelling habits the key stage reads as one (keys.translit_key).
RESPELL = [
    ("a", "e"), ("e", "i"), ("i", "e"), ("u", "ou"), ("ou", "u"), ("i", "ee"), ("o", "u"), ("a", "ah"),
    ("q", "g"), ("g", "q"), ("k", "kh"), ("kh", "k"), ("d", "dh"), ("t", "th"), ("s", "sh"), ("b", "bb"),
    ("l", "ll"), ("r", "rr"), ("f", "ff"), ("y", "i"), ("ya", "ia"),
]  # fmt: skip


@st.composite
def respelled(draw, word: str) -> str:
    """`word` with one spelling habit changed, if the key stays the same."""
    old, new = draw(st.sampled_from(RESPELL))
    at = word.find(old, 1)
    if at < 0:
        return word
    changed = word[:at] + new + word[at + len(old) :]
    return changed if translit_key(changed) == translit_key(word) else word


@st.composite
def multi_word_name(draw) -> str:
    parts = re.split(r"([ -])", draw(st.sampled_from(MULTI_WORD)))
    words, gaps = parts[0::2], parts[1::2]
    if draw(st.booleans()):  # a shorter piece of the name
        a = draw(st.integers(0, len(words) - 1))
        b = draw(st.integers(a + 1, len(words)))
        words, gaps = words[a:b], gaps[a : b - 1]
    for k, word in enumerate(words):
        how = draw(st.sampled_from(["keep", "same key", "same key", "respell"]))
        if how == "same key" and SAME_KEY.get(translit_key(word)):
            words[k] = draw(st.sampled_from(SAME_KEY[translit_key(word)]))
        elif how == "respell" and word[:1].isupper():
            words[k] = draw(respelled(word))
    name = words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.sampled_from(ARTICLE)) + name
    return name


name_texts = st.tuples(
    st.lists(
        st.tuples(
            st.one_of(
                multi_word_name(),
                multi_word_name(),
                st.sampled_from(SPELLINGS),
                st.sampled_from(BEFORE + NAME_WORDS),
                st.sampled_from(AFTER + NAME_WORDS),
            ),
            st.sampled_from([" ", " ", " ", "-", "’s ", "'s ", ", ", ". ", "\n"]),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["", "", "", " in Libya."]),
).map(lambda parts: "".join(name + gap for name, gap in parts[0]) + parts[1])


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name_texts, st.sampled_from(["scan", "reference"]))
@example("Khalid Hifter", "scan")
@example("Ghardabia Airbase", "scan")
@example("Khalid Hifter", "reference")
@example("Ghardabia Airbase", "reference")
def test_normalising_text_full_of_multi_word_names_twice_changes_nothing(text, engine):
    normalizer = SHIPPED if engine == "scan" else SHIPPED_REFERENCE
    once = normalizer.normalize(text).text
    assert normalizer.normalize(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_handled(text):
    result = NORMALIZER.normalize(text)
    assert isinstance(result.text, str)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\r\n é", max_size=40), st.lists(st.integers(0, 40), max_size=6))
def test_positions_agree_with_counting_from_the_start(text, offsets):
    import re

    from normalize.text.positions import Positions

    positions = Positions(text)
    for offset in [min(o, len(text)) for o in offsets]:  # rising or not
        starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text) if m.end() <= offset]
        assert positions.line_column(offset) == (len(starts), offset - starts[-1] + 1)
        assert positions.byte_offset(offset) == len(text[:offset].encode())
