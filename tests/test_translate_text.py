"""Preparing originals for translation: clean-up, Arabic folding, segmentation."""

from normalize.translate.segment import join, segment
from normalize.translate.text import clean_source, normalize_arabic, script_of


def test_control_and_format_characters_become_spaces_like_opus_mt_preprocessing():
    assert clean_source("قال\u200f حفتر\u200c\u200cاليوم\u0007") == "قال حفتر اليوم"


def test_runs_of_spaces_shrink_but_line_breaks_stay():
    assert clean_source("a  \t b\nc") == "a b\nc"


def test_arabic_normalisation_folds_hamza_alef_ta_marbuta_alef_maqsura_diacritics_tatweel():
    assert normalize_arabic("أإآٱ") == "اااا"
    assert normalize_arabic("ترهونة") == "ترهونه"
    assert normalize_arabic("مستشفى") == "مستشفي"
    assert normalize_arabic("سِرْت") == "سرت"
    assert normalize_arabic("حفـــتر") == "حفتر"


def test_script_detection():
    assert script_of("قوات حفتر in Sirte") == "arabic"
    assert script_of("Hafter forces") == "latin"


def test_sentences_end_at_arabic_and_latin_terminators():
    assert [s.text for s in segment("قال حفتر. هل انتهى؟ نعم! وبعد")] == ["قال حفتر.", "هل انتهى؟", "نعم!", "وبعد"]


def test_arabic_comma_and_semicolon_do_not_end_a_sentence():
    assert [s.text for s in segment("قوات، ومدن؛ وغيرها.")] == ["قوات، ومدن؛ وغيرها."]


def test_paragraphs_and_line_endings_survive_translation():
    document = "أولى. ثانية.\r\n\r\nفقرة\r\n"
    sentences = segment(document)
    assert [s.text for s in sentences] == ["أولى.", "ثانية.", "فقرة"]
    text, starts = join(document, sentences, ["One.", "Two.", "Paragraph"])
    assert text == "One. Two.\r\n\r\nParagraph\r\n"
    assert [text[s : s + 3] for s in starts] == ["One", "Two", "Par"]


def test_closing_quotes_stay_with_their_sentence():
    assert [s.text for s in segment("قال «انتهى.» ثم غادر")] == ["قال «انتهى.»", "ثم غادر"]
