"""The compiled core is held to the Python code it stands for.

`normalize._core.Words` finds the capitalised words of a text that may
start a name; the specification is `tokens.CAPITALISED_WORD` with the
scanner's per-word answers (`Scanner.find` before the core).  The cases
below are the hard ones: characters the two languages classify differently
(titlecase letters, circled capitals, Roman numerals, digits of other
scripts), apostrophes and possessives, combining marks inside words.
"""

from functools import lru_cache

from hypothesis import example, given, settings
from hypothesis import strategies as st

from normalize import load_gazetteers
from normalize._core import FuzzyChoices, Neighbours, Words
from normalize.engine.index import Index
from normalize.engine.matcher import _SCORER, near_scores, neighbour_tables
from normalize.engine.scan import _char_class, capitalised_hits
from normalize.text.keys import key_deletions, translit_key
from normalize.text.tokens import CAPITALISED_WORD

PIECES = [
    "Hafter",
    "Sirt",
    "al-",
    "El ",
    "D'",
    "’s",
    "'s",
    "s",
    "S",
    " ",
    "-",
    "\n",
    "3",
    "٣",
    "²",
    "Ⅻ",
    "Ⓐ",
    "ǅ",
    "É",
    "é",
    "Ω",
    "ω",
    "ب",
    "\u0301",
    "\u00ad",
    "\u200d",
    "_",
    "’",
    "‘",
    "ʼ",
    "`",
    "´",
    "x",
    "Q",
]
texts = st.lists(st.sampled_from(PIECES) | st.characters(), max_size=40).map("".join)


def spec(text: str, reach: dict[str, int]) -> list[tuple[int, int, int]]:
    """What the scanner's first pass found before the core."""
    found = []
    for match in CAPITALISED_WORD.finditer(text):
        word = match.group()
        n = reach.get(word, -1) if word[:1].isupper() else 0
        if n:
            found.append((match.start(), match.end(), n))
    return found


def core(text: str, reach: dict[str, int]) -> list[tuple[int, int, int]]:
    words = Words()
    for word, n in reach.items():
        words.learn(word, n)
    return capitalised_hits(words, text)


@settings(max_examples=400, deadline=None)
@given(texts, st.dictionaries(st.sampled_from(["Hafter", "Sirt", "D'Hafter", "É", "Ω", "Q"]), st.integers(0, 3)))
@example("Haftar’s men in D'Sirt", {"Haftar": 1})
@example("ǅemal Ⓐ Ⅻ É3 Ω٣", {})
@example("Misra\u0304ta's", {})
@example("Hafter\udc80Sirt \ud800 Sirt", {"Sirt": 1})
def test_the_core_finds_the_capitalised_words_the_pattern_finds(text, reach):
    assert [(start, end, n) for start, end, _, n in core(text, reach)] == spec(text, reach)


def test_a_character_is_classified_once():
    words = Words()
    assert words.hits("Ωmega") is None
    assert words.unknown_chars("Ωmega ω Ω") == "Ωω"
    words.learn_chars("Ωω", [_char_class("Ω"), _char_class("ω")])
    assert words.hits("Ωmega") == ([(0, 5, 5, -1)], [])


def test_the_word_table_starts_over_when_full():
    words = Words(max_words=2)
    assert (words.learn("Sirt", 1), words.learn("Hafter", 1), words.learn("Tripoli", 1)) == (False, False, True)
    assert len(words) == 1


def test_without_the_compiled_core_normalize_says_so_instead_of_running_slower():
    import subprocess
    import sys

    blocked = "import sys; sys.modules['normalize._core'] = None; import normalize"
    proc = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "compiled core (normalize._core) is missing or broken: reinstall with `pip install .`" in proc.stderr


def test_a_scanner_sent_to_another_process_learns_its_words_again():
    import pickle

    from normalize import Normalizer
    from normalize.engine.scan import Scanner

    index = Normalizer.load().index
    scanner = Scanner(index)
    text = "Forces loyal to Hafter took al-Sirt."
    before = scanner.find(text)
    copy = pickle.loads(pickle.dumps(scanner))
    assert len(copy._words) == 0 and copy.find(text) == before


def test_a_text_with_words_never_seen_is_planned_in_one_call_that_asks_python_what_they_are():
    from normalize.engine.scan import Scanner

    scanner = Scanner(shipped_scanner().index)
    words = scanner._prepared()
    asked = []

    def teach(new, missing):
        asked.append((new, missing))
        return scanner._teach(new, missing)

    found, new_chars = words.plan("Forces of Hafter. Then Zorblat left.", teach)
    assert found is not None and not new_chars
    assert asked == [(["Forces", "Hafter", "Then", "Zorblat"], [])]
    assert sorted(words.learnt()[0]) == ["Forces", "Hafter", "Then", "Zorblat"]
    assert words.plan("Zorblat and Hafter.", teach)[0] is not None and len(asked) == 1  # nothing new


