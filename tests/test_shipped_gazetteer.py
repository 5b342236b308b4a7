"""The shipped Libya gazetteer: it loads, and it holds what the product promises."""

import pytest
from conftest import clean

from normalize import load_gazetteers
from normalize.text.keys import translit_key
from normalize.text.tokens import name_tuples
from normalize.text.words import english_words

GAZ = load_gazetteers()


def test_the_shipped_files_load_without_problems():
    assert len(GAZ.entities) >= 60
    assert {e.type for e in GAZ.entities} >= {"person", "place", "org"}


@pytest.mark.parametrize(
    "canonical",
    [
        "Khalifa Haftar",
        "Government of National Accord",
        "Sirte",
        "Tarhuna",
        "Bani Walid",
        "Jufra",
        "Benghazi",
        "Tripoli",
        "Tobruk",
        "Gharyan",
        "Libya",
        "Abdul Hadi Darah",
    ],
)
def test_every_name_in_the_seed_article_has_an_entity(canonical):
    assert canonical in {e.canonical for e in GAZ.entities}


@pytest.mark.parametrize("a, b", [("Zintan", "Zliten"), ("Jufra", "Jafara"), ("Sabha", "Sabratha")])
def test_look_alike_neighbours_are_both_present(a, b):
    canonicals = {e.canonical for e in GAZ.entities}
    assert a in canonicals and b in canonicals


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hafter", "Haftar"),
        ("Heftar", "Haftar"),
        ("Sirt", "Sirte"),
        ("Tharouna", "Tarhuna"),
        ("Tarhunah", "Tarhuna"),
        ("Al-Jafra", "Jufra"),
        ("Beni Walid", "Bani Walid"),
    ],
)
def test_the_spellings_named_in_the_issue_are_rewritten(shipped, text, expected):
    assert clean(shipped, f"{text}, Libya") == f"{expected}, Libya"


def test_wefaq_maps_to_gna_with_libyan_context(shipped):
    assert clean(shipped, "the Al-Wefaq government in Tripoli, Libya") == "the GNA government in Tripoli, Libya"


def test_names_with_other_meanings_are_marked_ambiguous():
    forms = {f.canonical.text: f.ambiguous or e.forms[0].ambiguous for e in GAZ.entities for f in e.forms}
    assert forms["Tripoli"] and forms["GNA"] and forms["Saleh"]


def test_no_listed_variant_is_a_common_english_word_unless_ambiguous():
    offenders = [
        (e.id, v.text)
        for e in GAZ.entities
        for f in e.forms
        for v in f.variants
        if not (f.ambiguous or e.forms[0].ambiguous) and " ".join(name_tuples(v.text)[-1]).lower() in english_words()
    ]
    assert offenders == []


def test_entities_that_share_a_key_are_not_merged_by_a_listed_spelling():
    # A listed spelling belongs to one canonical only (the loader enforces it);
    # here we check the data uses that: Jufra's and Jafara's keys collide.
    assert translit_key("Jufra") == translit_key("Jafara")
    jufra, jafara = GAZ.entity("jufra"), GAZ.entity("jafara")
    assert not {v.text for v in jufra.forms[0].variants} & {v.text for v in jafara.forms[0].variants}


def test_the_shipped_gazetteers_pass_their_own_lint():
    from normalize.maintain.lint import lint

    assert [f"{p.file}:{p.line}: {p.code} {p.message}" for p in lint()] == []
