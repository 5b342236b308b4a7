"""JSON Lines records: clean one string field, keep every other byte.

Only the field's value is re-encoded, and only when it changed; the other
fields, their order and spacing, and unchanged lines stay byte for byte::

    >>> field_span('{"id": 7, "text": "Hafter"}', "text")
    (18, 26)
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..engine.records import Result

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


class RecordError(ValueError):
    """A line that is not a JSON object with the wanted string field."""


def field_span(line: str, name: str) -> tuple[int, int]:
    """Where the JSON string value of top-level key `name` lies in `line`."""
    i = _skip(line, 0)
    if line[i : i + 1] != "{":
        raise RecordError("not a JSON object")
    i = _skip(line, i + 1)
    while line[i : i + 1] != "}":
        key, i = _decoder.raw_decode(line, i) if line[i : i + 1] == '"' else (None, i)
        if not isinstance(key, str):
            raise RecordError("malformed object")
        i = _skip(line, i)
        if line[i : i + 1] != ":":
            raise RecordError("malformed object")
        start = _skip(line, i + 1)
        value, end = _decoder.raw_decode(line, start)
        if key == name:
            if not isinstance(value, str):
                raise RecordError(f"field {name!r} is not a string")
            return start, end
        i = _skip(line, end)
        if line[i : i + 1] == ",":
            i = _skip(line, i + 1)
        elif line[i : i + 1] != "}":
            raise RecordError("malformed object")
    raise RecordError(f"no field {name!r}")


def _skip(line: str, i: int) -> int:
    while i < len(line) and line[i] in _WHITESPACE:
        i += 1
    return i


def clean_records(
    text: str, name: str, clean: Callable[[str, int], Result]
) -> tuple[str, list[tuple[int, Result]], list[str]]:
    """Clean field `name` of every record; return the new text, the results by
    line number (1-based), and a message per line that could not be used
    (such lines are kept unchanged)."""
    out, results, problems = [], [], []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        if not body.strip():
            out.append(line)
            continue
        try:
            start, end = field_span(body, name)
            value = json.loads(body[start:end])
        except (RecordError, ValueError) as exc:
            problems.append(f"line {number}: {exc}")
            out.append(line)
            continue
        result = clean(value, number)
        results.append((number, result))
        if result.changed:
            line = body[:start] + json.dumps(result.text, ensure_ascii=False) + body[end:] + line[len(body) :]
        out.append(line)
    return "".join(out), results, problems


def clean_jsonl(
    text: str, name: str, clean: Callable[[str], Result], *, file: str | None = None, extra: dict | None = None
) -> tuple[str, list[dict], list[dict]]:
    """A JSON Lines text cleaned, with its change and review log rows; each row
    says which record (line) and field it is about."""
    clean_text, results, bad_lines = clean_records(text, name, lambda value, _: clean(value))
    where = {"field": name} | (extra or {})
    changes = [c.to_dict() | {"record": n} | where for n, r in results for c in r.changes]
    review = [v.to_dict() | {"record": n, "field": name} for n, r in results for v in r.review]
    review += [{"file": file, "reason": f"record not cleaned: {m}", "field": name} for m in bad_lines]
    return clean_text, changes, review
