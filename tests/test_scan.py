"""The scanner finds exactly the mentions the reference matcher finds.

The reference (`matcher.find_mentions` over every word) is the
specification; the scanner looks only at capitalised words and small
windows around them, with caches that live for a run.  These tests feed both
the same texts: generated ones full of the awkward cases (glued articles,
possessives, names wrapped across lines, ALL-CAPS, words glued to other
words, accents and invisible marks), the seed article and the quality set.
"""

from __future__ import annotations

import json

import pytest
from conftest import MINI, ROOT, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import Normalizer
from normalize.engine.ignore import IgnoreList, IgnoreRule
from normalize.engine.normalizer import Settings

NAMES = [
    "Haftar", "Hafter", "Heftar", "HAFTER", "Khalifa", "Khalifa Haftar", "Sirte", "Sirt", "Misrata",
    "Misrata Brigades", "Misurata", "Tarhuna", "Tarhunah", "Tharouna", "Jufra", "Jafra", "Jafara",
    "Government of National Accord", "GNA", "Al-Wefaq", "Wefaq", "Wifaq", "Alwefaq", "Agilah Saleh",
    "Aguila Saleh", "Saleh",
    "Tripoli", "Tripoly", "Benghazi", "Bengazi", "Ajdabiya", "Ejdabia", "Sarraj", "Serraj", "Fayez",
    "Bani Walid", "Beni", "Walid", "Libya", "Libyan", "Misratans", "Surat", "Tirana", "Gharyan",
    "Gheryan", "Zawiya", "Zawia", "Sabha", "Sebha", "Kufra", "Derna", "Darnah", "Tobruk", "Tubruq",
    # unlisted spellings read by their key: applied, a nisba, an ambiguous name, too far to ask about
    "Trablos", "Sirtt", "Benghazy", "Gatrani", "Wefoq", "Trupoli", "Durnou", "Musdei",
    # ... shared by several names (of one type, of two), too far to apply
    "Aghaila", "Mataega", "Zuttun",
]  # fmt: skip
ARTICLES = ["al", "Al", "el", "El", "AL", "ash", "as", "an", "ad"]
WORDS = [
    "the", "The", "forces", "After", "said", "McDonald", "iPhone", "of", "and", "in", "Brigades", "Accord",
    "Ali", "General", "town of", "who", "airport", "Mr.", "“", "(", "bin", "Field Marshal", "Abdul Hamid",
    "Agreement’s", "forces’", "d’al-", "’al-", "city of", "President", "Prime Minister", "Émir", "base",
    "at", "as", "town’s", "HoR’s", "The town's",
]  # fmt: skip
GAPS = [" ", " ", " ", "-", "\n", " \n ", "\r\n", "  ", ", ", ". ", "’s ", "'s ", "’", "'", "\u00ad", "\u0301", ""]


def _piece():
    name = st.sampled_from(NAMES)
    article = st.tuples(st.sampled_from(ARTICLES), st.sampled_from(["-", " ", "‐"]), name).map("".join)
    return st.one_of(name, name, article, st.sampled_from(WORDS), st.text(alphabet="aZé\u0301’'-", max_size=3))


texts = st.lists(st.tuples(_piece(), st.sampled_from(GAPS)), max_size=14).map(
    lambda parts: "".join(p + g for p, g in parts)
)


def _engines(paths, include_default):
    return (
        Normalizer.load(paths, include_default=include_default, settings=Settings(engine="scan")),
        Normalizer.load(paths, include_default=include_default, settings=Settings(engine="reference")),
    )


SHIPPED = _engines([], True)
MINI_ENGINES = _engines([MINI], False)
# rules of every kind: a spelling, a pattern, one only near a word, one only in some files
IGNORE = IgnoreList(
    (
        *IgnoreList.from_entries(["Sirt", "re:Ta[a-z]+"]).rules,
        IgnoreRule(text="Hafter", context="forces"),
        IgnoreRule(text="Jufra", files=("a*",)),  # never here: these texts have no file name
    )
)
IGNORING = tuple(Normalizer.load(settings=Settings(engine=engine), ignore=IGNORE) for engine in ("scan", "reference"))


