"""The compiled core rewrites the names their window settles, as the reference decides them.

A text is normalised twice by the scanning engine: the first time the core
learns its words and windows, the second time it rewrites the settled names
itself (engine/settled.py, core/src/plan.rs).  Both must give what the
reference engine gives, change records included; the hypothesis tests of
tests/test_scan.py do the same on generated text.
"""

from __future__ import annotations

import pytest
from conftest import SEED

from normalize import Normalizer
from normalize.compiled import rewritten as core_rewritten
from normalize.engine.ignore import IgnoreList
from normalize.engine.normalizer import Settings
from normalize.engine.records import Change
from normalize.engine.rewrite import _spliced
from normalize.engine.settled import written_changes

FAST = Normalizer.load(settings=Settings(engine="scan"))
REFERENCE = Normalizer.load(settings=Settings(engine="reference"))


def _written(text: str) -> int:
    """How many names the core rewrote in `text` on its own."""
    plan = FAST._scanner.plan(text)
    assert plan is not None, "the core plans a text whose words it knows"
    return len(plan.written)


def _same_twice(text: str) -> None:
    expected = REFERENCE.normalize(text, name="t.txt")
    assert FAST.normalize(text, name="t.txt") == expected
    assert FAST.normalize(text, name="t.txt") == expected


def test_an_exact_unambiguous_name_is_rewritten_by_the_core():
    text = "Forces loyal to Hafter left Sirt on Monday.\n"
    _same_twice(text)
    assert _written(text) == 2


def test_a_text_with_windows_never_seen_has_their_names_settled_by_the_core_at_once():
    fresh = Normalizer.load(settings=Settings(engine="scan"))
    text = "Forces loyal to Hafter left Sirt on Monday.\n"
    plan = fresh._scanner.plan(text)  # words and windows met here for the first time
    assert plan is not None and len(plan.written) == 2 and not plan.mentions
    assert fresh.normalize(text) == REFERENCE.normalize(text)


def test_the_core_places_its_changes_by_line_column_and_byte():
    text = "Émir in Misurata\r\nnear Sirt on Monday; Hafter\rthen Tarhunah.\n"
    _same_twice(text)
    assert _written(text) == 4
    changes = FAST.normalize(text, name="t.txt").changes
    assert [(c.before, c.line, c.column, c.byte_start) for c in changes] == [
        ("Misurata", 1, 9, 9),
        ("Sirt", 2, 6, 24),
        ("Hafter", 2, 22, 40),
        ("Tarhunah", 3, 6, 52),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the town of Hifter was quiet and Hafter left.",  # a place cue before a person
        "General Hafter spoke; Ali Gatrani and Hafter said so.",  # a title, a given name, a verb of speech
        "Khalid Hafter and Saddam Hafter met Hafter",  # glued words the next run reads with the name
        "al-Sirt, Al Jufra and El Hums; in al- Sirt",  # glued articles
        "Aqaila Saleh met Hafter, who left Sirt airport.",  # a place spelling that begins a person's name
        "“Hafter” (Sirt) [Misurata] Hafter’s men near Sirt-based units",  # punctuation around names
        "Hafter\nSirt  Tarhunah\u00a0Misurata",  # line breaks and no-break spaces between names
    ],
)
def test_names_whose_neighbours_matter_are_decided_as_the_reference_does(text):
    _same_twice(text)


def test_a_character_first_met_next_to_a_settled_name_is_learnt_not_a_crash():
    # (found by hypothesis: the core met "“" only once the window was known)
    fresh = Normalizer.load(settings=Settings(engine="scan"))
    text = "AL HAFTER\n“. "
    assert fresh.normalize(text) == REFERENCE.normalize(text)


