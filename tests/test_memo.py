"""The bounded word caches of the text functions (`text.memo`)."""

import gc

import pytest

from normalize.text.keys import fold, translit_key
from normalize.text.memo import word_memo
from normalize.text.tokens import is_all_caps


def test_a_word_is_worked_out_once_and_then_remembered():
    calls = []

    @word_memo(maxsize=8)
    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    assert [shout("Sirt"), shout("Sirt"), shout("Hun")] == ["SIRT", "SIRT", "HUN"]
    assert calls == ["Sirt", "Hun"]


def test_a_full_cache_forgets_the_words_it_learnt_first_and_answers_stay_right():
    @word_memo(maxsize=4)
    def length(word: str) -> int:
        return len(word)

    words = [f"w{'x' * n}" for n in range(10)]
    assert [length(w) for w in words] == [len(w) for w in words]
    assert len(length.table) <= 4
    assert words[-1] in length.table and words[0] not in length.table


def test_a_failing_word_is_not_remembered():
    @word_memo(maxsize=3)
    def strict(word: str) -> str:
        if not word:
            raise ValueError("empty")
        return word

    with pytest.raises(ValueError):
        strict("")
    assert "" not in strict.table


@pytest.mark.parametrize("cached", [fold, translit_key, is_all_caps], ids=lambda f: f.__name__)
def test_the_text_caches_are_never_walked_by_the_garbage_collector(cached):
    # (an lru_cache was tracked: each full collection visited every word it held)
    for word in ["Haftar", "Misrātah", "GNA", "Tharouna", "al-Wefaq"]:
        cached(word)
    assert cached.table
    assert not gc.is_tracked(cached.table)
