"""Adding a rule to the ignore file, as `normalize review` does when a
spelling is rejected: the file keeps its comments and layout, is checked
after the edit, and is replaced atomically.

    >>> import tempfile; from pathlib import Path
    >>> from normalize.engine.ignore import load_ignore_file
    >>> path = Path(tempfile.mkdtemp()) / "normalize-ignore.toml"
    >>> add_rejection(path, "Sirt", "the Sirt hotel")
    >>> load_ignore_file(path).rules[0].text
    'Sirt'
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import tomlkit

from ..batch.corpus import write_edited
from ..engine.ignore import parse_ignore_text


def add_rejection(path: Path, text: str, reason: str, context: str | None = None, files: tuple[str, ...] = ()) -> None:
    """Append a rule for `text` to the ignore file (created if missing); the
    file is checked after the edit and replaced atomically."""
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else _new_file()
    rules = doc.get("ignore")
    if rules is None:
        rules = tomlkit.aot()
        doc.append("ignore", rules)
    table = tomlkit.table()
    table.add("text", text)
    table.add("reason", reason)
    if context:
        table.add("context", context)
    if files:
        table.add("files", list(files))
    table.add("added", date.today().isoformat())
    rules.append(table)
    new_text = tomlkit.dumps(doc)
    parse_ignore_text(new_text, path)  # never replace a good file with a broken one
    write_edited(path, new_text.encode("utf-8"))


def _new_file() -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Spellings normalize leaves alone. `normalize review` adds to this file; edit freely."))
    doc.add(tomlkit.comment('Each [[ignore]] has text = "..." (exact) or pattern = "..." (a regular expression),'))
    doc.add(tomlkit.comment("a reason, and optionally context (text that must be near) and files (globs)."))
    doc.add(tomlkit.nl())
    return doc
