"""Wrong changes seen on real news ("Names right in real news"), each as the
class of fault it belongs to: a function word glued to a name, a person's
name made a place (and the other way round), a particle swallowed, a word
cut or a typo around a name taken for a spelling of it.

Sentences quoted from the issue were seen in published machine-translated
news; the one from the development set gives its address.
"""

from __future__ import annotations

import pytest

from normalize import Normalizer
from normalize.engine.normalizer import Settings
from normalize.text.words import cues

ENGINES = ("scan", "reference")


@pytest.fixture(scope="module", params=ENGINES)
def normalizer(request) -> Normalizer:
    return Normalizer.load(settings=Settings(engine=request.param))


def reasons(normalizer: Normalizer, text: str) -> dict[str, str]:
    return {item.text: item.reason for item in normalizer.normalize(text).review}


# -- a capitalised function word is not part of a name ----------------------


def test_a_sentence_initial_function_word_is_not_glued_to_a_name(normalizer):
    # quoted in the issue: "As Gaddafi forces entered Sirte" became "Ayesha Gaddafi forces ..."
    text = "As Gaddafi forces entered Sirte, residents fled."
    assert normalizer.normalize(text).text == text


@pytest.mark.parametrize("word", sorted(w.capitalize() for w in cues().function_words))
def test_no_capitalised_function_word_starts_or_extends_a_key_span(normalizer, word):
    for text, clean in (
        (f"{word} Gaddafi forces entered Sirte.", f"{word} Gaddafi forces entered Sirte."),
        (f"{word} Hifter forces entered Sirte.", f"{word} Haftar forces entered Sirte."),
        (f"Forces of Hifter {word} Sirte.", f"Forces of Haftar {word} Sirte."),
    ):
        result = normalizer.normalize(text)
        assert result.text == clean
        assert all(word not in change.before.split() for change in result.changes)


def test_a_function_word_that_a_listed_spelling_holds_still_counts(normalizer):
    # "As Sidr" is listed for Es Sider: the same word in an unlisted spelling is part of the name
    assert normalizer.normalize("the As Sider oil port in Libya").text == "the Es Sider oil port in Libya"


# -- the type of a name: person, place, organisation --------------------------


def test_a_surname_after_a_given_name_is_not_made_a_town(normalizer):
    # quoted in the issue: "Ali Gatrani" became "Ali Qatrun"
    text = "the PC's Ali Gatrani who is seen as close to Hafter"
    assert normalizer.normalize(text).text == "the PC's Ali Gatrani who is seen as close to Haftar"
    assert "Gatrani" in reasons(normalizer, text)


def test_a_nisba_surname_is_not_made_its_town(normalizer):
    # https://a24na.com/archives/34488 (Africa 24 News Agency, bench/devset/articles.jsonl a05)
    text = (
        "The head of the team, Lutfi al-Misrati illustrated that 148 corpses have been exhumed in Tarhunah. "
        "Al-Misrati confirmed that the excavation work is still taking effect."
    )
    result = normalizer.normalize(text)
    assert "Misrata" not in result.text
    assert result.text == text.replace("Tarhunah", "Tarhuna")
    assert "nisba of Misrata" in reasons(normalizer, text)["al-Misrati"]


def test_a_town_spelling_after_a_given_name_is_not_made_a_town(normalizer):
    text = "Ali Tarhounah met the envoy in Libya."
    assert normalizer.normalize(text).text == text
    assert "after the given name 'Ali'" in reasons(normalizer, text)["Tarhounah"]


@pytest.mark.parametrize("title", ["Gen.", "Marshal", "Minister", "PM", "spokesman", "Speaker"])
def test_a_town_spelling_after_a_title_is_not_made_a_town(normalizer, title):
    # a listed spelling of the town Uqayla is also the given name of Aguila Saleh
    text = f"{title} Aqaila said the vote in Libya was delayed."
    assert normalizer.normalize(text).text == text
    assert "is a place" in reasons(normalizer, text)["Aqaila"]


def test_a_town_spelling_before_who_is_not_made_a_town(normalizer):
    text = "Tarhounah, who leads the bloc in Libya, left."
    assert normalizer.normalize(text).text == text


def test_an_unlisted_town_spelling_before_a_verb_of_speech_is_not_made_a_town(normalizer):
    text = "Tarhounah told reporters in Libya that talks were over."
    assert normalizer.normalize(text).text == text
    assert normalizer.normalize("Tarhounah fell in Libya.").text == "Tarhuna fell in Libya."


def test_a_listed_city_may_still_speak_for_its_government(normalizer):
    assert normalizer.normalize("Tarabulus said on Monday in Libya.").text == "Tripoli said on Monday in Libya."


def test_a_town_spelling_that_begins_a_persons_name_becomes_the_person(normalizer):
    # quoted in the issue: "Aqaila Saleh" became "Uqayla Saleh"; Aguila Saleh is the person
    assert normalizer.normalize("Aqaila Saleh met the envoy in Libya.").text == "Aguila Saleh met the envoy in Libya."
    assert normalizer.normalize("Agheila Saleh met the envoy in Libya.").text == "Aguila Saleh met the envoy in Libya."


