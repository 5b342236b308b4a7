"""Precision guards: what must never change, and what needs context."""

from conftest import clean


def test_a_common_english_word_is_never_changed(mini):
    text = "After the talks, after all, they left. AFTER THE WAR"
    assert clean(mini, text) == text


def test_only_capitalised_spans_are_candidates(mini):
    text = "they were hifter and tarhounah in Libya"
    assert clean(mini, text) == text


def test_khalifa_alone_is_a_first_name_not_haftar(mini):
    text = "Sheikh Khalifa bin Zayed visited Libya."
    assert clean(mini, text) == text


def test_a_demonym_of_a_known_place_is_never_taken_for_a_variant(mini):
    text = "Libyan and Misratan fighters, Libyans all."
    result = mini.normalize(text)
    assert result.text == text and not result.review


def test_an_ambiguous_surname_needs_context_in_the_document(mini):
    text = "Yemen's former president Salih died in Sanaa."
    result = mini.normalize(text)
    assert result.text == text
    assert "context" in result.review[0].reason


def test_an_ambiguous_surname_is_changed_when_the_full_name_is_in_the_document(mini):
    text = "Speaker Aguila Saleh met envoys. Later Salih said no."
    assert clean(mini, text) == "Speaker Aguila Saleh met envoys. Later Saleh said no."


def test_wefaq_in_bahrain_is_left_alone(mini):
    text = "Bahrain dissolved al-Wefaq, the main Shia opposition society."
    assert clean(mini, text) == text


def test_wefaq_in_a_libyan_story_becomes_gna(mini):
    text = "Forces of al-Wefaq entered Sirte."
    assert clean(mini, text) == "Forces of GNA entered Sirte."


def test_tripoli_in_lebanon_is_left_alone(mini):
    text = "Protesters in Trablus, north of Beirut, blocked roads."
    assert clean(mini, text) == text


def test_tripoli_in_libya_is_normalised(mini):
    assert clean(mini, "Clashes in Trablus, the Libyan capital.") == "Clashes in Tripoli, the Libyan capital."


def test_look_alikes_that_share_a_key_go_to_review(mini):
    # Jufra and Jafara share a key: an unlisted spelling cannot be decided.
    result = mini.normalize("Troops reached Jufara in Libya.")
    assert result.text == "Troops reached Jufara in Libya."
    assert {c["canonical"] for c in result.review[0].candidates} == {"Jufra", "Jafara"}


def test_each_look_alike_keeps_its_own_listed_spellings(mini):
    assert clean(mini, "Jofra and Jfara") == "Jufra and Jafara"


def test_an_unlisted_spelling_needs_a_document_about_the_region(mini):
    # Nothing in this sentence is about Libya, so a key match is only a suggestion.
    result = mini.normalize("The painter Hifter showed new work in Paris.")
    assert result.text == "The painter Hifter showed new work in Paris."
    assert "region" in result.review[0].reason


def test_a_shared_key_with_a_distant_spelling_is_a_coincidence_and_dropped(mini):
    # "Turin" and "Tarhuna" share a key but are too far apart to even review.
    result = mini.normalize("Car workers in Turin, not in Libya.")
    assert result.text == "Car workers in Turin, not in Libya." and not result.review


def test_a_shared_key_with_a_middling_spelling_goes_to_review(mini):
    # "Surat" (India) shares Sirte's key: close enough to ask, too far to apply.
    result = mini.normalize("Diamond traders in Surat, not in Libya.")
    assert result.text == "Diamond traders in Surat, not in Libya."
    assert "too far" in result.review[0].reason
