"""``normalize report``: one offline HTML page of what a run changed.

The page is built from a run's own outputs (the manifest, ``changes.jsonl``,
``review.jsonl`` and the clean copies), so it can be made at any time after
the run.  Everything from the articles and the gazetteers travels as JSON
data inside the page and is put into it as text, never as markup: a hostile
article renders as the characters it holds (page.py).  Large runs
stay quick to open: the file list is paged, a file's text is laid out only
when opened, and past a budget the page carries the lines around each
change instead of whole texts::

    >>> data = build_report_data(Path("no-such-run"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: no-such-run/.normalize/manifest.jsonl: not found; is no-such-run the output folder of a run?

The logs are data, not orders: a file is read only at a place below the
output folder (`inside_output`: relative, no ``..``, and still inside once
every link is resolved), and a log line that does not decode as the record
the run wrote (a `Change`, a `ReviewItem`, a `ManifestLine`: every field, of
its type) is skipped with a warning naming it (`read_log`)::

    >>> inside_output(Path("out"), "../secret.txt") is None, inside_output(Path("out"), "/etc/passwd") is None
    (True, True)
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import msgspec
from msgspec import UNSET

from ..batch.corpus import path_of_display
from ..batch.journal import STATE_DIR, ManifestLine
from ..batch.jsonl import BadLine, read_lines
from ..batch.runfolder import CHANGES_LOG, REPORT_PAGE, REVIEW_LOG, SUMMARY
from ..engine.records import Change, ReviewItem
from ..text.positions import without_surrogates
from ..text.tokens import without_article
from ..version import __version__
from .page import render_page

T = TypeVar("T")

# characters of clean text carried whole; beyond it, lines around marks (the
# page compresses texts: some 12 to 16 MB of page)
TEXT_BUDGET = 32_000_000
TOP_FILES = 10  # the files with the most changes, on the first screen
_SNIPPET = 160  # characters kept on each side of a mark in snippet mode


Warn = Callable[[str], None]  # one line about a log record that was skipped


def warn_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


@dataclass(frozen=True)
class ReportOptions:
    text_budget: int = TEXT_BUDGET
    # each entity's canonical name by id, from the gazetteers the report is
    # made with (the logs name entities by id only); others as `entity_names` says
    names: Mapping[str, str] = field(default_factory=dict)


def write_report(
    output: Path, target: Path | None = None, options: ReportOptions = ReportOptions(), warn: Warn = warn_stderr
) -> Path:
    """Build the report of the run in `output`; returns the file written."""
    from ..batch.corpus import write_atomic

    data = build_report_data(output, options, warn)
    target = target or output / REPORT_PAGE
    write_atomic(target, render_page(data).encode("utf-8"))
    return target


def build_report_data(output: Path, options: ReportOptions = ReportOptions(), warn: Warn = warn_stderr) -> dict:
    """Everything the page shows, as plain JSON-ready values; each log line
    that cannot be used is left out, with a warning."""
    skipped = 0

    def skip(message: str) -> None:
        nonlocal skipped
        skipped += 1
        warn(message)

    def clean_copy(m: ManifestLine) -> str | None:
        if inside_output(output, m.relative) is None:
            return f"its place {m.relative!r} is not inside {output}"
        return None

    manifest = read_log(output, f"{STATE_DIR}/manifest.jsonl", skip, ManifestLine, check=clean_copy, required=True)
    summary = _read_summary(output, skip)
    by_source = {m.file: n for n, m in enumerate(manifest)}

    def known_file(row: Change | ReviewItem) -> str | None:
        return None if row.file in by_source else f"its file {row.file!r} is not among the run's files"

    changes = read_log(output, CHANGES_LOG, skip, Change, check=known_file)
    review = read_log(output, REVIEW_LOG, skip, ReviewItem, check=known_file)
    files = [
        {"name": m.relative, "source": m.file, "changes": 0, "review": 0, "error": m.error, "encoding": m.encoding}
        for m in manifest
    ]
    marks: dict[int, list[dict]] = {}
    for kind, rows in (("change", changes), ("review", review)):
        for row in rows:
            n = by_source[row.file]
            files[n]["changes" if kind == "change" else "review"] += 1
            marks.setdefault(n, []).append(_mark(row))
    copies = {n: inside_output(output, files[n]["name"]) for n in marks}
    carried = sum(_size(copies[n]) for n in marks if "record" not in marks[n][0])
    whole = carried <= options.text_budget
    for n, file_marks in marks.items():
        file_marks.sort(key=lambda m: (m.get("record", 0), m["start"], m["kind"] != "change"))
        files[n]["marks"] = file_marks
        files[n]["view"] = _view(copies[n], file_marks, whole, files[n]["encoding"])
    return {
        "run": {
            "output": str(output),
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "version": __version__,
            "files": len(files),
            "changed_files": sum(1 for f in files if f["changes"]),
            "changes": len(changes),
            "review": len(review),
            # the two review signals apart (a run from before them has neither: "not recorded")
            "cannot_choose": sum(1 for r in review if r.signal == "cannot_choose"),
            "probably_none": sum(1 for r in review if r.signal == "probably_none"),
            "errors": sum(1 for f in files if f["error"]),
            "texts": "whole" if whole else "lines around each mark",
            "exit_code": summary.get("exit_code", "not written (stopped?)"),
            "interrupted": summary.get("interrupted", False),
            "skipped": skipped,
        },
        "names": entity_names(changes, review, options.names),
        "top_files": top_files(files),
        "spellings": review_spellings(review),
        "entities": Counter(c.entity for c in changes).most_common(),
        "methods": Counter(c.method for c in changes).most_common(),
        "review_methods": Counter(r.method for r in review).most_common(),
        "review_signals": Counter(r.signal or "not recorded" for r in review).most_common(),
        "gazetteer_files": Counter(c.gazetteer_file for c in changes).most_common(),
        "files": files,
    }


def entity_names(
    changes: Iterable[Change], review: Iterable[ReviewItem], known: Mapping[str, str] = {}
) -> dict[str, str]:
    """Each entity's canonical name, by its id: as `known` (the gazetteers
    the report is made with) says, else as a review candidate carries it,
    else `canonical_spelling` of what its changes wrote (the canonical as
    the text needed it: without an article, in capitals).  (The logs name
    the gazetteer file, but the report reads nothing outside the output
    folder.)"""
    names: dict[str, str] = {}
    for row in review:
        for candidate in row.candidates:
            names.setdefault(candidate["entity"], known.get(candidate["entity"], candidate["canonical"]))
    written: dict[str, list[str]] = {}
    for change in changes:
        written.setdefault(change.entity, []).append(change.after)
    for entity, spellings in written.items():
        names.setdefault(entity, known.get(entity) or canonical_spelling(spellings))
    return names


def canonical_spelling(written: list[str]) -> str:
    """The spelling a run wrote for an entity that most likely is its
    canonical: the most frequent, leaving out capitals and line breaks (a
    name shaped to the text around it) while there is any other; the longer
    on a tie (one with its article).

    >>> canonical_spelling(["SIRTE", "Sirte", "Sir\\nte", "SIRTE"]), canonical_spelling(["Khums", "Al-Khums"])
    ('Sirte', 'Al-Khums')
    """
    plain = [s for s in written if "\n" not in s and "\r" not in s and not (s.isupper() and len(s) > 1)]
    counts = Counter(plain or written)
    return max(counts, key=lambda s: (counts[s], len(s), s))


def top_files(files: list[dict], count: int = TOP_FILES) -> list[int]:
    """The places in `files` of the `count` files with the most changes (then
    the most review candidates), most first; a file with neither is not one.

    >>> top_files([{"changes": 1, "review": 0}, {"changes": 0, "review": 0}, {"changes": 5, "review": 0}])
    [2, 0]
    """
    touched = [n for n, f in enumerate(files) if f["changes"] or f["review"]]
    return sorted(touched, key=lambda n: (-files[n]["changes"], -files[n]["review"], n))[:count]


def review_spellings(review: Iterable[ReviewItem]) -> list[dict]:
    """The spellings left for review, grouped as ``normalize review`` asks
    about them (without a glued article), most frequent first: how often and
    in how many files each occurs, its commonest signal and the canonical
    names of its first occurrence's candidates."""
    from .session import group_review  # (session imports this module)

    return [
        {
            "spelling": group.spelling,
            "count": group.count,
            "files": len({p.file for p in group.places}),
            # not `group.signals`: places without a signal count too (a group logged mostly before signals shows none)
            "signal": Counter(p.signal for p in group.places).most_common(1)[0][0],
            "candidates": [c["canonical"] for c in group.candidates],
        }
        for group in group_review(review)
    ]


