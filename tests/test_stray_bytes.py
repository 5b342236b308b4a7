"""UTF-8 text with a few bytes that are not UTF-8 is cleaned, not skipped.

The bad bytes are kept (one lone surrogate each, Python's surrogateescape),
written back byte for byte, counted as one byte each in change records and
reported as a warning.  Text in a real code page is still read as one, and
input that cannot be cleaned goes through `normalize text` unchanged.
"""

from __future__ import annotations

import json

import pytest
from conftest import MINI, run_cli

from normalize import Normalizer
from normalize.batch.decoding import SAMPLE_BYTES, DecodingError, decode_bytes, encode_text
from normalize.engine.normalizer import Settings

MINI_ONLY = ("--no-default-gazetteers", "-g", str(MINI))
STRAY = b"Hafter met envoys in Sirt.\n" + b"stray \xff byte\n"
STRAY_CLEAN = b"Haftar met envoys in Sirte.\n" + b"stray \xff byte\n"
NORMALIZER = Normalizer.load([MINI], include_default=False)


def rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# Deciding what is nearly UTF-8


def test_a_stray_byte_in_utf8_text_is_kept_and_its_offset_reported():
    decoded = decode_bytes(STRAY)
    assert (decoded.encoding, decoded.confident, decoded.bad_bytes) == ("utf-8", True, (33,))
    assert decoded.text == "Hafter met envoys in Sirt.\nstray \udcff byte\n"
    assert decoded.warning == "1 byte that is not UTF-8 kept as it is, at byte offset 33"
    assert encode_text(decoded.text, decoded.encoding) == STRAY


def test_a_stray_byte_past_the_scored_sample_is_kept_too():
    data = "Haftar’s forces in Sirte.\n".encode() * (SAMPLE_BYTES // 20) + b"\xff\n"
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.bad_bytes) == ("utf-8", (len(data) - 2,))
    assert encode_text(decoded.text, decoded.encoding) == data


def test_arabic_utf8_with_a_stray_byte_is_not_read_as_windows_1256():
    data = "قوات حفتر تتقدم نحو سرت".encode() + b" \xff\n"
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.bad_bytes) == ("قوات حفتر تتقدم نحو سرت \udcff\n", "utf-8", (43,))


def test_utf8_with_a_sequence_cut_short_is_not_read_as_windows_1252():
    # Read as windows-1252 this was "Haftarâ€™s forcesâ€ in Sirt".
    data = "Haftar’s forces".encode() + b"\xe2\x80 in Sirt"
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.bad_bytes) == ("utf-8", (17, 18))
    assert decoded.text == "Haftar’s forces\udce2\udc80 in Sirt"


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        ("Haftar’s forces in Sirt\n", "cp1252", "windows-1252"),
        ("Le maréchal Hafter à Syrte, Sirt.\n", "cp1252", "windows-1252"),
        ("Hafter: قوات حفتر تتقدم نحو سرت\n", "cp1256", "windows-1256"),
    ],
    ids=["curly-quote", "french", "arabic"],
)
def test_text_in_a_code_page_is_not_taken_for_damaged_utf8(text, codec, label):
    decoded = decode_bytes(text.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.bad_bytes) == (text, label, ())


def test_bad_bytes_too_many_to_be_strays_and_in_no_code_page_stay_refused():
    decoded = decode_bytes(b"Hafter \xff\xfe in Sirt\n")  # 2 bytes in 22: more than one in twenty
    assert not decoded.confident and decoded.bad_bytes == ()


def test_forced_utf8_keeps_stray_bytes():
    decoded = decode_bytes(STRAY, encodings=["utf-8"])
    assert (decoded.encoding, decoded.confident, decoded.bad_bytes) == ("utf-8", True, (33,))


def test_forced_utf8_on_text_in_a_code_page_still_raises():
    with pytest.raises(DecodingError, match="not valid utf-8"):
        decode_bytes("Le maréchal à Syrte, où".encode("cp1252"), encodings=["utf-8"])


def test_a_kept_byte_cannot_be_written_in_a_code_page():
    with pytest.raises(DecodingError, match="cannot write byte 0xff"):
        encode_text("Sirte \udcff", "windows-1256")


# Cleaning it


def test_change_byte_offsets_count_a_kept_byte_as_one_byte():
    data = b"stray \xff byte\nHafter met envoys in Sirt.\n"
    changes = NORMALIZER.normalize(decode_bytes(data).text).changes
    assert [(c.byte_start, c.byte_end) for c in changes] == [(13, 19), (34, 38)]
    assert [data[c.byte_start : c.byte_end] for c in changes] == [b"Hafter", b"Sirt"]


def test_a_long_text_cleaned_in_parts_counts_kept_bytes_as_one_byte():
    data = b"stray \xff byte\n" * 3 + b"Hafter met envoys in Sirt.\n"
    decoded = decode_bytes(data)
    assert decoded.bad_bytes == (6, 19, 32)
    parts = Normalizer(NORMALIZER.gazetteer, Settings(part_chars=16), NORMALIZER.index)
    changes = parts.normalize(decoded.text).changes
    assert [data[c.byte_start : c.byte_end] for c in changes] == [b"Hafter", b"Sirt"]


