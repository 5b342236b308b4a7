"""The gazetteer as values: entities, their forms and spellings, each with
the file and line it comes from, and the problems found in the files.

    >>> Entity("sirte", "place", (Form(Spelling("Sirte", 5), (Spelling("Sirt", 6),)),), "ly.toml", 4, "LY").canonical
    'Sirte'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import msgspec

ENTITY_TYPES = ("person", "place", "org", "other")
# The longest spelling (canonical, variant, keep word, Arabic form) a file may
# list; see gazetteers/README.md.  The scanner keeps every word prefix of every
# spelling (quadratic in its words) and the matcher tries every length up to
# the longest, so one huge spelling would cost memory and time for no name.
MAX_SPELLING_CHARS = 200
MAX_SPELLING_WORDS = 20
# The most spellings one listed organisation name may expand into through
# word synonyms and word order (see `expansions`); more is a load error (G016),
# so a careless rule cannot multiply the index.
MAX_EXPANSIONS = 64
# Entity types whose names are expanded by word synonyms and word order.
EXPANDED_TYPES = ("org",)


class Value(msgspec.Struct, frozen=True, gc=False):
    """A value of the gazetteer: frozen, compared and hashed by its fields.

    A large gazetteer holds hundreds of thousands of these for as long as a
    normaliser lives.  They hold only text, numbers and other such values,
    never a cycle, so the garbage collector is told not to track them (as
    dataclasses, each full collection walked every one: a fifth of a first
    pass over a 100,000-name gazetteer).
    """


class Spelling(Value):
    """A name as written in a gazetteer file, with the line it is on.

    `file` is set only for a spelling another file adds to an entity (an
    extension, see `Entity.extensions`); empty, it is the entity's file.
    """

    text: str
    line: int
    file: str = ""


class Form(Value):
    """One canonical spelling of an entity and the variants that map to it.

    An entity's first form is its full name; further forms are shorter names
    (a surname alone) with their own canonical.
    """

    canonical: Spelling
    variants: tuple[Spelling, ...]
    ambiguous: bool = False


class Synonym(Value):
    """A word of organisation names and the other words it may be written as:
    ``Corporation = ["Company", "Corp"]`` in a file's ``[gazetteer.synonyms]``
    (every organisation of the region) or in an entity's ``word_variants``."""

    word: str
    alternatives: tuple[str, ...]
    file: str
    line: int


class Entity(Value):
    id: str
    type: str
    forms: tuple[Form, ...]
    file: str
    line: int
    region: str
    arabic: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: int | None = None
    context: tuple[str, ...] = ()
    keep: tuple[Spelling, ...] = ()
    lookalikes: tuple[str, ...] = ()  # ids of distinct entities that look alike, on purpose
    source: str | None = None
    word_variants: tuple[Synonym, ...] = ()  # this entity's own word synonyms
    word_order: bool = False  # "X of Y" also reads "Y X" (and the canonical "Y X" as "X of Y")
    # (file, line) of each table that adds to this entity from elsewhere (``extends = true``)
    extensions: tuple[tuple[str, int], ...] = ()

    @property
    def canonical(self) -> str:
        return self.forms[0].canonical.text

    def file_of(self, spelling: Spelling) -> str:
        """The file that lists `spelling`: an extension's, else the entity's.

        >>> sirte = Entity("sirte", "place", (Form(Spelling("Sirte", 5), ()),), "ly.toml", 4, "LY")
        >>> sirte.file_of(Spelling("Sirte", 5)), sirte.file_of(Spelling("Syrte", 2, "user.toml"))
        ('ly.toml', 'user.toml')
        """
        return spelling.file or self.file


class Kept(Value):
    """A word that is never rewritten (a file-level ``keep`` entry)."""

    text: str
    file: str
    line: int
    region: str


@dataclass(frozen=True)
class Gazetteer:
    """Entities from one or more files, validated together."""

    entities: tuple[Entity, ...]
    files: tuple[str, ...]
    region_context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keep: tuple[Kept, ...] = ()
    digest: str = ""  # sha256 of the files' names and bytes as loaded
    # region -> the word synonyms declared for its organisations ([gazetteer.synonyms])
    synonyms: dict[str, tuple[Synonym, ...]] = field(default_factory=dict)

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a gazetteer file; `code` names the check (see maintain/lint.py)."""

    file: str
    line: int
    message: str
    code: str = "G000"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class GazetteerError(Exception):
    """One or more problems found while loading gazetteer files."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def iter_spellings(entity: Entity) -> Iterator[tuple[Form, Spelling]]:
    """Every (form, spelling) of an entity: canonicals first, then variants."""
    for form in entity.forms:
        yield form, form.canonical
        for variant in form.variants:
            yield form, variant
