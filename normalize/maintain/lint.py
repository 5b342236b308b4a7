"""Checks on gazetteer data, for ``normalize gazetteer lint`` and the tests.

The loader already refuses data the engine cannot use (G000 schema, G001
duplicate ids, G002 one spelling for two canonicals, G003 chains); lint adds
the checks that keep the data trustworthy.  Each problem has a code:

| code | check |
| --- | --- |
| G000 | the file does not load (syntax, schema) |
| G001 | duplicate id |
| G002 | a spelling maps to two canonicals |
| G003 | chain: a canonical is another entity's variant |
| G004 | a variant is redundant: it folds to another listed spelling (or its canonical), or is one in capitals |
| G005 | a single-word variant is a common English word and the name is not ambiguous |
| G006 | two entities share a transliteration key without listing each other in `lookalikes` |
| G007 | malformed Arabic form (diacritics, tatweel, presentation forms, Persian letters, duplicate) |
| G008 | formatting: tabs, trailing spaces, CRLF, no final newline |
| G009 | an ALL-CAPS spelling collides with another name's |
| G010 | `lookalikes` names an unknown id |
| G011 | a `keep` word is also a spelling of a name |
| G012 | a Wikidata or GeoNames id is given to two entities |
| G013 | a spelling made by word synonyms or word order is another name's spelling or keep word |
| G014 | word synonyms would make a common English word alone a name |
| G015 | a word synonym (or `word_order`) that no name uses (a warning: it does nothing) |
| G016 | a name expands into more than 64 spellings (the loader refuses it) |
| G017 | a variant differs from another spelling of its entity only in case (`HaFTar` beside `Haftar`) |

    >>> [p.code for p in lint()]   # the shipped gazetteers are clean
    []
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from rapidfuzz import fuzz

from ..gazetteer import Entity, Gazetteer, GazetteerError, Problem, Spelling, iter_spellings, load_gazetteers
from ..gazetteer.model import EXPANDED_TYPES
from ..gazetteer.synonyms import Expansion, entity_synonyms, expansions, name_words, synonym_table
from ..text.keys import translit_key
from ..text.script import HARAKAT
from ..text.tokens import case_key, is_all_caps, name_tuples
from ..text.toml_text import TomlLines
from ..text.words import english_words

# Similarity below which a shared key cannot mislead the key stage (it drops
# matches under resolve's key_review threshold), so no lookalikes entry is needed.
_CONFUSABLE = 60.0
_ARABIC_MARKS = re.compile(f"[{HARAKAT}]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")
_PERSIAN = {"\u06a9": "ك", "\u06cc": "ي", "\u06af": "ك or ق", "\u067e": "ب", "\u0686": "ج", "\u0698": "ز"}


def lint(
    paths: Iterable[str | Path] = (),
    *,
    include_default: bool = True,
    texts: Mapping[Path, str] | None = None,
) -> list[Problem]:
    """All problems in the gazetteers, sorted by file and line.

    `texts` replaces the content of some files (an edit not yet written).
    """
    try:
        gaz = load_gazetteers(paths, include_default=include_default, texts=texts)
    except GazetteerError as exc:
        return sorted(exc.problems, key=_order)
    problems = [
        *redundant_variants(gaz),
        *common_word_variants(gaz),
        *unmarked_key_collisions(gaz),
        *arabic_forms(gaz),
        *formatting(gaz.files, texts or {}),
        *all_caps_collisions(gaz),
        *lookalike_references(gaz),
        *kept_spellings(gaz),
        *duplicate_ids(gaz),
        *expansion_problems(gaz),
        *unused_synonyms(gaz),
    ]
    return sorted(problems, key=_order)


def _order(problem: Problem) -> tuple:
    return problem.file, problem.line, problem.code, problem.message


def redundant_variants(gaz: Gazetteer) -> Iterable[Problem]:
    """G004: a variant that matches exactly what an earlier spelling matches,
    an ALL-CAPS copy of one included (``SIRT`` beside ``Sirt``: a text in
    capitals is matched against every spelling in capitals).  G017: else, a
    variant that differs from another spelling of its entity only in case
    (``SiRT``, ``Khalifa HAFTAR``): the key and fuzzy stages, which ignore
    case, find it already, and a gazetteer lists names, not how a text
    happened to capitalise one.  One problem a variant at most."""
    for entity in gaz.entities:
        # every canonical first: a variant of the full name may copy a short form's canonical
        cased = {case_key(f.canonical.text): f.canonical.text for f in entity.forms}
        for form in entity.forms:
            seen: dict[tuple[str, ...], str] = {}
            capitals: dict[tuple[str, ...], str] = {}
            for spelling in (form.canonical, *form.variants):
                key = name_tuples(spelling.text)[-1]
                upper = tuple(w.upper() for w in key)
                twin = cased.setdefault(case_key(spelling.text), spelling.text)
                if key in seen:
                    yield Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: {spelling.text!r} is redundant: it matches as {seen[key]!r} does "
                        "(accents, apostrophes, hyphens and articles are folded)",
                        "G004",
                    )
                elif upper in capitals and all(w == "al" or is_all_caps(w) or not w.isalpha() for w in key):
                    yield Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: {spelling.text!r} differs from {capitals[upper]!r} only in case; "
                        "it is redundant: a text in capitals is matched against every spelling in capitals",
                        "G004",
                    )
                elif twin != spelling.text and spelling is not form.canonical:
                    yield Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: {spelling.text!r} differs from {twin!r} only in case; drop it: "
                        "the key and fuzzy stages ignore case and find it, and capitals are matched as listed",
                        "G017",
                    )
                seen.setdefault(key, spelling.text)
                capitals.setdefault(upper, spelling.text)


def common_word_variants(gaz: Gazetteer) -> Iterable[Problem]:
    """G005: ``After`` must never become a name, so no unambiguous name lists it."""
    words = english_words()
    for entity in gaz.entities:
        for form in entity.forms:
            if form.ambiguous or entity.forms[0].ambiguous:
                continue
            for spelling in form.variants:
                core = name_tuples(spelling.text)[-1]
                if len(core) == 1 and core[0].lower() in words:
                    yield Problem(
                        entity.file_of(spelling),
                        spelling.line,
                        f"{entity.id}: variant {spelling.text!r} is a common English word; "
                        "drop it, or mark the form ambiguous and give context words",
                        "G005",
                    )


def unmarked_key_collisions(gaz: Gazetteer) -> Iterable[Problem]:
    """G006: look-alike entities must know of each other.

    Two entities whose spellings share a transliteration key, and are close
    enough for the key stage to confuse, must list each other (one side is
    enough) in ``lookalikes``: it records that both are meant to be there.
    """
    by_key: dict[tuple[str, ...], list[tuple[Entity, str, Spelling]]] = defaultdict(list)
    for entity in gaz.entities:
        for _, spelling in iter_spellings(entity):
            for words in name_tuples(spelling.text)[-1:]:
                if not any(is_all_caps(w) for w in words):
                    by_key[tuple(translit_key(w) for w in words)].append((entity, " ".join(words), spelling))
    reported: set[tuple[str, str]] = set()
    for key, owners in by_key.items():
        if len(key) == 1 and len(key[0]) < 3:
            continue  # the key stage ignores keys this short
        for a, a_text, a_spelling in owners:
            for b, b_text, _ in owners:
                pair = (a.id, b.id)
                if a.id >= b.id or pair in reported or b.id in a.lookalikes or a.id in b.lookalikes:
                    continue
                if fuzz.ratio(a_text.lower(), b_text.lower()) < _CONFUSABLE:
                    continue
                reported.add(pair)
                yield Problem(
                    a.file_of(a_spelling),
                    a_spelling.line,
                    f"{a.id}: {a_text!r} shares the key {' '.join(key)} with {b_text!r} of {b.id}; "
                    f'if both are meant, add lookalikes = ["{b.id}"]',
                    "G006",
                )


def arabic_forms(gaz: Gazetteer) -> Iterable[Problem]:
    """G007: Arabic forms as plain letters, one entity each."""
    owner: dict[str, Entity] = {}
    for entity in gaz.entities:
        for form in entity.arabic:
            where = f"{entity.id}: arabic form {form!r}"
            found = []
            if _ARABIC_MARKS.search(form):
                found.append(f"{where} has diacritics; write the bare letters")
            if "\u0640" in form:
                found.append(f"{where} has a tatweel (ـ); remove it")
            if _PRESENTATION_FORMS.search(form):
                found.append(f"{where} uses presentation forms; write base letters")
            for letter, arabic in _PERSIAN.items():
                if letter in form:
                    found.append(f"{where} has the Persian letter {letter}; use {arabic}")
            first = owner.setdefault(form, entity)
            if first is not entity:
                found.append(f"{where} is also listed for {first.id}")
            if found:  # the place is looked up only for a problem: it reads the files
                file, line = _place_of(entity, form, "arabic")
                yield from (Problem(file, line, message, "G007") for message in found)


def formatting(files: Iterable[str], texts: Mapping[Path, str]) -> Iterable[Problem]:
    """G008: files that diff cleanly."""
    replaced = {Path(p).resolve(): text for p, text in texts.items()}
    for file in files:
        text = replaced.get(Path(file).resolve())
        data = Path(file).read_bytes() if text is None else text.encode("utf-8")
        if b"\r\n" in data:
            yield Problem(file, data[: data.index(b"\r\n")].count(b"\n") + 1, "CRLF line ending; use LF", "G008")
        if data and not data.endswith(b"\n"):
            yield Problem(file, data.count(b"\n") + 1, "no newline at end of file", "G008")
        for number, line in enumerate(data.decode("utf-8").split("\n"), start=1):
            if "\t" in line:
                yield Problem(file, number, "tab character; indent with spaces", "G008")
            if line.rstrip("\r") != line.rstrip("\r").rstrip():
                yield Problem(file, number, "trailing whitespace", "G008")


def all_caps_collisions(gaz: Gazetteer) -> Iterable[Problem]:
    """G009: in an ALL-CAPS headline two names must not read the same."""
    owner: dict[tuple[str, ...], tuple[Entity, str]] = {}
    for entity in gaz.entities:
        for form, spelling in iter_spellings(entity):
            key = tuple(w.upper() for w in name_tuples(spelling.text)[0])
            other, canonical = owner.setdefault(key, (entity, form.canonical.text))
            if canonical != form.canonical.text:
                yield Problem(
                    entity.file_of(spelling),
                    spelling.line,
                    f"{entity.id}: {spelling.text!r} reads as {' '.join(key)} in capitals, like a spelling of "
                    f"{canonical!r} ({other.id})",
                    "G009",
                )


def lookalike_references(gaz: Gazetteer) -> Iterable[Problem]:
    """G010: ``lookalikes`` entries name existing entities."""
    ids = {e.id for e in gaz.entities}
    for entity in gaz.entities:
        for other in entity.lookalikes:
            if other not in ids:
                file, line = _place_of(entity, other, "lookalikes")
                yield Problem(file, line, f"{entity.id}: lookalikes names unknown id {other!r}", "G010")


def kept_spellings(gaz: Gazetteer) -> Iterable[Problem]:
    """G011: a word cannot be both kept as it is and rewritten."""
    spellings: dict[tuple[str, ...], tuple[Entity, str]] = {}
    for entity in gaz.entities:
        for form, spelling in iter_spellings(entity):
            for key in name_tuples(spelling.text):
                spellings.setdefault(key, (entity, form.canonical.text))
    kept = [(k.text, k.file, k.line) for k in gaz.keep]
    kept += [(s.text, e.file_of(s), s.line) for e in gaz.entities for s in e.keep]
    for text, file, line in kept:
        for key in name_tuples(text):
            if key in spellings:
                entity, canonical = spellings[key]
                yield Problem(
                    file, line, f"keep word {text!r} is also a spelling of {canonical!r} ({entity.id})", "G011"
                )
                break


def duplicate_ids(gaz: Gazetteer) -> Iterable[Problem]:
    """G012: one Wikidata item or GeoNames place is one entity."""
    for field in ("wikidata", "geonames"):
        owner: dict[object, Entity] = {}
        for entity in gaz.entities:
            value = getattr(entity, field)
            if value is None:
                continue
            first = owner.setdefault(value, entity)
            if first is not entity:
                line = _line_of(entity.file, field, entity.line)
                yield Problem(entity.file, line, f"{entity.id}: {field} {value} is also given to {first.id}", "G012")


def _all_expansions(gaz: Gazetteer) -> Iterable[tuple[Entity, Expansion]]:
    tables = {region: synonym_table(rules) for region, rules in gaz.synonyms.items()}
    for entity in gaz.entities:
        for expansion in expansions(entity, entity_synonyms(entity, tables.get(entity.region, {}))):
            yield entity, expansion


def expansion_problems(gaz: Gazetteer) -> Iterable[Problem]:
    """G013: a spelling made by word synonyms or word order that another name
    lists (or keeps), or that another name's rules make too: the index lets
    the listed spelling win and drops one two rules share; the data must say
    which is meant.  G014: a synonym must never make a common English word
    alone (``Al-Guard`` is matched as ``Guard`` too) a name."""
    listed: dict[tuple[str, ...], tuple[str, str, str, int]] = {}  # words -> canonical, what, file, line
    for entity in gaz.entities:
        for form, spelling in iter_spellings(entity):
            for words in name_tuples(spelling.text):
                listed.setdefault(
                    words,
                    (form.canonical.text, f"{spelling.text!r} ({entity.id})", entity.file_of(spelling), spelling.line),
                )
        for kept in entity.keep:
            for words in name_tuples(kept.text):
                listed.setdefault(
                    words, ("", f"keep word {kept.text!r} ({entity.id})", entity.file_of(kept), kept.line)
                )
    for kept in gaz.keep:
        for words in name_tuples(kept.text):
            listed.setdefault(words, ("", f"keep word {kept.text!r}", kept.file, kept.line))
    made: dict[tuple[str, ...], tuple[str, str, str, int]] = {}
    common = english_words()
    for entity, expansion in _all_expansions(gaz):
        canonical = expansion.form.canonical.text
        where = f"{entity.id}: {expansion.text!r} (from {expansion.why()})"
        file, line = entity.file_of(expansion.source), expansion.source.line
        for words in name_tuples(expansion.text):
            if len(words) == 1 and words[0].lower() in common:
                yield Problem(
                    file,
                    line,
                    f"{where} would make the common English word {words[0]!r} alone a name; it is not matched: "
                    "drop the synonym or give it to the entities that need it (word_variants)",
                    "G014",
                )
                continue
            other = listed.get(words) or made.setdefault(
                words, (canonical, f"{expansion.text!r} ({entity.id}, from {expansion.why()})", file, line)
            )
            if other[0] != canonical:
                yield Problem(
                    file,
                    line,
                    f"{where} is also {other[1]} at {other[2]}:{other[3]}, "
                    + (f"which maps to {other[0]!r}" if other[0] else "kept as it is")
                    + "; list the spelling where it belongs or narrow the rule",
                    "G013",
                )
                break


def unused_synonyms(gaz: Gazetteer) -> Iterable[Problem]:
    """G015: a synonym rule whose word no name of its scope has, or a
    ``word_order`` that reorders nothing: a typo, or a rule left behind."""
    words_of: dict[str, set[str]] = {}  # region -> words of its organisations' names
    for entity in gaz.entities:
        if entity.type in EXPANDED_TYPES:
            mine = {w for _, s in iter_spellings(entity) for w in name_words(s.text)}
            words_of.setdefault(entity.region, set()).update(mine)
            for rule in entity.word_variants:
                if rule.word not in mine:
                    yield Problem(
                        entity.file,
                        rule.line,
                        f"{entity.id}: warning: word_variants {rule.word!r} is not a word of any of its names; "
                        "it does nothing",
                        "G015",
                    )
            if entity.word_order and not any(e.reordered for e in expansions(entity, {})):
                yield Problem(
                    entity.file,
                    _line_of(entity.file, "word_order", entity.line),
                    f"{entity.id}: warning: word_order = true but no name of it reads 'X of Y' "
                    "(nor is its canonical 'Y X'); it does nothing",
                    "G015",
                )
    for region, rules in gaz.synonyms.items():
        for rule in rules:
            if rule.word not in words_of.get(region, ()):
                yield Problem(
                    rule.file,
                    rule.line,
                    f"warning: synonym {rule.word!r} is not a word of any organisation name of region {region}; "
                    "it does nothing",
                    "G015",
                )


def _place_of(entity: Entity, text: str, key: str) -> tuple[str, int]:
    """The file and line where `text` is listed under `key` for `entity`:
    in the table that defines it, else in one that extends it."""
    for file in (entity.file, *(extension for extension, _ in entity.extensions)):
        try:
            lines = TomlLines(Path(file).read_text(encoding="utf-8"))
        except OSError:  # a file being created by an edit
            continue
        line = lines.find(entity.id, text, key)
        if line != lines.header(entity.id):
            return file, line
    return entity.file, entity.line


def _line_of(file: str, text: str, start: int) -> int:
    """First line at or after `start` that holds `text` (the entity's block)."""
    try:
        lines = TomlLines(Path(file).read_text(encoding="utf-8"))
    except OSError:  # a file being created by an edit: the entity line will do
        return start
    return lines.find_in((start, len(lines.lines) + 1), text)
