"""Tokens and the glue allowed inside a name."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from normalize.text.tokens import is_all_caps, name_gap, name_tuples, spelling_problem, tokenize


def words(text):
    return [t.text for t in tokenize(text)]


def test_possessive_is_not_part_of_the_word():
    assert words("Hafter’s forces and Hafter's men") == ["Hafter", "forces", "and", "Hafter", "men"]


def test_apostrophe_between_letters_stays_inside_the_word():
    assert words("Mu'ammar Ma’etig") == ["Mu'ammar", "Ma’etig"]


def test_hyphen_and_space_join_words_of_a_name_but_punctuation_does_not():
    text = "Bani-Walid Bani Walid, Sirte"
    t = tokenize(text)
    assert [name_gap(text, a, b) for a, b in itertools.pairwise(t)] == ["-", " ", " ", None]


def test_a_name_may_wrap_across_one_line_break():
    text = "Bani\r\nWalid"
    t = tokenize(text)
    assert name_gap(text, t[0], t[1]) == " "


def test_spelling_is_indexed_with_and_without_its_article():
    assert name_tuples("Al-Jafra") == [("al", "Jafra"), ("Jafra",)]
    assert name_tuples("Es Sider") == [("Es", "Sider")]


def test_spelling_problems_are_explained():
    assert spelling_problem("al-Wefaq") is None
    assert "capital" in spelling_problem("haftar")
    assert "'+'" not in spelling_problem("5+5 Commission") and "+" in spelling_problem("5+5 Commission")
    assert "leading or trailing" in spelling_problem(" Sirte")


def test_every_glued_article_folds_to_al_even_inside_a_name():
    assert name_tuples("Fayez El-Serraj") == name_tuples("Fayez al-Serraj") == [("Fayez", "al", "Serraj")]
    assert name_tuples("Saif ul-Islam") == [("Saif", "al", "Islam")]


@given(st.text(st.characters(max_codepoint=0x7F)) | st.text(st.sampled_from("aAbB-'3 ΩωÉéبǅⅫⒶ")))
def test_all_caps_means_two_letters_or_more_every_one_uppercase(word):
    letters = [c for c in word if c.isalpha()]
    assert is_all_caps(word) == (len(letters) >= 2 and all(c.isupper() for c in letters))
