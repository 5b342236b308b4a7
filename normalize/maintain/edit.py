r"""Editing gazetteer files in place, keeping their comments and layout.

An edit is checked before it is written: the edited text is loaded and
linted together with the other gazetteers, and refused if it brings a new
problem; only then is the file replaced (atomically)::

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "places.toml"
    >>> _ = path.write_text('[sirte]  # the city\ntype = "place"\ncanonical = "Sirte"\nvariants = ["Sirt"]\n')
    >>> add_variant(path, "sirte", "Syrte", include_default=False)
    >>> print(path.read_text())
    [sirte]  # the city
    type = "place"
    canonical = "Sirte"
    variants = ["Sirt", "Syrte"]
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import Table

from ..batch.corpus import write_atomic
from ..gazetteer import ENTITY_TYPES, Problem, load_gazetteers
from .lint import lint


class EditError(Exception):
    """An edit that cannot be made; nothing was written."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        super().__init__(message)


@dataclass(frozen=True)
class NewEntity:
    id: str
    type: str
    canonical: str
    variants: tuple[str, ...] = ()
    arabic: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: int | None = None
    ambiguous: bool = False
    source: str | None = None


def find_entity_file(entity_id: str, gazetteers: Iterable[Path] = (), include_default: bool = True) -> Path:
    """The file that defines `entity_id` among the loaded gazetteers."""
    gaz = load_gazetteers(gazetteers, include_default=include_default)
    try:
        return Path(gaz.entity(entity_id).file)
    except KeyError:
        raise EditError(f"no entity with id {entity_id!r}; give --canonical, --type and --file to create it") from None


def add_variant(
    path: Path,
    entity_id: str,
    spelling: str,
    *,
    short: str | None = None,
    gazetteers: Iterable[Path] = (),
    include_default: bool = True,
) -> None:
    """Add `spelling` to the entity's variants, or to its short form `short`
    (created if the entity has none with that canonical)."""
    doc = _parse(path)
    table = doc.get(entity_id)
    if not isinstance(table, Table):
        raise EditError(f"{path}: no entity [{entity_id}]")
    if short is None or short == table.get("canonical"):
        _append_variant(table, spelling)
    else:
        forms = table.get("short")
        form = next((f for f in forms or [] if f.get("canonical") == short), None)
        if form is None:
            form = tomlkit.table()
            form.add("canonical", short)
            form.add("variants", tomlkit.array())
            form.add(tomlkit.nl())
            if forms is None:
                forms = tomlkit.aot()
                table.append("short", forms)
            forms.append(form)
        _append_variant(form, spelling)
    _checked_write(path, tomlkit.dumps(doc), gazetteers, include_default)


def add_entity(path: Path, entity: NewEntity, *, gazetteers: Iterable[Path] = (), include_default: bool = True) -> None:
    """Append a new entity table at the end of `path` (created if missing)."""
    if entity.type not in ENTITY_TYPES:
        raise EditError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {entity.type!r}")
    doc = _parse(path) if path.exists() else tomlkit.document()
    if entity.id in doc:
        raise EditError(f"{path}: [{entity.id}] exists already")
    table = tomlkit.table()
    table.add("type", entity.type)
    table.add("canonical", entity.canonical)
    table.add("variants", list(entity.variants))
    if entity.arabic:
        table.add("arabic", list(entity.arabic))
    if entity.wikidata:
        table.add("wikidata", entity.wikidata)
    if entity.geonames:
        table.add("geonames", entity.geonames)
    if entity.ambiguous:
        table.add("ambiguous", True)
    if entity.source:
        table.add("source", entity.source)
    if len(doc):
        doc.add(tomlkit.nl())
    doc.add(entity.id, table)
    _checked_write(path, tomlkit.dumps(doc), [*gazetteers, path], include_default)


def _parse(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise EditError(f"{path}: cannot edit: {exc}") from None


def _append_variant(table: Table, spelling: str) -> None:
    variants = table.get("variants")
    if variants is None:
        variants = tomlkit.array()
        table.add("variants", variants)
    if spelling in variants or spelling == table.get("canonical"):
        raise EditError(f"{spelling!r} is listed already for {table.get('canonical')!r}")
    variants.append(spelling)


def _checked_write(path: Path, text: str, gazetteers: Iterable[Path], include_default: bool) -> None:
    """Refuse the edit if it brings a problem the files did not have; else write."""
    gazetteers = [*gazetteers, path]
    before = (
        {(p.code, p.message) for p in lint(gazetteers, include_default=include_default)} if path.exists() else set()
    )
    after = lint(gazetteers, include_default=include_default, texts={path: text})
    new = [p for p in after if (p.code, p.message) not in before]
    if new:
        raise EditError(f"{path}: the edit was not written: it would bring {len(new)} problem(s)", new)
    write_atomic(path, text.encode("utf-8"))