def test_an_error_in_what_python_says_of_new_words_reaches_the_caller():
    import pytest

    def teach(new, missing):
        raise RuntimeError("no answer")

    words = shipped_scanner()._prepared()
    with pytest.raises(RuntimeError, match="no answer"):
        words.plan("Zorblatnik spoke.", teach)


SHIPPED_WORDS: list[str] = []


@lru_cache(maxsize=1)
def shipped_scanner():
    from normalize import Normalizer
    from normalize.engine.scan import Scanner

    return Scanner(Normalizer.load().index)


def shipped_words() -> list[str]:
    """Words of the shipped names, as written, and a few that continue none."""
    if not SHIPPED_WORDS:
        from normalize import load_gazetteers
        from normalize.gazetteer import iter_spellings

        for entity in load_gazetteers().entities:
            for _, spelling in iter_spellings(entity):
                SHIPPED_WORDS.extend(spelling.text.replace("-", " ").split())
        SHIPPED_WORDS.extend(["the", "and", "AL", "al", "El", "OF", "Unity", "forces"])
    return sorted(set(SHIPPED_WORDS))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from([" ", "-", "\n", " \n ", ", ", "\u2010"])),
        min_size=1,
        max_size=8,
    )
)
def test_the_core_widens_a_window_over_the_words_that_continue_a_name_as_python_does(pieces):
    from normalize.engine.scan import _GAP_STARTS

    vocabulary = shipped_words()
    text = "".join(vocabulary[i % len(vocabulary)] + gap for i, gap in pieces)
    scanner = shipped_scanner()
    for _ in range(3):  # every word learnt: the core is told of new words as it meets them
        scanner.find(text)
    for at, hi, far, n in scanner.hits(text):
        word = text[at:hi]
        python = scanner._extent(text, hi, word, n) if n > 1 and text[hi : hi + 1] in _GAP_STARTS else hi
        assert far == python, (word, text)


KEY_PIECES = ["ou", "dj", "tch", "kh", "gh", "dh", "th", "sh", "ch", "sch", "ph", "ck", "h", "y", "x", "q", "a", "e"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(KEY_PIECES) | st.characters(), max_size=12).map("".join))
@example("Tarhounah")
@example("Ouadi Hhh yb Y")
@example("Shhh schach")
@example("Haf\udc80ter")
def test_the_cores_transliteration_key_is_the_one_the_rules_give(word):
    from normalize.text.keys import translit_key, translit_key_spec

    assert translit_key(word) == translit_key_spec(word)


@lru_cache(maxsize=1)
def _shipped_english_words() -> frozenset[str]:
    from normalize.text.words import english_word_list

    return frozenset(english_word_list())


@settings(max_examples=300)
@given(st.one_of(st.sampled_from(sorted(_shipped_english_words())), st.text(alphabet="abcdehrstz'é-", max_size=8)))
def test_the_cores_word_set_holds_exactly_the_english_words(word):
    from normalize.text.words import english_words

    assert (word in english_words()) == (word in _shipped_english_words())
    assert len(english_words()) == len(_shipped_english_words())


