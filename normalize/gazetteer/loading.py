"""Gazetteer files: schema, loading and validation.

A gazetteer is a folder of TOML files, one table per entity (see
``gazetteers/README.md``).  Loading is all or nothing: every problem in every
file is collected with its file and line, and a single `GazetteerError`
lists them, so a broken file never yields a half-loaded gazetteer::

    >>> gaz = load_gazetteers()                      # the shipped files
    >>> gaz.entity("khalifa_haftar").canonical
    'Khalifa Haftar'

A table with ``extends = true`` adds spellings to an entity another file
defines (your own variants of a shipped name, kept outside the package);
they are merged into the entity, each keeping its own file and line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..text.script import ARABIC_LETTERS
from ..text.tokens import WORD, name_tuples, spelling_problem
from ..text.toml_text import NESTED_TOO_DEEP, TomlLines, deep_nesting_line, syntax_error
from .files import (
    gazetteer_digest,
    gazetteer_files,
    gazetteer_roots,
)
from .model import (
    ENTITY_TYPES,
    EXPANDED_TYPES,
    MAX_EXPANSIONS,
    MAX_SPELLING_CHARS,
    MAX_SPELLING_WORDS,
    Entity,
    Form,
    Gazetteer,
    GazetteerError,
    Kept,
    Problem,
    Spelling,
    Synonym,
    iter_spellings,
)
from .synonyms import count_expansions, entity_synonyms, synonym_table

_ENTITY_KEYS = {
    "type",
    "canonical",
    "variants",
    "short",
    "arabic",
    "wikidata",
    "geonames",
    "ambiguous",
    "context",
    "keep",
    "lookalikes",
    "source",
    "notes",
    "word_variants",
    "word_order",
}
_FORM_KEYS = {"canonical", "variants", "ambiguous", "source", "notes"}
# A table with `extends = true` adds to an entity defined in another file: it
# may only add to lists; what makes the entity (its names, type, ids, flags)
# stays where it is defined, so two files can never disagree about it.
EXTENDS = "extends"
_EXTENSION_KEYS = {EXTENDS, "variants", "short", "arabic", "context", "keep", "lookalikes", "source", "notes"}
_DEFINING_KEYS = _ENTITY_KEYS - _EXTENSION_KEYS
_META_KEYS = {"region", "context", "keep", "source", "notes"}
_META_TABLES = {"synonyms"}  # [gazetteer.synonyms]
META_TABLE = "gazetteer"
_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_ARABIC = re.compile(f"[{ARABIC_LETTERS}]+(?: [{ARABIC_LETTERS}]+)*")


def load_gazetteers(
    paths: Iterable[str | Path] = (),
    *,
    include_default: bool = True,
    texts: Mapping[Path, str] | None = None,
) -> Gazetteer:
    """Load and validate gazetteer files and folders; raise `GazetteerError`.

    `texts` gives the content to use for some files instead of what is on
    disk, so an edit can be checked before it is written.
    """
    roots = gazetteer_roots(paths, include_default)
    problems: list[Problem] = []
    entities: list[Entity] = []
    region_context: dict[str, dict[str, None]] = {}  # insertion-ordered sets
    keep: list[Kept] = []
    synonyms: dict[str, list[Synonym]] = {}
    extensions: list[_Extension] = []
    declared: set[str] = set()  # every id a file defines, loaded or not
    files = gazetteer_files(roots)
    if not files:
        raise GazetteerError(
            [Problem(str(p), 0, "no gazetteer files found") for p in roots]
            or [Problem("-", 0, "no gazetteer files given")]
        )
    replaced = {Path(p).resolve(): text for p, text in (texts or {}).items()}
    for path in files:
        parsed = _parse_file(path, problems, replaced.get(path.resolve()))
        if parsed is None:
            continue
        region, context, file_keep, file_entities, file_synonyms, file_extensions, file_ids = parsed
        region_context.setdefault(region, {}).update(dict.fromkeys(context))
        keep.extend(file_keep)
        entities.extend(file_entities)
        synonyms.setdefault(region, []).extend(file_synonyms)
        extensions.extend(file_extensions)
        declared.update(file_ids)
    entities = _merge_extensions(entities, extensions, declared, problems)
    _check_across_files(entities, problems)
    _check_synonyms(entities, synonyms, problems)
    if problems:
        raise GazetteerError(problems)
    return Gazetteer(
        entities=tuple(entities),
        files=tuple(str(f) for f in files),
        region_context={r: tuple(ws) for r, ws in region_context.items()},
        keep=tuple(keep),
        digest=gazetteer_digest(files, replaced),
        synonyms={r: tuple(rules) for r, rules in synonyms.items() if rules},
    )


def _parse_file(
    path: Path, problems: list[Problem], text: str | None = None
) -> tuple[str, list[str], list[Kept], list[Entity], list[Synonym], list[_Extension], set[str]] | None:
    name = str(path)
    try:
        raw = path.read_bytes() if text is None else text.encode("utf-8")
    except OSError as exc:
        problems.append(Problem(name, 0, f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, line, "not valid UTF-8"))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error(exc, text)
        problems.append(Problem(name, line, f"TOML syntax: {message}"))
        return None
    except RecursionError:  # tomllib recurses once per level of [ or {
        problems.append(Problem(name, deep_nesting_line(text), f"TOML syntax: {NESTED_TOO_DEEP}"))
        return None
    where = TomlLines(text)
    meta = data.pop(META_TABLE, {})
    region = path.parent.name if path.parent.name else path.stem
    context: list[str] = []
    keep: list[Kept] = []
    synonyms: list[Synonym] = []
    if not isinstance(meta, dict):
        problems.append(Problem(name, where.header(META_TABLE), f"[{META_TABLE}] must be a table"))
    else:

        def report(message: str) -> None:
            problems.append(Problem(name, where.header(META_TABLE), f"[{META_TABLE}] {message}"))

        for key in sorted(set(meta) - _META_KEYS - _META_TABLES):
            report(f"unknown key {key!r} (expected one of: {', '.join(sorted(_META_KEYS))})")
        region = meta.get("region", region)
        if not isinstance(region, str):
            report("'region' must be a string")
        context = _strings(meta.get("context", []), "'context'", report)
        for word in _strings(meta.get("keep", []), "'keep'", report):
            line = where.find_in(where.block(META_TABLE), word)
            if reason := _spelling_problem(word):
                problems.append(Problem(name, line, f"[{META_TABLE}] keep {_shown(word)} {reason}"))
            keep.append(Kept(word, name, line, region))
        table = f"{META_TABLE}.synonyms"
        block = where.block(table) if where.has_header(table) else where.block(META_TABLE)
        synonyms = _parse_synonyms(
            meta.get("synonyms", {}),
            f"[{table}]",
            name,
            where,
            block,
            lambda m, at: problems.append(Problem(name, at, m)),
        )
    entities = []
    extensions = []
    ids = set()
    for entity_id, table in data.items():
        if isinstance(table, dict) and EXTENDS in table:
            extension = _parse_extension(entity_id, table, name, where, problems)
            if extension is not None:
                extensions.append(extension)
            continue
        ids.add(entity_id)
        entity = _parse_entity(entity_id, table, name, region, where, problems)
        if entity is not None:
            entities.append(entity)
    return region, context, keep, entities, synonyms, extensions, ids


def _parse_entity(
    entity_id: str, table: object, file: str, region: str, where: TomlLines, problems: list[Problem]
) -> Entity | None:
    line = where.header(entity_id)
    before = len(problems)

    def problem(message: str, at: int = line) -> None:
        problems.append(Problem(file, at, f"{entity_id}: {message}"))

    if not isinstance(table, dict):
        problem("must be a table: [" + entity_id + "]")
        return None
    if not _ID.fullmatch(entity_id):
        problem("id must be lowercase ASCII letters and digits joined by '_'")
    for key in sorted(set(table) - _ENTITY_KEYS):
        problem(f"unknown key {key!r} (expected one of: {', '.join(sorted(_ENTITY_KEYS))})")
    kind = table.get("type")
    if kind not in ENTITY_TYPES:
        problem(f"'type' must be one of {', '.join(ENTITY_TYPES)}, not {kind!r}")
    forms = [_parse_form(table, where, where.block(entity_id), problem)]
    for i, short in _short_tables(table, entity_id, where, problem):
        forms.append(_parse_form(short, where, where.block(f"{entity_id}.short", i), problem))
    arabic = _parse_arabic(table, entity_id, where, problem)
    wikidata = table.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA.fullmatch(wikidata)):
        problem(f"'wikidata' must look like \"Q123\", not {wikidata!r}", where.find(entity_id, "wikidata"))
    geonames = table.get("geonames")
    if geonames is not None and (not isinstance(geonames, int) or isinstance(geonames, bool) or geonames <= 0):
        problem(f"'geonames' must be a positive integer, not {geonames!r}", where.find(entity_id, "geonames"))
    context = _strings(table.get("context", []), "'context'", problem)
    keep = _parse_keep(table, entity_id, where, problem)
    lookalikes = _strings(table.get("lookalikes", []), "'lookalikes'", problem)
    word_variants = _parse_synonyms(
        table.get("word_variants", {}), "'word_variants'", file, where, where.block(entity_id), problem
    )
    word_order = table.get("word_order", False)
    if not isinstance(word_order, bool):
        problem("'word_order' must be true or false", where.find(entity_id, "word_order"))
    if (word_variants or word_order is True) and kind in ENTITY_TYPES and kind not in EXPANDED_TYPES:
        problem(f"'word_variants' and 'word_order' apply to {' and '.join(EXPANDED_TYPES)} names only, not {kind!r}")
    source = table.get("source")
    if len(problems) > before or any(f is None for f in forms):
        return None
    return Entity(
        id=entity_id,
        type=kind,
        forms=tuple(forms),
        file=file,
        line=line,
        region=region,
        arabic=tuple(arabic),
        wikidata=wikidata,
        geonames=geonames,
        context=tuple(context),
        keep=tuple(keep),
        lookalikes=tuple(lookalikes),
        source=source if isinstance(source, str) else None,
        word_variants=tuple(word_variants),
        word_order=word_order is True,
    )


def _parse_arabic(table: dict, entity_id: str, where: TomlLines, problem: Callable[..., None]) -> list[str]:
    """An entity's (or extension's) ``arabic`` list, each form checked."""
    arabic = _strings(table.get("arabic", []), "'arabic'", problem)
    for text in arabic:
        if reason := _length_problem(text, len(text.split())):
            problem(f"arabic form {_shown(text)} {reason}", where.find(entity_id, text, "arabic"))
        elif not _ARABIC.fullmatch(text):
            problem(
                f"arabic form {text!r} must hold Arabic letters and single spaces only",
                where.find(entity_id, text, "arabic"),
            )
    return arabic


def _parse_keep(table: dict, entity_id: str, where: TomlLines, problem: Callable[..., None]) -> list[Spelling]:
    """An entity's (or extension's) ``keep`` words, each checked like a spelling."""
    keep = [Spelling(k, where.find(entity_id, k, "keep")) for k in _strings(table.get("keep", []), "'keep'", problem)]
    for spelling in keep:
        if reason := _spelling_problem(spelling.text):
            problem(f"keep {_shown(spelling.text)} {reason}", spelling.line)
    return keep


@dataclass(frozen=True)
class _Extension:
    """A table with ``extends = true``: what it adds to an entity defined elsewhere.

    Its spellings carry their file (`Spelling.file`); each short form is
    (its canonical, its variants, its `ambiguous` if the table gives one).
    """

    id: str
    file: str
    line: int
    variants: tuple[Spelling, ...]
    shorts: tuple[tuple[Spelling, tuple[Spelling, ...], bool | None], ...]
    arabic: tuple[str, ...]
    context: tuple[str, ...]
    keep: tuple[Spelling, ...]
    lookalikes: tuple[str, ...]


def _parse_extension(
    entity_id: str, table: dict, file: str, where: TomlLines, problems: list[Problem]
) -> _Extension | None:
    """A table that adds to an entity defined elsewhere; `problems` get the
    ``file:line`` of each key it may not set (``canonical``, ``type``...)."""
    line = where.header(entity_id)
    before = len(problems)

    def problem(message: str, at: int = line) -> None:
        problems.append(Problem(file, at, f"{entity_id}: {message}"))

    if table[EXTENDS] is not True:
        problem(
            f"'{EXTENDS}' must be true (leave it out where the entity is defined)", _key_at(where, entity_id, EXTENDS)
        )
    for key in sorted(set(table) & _DEFINING_KEYS):
        problem(
            f"an extension ({EXTENDS} = true) cannot set {key!r}: it belongs where the entity is defined; "
            f"an extension only adds {', '.join(sorted(_EXTENSION_KEYS - {EXTENDS, 'source', 'notes'}))}",
            _key_at(where, entity_id, key),
        )
    for key in sorted(set(table) - _ENTITY_KEYS - _EXTENSION_KEYS):
        problem(f"unknown key {key!r} (expected one of: {', '.join(sorted(_EXTENSION_KEYS))})")
    block = where.block(entity_id)
    variants = _listed(_strings(table.get("variants", []), "'variants'", problem), where, block, problem)
    shorts = []
    for i, short in _short_tables(table, entity_id, where, problem):
        form = _parse_form(short, where, where.block(f"{entity_id}.short", i), problem)
        if form is not None:
            ambiguous = form.ambiguous if "ambiguous" in short else None
            shorts.append((_in_file(form.canonical, file), tuple(_in_file(v, file) for v in form.variants), ambiguous))
    arabic = _parse_arabic(table, entity_id, where, problem)
    context = _strings(table.get("context", []), "'context'", problem)
    keep = _parse_keep(table, entity_id, where, problem)
    lookalikes = _strings(table.get("lookalikes", []), "'lookalikes'", problem)
    if len(problems) > before:
        return None
    return _Extension(
        entity_id,
        file,
        line,
        tuple(_in_file(v, file) for v in variants),
        tuple(shorts),
        tuple(arabic),
        tuple(context),
        tuple(_in_file(k, file) for k in keep),
        tuple(lookalikes),
    )


def _key_at(where: TomlLines, table: str, key: str) -> int:
    """The line where `key` is set in `table`, else the table's header."""
    return where.key_line(key, table) or where.header(table)