def _mark(row: Change | ReviewItem) -> dict:
    """What the page shows of one change or review record."""
    mark = {
        "kind": "change" if isinstance(row, Change) else "review",
        "start": row.start,
        "end": row.end,
        "line": row.line,
        "method": row.method,
    }
    if isinstance(row, Change):
        mark.update(before=row.before, after=row.after, entity=row.entity, score=row.score)
        mark.update(gazetteer_file=row.gazetteer_file, gazetteer_line=row.gazetteer_line)
        mark.update(rule=row.rule, runner_up=row.runner_up, margin=row.margin)
    else:
        mark.update(before=row.text, reason=row.reason, candidates=row.candidates, signal=row.signal)
        mark.update(spelling=without_article(row.text))  # as `normalize review` asks about it
        mark["entity"] = row.candidates[0]["entity"] if row.candidates else ""
    if row.record is not UNSET:  # JSON Lines: offsets are inside one field of one record
        mark.update(record=row.record, field="" if row.field is UNSET else row.field)
    return mark


def _view(path: Path | None, marks: list[dict], whole: bool, encoding: str | None = None) -> dict:
    """The clean text (or pieces of it) with each mark placed in it;
    `encoding` is the input's, which a run with ``--output-encoding
    original`` wrote the clean copy in."""
    if any("record" in m for m in marks):
        return {"kind": "list", "note": "JSON Lines: the changes are listed by record"}
    if path is None:
        return {"kind": "list", "note": "the clean copy is not inside the output folder: not read"}
    data = read_regular(path)
    if isinstance(data, str):
        return {"kind": "list", "note": f"the clean copy: {data}"}
    text = _clean_text(data, encoding)
    # Offsets are those of the input; in the clean text each change moved what follows it.
    shift = 0
    for mark in marks:
        mark["at"] = mark["start"] + shift
        if mark["kind"] == "change":
            mark["to"] = mark["at"] + len(mark["after"])
            shift += len(mark["after"]) - len(mark["before"])
        else:
            mark["to"] = mark["at"] + (mark["end"] - mark["start"])
    if whole:
        spans = [(0, len(text))]
    else:
        spans = []
        for mark in marks:
            lo, hi = max(0, mark["at"] - _SNIPPET), min(len(text), mark["to"] + _SNIPPET)
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
            else:
                spans.append((lo, hi))
    lines = _input_lines(text, [lo for lo, _ in spans], marks)
    # The page slices these texts in JavaScript, which counts UTF-16 units
    units = utf16_offsets(text)
    for mark in marks:
        mark["at"], mark["to"] = units(mark["at"]), units(mark["to"])
    pieces = [
        {"offset": units(lo), "line": line, "text": text[lo:hi]} for (lo, hi), line in zip(spans, lines, strict=True)
    ]
    return {"kind": "text", "pieces": pieces}


