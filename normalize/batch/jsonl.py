"""JSON Lines: the one reader of every JSON Lines file, and the cleaning of
one string field of an input's records.

`read_lines` reads them all: the run's logs, its journal, the review
decisions and a JSON Lines input.  It yields each line decoded, or the
reason it is not usable, so every caller names a bad line the same way::

    >>> class Row(msgspec.Struct):
    ...     id: int
    >>> for number, row in read_lines(b'{"id": 7}\\n\\nnot json\\n{"id": "7"}\\n{}', msgspec.json.Decoder(Row).decode):
    ...     print(number, row)
    1 Row(id=7)
    3 BadLine(problem='not a JSON line')
    4 BadLine(problem="'id' is not an integer")
    5 BadLine(problem="no 'id' field")

In an input, only the cleaned field's value is re-encoded, and only when it
changed; the other fields, their order and spacing, and unchanged lines stay
byte for byte::

    >>> field_span('{"id": 7, "text": "Hafter"}', "text")
    (18, 26)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import AnyStr, TypeVar

import msgspec

from ..engine.records import Change, Result, ReviewItem

T = TypeVar("T")

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class BadLine:
    """Why a line of a JSON Lines file was not used."""

    problem: str


def read_lines(data: AnyStr, decode: Callable[[AnyStr], T]) -> Iterator[tuple[int, T | BadLine]]:
    """Each line of `data` that is not blank, with its number (from 1), as
    `decode` makes it, or a `BadLine` saying why it is not one (`decode`
    raises ValueError, msgspec's errors included).

    Lines end at a newline only, as JSON Lines says: a line separator that
    JSON carries unescaped inside a string (U+2028, U+0085) is part of the
    record.  A last line without its newline (torn by a crash) is read like
    any other: if it is incomplete it does not decode.
    """
    newline = b"\n" if isinstance(data, bytes) else "\n"
    for number, line in enumerate(data.split(newline), 1):
        if not line.strip():
            continue
        try:
            yield number, decode(line)
        except msgspec.ValidationError as exc:
            yield number, BadLine(_type_problem(str(exc)) + _reason(line))
        except msgspec.DecodeError:
            yield number, BadLine("not a JSON line")
        except ValueError as exc:
            yield number, BadLine(str(exc))


_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]+)`")
_EXPECTED = re.compile(r"Expected `(?P<kind>[^`]+)`, got `[^`]+`")
_KINDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "array": "a list",
    "object": "a JSON object",
    "str | null": "a string or null",
    "int | null": "an integer or null",
    "float | null": "a number or null",
}


def _type_problem(message: str) -> str:
    """msgspec's word for a line its type refuses, in the words of the
    warnings (``no 'start' field``, ``'margin' is not a number or null``).

    >>> _type_problem("Expected `str`, got `array` - at `$.candidates[0].entity`")
    "'candidates[0].entity' is not a string"
    """
    what, _, where = message.partition(" - at `$")
    where = where.rstrip("`").lstrip(".")
    if missing := _MISSING.fullmatch(what):
        name = missing["name"]
        return f"no {name!r} field" + (f" in {where!r}" if where else "")
    if expected := _EXPECTED.fullmatch(what):
        kind = _KINDS.get(expected["kind"], f"of type {expected['kind']}")
        return f"{where!r} is not {kind}" if where else f"not {kind}"
    what = what[:1].lower() + what[1:]
    return f"{where!r}: {what}" if where else what


class _Reason(msgspec.Struct):
    reason: str


_reason_decoder = msgspec.json.Decoder(_Reason)


def _reason(line: str | bytes) -> str:
    """The reason a refused line gives for itself, if it has one (a review
    line for a record a run could not clean says why)."""
    try:
        return f" ({_reason_decoder.decode(line).reason})"
    except ValueError:  # msgspec's errors, and text UTF-8 cannot carry
        return ""


class RecordError(ValueError):
    """A line that is not a JSON object with the wanted string field."""


class RecordNotCleaned(msgspec.Struct, frozen=True):
    """The review line for a record of a JSON Lines input that could not be
    cleaned (it is kept unchanged): it names no place, so ``normalize report``
    and ``normalize review`` skip it, with its reason."""

    file: str | None
    reason: str
    field: str


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
    lines = text.split("\n")
    results, problems = [], []

    def field_of(line: str) -> tuple[int, int, str]:
        start, end = field_span(line, name)
        return start, end, json.loads(line[start:end])

    for number, found in read_lines(text, field_of):
        if isinstance(found, BadLine):
            problems.append(f"line {number}: {found.problem}")
            continue
        start, end, value = found
        result = clean(value, number)
        results.append((number, result))
        if result.changed:
            line = lines[number - 1]
            # json.dumps, not msgspec: the text may hold a kept byte (a lone
            # surrogate), which goes back into the file as the byte it was
            lines[number - 1] = line[:start] + json.dumps(result.text, ensure_ascii=False) + line[end:]
    return "\n".join(lines), results, problems


def clean_jsonl(
    text: str, name: str, clean: Callable[[str], Result], *, file: str | None = None, extra: dict | None = None
) -> tuple[str, list[Change], list[ReviewItem | RecordNotCleaned]]:
    """A JSON Lines text cleaned, with its change and review records; each says
    which record (line) and field it is about (`extra`: more fields the
    changes get, such as the input's ``encoding``)."""
    clean_text, results, bad_lines = clean_records(text, name, lambda value, _: clean(value))
    where = {"field": name} | (extra or {})
    changes = [msgspec.structs.replace(c, record=n, **where) for n, r in results for c in r.changes]
    review: list[ReviewItem | RecordNotCleaned] = [
        msgspec.structs.replace(v, record=n, field=name) for n, r in results for v in r.review
    ]
    review += [RecordNotCleaned(file, f"record not cleaned: {m}", name) for m in bad_lines]
    return clean_text, changes, review
