"""How a decided span is rewritten, and that nothing else moves."""

from pathlib import Path

import pytest
from conftest import clean

from normalize.engine.rewrite import replacement


def test_a_glued_article_is_replaced_with_the_name(mini):
    assert clean(mini, "belonging to Al-Wefaq government in Libya") == "belonging to GNA government in Libya"
    assert clean(mini, "Sirte Operations and Al-Jafra") == "Sirte Operations and Jufra"


def test_an_article_is_never_doubled(mini):
    assert clean(mini, "the Al-Wefaq government in Libya") == "the GNA government in Libya"


def test_no_article_is_inserted_where_the_writer_wrote_none(mini):
    assert clean(mini, "the Wattiya airbase") == "the Watiya airbase"
    assert clean(mini, "the el-Wattiya airbase") == "the Al-Watiya airbase"


def test_a_canonical_name_written_with_an_article_is_left_as_written(mini):
    assert replacement("al-Sarraj", "Sarraj", "Sarraj") is None


def test_a_possessive_keeps_its_apostrophe(mini):
    assert clean(mini, "Hafter’s men and Hafter's men") == "Haftar’s men and Haftar's men"


def test_a_hyphenated_compound_keeps_its_suffix(mini):
    assert clean(mini, "Tarhouna-based militia") == "Tarhuna-based militia"


def test_all_caps_is_kept(mini):
    assert replacement("HAFTER", "HAFTER", "Haftar") == "HAFTAR"
    assert replacement("AL-WEFAQ", "WEFAQ", "GNA") == "GNA"


def test_line_endings_bom_and_spacing_are_kept_byte_for_byte(mini):
    text = "\ufeffHafter  in\r\nSirt\r\n\r\nand\tTarhunah \n"
    assert clean(mini, text) == "\ufeffHaftar  in\r\nSirte\r\n\r\nand\tTarhuna \n"


def test_a_change_records_where_it_was_and_what_it_was(mini):
    text = "Calm.\r\nThen Hafter’s men reached Sirt."
    result = mini.normalize(text, name="a.txt")
    first, second = result.changes
    assert (first.file, first.line, first.column, first.before, first.after) == (
        "a.txt",
        2,
        6,
        "Hafter",
        "Haftar",
    )
    assert text[first.start : first.end] == "Hafter"
    assert text.encode()[first.byte_start : first.byte_end] == b"Hafter"
    assert text.encode()[second.byte_start : second.byte_end] == b"Sirt"  # after a 3-byte apostrophe
    assert (first.entity, first.method, first.score) == ("khalifa_haftar", "exact", 100.0)
    assert first.gazetteer_file.endswith("libya.toml") and first.gazetteer_line > 0


def test_a_change_points_at_the_gazetteer_line_that_listed_the_spelling(mini):
    change = mini.normalize("Sirt").changes[0]
    lines = Path(change.gazetteer_file).read_text(encoding="utf-8").splitlines()
    assert '"Sirt"' in lines[change.gazetteer_line - 1]


def test_a_name_wrapped_across_lines_keeps_its_line_break(mini):
    assert clean(mini, "in Beni\nWalid and\r\nBeni\r\nWalid") == "in Bani\nWalid and\r\nBani\r\nWalid"
    assert clean(mini, "in Bani\nWalid") == "in Bani\nWalid"


def test_decomposed_accents_and_soft_hyphens_stay_inside_a_word(mini):
    assert clean(mini, "Misura\u0304ta and Haf\u00adter") == "Misrata and Haftar"


@pytest.mark.parametrize(
    "written, clean",
    [
        ("Haftar forces withdrew to the Al-Jufra airbase.", "Haftar forces withdrew to the Jufra airbase."),
        ("Haftar forces withdrew to al-Jufra.", "Haftar forces withdrew to Jufra."),
        ("Clashes in Al-Bayda and Al-Zawiya, Libya.", "Clashes in Bayda and Zawiya, Libya."),
        ("HAFTAR TAKES AL-JUFRA", "HAFTAR TAKES JUFRA"),
    ],
)
def test_a_glued_article_on_a_place_whose_canonical_has_none_goes(shipped, written, clean):
    assert shipped.normalize(written).text == clean
    assert shipped.normalize(clean).text == clean


@pytest.mark.parametrize(
    "text",
    [
        "Fayez al-Sarraj met Al-Sarraj loyalists in Tripoli, Libya.",  # a person's article stays
        "Haftar lost Al-Watiya to the GNA.",  # the canonical has the article
    ],
)
def test_an_article_of_a_person_or_of_a_canonical_that_has_one_stays(shipped, text):
    assert shipped.normalize(text).text == text