@pytest.mark.parametrize(
    "text",
    [
        "McDonald and iPhone users met Hafter in Sirt.",  # a capital inside a word starts none
        "Ghassan Salamé Ageili met Hafter in Sirt.",  # a word beyond ASCII too long to be an article
        "The Agreement’s Al-Saadi met Hafter in Sirt.",  # a possessive before a name: "s" is no article
        "The forces’ Al-Saadi met Hafter in Sirt.",  # a run ending with an apostrophe: no word ends there
        "Near d’al-Saadi they met Hafter in Sirt.",  # one word across the apostrophe: no article holds one
    ],
)
def test_the_core_plans_texts_it_once_left_whole_to_python(text):
    _same_twice(text)
    assert _written(text) == 2


def test_an_article_after_a_lone_apostrophe_is_left_to_the_tokenizer():
    text = "A quote ’al-Saadi met Hafter in Sirt."
    _same_twice(text)
    assert FAST._scanner.plan(text) is None


def test_the_seed_article_is_cleaned_as_the_reference_cleans_it():
    text = SEED.read_text(encoding="utf-8")
    _same_twice(text)
    assert _written(text) > 0


def test_a_text_in_parts_gets_the_cores_rewrites_placed_in_the_whole_text():
    n = Normalizer.load(settings=Settings(part_chars=40))
    reference = Normalizer.load(settings=Settings(part_chars=40, engine="reference"))
    text = "Forces loyal to Hafter left Sirt.\n" * 6
    for _ in range(2):
        result = n.normalize(text, name="t.txt")
        assert result == reference.normalize(text, name="t.txt")
        assert result.text == "Forces loyal to Haftar left Sirte.\n" * 6
        assert [c.line for c in result.changes] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
        assert [c.start for c in result.changes][:4] == [16, 28, 50, 62]
    assert _written("Forces loyal to Hafter left Sirt.\n") == 2


def test_with_an_ignore_list_every_mention_is_decided_in_python():
    n = Normalizer.load(ignore=IgnoreList.from_entries(["Sirt"]))
    for _ in range(2):
        assert n.normalize("Hafter left Sirt.").text == "Haftar left Sirt."


def test_an_ambiguous_name_is_rewritten_by_the_core_where_a_name_of_its_region_is_in_the_text():
    supported = "Clashes went on near Sirt.\n\nLater that week the Wefaq government withdrew.\n"
    _same_twice(supported)
    assert _written(supported) == 2
    assert "the GNA government" in FAST.normalize(supported).text


def test_an_ambiguous_name_alone_is_left_to_python_which_asks_for_review():
    alone = "Later that week the Wefaq government withdrew.\n"
    _same_twice(alone)
    assert _written(alone) == 0
    assert FAST.normalize(alone).text == alone and len(FAST.normalize(alone).review) == 1


def test_a_key_match_is_rewritten_by_the_core_where_a_name_of_its_region_is_in_the_text():
    supported = "Clashes went on near Sirt.\n\nLater that week Trablos was calm.\n"
    _same_twice(supported)
    assert _written(supported) == 2
    change = FAST.normalize(supported).changes[1]
    assert (change.before, change.after, change.method, change.rule) == ("Trablos", "Tripoli", "key", "key")


def test_a_key_match_alone_is_left_to_python_which_asks_for_review():
    alone = "Later that week Trablos was calm.\n"
    _same_twice(alone)
    assert _written(alone) == 0
    assert FAST.normalize(alone).text == alone and len(FAST.normalize(alone).review) == 1


def _reviewed(text: str) -> int:
    """How many names the core sent to review in `text` on its own."""
    plan = FAST._scanner.plan(text)
    assert plan is not None, "the core plans a text whose words it knows"
    return len(plan.reviewed)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # "Aghaila" shares its key with two places, Awjila and Uqayla
        ("Troops reached Aghaila on Monday.\n", "transliteration key shared by several names: Awjila, Uqayla"),
        ("Troops reached Zuttun on Monday.\n", "same transliteration key but spelling too far (score 61.5)"),
    ],
)
def test_a_key_match_resolve_always_asks_about_goes_to_review_from_the_core(text, reason):
    _same_twice(text)
    assert (_written(text), _reviewed(text)) == (0, 1)
    assert [r.reason for r in FAST.normalize(text).review] == [reason]


