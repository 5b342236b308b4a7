"""One record type from the engine to the logs and back: a change or review
record is encoded once, with the fields the logs always had, and report and
review decode the same type, skipping a line that is not one with a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest
from conftest import MINI, run_cli

from normalize import Change, ReviewItem
from normalize.batch.jsonl import BadLine, RecordNotCleaned, clean_jsonl, read_lines
from normalize.engine.records import encode, json_lines

PLACE = ["file", "line", "column", "start", "end", "byte_start", "byte_end"]
CHANGE = [
    *PLACE,
    *("before", "after", "entity", "gazetteer_file", "gazetteer_line", "method", "score"),
    *("rule", "runner_up", "margin"),
]
REVIEW = [*PLACE, "text", "method", "reason", "candidates", "context", "signal"]
CANDIDATE = ["entity", "canonical", "score", "gazetteer_file", "gazetteer_line"]


def test_a_change_and_a_review_item_encode_to_the_fields_the_logs_always_had(mini):
    result = mini.normalize("In Libya, Hafter met Hoftoor.", name="a.txt")
    (change,), (item,) = result.changes, result.review
    row = json.loads(encode(change))
    assert list(row) == CHANGE and row == change.to_dict()
    assert (row["before"], row["after"], row["score"], row["runner_up"]) == ("Hafter", "Haftar", 100.0, None)
    row = json.loads(encode(item))
    assert list(row) == REVIEW and list(row["candidates"][0]) == CANDIDATE
    assert row == json.loads(json.dumps(item.to_dict()))
    assert (row["text"], row["signal"], row["context"]) == ("Hoftoor", "probably_none", "In Libya, Hafter met Hoftoor.")


def test_a_json_lines_record_adds_its_record_field_and_encoding_at_the_end(mini):
    text = '{"text": "Hafter"}\nnot json\n{"text": "Hoftoor"}\n'
    _, changes, review = clean_jsonl(text, "text", mini.normalize, file="a.jsonl", extra={"encoding": "cp1256"})
    assert list(json.loads(encode(changes[0]))) == [*CHANGE, "record", "field", "encoding"]
    assert (changes[0].record, changes[0].field, changes[0].encoding) == (1, "text", "cp1256")
    assert list(json.loads(encode(review[0]))) == [*REVIEW, "record", "field"] and review[0].record == 3
    assert review[1] == RecordNotCleaned("a.jsonl", "record not cleaned: line 2: not a JSON object", "text")
    assert json.loads(json_lines([review[1]])) == {"file": "a.jsonl", "reason": review[1].reason, "field": "text"}


def test_a_record_decodes_as_the_value_it_was_encoded_from(mini):
    result = mini.normalize("Troops reached Jufara in Libya. Hafter took Sirt.", name="a.txt")
    for value in (*result.changes, *result.review):
        assert msgspec.json.decode(encode(value), type=type(value)) == value


def test_a_log_from_before_the_later_fields_decodes_with_what_their_absence_meant(mini):
    (change,), (item,) = (r := mini.normalize("In Libya, Hafter met Hoftoor.", name="a.txt")).changes, r.review
    old_change = {k: v for k, v in change.to_dict().items() if k not in ("rule", "runner_up", "margin")}
    old_item = {k: v for k, v in item.to_dict().items() if k != "signal"}
    decoded = msgspec.json.decode(json.dumps(old_change), type=Change)
    assert (decoded.rule, decoded.runner_up, decoded.margin) == ("", None, None)
    assert msgspec.json.decode(json.dumps(old_item), type=ReviewItem).signal == ""  # "not recorded"


def test_every_bad_line_is_named_by_its_number_and_what_is_wrong(mini):
    good = json.loads(encode(mini.normalize("Hafter", name="a.txt").changes[0]))
    lines = [
        json.dumps(good),
        "",
        "not json at all",
        json.dumps([good]),
        json.dumps({k: v for k, v in good.items() if k != "start"}),
        json.dumps(good | {"line": "1"}),
        json.dumps(good | {"margin": "big"}),
        json.dumps(good | {"line": True}),
        json.dumps(good).replace('"score": 100.0', '"score": 1e999'),  # infinity: the page could not carry it
        json.dumps({"file": "a.jsonl", "reason": "record not cleaned: line 2: not a JSON object"}),
        json.dumps(good)[:-20],  # torn by a crash
        json.dumps(good | {"before": "Hafter\u2028and\x85Sirt"}, ensure_ascii=False),
    ]
    found = dict(read_lines("\n".join(lines).encode(), msgspec.json.Decoder(Change).decode))
    assert 2 not in found and isinstance(found[1], Change)
    assert {n: v.problem for n, v in found.items() if isinstance(v, BadLine)} == {
        3: "not a JSON line",
        4: "not a JSON object",
        5: "no 'start' field",
        6: "'line' is not an integer",
        7: "'margin' is not a number or null",
        8: "'line' is not an integer",
        9: "'score': number out of range",
        10: "no 'line' field (record not cleaned: line 2: not a JSON object)",
        11: "not a JSON line",
    }
    assert found[12].before == "Hafter\u2028and\x85Sirt"  # a line ends at a newline only


def test_a_bad_candidate_is_named_by_where_it_is(mini):
    (item,) = mini.normalize("In Libya, Hoftoor.", name="a.txt").review
    row = item.to_dict()
    row["candidates"] = [dict(row["candidates"][0], score="high")]
    ((_, bad),) = read_lines(json.dumps(row).encode(), msgspec.json.Decoder(ReviewItem).decode)
    # a line that is refused says the reason it gives for itself too (here: why it was not applied)
    assert bad == BadLine(f"'candidates[0].score' is not a number ({item.reason})")


def test_a_json_lines_input_record_with_a_line_separator_in_a_string_is_one_record(mini):
    from normalize.batch.jsonl import clean_records

    text = '{"id": 1, "text": "Hafter\u2028took Sirt."}\r\n\n{"id": 2, "text": "Sirt"}\n'
    clean, results, problems = clean_records(text, "text", lambda value, _: mini.normalize(value))
    assert problems == [] and [n for n, _ in results] == [1, 3]
    assert clean == '{"id": 1, "text": "Haftar\u2028took Sirte."}\r\n\n{"id": 2, "text": "Sirte"}\n'


# report and review, through the real CLI


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "gaz")
    (tmp_path / "in").mkdir()
    # U+2028 in the words around a name: JSON carries it unescaped, inside one line
    (tmp_path / "in" / "a.txt").write_text("In Libya,\u2028Hoftoor met Houftaar. Hafter took Sirt.\n")
    (tmp_path / "normalize.toml").write_text('gazetteer = ["gaz"]\nno_default_gazetteers = true\n')
    assert run_cli("run", "in", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    return tmp_path


def _spoil(path: Path, n: int, **fields) -> None:
    """Give line `n` (from 1) of a log other values."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[n - 1] = json.dumps(json.loads(lines[n - 1]) | fields, ensure_ascii=False)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_report_skips_a_line_of_the_wrong_type_with_a_warning_and_shows_the_rest(project):
    out = project / "out"
    _spoil(out / "changes.jsonl", 1, start="0")
    _spoil(out / ".normalize" / "manifest.jsonl", 1, error=["no"])
    proc = run_cli("report", "out", cwd=project)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in stderr
    assert "changes.jsonl:1: skipped: 'start' is not an integer" in stderr
    assert "manifest.jsonl:1: skipped: 'error' is not a string or null" in stderr


def test_report_and_review_read_a_context_with_a_line_separator_as_one_line(project):
    proc = run_cli("report", "out", cwd=project)
    assert proc.returncode == 0 and proc.stderr == b""
    proc = run_cli("review", "out", input=b"s\ns\n", cwd=project)
    assert proc.returncode == 0 and proc.stderr == b""
    assert "[1/2] 'Hoftoor'" in proc.stdout.decode()


def test_review_skips_a_line_whose_candidate_is_of_the_wrong_type_and_asks_about_the_rest(project):
    review = project / "out" / "review.jsonl"
    row = json.loads(review.read_text(encoding="utf-8").split("\n")[0])
    _spoil(review, 1, candidates=[dict(row["candidates"][0], gazetteer_line="3")])
    proc = run_cli("review", "out", input=b"s\n", cwd=project)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in stderr
    assert "review.jsonl:1: skipped: 'candidates[0].gazetteer_line' is not an integer" in stderr
    assert "[1/1] 'Houftaar'" in proc.stdout.decode()