def _same(engines, text):
    fast, reference = engines
    assert fast.mentions(text) == reference.mentions(text)
    expected = reference.normalize(text)
    # the second time, the compiled core knows the text's words and windows
    # and rewrites the names it settles alone (engine/settled.py)
    assert fast.normalize(text) == expected
    assert fast.normalize(text) == expected


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_scanner_and_reference_find_the_same_mentions(text):
    _same(SHIPPED, text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_scanner_and_reference_agree_on_the_mini_gazetteer(text):
    _same(MINI_ENGINES, text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_scanner_and_reference_agree_with_an_ignore_list(text):
    _same(IGNORING, text)


def test_with_an_ignore_list_the_core_still_settles_the_names_no_rule_can_match():
    fast, reference = IGNORING
    text = "Forces of Hafter held Sirt and Tarhunah. Later that week, the delegation travelled to Misurata for talks."
    fast.normalize(text)  # the first time, the words and windows are learnt
    plan = fast._scanner.plan(text)
    assert [fast._scanner._settled[name].mention.text for *_, name in plan.written] == ["Misurata"]
    assert [m.text for m in plan.mentions] == ["Hafter", "Sirt", "Tarhunah"]  # a rule could match each
    assert fast.normalize(text) == reference.normalize(text)
    assert fast.normalize(text).text == text.replace("Hafter", "Haftar").replace("Misurata", "Misrata")


@pytest.mark.parametrize(
    "text",
    [
        "Forces of Misrata Brigades and Misrata Brigade met in Misrata.",
        "Khalifa\nHafter and al-\u00adSirt",
        "\ufeffHafter",
        "xHafter d’Hafter O'Hafter Hafter’s Hafter'sx HAFTER’S",
        "al-al-Jufra and El Jufrah, AL-JUFRA",
        "Agilah Saleh and Saleh",
        "The Government of National Accord (GNA) and the Government of National",
    ],
)
def test_scanner_and_reference_agree_on_known_traps(text):
    _same(SHIPPED, text)
    _same(MINI_ENGINES, text)


def test_scanner_and_reference_agree_on_the_seed_and_the_quality_set():
    texts = [SEED.read_text(encoding="utf-8")]
    for path in sorted((ROOT / "bench" / "devset").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 100
    for text in texts:
        _same(SHIPPED, text)


def _listed_alone_agrees(index, text):
    from normalize.engine.matcher import Document, find_mentions, listed_alone

    alone = listed_alone(text, index)
    assert alone is None or (alone,) == tuple(find_mentions(Document(text), index)), text
    return alone


def test_a_window_that_is_one_listed_spelling_has_the_mention_the_reference_finds():
    fast, _ = SHIPPED
    index = fast.index
    listed = {" ".join(words) for words in index.exact} | {t.spelling for t in index.exact.values()}
    found = 0
    for spelling in sorted(listed):
        for form in (spelling, spelling.upper(), spelling.replace(" ", "-"), spelling.replace(" ", "\n")):
            found += _listed_alone_agrees(index, form) is not None
    assert found > len(listed)  # (most of them are found so: the shortcut is taken)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_a_window_found_as_one_listed_spelling_is_what_the_reference_finds(text):
    fast, _ = SHIPPED
    _listed_alone_agrees(fast.index, text)
    _listed_alone_agrees(fast.index, text.strip(" -\n\r,.’'"))


def test_a_scanner_reuses_what_it_learned_about_a_window():
    fast, _ = SHIPPED
    first = fast.mentions("Hafter spoke.")
    again = fast.mentions("Later, Hafter left.")
    assert first[0].candidates == again[0].candidates
    assert (again[0].start, again[0].text) == (7, "Hafter")


def test_the_scanners_caches_are_bounded_and_starting_over_changes_nothing():
    from normalize.engine.scan import Scanner

    fast, reference = SHIPPED
    small = Scanner(fast.index, fast.settings.match, max_windows=3, max_words=5)
    text = "Hafter, Sirt, Tarhunah, Misurata, Ajdabiya, Benghazi and Zawia; Hafter again in Sirt."
    for _ in range(3):
        assert small.find(text) == reference.mentions(text)
        assert len(small._windows) <= 3 and len(small._words) <= 5
