"""The report's page: fixed HTML, CSS and script (``assets/``), with the run's data as JSON.

Safety rests on three things.  The data goes into a
``<script type="application/json">`` block as JSON with ``<``, ``>`` and
``&`` escaped, so no article text can close the block.  The script builds the page with ``textContent`` and
``createElement`` only, never ``innerHTML``.  And a Content-Security-Policy
allows no script but this page's own (by its hash), no network and no
plugins, so even a mistake in the first two could not run anything::

    >>> "</script>" in _embed({"text": "</script><script>alert(1)</script>"})
    False

Size: the data is UTF-8 (an Arabic letter is two bytes, not the six of a
``\\u`` escape), each mark is a row of values with its strings kept once in a
table (`page_form`), and past `PACK_ABOVE` characters the texts travel
gzip-compressed in parts of about `PART_SIZE`, which the page unpacks
(``DecompressionStream``) when a file of the part is opened.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources

from ..text.positions import SURROGATE

_ASSETS = "review/assets"

PACK_ABOVE = 1_000_000  # characters of text carried as plain JSON; a page with more compresses them
PART_SIZE = 256_000  # characters of text per compressed part: one part is unpacked per file opened

# The fields of a mark row, in order, after its kind (0 a change, 1 a review
# candidate); the page reads the same lists (`mark_fields`), so they are said once.
MARK_FIELDS = {
    "change": (
        "line", "at", "to", "before", "after", "entity", "method", "score", "gazetteer_file", "gazetteer_line",
        "rule", "runner_up", "margin", "record", "field",
    ),
    "review": (
        "line", "at", "to", "before", "spelling", "entity", "method", "signal", "reason", "candidates",
        "record", "field",
    ),
}  # fmt: skip
# fields whose strings repeat from mark to mark: each is kept once in the page's `strings`
STRING_FIELDS = (
    "before", "after", "spelling", "entity", "method", "signal", "reason", "gazetteer_file", "rule", "runner_up",
    "field",
)  # fmt: skip


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    """The page's HTML template, style and script (``assets/``), read once."""
    folder = resources.files("normalize").joinpath(_ASSETS)
    return tuple(folder.joinpath(f"report.{kind}").read_text("utf-8") for kind in ("html", "css", "js"))


def render_page(data: dict) -> str:
    """The whole page for `data` (see report.build_report_data)."""
    template, style, script = _assets()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    fills = {
        "policy": policy,
        "title": html.escape(f"normalize report: {data['run']['output']}"),
        "style": style,
        "data": _embed(page_form(data)),
        "script": script,
    }
    # one pass: nothing filled in is searched for placeholders again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fills[m.group(1)], template)


def page_form(data: dict, pack_above: int = PACK_ABOVE) -> dict:
    """`data` as the page carries it: each file's marks as rows (`mark_row`)
    over one table of strings, and its text compressed in a part (`pack`)
    when all texts together are longer than `pack_above` characters.
    `data` itself is left as it is.

    >>> form = page_form({"files": [{"name": "a.txt", "marks": [], "view": {"kind": "text", "pieces": []}}]})
    >>> form["files"][0]["marks"], form["parts"]
    ([], [])
    """
    strings: dict[str, int] = {}
    files = [{**f, "marks": [mark_row(m, strings) for m in f.get("marks", ())]} for f in data["files"]]
    texts = sum(len(p["text"]) for f in files for p in f.get("view", {}).get("pieces", ()))
    parts = pack(files) if texts > pack_above else []
    return {
        **data,
        "files": files,
        "parts": parts,
        "strings": list(strings),
        "mark_fields": MARK_FIELDS,
        "mark_strings": STRING_FIELDS,
    }


def mark_row(mark: dict, strings: dict[str, int]) -> list:
    """One mark (report._mark) as a row of values in `MARK_FIELDS` order, each
    repeating string as its place in `strings` (added there if new), and
    without the unset values at its end.

    >>> strings = {}
    >>> mark_row({"kind": "review", "before": "Hoftoor", "entity": "haftar", "line": 2,
    ...           "candidates": [{"canonical": "Haftar", "score": 80.0}]}, strings), list(strings)
    ([1, 2, None, None, 0, None, 1, None, None, None, [['Haftar', 80.0]]], ['Hoftoor', 'haftar'])
    """
    row: list = [0 if mark["kind"] == "change" else 1]
    for key in MARK_FIELDS[mark["kind"]]:
        value = mark.get(key)
        if key == "candidates":
            value = [[c["canonical"], c["score"]] for c in value or ()]
        elif key in STRING_FIELDS and isinstance(value, str):
            value = strings.setdefault(value, len(strings))
        row.append(value)
    while row[-1] is None:  # (most marks have no record, field, runner-up or margin)
        row.pop()
    return row


def pack(files: list[dict], part_size: int = PART_SIZE) -> list[str]:
    """Move the texts of `files` into compressed parts: each part is base64 of
    gzip of the JSON ``{file's place: its pieces}`` of consecutive files
    (about `part_size` characters), and the file's view keeps the part's
    number instead of its pieces.  Returns the parts."""
    parts: list[str] = []
    batch: dict[str, list] = {}
    size = 0
    for n, file in enumerate(files):
        view = file.get("view", {})
        if "pieces" not in view:
            continue
        batch[str(n)] = view["pieces"]
        size += sum(len(p["text"]) for p in view["pieces"])
        file["view"] = {"kind": view["kind"], "part": len(parts)}
        if size >= part_size:
            parts.append(_compress(batch))
            batch, size = {}, 0
    if batch:
        parts.append(_compress(batch))
    return parts


def _compress(value: object) -> str:
    # mtime=0: the same run makes the same page
    data = gzip.compress(_dumps(value, SURROGATE).encode("utf-8"), compresslevel=6, mtime=0)
    return base64.b64encode(data).decode("ascii")


def _embed(data: dict) -> str:
    """JSON that cannot end the script element it sits in."""
    return _dumps(data, _UNSAFE)


def _dumps(value: object, escape: re.Pattern[str]) -> str:
    """Compact JSON of `value`, each character as itself but those `escape`
    matches, which are written as ``\\u`` escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return escape.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


# <, > and &: markup; U+2028 and U+2029: line ends to older JavaScript; a
# lone surrogate (of a name that is not UTF-8): UTF-8 cannot carry it
_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
