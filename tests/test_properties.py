"""Invariants over arbitrary text (hypothesis)."""

from conftest import MINI
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import Normalizer

NORMALIZER = Normalizer.load([MINI], include_default=False)
SHIPPED = Normalizer.load()

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


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_handled(text):
    result = NORMALIZER.normalize(text)
    assert isinstance(result.text, str)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\r\n é", max_size=40), st.lists(st.integers(0, 40), max_size=6))
def test_positions_agree_with_counting_from_the_start(text, offsets):
    import re

    from normalize.positions import Positions

    positions = Positions(text)
    for offset in [min(o, len(text)) for o in offsets]:  # rising or not
        starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text) if m.end() <= offset]
        assert positions.line_column(offset) == (len(starts), offset - starts[-1] + 1)
        assert positions.byte_offset(offset) == len(text[:offset].encode())