@st.composite
def _texts_and_edits(draw):
    text = draw(st.text(alphabet=st.sampled_from(["a", "S", " ", "é", "ي", "😀", "\n", "\u0301", "-"]), max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    spans = list(zip(cuts[::2], cuts[1::2], strict=False))
    news = draw(st.lists(st.text(alphabet="Sirteé😀 ", max_size=6), min_size=len(spans), max_size=len(spans)))
    return text, [(s, e, new) for (s, e), new in zip(spans, news, strict=True)]


@given(_texts_and_edits())
def test_the_cores_splice_makes_the_clean_text_the_python_splicer_makes(case):
    from normalize._core import splice
    from normalize.engine.rewrite import _spliced

    text, edits = case
    assert splice(text, edits) == _spliced(text, edits)[0]


# Pieces of romanised words: every kind of cost `translit_distance` knows.
SOUNDS = ["ou", "oo", "dj", "gi", "tch", "kh", "gh", "dh", "th", "sh", "ch", "ck", "ph", "aw", "ay", "ei", "ie"]
SOUNDS += [*"aeiouyhqgkjcbpwvfszdtrnml'-", "é", "ß", "ب"]
romanised = st.lists(st.sampled_from(SOUNDS), max_size=7).map("".join)


@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[str, ...]:
    return shipped_scanner().index.fuzzy_choices


@settings(max_examples=600, deadline=None)
@given(
    romanised,
    st.lists(romanised | st.sampled_from(_fuzzy_choices()) | st.text(max_size=6), max_size=6),
    st.sampled_from([0.0, 60.0, 75.0, 80.0, 85.0]) | st.floats(0, 100),
)
@example("tarchuna", ["tarhuna", "tarhounah", ""], 80.0)
@example("", [""], 0.0)
@example("giofra", ["jofra", "gheniwa"], 80.0)
def test_the_cores_fuzzy_scores_are_pythons_float_for_float(query, spellings, floor):
    from normalize.engine.matcher import fuzzy_score, fuzzy_scores

    assert fuzzy_scores(query, spellings, floor) == [fuzzy_score(query, s, floor) for s in spellings]


@settings(max_examples=400, deadline=None)
@given(romanised, romanised, st.sampled_from([0.0, 50.0, 90.0]) | st.floats(0, 100))
def test_the_cores_transliteration_similarity_is_pythons(a, b, cutoff):
    from normalize.engine.matcher import _SCORER
    from normalize.text.translit_distance import translit_similarity

    assert _SCORER.similarity_of(a, b, cutoff) == translit_similarity(a, b, cutoff)


def test_a_query_the_core_cannot_read_is_scored_by_python():
    from normalize.engine.matcher import fuzzy_score, fuzzy_scores

    assert fuzzy_scores("haf\udc80tar", ["haftar"]) == [fuzzy_score("haf\udc80tar", "haftar")]


def test_only_the_text_planned_last_is_planned_again_and_only_once():
    scanner = shipped_scanner()
    words = scanner._prepared()
    text, other = "Forces of Hafter left Sirt.", "Forces of Hafter left Tripoli."
    assert words.plan(text, scanner._teach)[0] is not None
    assert words.replan(text) is not None
    assert words.replan(text) is None  # planned again already
    assert words.plan(text, scanner._teach)[0] is not None
    assert words.replan(other) is None  # not the text planned last


def test_a_text_planned_last_is_held_so_another_string_cannot_take_its_place():
    import sys

    scanner = shipped_scanner()
    words = scanner._prepared()
    text = "".join(["Forces of Hafter ", "left Sirt."])  # (a string only this test refers to)
    held = sys.getrefcount(text)
    words.plan(text, scanner._teach)
    assert sys.getrefcount(text) == held + 1
    assert words.replan("".join(["Forces of Hafter ", "left Sirt."])) is None  # equal, but another string
    assert sys.getrefcount(text) == held  # let go once asked


def _shipped_spellings() -> list[tuple[str, ...]]:
    index = Index.build(load_gazetteers())
    return [*index.exact, *index.upper, *index.keys]


def test_the_cores_neighbours_are_the_words_next_to_each_word_in_the_spellings():
    spellings = _shipped_spellings()
    before, after = neighbour_tables(spellings)
    core = Neighbours(iter(spellings))
    for side, table in ((0, before), (1, after)):
        for word, near in table.items():
            assert core.near(side, (word,)) == near
    some = ("Haftar", "HAFTAR", "Government", "al", "of")
    expected = frozenset().union(*(after.get(w, ()) for w in some))
    assert core.near(1, some) == expected


NAME_WORDS = ["Khalifa", "Haftar", "al", "Sirte", "of", "Khalid"]


@given(st.lists(st.lists(st.sampled_from(NAME_WORDS), max_size=4).map(tuple), max_size=6))
def test_the_cores_neighbours_of_any_spellings_are_their_specifications(spellings):
    core = Neighbours(spellings)
    before, after = neighbour_tables(spellings)
    for word in NAME_WORDS:
        assert core.near(0, (word,)) == before.get(word, set())
        assert core.near(1, (word,)) == after.get(word, set())


def test_a_word_no_spelling_has_and_a_lone_surrogate_have_no_neighbours():
    core = Neighbours([("Khalifa", "Haftar")])
    assert core.near(0, ("x\ud800", "Nowhere")) == frozenset()
    assert core.near(0, ("x\ud800", "Haftar")) == {"Khalifa"}


@lru_cache(maxsize=1)
def _shipped_index() -> Index:
    return Index.build(load_gazetteers())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouyhbdfgjklmnqrstwz'-é", min_size=1, max_size=14))
@example("tarchuna")
@example("giofra")
@example("a" * 70)
def test_the_cores_fuzzy_neighbours_and_scores_are_their_specifications(query):
    index = _shipped_index()
    floor = 80.0
    buckets = [index.fuzzy_buckets.get(key, ()) for key in key_deletions(translit_key(query))]
    core = FuzzyChoices(list(index.fuzzy_choices)).near(_SCORER, query, buckets, floor)
    assert core == near_scores(query, index, floor)