def _clean_text(data: bytes, encoding: str | None) -> str:
    """A clean copy's text: UTF-8, else (a run that kept each file's own
    encoding) in its input's encoding, else UTF-8 with each byte kept from a
    damaged input as one character, as the offsets count it.

    >>> _clean_text("Syrte, à Sirte".encode("cp1252"), "windows-1252"), _clean_text(b"Sirte \\xff", "utf-8")
    ('Syrte, à Sirte', 'Sirte \ufffd')
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if encoding and encoding != "utf-8":
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):  # (the manifest is read, not trusted)
            pass
    return without_surrogates(data.decode("utf-8", "surrogateescape"))


def _input_lines(text: str, starts: list[int], marks: list[dict]) -> list[int]:
    """The line of the input each of `starts` (ascending places in the clean
    `text`) falls on: the clean text's line, moved by the line breaks the
    changes before it took out or put in."""
    lines, line, last, k = [], 1, 0, 0
    changes = [m for m in marks if m["kind"] == "change"]
    for start in starts:
        line, last = line + text.count("\n", last, start), start
        while k < len(changes) and changes[k]["to"] <= start:
            line += changes[k]["before"].count("\n") - changes[k]["after"].count("\n")
            k += 1
        lines.append(line)
    return lines


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A function from a place in `text` (in characters) to the same place
    counted as JavaScript does, in UTF-16 units: a character past U+FFFF
    (an emoji, say) is two.

    >>> utf16_offsets("\N{GRINNING FACE} Sirt")(2), utf16_offsets("Sirt")(2)
    (3, 2)
    """
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda place: place
    return lambda place: place + bisect_left(astral, place)


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def inside_output(output: Path, relative: str) -> Path | None:
    """Where `relative`, a place read from a run's logs, is: a path below
    `output` with every link resolved, or None when it is not one (absolute,
    with ``..``, or leading out of `output` through a link)."""
    if not isinstance(relative, str) or not relative or "\0" in relative:
        return None
    place = path_of_display(relative)  # (names that are not UTF-8 are logged escaped)
    if place.is_absolute() or place.drive or ".." in place.parts:
        return None
    try:
        root = output.resolve()
        path = (output / place).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a name the system refuses
        return None
    return path if path.is_relative_to(root) and path != root else None


