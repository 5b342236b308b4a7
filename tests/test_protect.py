"""Finding gazetteer names in the Arabic source and the words a model wrote for them."""

from conftest import MINI

from normalize import load_gazetteers
from normalize.translate.engine import Translation
from normalize.translate.protect import ArabicNames, render

NAMES = ArabicNames.build(load_gazetteers([MINI], include_default=False))


def found(sentence):
    return [(n.first_word, n.end_word, n.canonical) for n in NAMES.find(sentence)]


def test_a_full_arabic_name_maps_to_the_full_canonical():
    assert found("قال خليفة حفتر اليوم") == [(1, 3, "Khalifa Haftar")]


def test_a_surname_alone_maps_to_the_short_canonical():
    assert found("قوات حفتر") == [(1, 2, "Haftar")]


def test_a_single_word_of_an_organisation_maps_to_its_short_form():
    assert found("حكومة الوفاق الوطني") == [(0, 3, "Government of National Accord")]
    assert found("قوات الوفاق") == [(1, 2, "GNA")]


def test_names_are_found_after_arabic_normalisation_and_punctuation():
    assert found("في ترهونه، وسِرْت.") == [(1, 2, "Tarhuna"), (2, 3, "Sirte")]


def test_a_leading_conjunction_or_preposition_is_allowed():
    assert found("وحفتر بسرت للجفرة") == [(0, 1, "Haftar"), (1, 2, "Sirte"), (2, 3, "Jufra")]


def test_look_alikes_stay_apart_in_arabic():
    assert found("الجفرة الجفارة") == [(0, 1, "Jufra"), (1, 2, "Jafara")]


def decode(pieces):
    return "".join(pieces).replace("▁", " ").strip()


def test_attention_locates_the_words_written_for_a_name():
    # source: قوات حفتر في سرت  -> "forces Hafter in Sirt"
    source = ("▁قوات", "▁حفتر", "▁في", "▁سرت", "</s>")
    target = ("▁forces", "▁Haf", "ter", "▁in", "▁Sirt", ".")
    attention = tuple(tuple(1.0 if i == j else 0.0 for i in range(len(source))) for j in (0, 1, 1, 2, 3, 3))
    rendered = render(Translation(source, target, attention), NAMES.find("قوات حفتر في سرت"), decode)
    assert rendered.text == "forces Hafter in Sirt."
    assert [(rendered.text[a:b], n.canonical) for a, b, n in rendered.names] == [
        ("Hafter", "Haftar"),
        ("Sirt", "Sirte"),
    ]
    assert rendered.lost == ()


def test_a_name_no_target_word_attended_to_is_reported_lost():
    source = ("▁قوات", "▁حفتر", "</s>")
    target = ("▁forces",)
    attention = ((1.0, 0.0, 0.0),)
    rendered = render(Translation(source, target, attention), NAMES.find("قوات حفتر"), decode)
    assert rendered.text == "forces" and [n.canonical for n in rendered.lost] == ["Haftar"]


def test_without_attention_the_text_is_decoded_whole_and_the_normaliser_post_edits():
    source = ("▁حفتر", "</s>")
    rendered = render(Translation(source, ("▁Hafter",), None), NAMES.find("حفتر"), decode)
    assert rendered.text == "Hafter" and rendered.names == ()


def test_words_that_do_not_look_like_a_name_are_not_trusted_and_post_editing_applies():
    # attention put the name on "in": a misalignment, so nothing is forced
    source = ("▁قوات", "▁حفتر", "</s>")
    target = ("▁forces", "▁in")
    attention = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
    rendered = render(Translation(source, target, attention), NAMES.find("قوات حفتر"), decode)
    assert rendered.text == "forces in" and rendered.names == ()
