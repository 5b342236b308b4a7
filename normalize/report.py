"""``normalize report``: one offline HTML page of what a run changed.

The page is built from a run's own outputs (the manifest, ``changes.jsonl``,
``review.jsonl`` and the clean copies), so it can be made at any time after
the run.  Everything from the articles and the gazetteers travels as JSON
data inside the page and is put into it as text, never as markup: a hostile
article renders as the characters it holds (report_page.py).  Large runs
stay quick to open: the file list is paged, a file's text is laid out only
when opened, and past a budget the page carries the lines around each
change instead of whole texts::

    >>> data = build_report_data(Path("no-such-run"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: no-such-run/.normalize/manifest.jsonl: not found; is no-such-run the output folder of a run?
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .journal import STATE_DIR
from .report_page import render_page

TEXT_BUDGET = 16_000_000  # characters of clean text carried whole; beyond it, lines around marks
_SNIPPET = 160  # characters kept on each side of a mark in snippet mode


@dataclass(frozen=True)
class ReportOptions:
    text_budget: int = TEXT_BUDGET


def write_report(output: Path, target: Path | None = None, options: ReportOptions = ReportOptions()) -> Path:
    """Build the report of the run in `output`; returns the file written."""
    from .corpus import write_atomic

    data = build_report_data(output, options)
    target = target or output / "report.html"
    write_atomic(target, render_page(data).encode("utf-8"))
    return target


def build_report_data(output: Path, options: ReportOptions = ReportOptions()) -> dict:
    """Everything the page shows, as plain JSON-ready values."""
    manifest = _read_jsonl(output / STATE_DIR / "manifest.jsonl", output)
    try:
        summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}  # a run from before summaries, or one stopped before its end
    changes = _read_jsonl(output / "changes.jsonl", output, required=False)
    review = _read_jsonl(output / "review.jsonl", output, required=False)
    files = [
        {
            "name": m["relative"],
            "source": m["file"],
            "changes": 0,
            "review": 0,
            "error": m.get("error"),
            "encoding": m.get("encoding"),
        }
        for m in manifest
    ]
    by_source = {m["file"]: n for n, m in enumerate(manifest)}
    marks: dict[int, list[dict]] = {}
    for kind, rows in (("change", changes), ("review", review)):
        for row in rows:
            n = by_source.get(row["file"])
            if n is None:
                continue
            files[n]["changes" if kind == "change" else "review"] += 1
            marks.setdefault(n, []).append(_mark(kind, row))
    carried = sum(_size(output / files[n]["name"]) for n in marks if "record" not in marks[n][0])
    whole = carried <= options.text_budget
    for n, file_marks in marks.items():
        file_marks.sort(key=lambda m: (m.get("record", 0), m["start"], m["kind"] != "change"))
        files[n]["marks"] = file_marks
        files[n]["view"] = _view(output / files[n]["name"], file_marks, whole)
    return {
        "run": {
            "output": str(output),
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "version": __version__,
            "files": len(files),
            "changed_files": sum(1 for f in files if f["changes"]),
            "changes": len(changes),
            "review": len(review),
            "errors": sum(1 for f in files if f["error"]),
            "texts": "whole" if whole else "lines around each mark",
            "exit_code": summary.get("exit_code", "not written (stopped?)"),
            "interrupted": summary.get("interrupted", False),
        },
        "entities": Counter(c["entity"] for c in changes).most_common(),
        "methods": Counter(c["method"] for c in changes).most_common(),
        "review_methods": Counter(r["method"] for r in review).most_common(),
        "gazetteer_files": Counter(c["gazetteer_file"] for c in changes).most_common(),
        "files": files,
    }


def _mark(kind: str, row: dict) -> dict:
    mark = {
        "kind": kind,
        "start": row["start"],
        "end": row["end"],
        "line": row["line"],
        "method": row["method"],
    }
    if kind == "change":
        mark.update(before=row["before"], after=row["after"], entity=row["entity"], score=row["score"])
        mark.update(gazetteer=f"{row['gazetteer_file']}:{row['gazetteer_line']}")
    else:
        mark.update(before=row["text"], reason=row["reason"], candidates=row["candidates"])
        mark["entity"] = row["candidates"][0]["entity"] if row["candidates"] else ""
    if "record" in row:  # JSON Lines: offsets are inside one field of one record
        mark.update(record=row["record"], field=row.get("field", ""))
    return mark


def _view(path: Path, marks: list[dict], whole: bool) -> dict:
    """The clean text (or pieces of it) with each mark placed in it."""
    if any("record" in m for m in marks):
        return {"kind": "list", "note": "JSON Lines: the changes are listed by record"}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return {"kind": "list", "note": f"the clean copy cannot be read: {exc.strerror or exc}"}
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
        return {"kind": "text", "pieces": [{"offset": 0, "text": text}]}
    pieces: list[dict] = []
    for mark in marks:
        lo, hi = max(0, mark["at"] - _SNIPPET), min(len(text), mark["to"] + _SNIPPET)
        if pieces and lo <= pieces[-1]["end"]:
            pieces[-1]["end"] = max(pieces[-1]["end"], hi)
        else:
            pieces.append({"offset": lo, "end": hi})
    return {"kind": "text", "pieces": [{"offset": p["offset"], "text": text[p["offset"] : p["end"]]} for p in pieces]}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_jsonl(path: Path, output: Path, required: bool = True) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        if required:
            raise FileNotFoundError(f"{path}: not found; is {output} the output folder of a run?") from None
        return []
    rows = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not a JSON line: {exc}") from None
    return rows
