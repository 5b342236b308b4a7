"""Decoding scraped articles in whatever encoding they came in, losing no byte."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from normalize.batch.decoding import SAMPLE_BYTES, Decoded, DecodingError, decode_bytes, encode_text, looks_binary

# Real news sentences; the tests encode them with Python's own codecs.
ARABIC = [
    "قوات حفتر تتقدم نحو سرت",
    "قال المتحدث باسم الجيش الوطني الليبي إن القوات سيطرت على المدينة.",
    "أعلنت حكومة الوفاق الوطني أن الاشتباكات تجددت جنوب العاصمة.",
    "وصل الرئيس إلى طرابلس صباح اليوم، وعقد اجتماعاً مع رئيس المجلس الرئاسي.",
]
FRENCH = "Les forces du maréchal Haftar à Syrte"


def round_trips(decoded: Decoded, data: bytes) -> bool:
    return encode_text(decoded.text, decoded.encoding) == data


# UTF-8 and UTF-16


def test_plain_utf8_is_decoded_confidently():
    data = "Haftar’s forces near Sirte — قوات حفتر".encode()
    assert decode_bytes(data) == Decoded("Haftar’s forces near Sirte — قوات حفتر", "utf-8", True, "valid UTF-8")


def test_a_utf8_bom_is_kept_in_the_text_and_written_back():
    data = codecs.BOM_UTF8 + b"Sirte"
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.confident) == ("\ufeffSirte", "utf-8", True)
    assert "byte-order mark" in decoded.reason
    assert round_trips(decoded, data)


@pytest.mark.parametrize(("python_codec", "label"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_a_bom_round_trips_byte_identically(python_codec, label):
    data = ("\ufeff" + FRENCH + "\r\n" + ARABIC[0]).encode(python_codec)
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.confident) == ("\ufeff" + FRENCH + "\r\n" + ARABIC[0], label, True)
    assert round_trips(decoded, data)


def test_utf16_without_a_bom_counts_as_binary():
    with pytest.raises(DecodingError, match="NUL byte at offset 1"):
        decode_bytes("Sirte".encode("utf-16-le"))


# Legacy code pages


@pytest.mark.parametrize("sentence", ARABIC)
def test_arabic_in_windows_1256_is_detected(sentence):
    decoded = decode_bytes(sentence.encode("cp1256"))
    assert (decoded.text, decoded.encoding, decoded.confident) == (sentence, "windows-1256", True)


@pytest.mark.parametrize("sentence", ARABIC)
def test_arabic_in_iso_8859_6_is_detected(sentence):
    decoded = decode_bytes(sentence.encode("iso8859_6"))
    assert (decoded.text, decoded.encoding, decoded.confident) == (sentence, "iso-8859-6", True)


def test_the_latin1_reading_of_arabic_is_recognised_as_gibberish():
    # cp1256 bytes read as Latin-1 give "ÞæÇÊ ÍÝÊÑ": never chosen, even alone.
    decoded = decode_bytes(ARABIC[0].encode("cp1256"), encodings=["latin-1", "windows-1252"])
    assert not decoded.confident
    assert "garbled" in decoded.reason


def test_french_in_windows_1252_is_detected():
    decoded = decode_bytes(FRENCH.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.confident) == (FRENCH, "windows-1252", True)


def test_french_in_latin1_is_read_as_a_latin_code_page():
    decoded = decode_bytes(FRENCH.encode("latin-1"))
    assert decoded.text == FRENCH
    assert decoded.encoding in ("windows-1252", "latin-1")
    assert decoded.confident


def test_a_capital_accent_rules_out_windows_1256():
    # Windows-1256 keeps French lower-case accents but puts teh marbuta at É.
    decoded = decode_bytes("État d'urgence à Tripoli".encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.confident) == ("État d'urgence à Tripoli", "windows-1252", True)


def test_curly_quotes_mean_windows_1252_not_latin1():
    # Latin-1 reads 0x92 as a C1 control character.
    decoded = decode_bytes("L’armée “nationale” — a dit…".encode("cp1252"))
    assert (decoded.encoding, decoded.confident) == ("windows-1252", True)


def test_too_little_arabic_to_tell_the_code_pages_apart_is_not_confident():
    # Both bytes strings read as plausible Arabic in both code pages.
    decoded = decode_bytes("من مصر".encode("cp1256"))
    assert not decoded.confident
    assert "ambiguous between windows-1256 and iso-8859-6" in decoded.reason


def test_stray_bytes_in_ascii_text_are_not_enough_to_guess_from():
    # "\xff\xfe" is a letter and a direction mark in windows-1256, "ÿþ" in
    # windows-1252: neither is evidence of anything.
    decoded = decode_bytes(b"Hafter \xff\xfe in Sirt\n")
    assert not decoded.confident
    assert "too little non-ASCII text" in decoded.reason
    assert "not valid UTF-8 (line 1, byte offset 7)" in decoded.reason


def test_mixed_line_endings_are_kept():
    text = f"{ARABIC[1]}\r\n{ARABIC[2]}\n{ARABIC[3]}\r"
    decoded = decode_bytes(text.encode("cp1256"))
    assert decoded.text == text
    assert round_trips(decoded, text.encode("cp1256"))


def test_a_large_file_is_scored_on_a_sample_and_decoded_whole():
    data = (ARABIC[1] + "\n").encode("cp1256") * (3 * SAMPLE_BYTES // 60)
    decoded = decode_bytes(data)
    assert decoded.encoding == "windows-1256"
    assert len(decoded.text) == len(data)


def test_an_undefined_byte_after_the_sample_rules_a_code_page_out():
    # 0x81 is undefined in windows-1252, so latin-1 must take over.
    data = (FRENCH + "\n").encode("cp1252") * (SAMPLE_BYTES // 30) + b"\x81"
    decoded = decode_bytes(data)
    assert decoded.encoding != "windows-1252"
    assert "not windows-1252" in decoded.reason
    assert round_trips(decoded, data)


# Binary data


def test_nul_bytes_are_binary_and_the_error_names_the_offset():
    with pytest.raises(DecodingError, match="NUL byte at offset 6"):
        decode_bytes(b"GIF89a\x00\x01")


def test_mostly_control_characters_are_binary():
    assert "control characters" in looks_binary(b"\x01\x02\x03\x04text")


def test_ordinary_text_does_not_look_binary():
    assert looks_binary(FRENCH.encode("cp1252") + b"\t\r\n\x0c") is None


def test_utf16_text_with_a_bom_does_not_look_binary():
    assert looks_binary(FRENCH.encode("utf-16")) is None


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, bytes(range(1, 256)) * 4], ids=["with-nul", "without-nul"])
def test_random_binary_is_rejected_or_not_confident(data):
    try:
        decoded = decode_bytes(data)
    except DecodingError:
        return
    assert not decoded.confident


# Choosing the encoding


def test_a_forced_encoding_is_used_as_is():
    data = FRENCH.encode("cp1252")
    assert decode_bytes(data, encodings=["cp1256"]) == Decoded(
        data.decode("cp1256"), "windows-1256", True, "cp1256 chosen by the caller"
    )


def test_a_forced_encoding_that_does_not_fit_raises():
    with pytest.raises(DecodingError, match="not valid iso-8859-6"):
        decode_bytes(ARABIC[0].encode("cp1256"), encodings=["iso-8859-6"])


def test_an_unknown_encoding_raises():
    with pytest.raises(DecodingError, match="unknown encoding"):
        decode_bytes(b"Sirte", encodings=["klingon"])


def test_forced_utf16_keeps_the_bom_and_its_byte_order():
    data = ("\ufeff" + FRENCH).encode("utf-16-be")
    decoded = decode_bytes(data, encodings=["utf-16"])
    assert (decoded.text, decoded.encoding) == ("\ufeff" + FRENCH, "utf-16-be")


def test_encodings_restrict_the_candidates():
    decoded = decode_bytes(ARABIC[1].encode("cp1256"), encodings=["iso-8859-6", "latin-1"])
    assert decoded.encoding == "latin-1"
    assert not decoded.confident


def test_empty_input_is_empty_utf8():
    assert decode_bytes(b"") == Decoded("", "utf-8", True, "empty input")


def test_text_the_encoding_cannot_hold_raises_on_writing():
    with pytest.raises(DecodingError, match="cannot write 'ğ'"):
        encode_text("Erdoğan", "windows-1256")


# Properties


def _any_bytes() -> st.SearchStrategy[bytes]:
    # Plain random bytes rarely look like text; mix in the shapes that take
    # the interesting paths: BOMs, high (non-ASCII) bytes, real text.
    bom = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
    high = st.lists(st.integers(0x80, 0xFF) | st.just(0x20), max_size=200).map(bytes)
    encoded = st.tuples(
        st.text(max_size=100), st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1256", "iso8859_6", "cp1252"])
    ).map(lambda pair: pair[0].encode(pair[1], "ignore"))
    return st.tuples(bom, st.binary(max_size=200) | high | encoded).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(_any_bytes())
@example(bytes(range(256)))
@example(b"\xff\xfe\x00\xd8")  # BOM then a lone surrogate
@example(b"\xff\xfe" + "Sirte".encode("utf-16-le") + b"\x00")  # BOM, odd length
def test_any_bytes_decode_losslessly_or_raise_decoding_error(data):
    try:
        decoded = decode_bytes(data)
    except DecodingError:
        return
    assert encode_text(decoded.text, decoded.encoding) == data


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1))
def test_any_text_in_utf8_comes_back_unchanged(text):
    decoded = decode_bytes(text.encode())
    assert (decoded.text, decoded.encoding, decoded.confident) == (text, "utf-8", True)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1), st.sampled_from(["windows-1256", "latin-1", "utf-16-le"]))
def test_a_forced_encoding_round_trips_or_raises(data, encoding):
    try:
        decoded = decode_bytes(data, encodings=[encoding])
    except DecodingError:
        return
    assert decoded.confident
    assert encode_text(decoded.text, decoded.encoding) == data
