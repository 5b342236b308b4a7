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

Your edits never go into the shipped gazetteers, which an upgrade replaces:
a spelling for a shipped entity is written as an extension (a table with
``extends = true``) into your user gazetteer (`edit_target`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import Table, Whitespace

from ..batch.corpus import write_edited
from ..gazetteer import (
    ENTITY_TYPES,
    USER_GAZETTEER_FILE,
    Entity,
    Gazetteer,
    GazetteerError,
    Problem,
    default_gazetteer_dir,
    load_gazetteers,
    user_gazetteer_dir,
)
from ..gazetteer.loading import EXTENDS
from .lint import lint

# The top of a user gazetteer file the commands create.
USER_FILE_HEADER = (
    "# Your additions to the gazetteers, written by `normalize gazetteer add` and\n"
    "# `normalize review`: kept here, outside the installed package, so an upgrade\n"
    "# keeps them. A table with `extends = true` adds to an entity defined elsewhere\n"
    "# (see gazetteers/README.md).\n"
)


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


def load_for_edit(gazetteers: Iterable[Path] = (), include_default: bool = True) -> Gazetteer:
    """The gazetteers an edit starts from; `EditError` if they do not load."""
    try:
        return load_gazetteers(gazetteers, include_default=include_default)
    except GazetteerError as exc:
        raise EditError("the gazetteers do not load", exc.problems) from None


def find_entity(entity_id: str, gazetteers: Iterable[Path] = (), include_default: bool = True) -> Entity:
    """The entity `entity_id` of the loaded gazetteers (as merged with its extensions)."""
    gaz = load_for_edit(gazetteers, include_default)
    try:
        return gaz.entity(entity_id)
    except KeyError:
        raise EditError(f"no entity with id {entity_id!r}; give --canonical and --type to create it") from None


def is_shipped(path: Path) -> bool:
    """Is `path` in the shipped gazetteers (the package's, or a checkout's ``gazetteers/``)?

    >>> is_shipped(default_gazetteer_dir() / "libya" / "people.toml"), is_shipped(Path("/tmp/mine.toml"))
    (True, False)
    """
    return path.resolve().is_relative_to(default_gazetteer_dir().resolve())


def user_gazetteer_file(gazetteers: Sequence[Path] = ()) -> Path:
    """Where your additions go: the first gazetteer you gave (``-g``, or the
    configuration's ``gazetteer``) outside the shipped folder, as its
    ``user.toml`` if a folder; else ``user.toml`` in `user_gazetteer_dir`.

    >>> user_gazetteer_file([default_gazetteer_dir(), Path("/srv/gaz.toml")])
    PosixPath('/srv/gaz.toml')
    """
    for root in gazetteers:
        if not is_shipped(root):
            return root / USER_GAZETTEER_FILE if root.is_dir() else root
    path = user_gazetteer_dir() / USER_GAZETTEER_FILE
    if is_shipped(path):
        raise EditError(
            f"{path} is inside the shipped gazetteers: set NORMALIZE_GAZETTEER_DIR elsewhere, or give --file"
        )
    return path


def edit_target(entity: Entity, gazetteers: Sequence[Path] = (), file: Path | None = None) -> Path:
    """The file a new spelling of `entity` is written to: `file` when given
    (a maintainer editing the shipped data names it); else the file that
    defines the entity, unless that is shipped; else `user_gazetteer_file`.

    >>> sirte = Entity("sirte", "place", (), str(default_gazetteer_dir() / "libya" / "places.toml"), 1, "LY")
    >>> edit_target(sirte, [Path("/srv/gaz.toml")])
    PosixPath('/srv/gaz.toml')
    """
    if file is not None:
        return file
    defined = Path(entity.file)
    return user_gazetteer_file(gazetteers) if is_shipped(defined) else defined


def add_spelling(
    entity: Entity,
    spelling: str,
    *,
    short: str | None = None,
    gazetteers: Sequence[Path] = (),
    include_default: bool = True,
    file: Path | None = None,
) -> str:
    """Add `spelling` to `entity` (as `find_entity` finds it in `gazetteers`),
    or to its short form `short`, in the file `edit_target` chooses; returns
    what was written where (`added`)."""
    path = edit_target(entity, gazetteers, file)
    add_variant(path, entity.id, spelling, short=short, gazetteers=gazetteers, include_default=include_default)
    return added(path, spelling, short or entity.canonical, entity.id)


def added(path: Path, spelling: str, canonical: str, entity_id: str) -> str:
    """What an edit says: the file written, the spelling and where it belongs.

    >>> added(Path("user.toml"), "Hiftar", "Haftar", "khalifa_haftar")
    "user.toml: 'Hiftar' added to Haftar [khalifa_haftar]"
    """
    return f"{path}: {spelling!r} added to {canonical} [{entity_id}]"


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
    (created if the entity has none with that canonical), in `path`: where
    it is defined, if there; else as an extension of it (``extends = true``,
    added to the one `path` has or appended; `path` is created if missing)."""
    doc = _parse(path) if path.exists() else tomlkit.parse(USER_FILE_HEADER)
    table = doc.get(entity_id)
    if isinstance(table, Table) and EXTENDS not in table:
        canonical = table.get("canonical")
    else:
        entity = find_entity(entity_id, [*gazetteers, *([path] if path.exists() else [])], include_default)
        canonical = entity.canonical
        _refuse_listed(entity, spelling, short)
        if not isinstance(table, Table):
            table = _new_extension(doc, entity_id)
    if short is None or short == canonical:
        _append_variant(table, spelling, canonical)
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
                _end_with_blank_line(table)
                table.append("short", forms)
            forms.append(form)
        _append_variant(form, spelling, short)
    _checked_write(path, tomlkit.dumps(doc), gazetteers, include_default)


def _blank_line_after(doc: tomlkit.TOMLDocument) -> None:
    """A blank line after what `doc` holds, before a table is appended to it."""
    text = tomlkit.dumps(doc)
    if text and not text.endswith("\n\n"):
        doc.add(tomlkit.nl())


def _end_with_blank_line(table: Table) -> None:
    """A blank line at the end of `table`, if it has none, before a sub-table is added."""
    body = table.value.body
    if body and not isinstance(body[-1][1], Whitespace):
        table.add(tomlkit.nl())


def _refuse_listed(entity: Entity, spelling: str, short: str | None) -> None:
    """`EditError` if the form `short` (else the full name) lists `spelling` already."""
    canonical = short or entity.canonical
    for form in entity.forms:
        if form.canonical.text == canonical:
            for listed in (form.canonical, *form.variants):
                if listed.text == spelling:
                    where = f"{entity.file_of(listed)}:{listed.line}"
                    raise EditError(f"{spelling!r} is listed already for {canonical!r}, at {where}")


def _new_extension(doc: tomlkit.TOMLDocument, entity_id: str) -> Table:
    """An empty ``[entity_id]`` table with ``extends = true``, appended to `doc`."""
    table = tomlkit.table()
    table.add(EXTENDS, True)
    _blank_line_after(doc)
    doc.add(entity_id, table)
    return doc[entity_id]


def add_entity(path: Path, entity: NewEntity, *, gazetteers: Iterable[Path] = (), include_default: bool = True) -> None:
    """Append a new entity table at the end of `path` (created if missing)."""
    if entity.type not in ENTITY_TYPES:
        raise EditError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {entity.type!r}")
    doc = _parse(path) if path.exists() else tomlkit.parse(USER_FILE_HEADER)
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
    _blank_line_after(doc)
    doc.add(entity.id, table)
    _checked_write(path, tomlkit.dumps(doc), [*gazetteers, path], include_default)


def _parse(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise EditError(f"{path}: cannot edit: {exc}") from None


def _append_variant(table: Table, spelling: str, canonical: str) -> None:
    variants = table.get("variants")
    if variants is None:
        variants = tomlkit.array()
        table.add("variants", variants)
    if spelling in variants or spelling == canonical:
        raise EditError(f"{spelling!r} is listed already for {canonical!r}")
    variants.append(spelling)


def _checked_write(path: Path, text: str, gazetteers: Iterable[Path], include_default: bool) -> None:
    """Refuse the edit if it brings a problem the files did not have; else
    write (making the folder of a first user gazetteer)."""
    others = [g for g in gazetteers if Path(g).resolve() != path.resolve()]
    before = {
        (p.code, p.message)
        for p in lint([*others, *([path] if path.exists() else [])], include_default=include_default)
    }
    after = lint([*others, path], include_default=include_default, texts={path: text})
    new = [p for p in after if (p.code, p.message) not in before]
    if new:
        raise EditError(f"{path}: the edit was not written: it would bring {len(new)} problem(s)", new)
    write_edited(path, text.encode("utf-8"))