@pytest.mark.parametrize(
    ("text", "reviewed"),
    [
        # "Mataega" shares its key with a place (Mitiga) and a person (Maiteeq)
        ("Troops reached Mataega on Monday.", 1),  # no cue: both stay candidates
        ("Mataega Saleh spoke.", 1),  # Mataega begins no person's name with Saleh
        ("Ali Mataega spoke.", 0),  # a given name before it puts the person first
        ("the town of Mataega was quiet.", 0),  # a place cue puts the place first
        ("Mataega said no.", 0),  # a verb of speech: resolve objects to the place
        ("General Aghaila spoke.", 0),  # a title before places: resolve objects
    ],
)
def test_a_cue_that_could_change_a_key_matchs_review_leaves_it_to_python(text, reviewed):
    _same_twice(text)
    assert _reviewed(text) == reviewed


@pytest.mark.parametrize(
    "text",
    [
        "In Sirt, Gatrani spoke.",  # the nisba of a place: review, whatever surrounds it
        "In Sirt, Benghazy and Trupoli and Wefoq.",  # key matches next to each other
        "In Sirt, the town of Trablos.",  # a cue before the key match
        "In Sirt, Trablos said so.",  # a verb of speech: a weak reading, which a key match heeds
    ],
)
def test_key_matches_whose_spelling_or_neighbours_matter_are_decided_as_the_reference_does(text):
    _same_twice(text)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Fighters from the city of Misurata took over Tarhunah.", 2),  # a place cue before a place
        ("They met General Hafter in Sirt.", 2),  # a title before a person
        ("Speaker Ageela Saleh, who was in Sirt, left.", 2),  # a person cue after a person
        ("In Sirt, Trablos airport was shut.", 2),  # a weak place cue after a key match of a place
        ("In Sirt, Misurata said no.", 2),  # a weak person cue after an exact place: no objection
        ("In Sirt, Trablos said no.", 1),  # ... after a key match of a place: resolve objects
        ("The town of Hafter and Sirt.", 1),  # a place cue before a person: resolve objects
    ],
)
def test_a_reading_cue_keeps_a_name_from_the_core_only_where_resolve_would_object(text, written):
    _same_twice(text)
    assert _written(text) == written


@pytest.mark.parametrize(
    "text",
    [
        "Forces at Sirt met others as Hafter left.",  # "at", "as" before a space are no articles
        "In Sirt, the town’s Merj and HoR's Misurata.",  # a possessive before a name: its "s" is no article
    ],
)
def test_a_word_before_a_name_that_the_tokenizer_reads_as_no_article_leaves_it_to_the_core(text):
    _same_twice(text)
    assert _written(text) == len(REFERENCE.normalize(text).changes)


def test_articles_glued_to_names_are_decided_as_the_reference_does():
    _same_twice("Forces at-Sirt and al Sirt, el Sirt, as-Sirt and as Sirt.")


def test_a_window_of_key_matches_resolve_always_drops_is_left_alone_by_the_core():
    # "Durnou" shares its key with Derna, "Musdei" with Emsaed and Mizda, all too far to ask about
    text = "In Sirt, Durnou met Musdei near Hafter.\n"
    _same_twice(text)
    plan = FAST._scanner.plan(text)
    assert plan.mentions == [] and len(plan.written) == 2
    assert FAST.normalize(text).review == ()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("In Sirt, Tarhunah Misurata and Sebha Gheryan met.", 5),  # names side by side, none joins another
        ("Trablos Sirt and Sirt Trablos left.", 3),  # next to a key match: Python decides that window
        ("They met Hafter Khalifa in Sirt.", 2),  # next to a name written as its canonical
    ],
)
def test_names_side_by_side_are_rewritten_by_the_core_where_no_rewrite_could_join_another(text, written):
    _same_twice(text)
    assert _written(text) == written