def _in_file(spelling: Spelling, file: str) -> Spelling:
    return Spelling(spelling.text, spelling.line, file)


def _merge_extensions(
    entities: list[Entity], extensions: list[_Extension], declared: set[str], problems: list[Problem]
) -> list[Entity]:
    """`entities` with what each extension adds merged into the entity it names
    (its first definition, if the id is defined twice: G001 reports that).
    An id no file `declared` is an error; one whose definition did not load
    is not reported twice (its own problems say why)."""
    merged = list(entities)
    position: dict[str, int] = {}
    for at, entity in enumerate(entities):
        position.setdefault(entity.id, at)
    for extension in extensions:
        at = position.get(extension.id)
        if at is None and extension.id in declared:
            continue
        if at is None:
            close = difflib.get_close_matches(extension.id, list(position), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"{extension.id}: {EXTENDS} = true, but no gazetteer in use defines [{extension.id}]{hint}"
            problems.append(Problem(extension.file, extension.line, message))
            continue
        merged[at] = _extended(merged[at], extension, problems)
    return merged


def _extended(entity: Entity, extension: _Extension, problems: list[Problem]) -> Entity:
    """`entity` with the extension's spellings added, as if listed in its own file.

    A short form named by its canonical gets the variants; a canonical the
    entity has no form for makes a new short form (as ``gazetteer add --short``
    does); the full name's canonical names the full name.
    """

    def problem(message: str, spelling: Spelling) -> None:
        problems.append(Problem(extension.file, spelling.line, f"{entity.id}: {message}"))

    forms = list(entity.forms)
    for canonical, variants, ambiguous in [(forms[0].canonical, extension.variants, None), *extension.shorts]:
        at = next((k for k, f in enumerate(forms) if f.canonical.text == canonical.text), None)
        if at is None:
            forms.append(Form(canonical, (), ambiguous is True))
            at = len(forms) - 1
        elif ambiguous is not None and ambiguous != forms[at].ambiguous:
            where = f"{entity.file_of(forms[at].canonical)}:{forms[at].canonical.line}"
            problem(
                f"an extension cannot change 'ambiguous' of the form {canonical.text!r} defined at {where}", canonical
            )
        form = forms[at]
        listed = {s.text: s for s in (form.canonical, *form.variants)}
        for variant in variants:
            if variant.text in listed:
                first = listed[variant.text]
                where = f"{entity.file_of(first)}:{first.line}"
                problem(f"variant {variant.text!r} of {form.canonical.text!r} is listed already, at {where}", variant)
            listed.setdefault(variant.text, variant)
        forms[at] = msgspec.structs.replace(form, variants=form.variants + variants)
    for text in extension.arabic:
        if text in entity.arabic:
            problems.append(
                Problem(extension.file, extension.line, f"{entity.id}: arabic form {text!r} is listed already")
            )
    return msgspec.structs.replace(
        entity,
        forms=tuple(forms),
        arabic=entity.arabic + extension.arabic,
        context=entity.context + extension.context,
        keep=entity.keep + extension.keep,
        lookalikes=entity.lookalikes + extension.lookalikes,
        extensions=(*entity.extensions, (extension.file, extension.line)),
    )


def _parse_synonyms(
    value: object, what: str, file: str, where: TomlLines, block: tuple[int, int], report: Callable[[str, int], None]
) -> list[Synonym]:
    """``{Word = ["Other", ...], ...}``: single words, each alternative a
    different word; problems go to `report` with `what` (the table's name)."""
    if not isinstance(value, dict):
        report(f'{what} must be a table of words to lists of words: {{Company = ["Corporation"]}}', block[0])
        return []
    rules = []
    for word, alternatives in value.items():
        at = where.find_in(block, f"{word} =")
        if at == block[0]:
            at = where.find_in(block, word)
        if not isinstance(alternatives, list) or not alternatives or not all(isinstance(a, str) for a in alternatives):
            report(f"{what} {_shown(word)} must be a non-empty list of words", at)
        elif bad := next((w for w in [word, *alternatives] if _synonym_problem(w)), None):
            report(f"{what} {_shown(bad)} {_synonym_problem(bad)}", at)
        elif word in alternatives or len(set(alternatives)) < len(alternatives):
            report(f"{what} {_shown(word)} lists a word twice or itself", at)
        else:
            rules.append(Synonym(word, tuple(alternatives), file, at))
    return rules


def _synonym_problem(word: str) -> str | None:
    """Why `word` cannot be a word synonym: one capitalised word of a name.

    >>> _synonym_problem("Corp"), _synonym_problem("Oil Company"), _synonym_problem("Al-Oil")
    (None, 'must be a single word', 'must be a single word')
    """
    if reason := _spelling_problem(word):
        return reason
    if len(WORD.findall(word)) != 1 or not WORD.fullmatch(word):
        return "must be a single word"
    return None


def _short_tables(table: dict, entity_id: str, where: TomlLines, problem) -> Iterator[tuple[int, dict]]:
    """The entity's ``[[id.short]]`` tables, each with its place among them;
    one that is not a table, and keys a short form does not have, are problems."""
    shorts = table.get("short", [])
    if not isinstance(shorts, list):
        problem("'short' must be an array of tables: [[" + entity_id + ".short]]")
        return
    for i, short in enumerate(shorts):
        short_at = where.header(f"{entity_id}.short", i)
        if not isinstance(short, dict):
            problem("each 'short' entry must be a table", short_at)
            continue
        for key in sorted(set(short) - _FORM_KEYS):
            problem(f"short form: unknown key {key!r} (expected one of: {', '.join(sorted(_FORM_KEYS))})", short_at)
        yield i, short


def _parse_form(table: dict, where: TomlLines, block: tuple[int, int], problem) -> Form | None:
    start, _ = block
    canonical = table.get("canonical")
    if not isinstance(canonical, str):
        problem("'canonical' is required and must be a string", start)
        return None
    texts = [canonical, *_strings(table.get("variants", []), "'variants'", lambda m: problem(m, start))]
    spellings = _listed(texts, where, block, problem)
    ambiguous = table.get("ambiguous", False)
    if not isinstance(ambiguous, bool):
        problem("'ambiguous' must be true or false", start)
    seen = {spellings[0].text}
    for variant in spellings[1:]:
        if variant.text in seen:
            problem(f"variant {variant.text!r} is listed twice or equals its canonical", variant.line)
        seen.add(variant.text)
    return Form(spellings[0], tuple(spellings[1:]), ambiguous is True)


def _listed(texts: list[str], where: TomlLines, block: tuple[int, int], problem: Callable[..., None]) -> list[Spelling]:
    """Spellings with the line each is on in `block`, each checked."""
    spellings = []
    for text in texts:
        at = where.find_in(block, text)
        if reason := _spelling_problem(text):
            problem(f"{_shown(text)} {reason}", at)
        spellings.append(Spelling(text, at))
    return spellings


def _check_across_files(entities: list[Entity], problems: list[Problem]) -> None:
    """Ids are unique and one spelling maps to one canonical, across files.

    Spellings are compared as matched: folded, with and without a leading
    article, so ``Al-Jafra`` in one entity and ``Jafra`` in another clash.
    """
    first_by_id: dict[str, Entity] = {}
    owner: dict[tuple[str, ...], tuple[Entity, Form, Spelling]] = {}
    for entity in entities:
        if entity.id in first_by_id:
            other = first_by_id[entity.id]
            message = (
                f"duplicate id {entity.id!r}, first defined at {other.file}:{other.line} "
                f"(to add spellings to it from here, write {EXTENDS} = true and only what to add)"
            )
            problems.append(Problem(entity.file, entity.line, message, "G001"))
            continue
        first_by_id[entity.id] = entity
        for form, spelling in iter_spellings(entity):
            for key in name_tuples(spelling.text):
                other_entity, other_form, other_spelling = owner.setdefault(key, (entity, form, spelling))
                if other_form.canonical.text == form.canonical.text:
                    continue
                chain = spelling is form.canonical or other_spelling is other_form.canonical
                problems.append(
                    Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: {spelling.text!r} maps to {form.canonical.text!r} but "
                        f"{other_spelling.text!r} at {other_entity.file_of(other_spelling)}:{other_spelling.line} "
                        f"maps to {other_form.canonical.text!r} ({other_entity.id})",
                        "G003" if chain else "G002",
                    )
                )
                break