def test_review_context_shows_a_kept_byte_as_a_replacement_character():
    text = decode_bytes(b"\xff Troops reached Jufara in Libya.\n").text
    (item,) = NORMALIZER.normalize(text).review
    row = item.to_dict()
    assert row["context"].startswith("\ufffd Troops reached Jufara")
    json.dumps(row, ensure_ascii=False).encode("utf-8")  # a log line can carry it


# normalize text


def test_text_cleans_nearly_utf8_input_and_writes_the_bad_byte_back():
    proc = run_cli("text", *MINI_ONLY, input=STRAY)
    assert (proc.returncode, proc.stdout) == (0, STRAY_CLEAN)
    assert b"warning <stdin>: 1 byte that is not UTF-8 kept as it is, at byte offset 33" in proc.stderr


def test_text_logs_byte_offsets_of_the_input_after_a_kept_byte(tmp_path):
    data = b"stray \xff byte\nHafter met envoys in Sirt.\n"
    proc = run_cli("text", *MINI_ONLY, "--changes", str(tmp_path / "c.jsonl"), input=data)
    assert proc.returncode == 0
    assert [data[r["byte_start"] : r["byte_end"]] for r in rows(tmp_path / "c.jsonl")] == [b"Hafter", b"Sirt"]


def test_text_logs_review_context_around_a_kept_byte(tmp_path):
    proc = run_cli("text", *MINI_ONLY, "--review", str(tmp_path / "r.jsonl"), input=b"\xff Troops reached Jufara.\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"\xff Troops reached Jufara.\n"
    assert rows(tmp_path / "r.jsonl")[0]["context"].startswith("\ufffd Troops reached Jufara")


def test_text_writes_binary_input_through_unchanged_with_exit_3():
    data = b"GIF89a\x00\x01Hafter in Sirt"
    proc = run_cli("text", *MINI_ONLY, input=data)
    assert (proc.returncode, proc.stdout) == (3, data)
    assert b"<stdin>: looks binary: NUL byte at offset 6; written through unchanged" in proc.stderr


def test_text_writes_input_of_unknown_encoding_through_unchanged_with_exit_3():
    data = b"Hafter \xff\xfe in Sirt\n"
    proc = run_cli("text", *MINI_ONLY, input=data)
    assert (proc.returncode, proc.stdout) == (3, data)
    assert b"<stdin>: not valid UTF-8, and its encoding cannot be told" in proc.stderr


def test_text_with_check_names_input_it_cannot_clean_with_exit_3():
    proc = run_cli("text", "--check", *MINI_ONLY, input=b"Hafter \xff\xfe in Sirt\n")
    assert (proc.returncode, proc.stdout) == (3, b"")


def test_text_cleans_windows_1256_input_and_writes_utf8(tmp_path):
    text = "Hafter: قوات حفتر تتقدم نحو سرت\n"
    proc = run_cli("text", *MINI_ONLY, "--changes", str(tmp_path / "c.jsonl"), input=text.encode("cp1256"))
    assert (proc.returncode, proc.stdout) == (0, text.replace("Hafter", "Haftar").encode())
    assert rows(tmp_path / "c.jsonl")[0]["encoding"] == "windows-1256"


def test_text_with_an_unreadable_original_writes_the_input_through_with_exit_3(tmp_path):
    data = b"Troops reached Jufara.\n"
    proc = run_cli("text", *MINI_ONLY, "--original", str(tmp_path / "missing.ar.txt"), input=data)
    assert (proc.returncode, proc.stdout) == (3, data)
    assert b"missing.ar.txt" in proc.stderr


def test_text_writes_through_a_record_it_cannot_write_back_with_exit_3():
    # A JSON escape of half a surrogate pair decodes to a character UTF-8 cannot hold.
    data = b'{"text": "Hafter \\ud800 in Sirt"}\n'
    proc = run_cli("text", "--jsonl", *MINI_ONLY, input=data)
    assert (proc.returncode, proc.stdout) == (3, data)
    assert b"written through unchanged" in proc.stderr


# normalize run


def test_run_cleans_a_nearly_utf8_file_and_keeps_its_bad_byte(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"stray \xff byte\nHafter met envoys in Sirt.\n")
    out = tmp_path / "out"
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(out), *MINI_ONLY)
    assert proc.returncode == 0, proc.stderr
    assert (out / "a.txt").read_bytes() == b"stray \xff byte\nHaftar met envoys in Sirte.\n"
    changes = rows(out / "changes.jsonl")
    assert [(c["before"], c["byte_start"], c["byte_end"]) for c in changes] == [("Hafter", 13, 19), ("Sirt", 34, 38)]
    assert all("encoding" not in c for c in changes)  # it is UTF-8


def test_run_names_the_kept_bytes_as_a_warning_and_exits_0(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"stray \xff byte\nHafter met envoys in Sirt.\n")
    out = tmp_path / "out"
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(out), *MINI_ONLY)
    assert proc.returncode == 0
    warning = "1 byte that is not UTF-8 kept as it is, at byte offset 6"
    assert f"warning {tmp_path / 'in' / 'a.txt'}: {warning}".encode() in proc.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"] == [{"file": str(tmp_path / "in" / "a.txt"), "warning": warning}]
    assert summary["problems"] == [] and summary["exit_code"] == 0