def read_log(
    output: Path,
    name: str,
    warn: Warn,
    kind: type[T],
    check: Callable[[T], str | None] | None = None,
    required: bool = False,
) -> list[T]:
    """The usable lines of the log `name` in `output`: those that decode as
    `kind` and pass `check` (which says what is wrong, or None).  Every other
    line is skipped with a warning naming it.  A log that is missing (or
    leads out of `output`) is an error if `required`, else none."""
    path = output / name
    data = _read_inside(output, name)
    if isinstance(data, str):
        if required and data == "not found":
            raise FileNotFoundError(f"{path}: not found; is {output} the output folder of a run?")
        if required:
            raise ValueError(f"{path}: {data}; not read")
        if data != "not found":
            warn(f"{path}: {data}; not read")
        return []
    rows = []
    for n, row in read_lines(data, msgspec.json.Decoder(kind).decode):
        problem = row.problem if isinstance(row, BadLine) else check(row) if check is not None else None
        if problem is not None:
            warn(f"{path}:{n}: skipped: {problem}")
            continue
        rows.append(row)
    return rows


def _read_summary(output: Path, warn: Warn) -> dict:
    data = _read_inside(output, SUMMARY)
    if isinstance(data, str):
        if data != "not found":  # else a run from before summaries, or one stopped before its end
            warn(f"{output / SUMMARY}: {data}; not read")
        return {}
    try:
        summary = json.loads(data.decode("utf-8"))
    except ValueError:
        summary = None
    if not isinstance(summary, dict):
        warn(f"{output / 'summary.json'}: skipped: not a JSON object")
        return {}
    return summary


def _read_inside(output: Path, name: str) -> bytes | str:
    """The bytes of `name` in `output`, or why they were not read."""
    path = inside_output(output, name)
    if path is None:
        return "not found" if not os.path.lexists(output / name) else f"leads out of {output}"
    return read_regular(path)


def read_regular(path: Path) -> bytes | str:
    """The bytes of the regular file `path`, or why they were not read.  The
    last step is not followed if it is a link (one swapped in after a check
    is refused), and a pipe or a device is not waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return "not found"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    with os.fdopen(fd, "rb") as stream:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return "not a regular file"
            return stream.read()
        except OSError as exc:
            return f"cannot be read: {exc.strerror or exc}"