def _check_synonyms(entities: list[Entity], synonyms: dict[str, list[Synonym]], problems: list[Problem]) -> None:
    """A word has one synonym rule per region (and per entity), and no listed
    name expands into more than `MAX_EXPANSIONS` spellings (G016)."""
    for rules in synonyms.values():
        first: dict[str, Synonym] = {}
        for rule in rules:
            other = first.setdefault(rule.word, rule)
            if other is not rule:
                message = f"synonyms for {rule.word!r} are declared twice, first at {other.file}:{other.line}"
                problems.append(Problem(rule.file, rule.line, message))
    by_region = {region: synonym_table(rules) for region, rules in synonyms.items()}
    for entity in entities:
        if entity.type not in EXPANDED_TYPES:
            continue
        table = entity_synonyms(entity, by_region.get(entity.region, {}))
        for form, spelling in iter_spellings(entity):
            count = count_expansions(spelling.text, table, entity.word_order, spelling is form.canonical)
            if count > MAX_EXPANSIONS:
                problems.append(
                    Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: {spelling.text!r} expands into {count} spellings through word synonyms "
                        f"and word order; at most {MAX_EXPANSIONS} (MAX_EXPANSIONS): narrow the rules or list "
                        "the spellings that occur",
                        "G016",
                    )
                )


def _spelling_problem(text: str) -> str | None:
    """Why `text` cannot be a listed spelling: too long, or `tokens.spelling_problem`.

    >>> _spelling_problem("Sirte"), _spelling_problem(" ".join(["Sirte"] * 21))
    (None, 'has 21 words; a spelling has at most 20 (MAX_SPELLING_WORDS)')
    """
    if len(text) > MAX_SPELLING_CHARS:  # before tokenizing it
        return _length_problem(text, 0)
    return _length_problem(text, len(WORD.findall(text))) or spelling_problem(text)


def _length_problem(text: str, words: int) -> str | None:
    if len(text) > MAX_SPELLING_CHARS:
        return f"is {len(text)} characters long; a spelling has at most {MAX_SPELLING_CHARS} (MAX_SPELLING_CHARS)"
    if words > MAX_SPELLING_WORDS:
        return f"has {words} words; a spelling has at most {MAX_SPELLING_WORDS} (MAX_SPELLING_WORDS)"
    return None


def _shown(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, cut short if long."""
    return repr(text) if len(text) <= limit else repr(text[: limit - 20]) + "..."


def _strings(value: object, what: str, report: Callable[[str], None]) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    report(f"{what} must be a list of strings")
    return []