LOOKALIKE_PEOPLE = """\
[gazetteer]
region = "LY"
context = ["Libya"]

[aguila_saleh]
type = "person"
canonical = "Aguila Saleh"
lookalikes = ["akila_salih"]

[[aguila_saleh.short]]
canonical = "Saleh"
variants = []
ambiguous = true

[akila_salih]
type = "person"
canonical = "Akila Salih"
lookalikes = ["aguila_saleh"]

[uqayla]
type = "place"
canonical = "Uqayla"
variants = ["Aqaila"]
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_town_spelling_that_begins_an_undecided_persons_name_is_not_made_a_town(tmp_path, engine):
    # the full name is asked about (two people share its key): its first word stays a given name
    (tmp_path / "names.toml").write_text(LOOKALIKE_PEOPLE, encoding="utf-8")
    normalizer = Normalizer.load([tmp_path], include_default=False, settings=Settings(engine=engine))
    text = "Aqaila Saleh met the envoy in Libya."
    assert normalizer.normalize(text).text == text
    found = reasons(normalizer, text)
    assert "shared by several names" in found["Aqaila Saleh"]
    assert "is a place" in found["Aqaila"]
    assert normalizer.normalize("Aqaila was shelled in Libya.").text == "Uqayla was shelled in Libya."


def test_a_persons_name_after_town_of_is_not_made_a_person(normalizer):
    text = "Shelling hit the town of Hifter in Libya."
    assert normalizer.normalize(text).text == text
    assert "is a person" in reasons(normalizer, text)["Hifter"]


# -- the reading chooses between a person and a place sharing a key ----------


@pytest.mark.parametrize(
    "text, expected",
    [
        # bench/devset p076, p077 (PANA) and p079: Mitiga airport, whose key Maiteeq shares
        ("Flights were suspended at Maitigua airport in Libya.", "Flights were suspended at Mitiga airport in Libya."),
        ("Militias inside the airport of Maitika, in Libya.", "Militias inside the airport of Mitiga, in Libya."),
    ],
)
def test_a_place_reading_chooses_the_place_among_names_sharing_a_key(normalizer, text, expected):
    result = normalizer.normalize(text)
    assert result.text == expected
    (change,) = result.changes
    assert (change.rule, change.runner_up) == ("key+type", "Maiteeq")


def test_without_a_reading_names_sharing_a_key_stay_a_question(normalizer):
    text = "Maitigua was mentioned in Libya."
    assert normalizer.normalize(text).text == text
    assert "shared by several names" in reasons(normalizer, text)["Maitigua"]


def test_a_verb_of_speech_does_not_choose_between_names_sharing_a_key(normalizer):
    # a weak reading: a city speaks for its government as a person does
    text = "Maitigua said on Monday in Libya that flights resume."
    assert normalizer.normalize(text).text == text


def test_a_place_word_after_a_persons_listed_spelling_does_not_make_it_a_place(normalizer):
    # where nothing is to be chosen, the words after a listed name are not read
    assert normalizer.normalize("Hifter airport talks in Libya.").text == "Haftar airport talks in Libya."


def test_an_unlisted_persons_spelling_before_a_place_word_is_not_made_the_person(normalizer):
    text = "Haftaar airport talks in Libya."
    assert normalizer.normalize(text).text == text
    assert "reads as a place" in reasons(normalizer, text)["Haftaar"]


# -- the particle of a full name ------------------------------------------------


@pytest.mark.parametrize("article", ["al-", "el-", "Al-", "as-", "an-"])
def test_a_full_name_keeps_its_glued_particle(normalizer, article):
    # quoted in the issue: "Ahmed al-Mosmari" became "Ahmed Mismari"
    text = f"LNA spokesman Ahmed {article}Mosmari said in Benghazi."
    assert normalizer.normalize(text).text == "LNA spokesman Ahmed al-Mismari said in Benghazi."


# -- a key or fuzzy match stands for the whole word written ---------------------


@pytest.mark.parametrize("word", ["Sirtthe", "Sirt'the"])
def test_a_listed_name_with_a_function_word_glued_on_goes_to_review(normalizer, word):
    # quoted in the issue: "Sirtthe" (a glued typo) became "Sirte"
    text = f"Forces reached {word} city of Libya."
    assert normalizer.normalize(text).text == text
    assert reasons(normalizer, text)[word] == f"{word!r} reads as 'Sirt' with 'the' glued on"


def test_a_listed_name_with_an_accented_letter_glued_on_goes_to_review(normalizer):
    # quoted in the issue: "Hafteré" became "Haftar", the é dropped
    text = "Hafteré forces in Libya took Sirte."
    assert normalizer.normalize(text).text == text
    assert "glued on" in reasons(normalizer, text)["Hafteré"]


@pytest.mark.parametrize("word", ["HafterΩ", "Hafter\u0435", "Hafter2"])
def test_characters_the_key_cannot_read_keep_a_word_from_being_rewritten(normalizer, word):
    text = f"{word} forces in Libya took Sirte."
    assert normalizer.normalize(text).text == text
    assert "cannot read" in reasons(normalizer, text)[word]


# -- what every fix keeps -------------------------------------------------------

SENTENCES = (
    "As Gaddafi forces entered Sirte, residents fled.",
    "the PC's Ali Gatrani who is seen as close to Hafter",
    "LNA spokesman Ahmed al-Mosmari said in Benghazi.",
    "Aqaila Saleh met the envoy in Libya.",
    "Speaker Aqaila said the vote in Libya was delayed.",
    "Forces reached Sirtthe city of Libya. Hafteré forces in Libya took Sirte.",
    "Shelling hit the town of Hifter in Libya; Tarhounah told reporters.",
)


@pytest.mark.parametrize("text", SENTENCES)
def test_both_engines_agree_and_the_output_is_a_fixed_point(text):
    scan, reference = (Normalizer.load(settings=Settings(engine=e)) for e in ENGINES)
    clean = scan.normalize(text).text
    assert reference.normalize(text).text == clean
    assert scan.normalize(clean).text == clean
    assert reference.normalize(clean).text == clean