@pytest.mark.parametrize("name", ["Haftar", "Khalifa Haftar", "al-Sirt", "Government of National Accord", "Saleh"])
def test_a_rewrite_read_alone_is_read_as_its_whole_window(name):
    from normalize.engine.matcher import rereader

    reader = rereader(FAST.index, FAST.settings.match)
    assert reader is rereader(FAST.index, FAST.settings.match)
    assert reader.reread(name, 0, len(name)) == (0, reader.read_alone(name))


def _core_and_specification(text: str, edits: list[tuple[int, int, str]]):
    """The clean text and change records of `text` as the core makes them
    (`core.rewritten`) and as their specification does (`written_changes`)."""
    FAST.normalize(text)  # (its words and windows learnt)
    plan = FAST._scanner.plan(text)
    rows, tails = FAST._scanner.written(plan)
    expected = written_changes(plan, FAST._scanner._settled, "t.txt")
    made = core_rewritten(text, edits, rows, tails, "t.txt", Change)
    return made, (_spliced(text, sorted(edits + [w[:3] for w in expected]))[0], [w[3] for w in expected])


def test_a_plans_rows_read_as_tuples_and_name_each_name_once():
    text = "Hafter met Hafter's men in Sirt.\n"
    FAST.normalize(text)
    rows = FAST._scanner.plan(text).written
    listed = list(rows)
    assert len(listed) == len(rows) == 3 and all(len(row) == 7 for row in listed)
    assert rows[-1] == listed[-1] and rows[0][:2] == (0, 6)
    assert rows.names() == sorted({row[6] for row in listed}) and len(rows.names()) == 2
    with pytest.raises(IndexError):
        rows[3]


def test_the_cores_change_records_are_those_of_their_specification():
    made, expected = _core_and_specification(SEED.read_text(encoding="utf-8"), [])
    assert len(made[1]) > 5
    assert made == expected


def test_the_cores_rewrites_and_pythons_decisions_are_made_in_one_text():
    text = "Hafter met officials.\nIn Sirt, Élan was shown. Then Tarhunah.\n"
    decided = [(0, 0, ">"), (text.index("Élan"), text.index("Élan") + 4, "Elan"), (len(text), len(text), "<")]
    made, expected = _core_and_specification(text, decided)
    assert len(made[1]) == 3
    assert made == expected
    assert made[0].startswith(">Haftar") and "Sirte, Elan" in made[0] and made[0].endswith("<")


def test_a_decision_overlapping_a_name_the_core_rewrote_is_refused():
    text = "Forces loyal to Hafter left Sirt.\n"
    FAST.normalize(text)
    rows, tails = FAST._scanner.written(FAST._scanner.plan(text))
    at = text.index("Hafter")
    with pytest.raises(ValueError, match="out of order"):
        core_rewritten(text, [(at + 2, at + 8, "x")], rows, tails, "t.txt", Change)


def test_the_record_fields_handed_to_the_core_follow_its_names_when_they_start_over():
    normalizer = Normalizer.load(settings=Settings(engine="scan"))
    scanner = normalizer._scanner
    scanner._max_windows = 3  # (the core's table of windows starts over after a few)
    texts = ["Forces loyal to Hafter left Sirt.\n", "Tarhunah and Misurata.\n", "Zliten, Gharyan and Tobruk.\n"]
    for text in texts * 2:
        assert normalizer.normalize(text, name="t.txt") == REFERENCE.normalize(text, name="t.txt")
        _, tails = scanner.written(scanner.plan(text))
        assert tails == [name.tail for name in scanner._settled]
    assert scanner.forgot_windows


def test_decisions_out_of_order_are_refused_before_their_places_are_counted():
    with pytest.raises(ValueError, match="out of order"):
        core_rewritten("Émir and Hafter", [(9, 15, "x"), (0, 4, "y")], [], [], "t.txt", Change)
