r"""Bootstrap a gazetteer for a new region from a GeoNames country dump.

The user downloads a country file (``LY.txt`` from the GeoNames export dump,
or ``allCountries.txt`` filtered by country) and optionally
``alternateNamesV2.txt``; nothing is downloaded here.  The result is the text
of a gazetteer file in our schema (``gazetteers/README.md``), meant to be
reviewed by a person before use: GeoNames alternate names are noisy (airport
codes, transliterations into a dozen scripts, historic names), and the
cleaning below only removes what cannot be a useful English spelling::

    >>> place = Place(2210554, "Sirte", "Sirte", ("SRX", "Surt", "Sirt", "سرت"), 31.2, 16.6, "P", "PPLA", "LY", 1)
    >>> print(to_toml([place], region="LY", source_note="LY.txt").split("[sirte]")[1].strip())
    type = "place"
    canonical = "Sirte"
    variants = ["Surt", "Sirt"]
    arabic = ["سرت"]
    geonames = 2210554
    source = "GeoNames 2210554"

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org); the
generated file says so in its header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..text.keys import APOSTROPHES, fold
from ..text.script import ARABIC_LETTERS
from ..text.tokens import case_key, fold_words, name_tuples, spelling_problem, tokenize
from ..text.toml_text import toml_value
from ..text.words import english_words

# The "geoname" table: 19 tab-separated columns (see the GeoNames readme).
GEONAME_COLUMNS = 19
# alternateNamesV2.txt has 10 columns; the older alternateNames.txt has 8
# (no from/to), and is read the same way.
ALTERNATE_NAME_COLUMNS = (10, 8)

# Admin areas worth a gazetteer entry: first- and second-level divisions
# (Libya's districts are ADM1).  Other class-A codes are countries, zones
# and historical divisions.
ADMIN_CODES = frozenset({"ADM1", "ADM2"})
# Populated places that no longer exist: historical, abandoned, destroyed.
GONE_CODES = frozenset({"PPLH", "PPLQ", "PPLW"})
# alternateNames "languages" that are really codes, not names.
CODE_LANGUAGES = frozenset({"iata", "icao", "faac", "tcid", "post", "link", "wkdt", "abbr", "unlc"})
# Names of the French revolutionary calendar era: historic by definition.
HISTORIC_LANGUAGES = frozenset({"fr_1793"})

MAX_VARIANT_WORDS = 5
# One- and two-letter "names" (Tripoli's "Ea") match far too much text.
MIN_VARIANT_LETTERS = 3

# Arabic-language letters only: hamza to yeh in the basic block.  Persian and
# Urdu letters (U+0671 onwards: ی ک گ ہ ھ ...) mark a name in another language
# written in Arabic script, which the alternates column does not label.
_ARABIC_NAME = re.compile(r"[\u0621-\u063a\u0641-\u064a]+(?: [\u0621-\u063a\u0641-\u064a]+)*")
_ARABIC_SCRIPT = re.compile(f"[{ARABIC_LETTERS}]")
# Harakat, dagger alef and tatweel change how a name looks, not which name it is.
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
# Direction marks and zero-width joiners that GeoNames leaves in some names.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u061c]")
# An apostrophe that does not join two letters: GeoNames writes ayn and hamza
# at word edges ("Al ‘Azīzīyah", "Tajura'"), which no tokenizer keeps.
_EDGE_APOSTROPHE = re.compile(rf"(?<![^\W\d_])[{APOSTROPHES}ʿʾ]|[{APOSTROPHES}ʿʾ](?![^\W\d_])")
_SLUG = re.compile(r"[^a-z0-9]+")


class GeonamesError(Exception):
    """A GeoNames file that cannot be read, with the file and line at fault.

    >>> str(GeonamesError("LY.txt", 3, "expected 19 tab-separated columns, found 4"))
    'LY.txt:3: expected 19 tab-separated columns, found 4'
    """

    def __init__(self, file: str | Path, line: int, message: str):
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(f"{self.file}:{line}: {message}" if line else f"{self.file}: {message}")


@dataclass(frozen=True, slots=True)
class AltName:
    """One row of ``alternateNamesV2.txt``.

    >>> AltName(1, 2210247, "la", "Oea", historic=True).historic
    True
    """

    id: int
    geonameid: int
    language: str
    name: str
    preferred: bool = False
    short: bool = False
    colloquial: bool = False
    historic: bool = False
    valid_from: str = ""
    valid_to: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """One row of the GeoNames "geoname" table (plus its alternate names, if read).

    >>> Place(2210554, "Sirte", "Sirte", ("Surt",), 31.2, 16.6, "P", "PPLA", "LY", 106705).feature_code
    'PPLA'
    """

    geonameid: int
    name: str
    asciiname: str
    alternates: tuple[str, ...]
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country: str
    population: int
    cc2: tuple[str, ...] = ()
    admin_codes: tuple[str, ...] = ()
    elevation: int | None = None
    dem: int | None = None
    timezone: str = ""
    modified: str = ""
    alt_names: tuple[AltName, ...] = ()


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_geonames(path: str | Path, country: str | None = None) -> Iterator[Place]:
    r"""Stream the places of a GeoNames dump, optionally of one country only.

    Lines starting with ``#`` are skipped; a malformed row raises
    `GeonamesError` naming the file and line.

    >>> import tempfile
    >>> row = "1\tSirte\tSirte\tSurt,Sirt\t31.2\t16.6\tP\tPPLA\tLY\t\t76\t\t\t\t106705\t\t14\tAfrica/Tripoli\t2024"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     dump = Path(folder, "LY.txt")
    ...     _ = dump.write_text("# a comment\n" + row + "\n", encoding="utf-8")
    ...     [(p.name, p.alternates, p.population) for p in read_geonames(dump, "LY")]
    [('Sirte', ('Surt', 'Sirt'), 106705)]
    """
    path = Path(path)
    wanted = country.upper() if country else None
    for number, fields in _rows(path):
        if len(fields) != GEONAME_COLUMNS:
            raise GeonamesError(path, number, f"expected {GEONAME_COLUMNS} tab-separated columns, found {len(fields)}")
        # Checked before the numbers are parsed: allCountries.txt holds 12
        # million rows, almost all of other countries.
        if wanted and fields[8] != wanted:
            continue
        yield _place(fields, path, number)


def read_alternate_names(path: str | Path, ids: Collection[int] | None = None) -> dict[int, list[AltName]]:
    r"""The rows of ``alternateNamesV2.txt`` for the places in `ids` (all if None), by geonameid.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     names = Path(folder, "alternateNamesV2.txt")
    ...     _ = names.write_text("1\t2210247\tla\tOea\t\t\t\t1\t\t\n2\t88319\ten\tBenghazi\t1\t\t\t\t\t\n")
    ...     [(a.name, a.historic) for a in read_alternate_names(names, {2210247})[2210247]]
    [('Oea', True)]
    """
    path = Path(path)
    wanted = None if ids is None else set(ids)
    found: dict[int, list[AltName]] = {}
    for number, fields in _rows(path):
        if len(fields) not in ALTERNATE_NAME_COLUMNS:
            raise GeonamesError(
                path,
                number,
                f"expected {ALTERNATE_NAME_COLUMNS[0]} tab-separated columns "
                f"(or {ALTERNATE_NAME_COLUMNS[1]} in the old format), found {len(fields)}",
            )
        geonameid = _integer(fields[1], "geonameid", path, number)
        if wanted is not None and geonameid not in wanted:
            continue
        valid_from, valid_to = (fields[8], fields[9]) if len(fields) == 10 else ("", "")
        found.setdefault(geonameid, []).append(
            AltName(
                id=_integer(fields[0], "alternateNameId", path, number),
                geonameid=geonameid,
                language=fields[2],
                name=fields[3],
                preferred=fields[4] == "1",
                short=fields[5] == "1",
                colloquial=fields[6] == "1",
                historic=fields[7] == "1",
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    return found


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of each data line, streamed."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise GeonamesError(path, 0, f"cannot read file: {exc.strerror or exc}") from exc
    with handle:
        # Bytes, decoded line by line, so a bad byte is reported with its
        # line.  Not the csv module: names may hold quote characters.
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise GeonamesError(path, number, "not valid UTF-8") from None
            if not line or line.startswith("#"):
                continue
            yield number, line.split("\t")


def _place(fields: list[str], path: Path, number: int) -> Place:
    return Place(
        geonameid=_integer(fields[0], "geonameid", path, number),
        name=fields[1],
        asciiname=fields[2],
        alternates=tuple(a for a in fields[3].split(",") if a),
        latitude=_number(fields[4], "latitude", path, number),
        longitude=_number(fields[5], "longitude", path, number),
        feature_class=fields[6],
        feature_code=fields[7],
        country=fields[8],
        cc2=tuple(c for c in fields[9].split(",") if c),
        admin_codes=tuple(fields[10:14]),
        population=_integer(fields[14], "population", path, number),
        elevation=_integer(fields[15], "elevation", path, number) if fields[15] else None,
        dem=_integer(fields[16], "dem", path, number) if fields[16] else None,
        timezone=fields[17],
        modified=fields[18],
    )


def _integer(text: str, column: str, path: Path, number: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise GeonamesError(path, number, f"{column} must be an integer, not {text!r}") from None


def _number(text: str, column: str, path: Path, number: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise GeonamesError(path, number, f"{column} must be a number, not {text!r}") from None


# --------------------------------------------------------------------------
# Selecting and cleaning
# --------------------------------------------------------------------------


def select_places(
    places: Iterable[Place],
    *,
    min_population: int = 0,
    feature_classes: Iterable[str] = ("P", "A"),
    feature_codes: Iterable[str] | None = None,
) -> Iterator[Place]:
    """Populated places and admin areas (ADM1, ADM2), plus any `feature_codes` asked for.

    `feature_codes` adds places by code whatever their class, e.g.
    ``("AIRP", "PRT")`` for airports and ports.  `min_population` applies to
    populated places only: GeoNames gives most admin areas and airports a
    population of 0.  Historical and abandoned places are left out.

    >>> town = Place(1, "Sirte", "Sirte", (), 31.2, 16.6, "P", "PPLA", "LY", 106705)
    >>> airport = Place(2, "Sirt Airport", "Sirt Airport", (), 31.1, 16.6, "S", "AIRP", "LY", 0)
    >>> [p.name for p in select_places([town, airport], min_population=1000, feature_codes=["AIRP"])]
    ['Sirte', 'Sirt Airport']
    """
    classes = frozenset(feature_classes)
    extra = frozenset(feature_codes or ())
    for place in places:
        if place.feature_code in extra or _wanted(place, classes, min_population):
            yield place


def _wanted(place: Place, classes: frozenset[str], min_population: int) -> bool:
    if place.feature_class not in classes or place.feature_code in GONE_CODES:
        return False
    if place.feature_class == "A":
        return place.feature_code in ADMIN_CODES
    return place.feature_class != "P" or place.population >= min_population


def canonical_name(place: Place) -> str | None:
    """The spelling a place's entry is keyed on: its name, else its ASCII name, else None.

    Apostrophes at word edges are dropped first (``Al Bayḑā’`` -> ``Al Bayḑā``).

    >>> canonical_name(Place(89055, "Al Bayḑā’", "Al Bayda'", (), 32.8, 21.8, "P", "PPLA", "LY", 1))
    'Al Bayḑā'
    """
    for candidate in (place.name, place.asciiname):
        name = _repair(candidate)
        if _latin_problem(name) is None:
            return name
    return None


def clean_variants(
    place: Place,
    alt_names: Sequence[AltName] | None = None,
    *,
    max_words: int = MAX_VARIANT_WORDS,
) -> tuple[list[str], list[str]]:
    """(Latin variants, Arabic forms) of a place worth a reviewer's time.

    Codes, names in other scripts, lowercase transliterations, common English
    words and spellings the matcher already folds together are dropped;
    `alt_names` (default: the place's own) also drops historic and colloquial
    names and supplies the Arabic ('ar') forms.

    >>> names = ("SRX", "Surt", "surt", "Sírte", "Сирт", "سرت")
    >>> clean_variants(Place(2210554, "Sirte", "Sirte", names, 31.2, 16.6, "P", "PPLA", "LY", 1))
    (['Surt'], ['سرت'])
    """
    alts = tuple(place.alt_names if alt_names is None else alt_names)
    canonical = canonical_name(place)
    if canonical is None:
        return [], []
    dropped = {alt.name.strip() for alt in alts if _unwanted(alt)}
    seen = {case_key(canonical)}
    latin: list[str] = []
    column_arabic: list[str] = []
    from_file = [alt.name for alt in alts if not _ARABIC_SCRIPT.search(alt.name)]
    for raw in (place.asciiname, *place.alternates, *from_file):
        if raw.strip() in dropped:
            continue
        name = _repair(raw)
        if _ARABIC_SCRIPT.search(name):
            column_arabic.append(name)
            continue
        if _latin_problem(name, max_words=max_words, variant=True) is not None:
            continue
        key = case_key(name)
        if key not in seen:
            seen.add(key)
            latin.append(name)
    if alts:
        # The alternates column does not say which language an Arabic-script
        # name is in; the alternate-names file does.
        preferred_first = sorted((a for a in alts if _is_arabic_language(a.language)), key=lambda a: not a.preferred)
        arabic_sources = [a.name for a in preferred_first if not _unwanted(a)]
    else:
        arabic_sources = column_arabic
    arabic: list[str] = []
    for raw in arabic_sources:
        name = _arabic_form(raw)
        if name is not None and name not in arabic:
            arabic.append(name)
    return latin, arabic


def _unwanted(alt: AltName) -> bool:
    """Historic, colloquial or a code according to the alternate-names file."""
    return (
        alt.historic
        or alt.colloquial
        or bool(alt.valid_to)  # a name that stopped being used
        or alt.language in CODE_LANGUAGES
        or alt.language in HISTORIC_LANGUAGES
    )


def _is_arabic_language(language: str) -> bool:
    return language == "ar" or language.startswith("ar-")


def _repair(name: str) -> str:
    """Drop invisible marks and edge apostrophes, and collapse white space."""
    name = _EDGE_APOSTROPHE.sub("", _INVISIBLE.sub("", name))
    return " ".join(name.split())


def _arabic_form(name: str) -> str | None:
    """`name` without harakat and tatweel if it is Arabic letters and spaces, else None."""
    name = " ".join(_ARABIC_MARKS.sub("", _INVISIBLE.sub("", name)).split())
    return name if _ARABIC_NAME.fullmatch(name) else None


def _latin_problem(name: str, *, max_words: int = MAX_VARIANT_WORDS, variant: bool = False) -> str | None:
    """Why `name` cannot be a canonical (or, with `variant`, a variant) spelling; None if it can."""
    if not name:
        return "is empty"
    if any(c.isdigit() for c in name):
        return "has digits (a code or a postal code)"
    if any(c.isalpha() and not unicodedata.name(c, "").startswith("LATIN") for c in name):
        return "is not in Latin script"
    if not any(c.islower() for c in name):
        # IATA/ICAO codes; a longer all-caps spelling is found anyway, since
        # the matcher matches every spelling in capitals too.
        return "is in capitals (a code or an abbreviation)"
    if not name[0].isupper():
        # GeoNames' lowercase entries are machine transliterations ("bnghazy").
        return "starts with a lowercase letter"
    if reason := spelling_problem(name):
        return reason
    if not variant:
        return None
    words = [w for w in fold_words(name, tokenize(name)) if w != "al"]
    if len(words) > max_words:
        return f"has more than {max_words} words"
    if sum(c.isalpha() for c in name) < MIN_VARIANT_LETTERS:
        return f"has fewer than {MIN_VARIANT_LETTERS} letters"
    common = english_words()
    if all(w.lower() in common for w in words):
        return "is common English"
    return None


def _claim_keys(name: str) -> set[tuple[str, ...]]:
    """Every key under which the matcher looks `name` up, in any case."""
    return {tuple(w.lower() for w in words) for words in name_tuples(name)}


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    id: str
    canonical: str
    variants: tuple[str, ...]
    arabic: tuple[str, ...]


def to_toml(places: Iterable[Place], *, region: str, source_note: str) -> str:
    """The text of a gazetteer file for `places`, most populous first.

    One spelling belongs to one place: a canonical beats another place's
    variant, and between variants (or Arabic forms) the more populous place
    keeps it.  A place
    whose canonical clashes with a more populous place's is left out and
    listed in the header.

    >>> sirte = Place(1, "Sirte", "Sirte", ("Surt",), 31.2, 16.6, "P", "PPLA", "LY", 1)
    >>> text = to_toml([sirte], region="LY", source_note="LY.txt")
    >>> 'canonical = "Sirte"' in text and "CC BY 4.0" in text
    True
    """
    entries, skipped = _entries(places)
    lines = [
        f"# Gazetteer for region {region}, generated by `normalize gazetteer import-geonames`.",
        "#",
        "# REVIEW BEFORE USE: the names below were selected by a program from",
        "# GeoNames alternate names. Check each canonical against the spelling",
        "# policy in gazetteers/README.md, remove wrong or risky variants, and mark",
        "# names with other meanings `ambiguous = true` with `context` words.",
        "#",
        "# Data: GeoNames (https://www.geonames.org), licensed under CC BY 4.0",
        "# (https://creativecommons.org/licenses/by/4.0/).",
        *(f"# Source: {line}".rstrip() for line in source_note.splitlines() or [""]),
    ]
    if skipped:
        lines += ["#", "# Not imported:"]
        lines += [f"#   - {_oneline(p.name)} (GeoNames {p.geonameid}): {reason}" for p, reason in skipped]
    lines += ["", "[gazetteer]", f"region = {toml_value(region)}"]
    for entry in entries:
        place = entry.place
        lines += [
            "",
            f"# {place.feature_class}.{place.feature_code}, population {place.population}, "
            f"{place.latitude} {place.longitude}",
            f"[{entry.id}]",
            'type = "place"',
            f"canonical = {toml_value(entry.canonical)}",
        ]
        if entry.variants:
            lines.append(f"variants = {toml_value(entry.variants)}")
        if entry.arabic:
            lines.append(f"arabic = {toml_value(entry.arabic)}")
        lines += [f"geonames = {place.geonameid}", f'source = "GeoNames {place.geonameid}"']
    return "\n".join(lines) + "\n"


def _entries(places: Iterable[Place]) -> tuple[list[_Entry], list[tuple[Place, str]]]:
    """Entries with ids and conflict-free spellings, and the places left out with why."""
    by_id: dict[int, Place] = {}
    for place in places:
        by_id.setdefault(place.geonameid, place)
    ordered = sorted(by_id.values(), key=lambda p: (-p.population, p.geonameid))
    # key -> (geonameid, canonical) of the place that owns the spelling
    owner: dict[tuple[str, ...], tuple[int, str]] = {}
    skipped: list[tuple[Place, str]] = []
    named: list[tuple[Place, str]] = []
    # Canonicals first, so a town's own name is never lost to another
    # town's alternate name.  Two places may share a canonical written the
    # same way (the loader allows that: one spelling, one canonical).
    for place in ordered:
        canonical = canonical_name(place)
        if canonical is None:
            skipped.append((place, "no name usable as a canonical spelling"))
            continue
        keys = _claim_keys(canonical)
        clash = next((owner[k] for k in keys if k in owner and owner[k][1] != canonical), None)
        if clash is not None:
            skipped.append(
                (place, f"its name {canonical!r} clashes with {clash[1]!r} (GeoNames {clash[0]}, more populous)")
            )
            continue
        for key in keys:
            owner.setdefault(key, (place.geonameid, canonical))
        named.append((place, canonical))
    entries: list[_Entry] = []
    used_ids: set[str] = {"gazetteer"}
    arabic_owner: dict[str, int] = {}
    for place, canonical in named:
        latin, arabic = clean_variants(place)
        # An Arabic form names one place too (the more populous one).
        arabic = [a for a in arabic if arabic_owner.setdefault(a, place.geonameid) == place.geonameid]
        variants = []
        for variant in latin:
            keys = _claim_keys(variant)
            if any(owner.get(k, (place.geonameid,))[0] != place.geonameid for k in keys):
                continue
            for key in keys:
                owner.setdefault(key, (place.geonameid, canonical))
            variants.append(variant)
        entry_id = _slug(place.asciiname) or _slug(fold(canonical)) or "place"
        if entry_id in used_ids:
            entry_id = f"{entry_id}_{place.geonameid}"
        used_ids.add(entry_id)
        entries.append(_Entry(place, entry_id, canonical, tuple(variants), tuple(arabic)))
    return entries, skipped


def _slug(text: str) -> str:
    """Lowercase ASCII words joined by '_' (``Al Bayda'`` -> ``al_bayda``)."""
    ascii_text = fold(text).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG.sub("_", ascii_text.replace("'", "")).strip("_")


def _oneline(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------
# All together
# --------------------------------------------------------------------------


def import_geonames(
    path: str | Path,
    country: str,
    *,
    region: str | None = None,
    min_population: int = 0,
    alternate_names: str | Path | None = None,
    feature_codes: Iterable[str] | None = None,
) -> str:
    r"""Read a GeoNames dump and return a gazetteer file for one country's places.

    `region` defaults to the country code.  Raises `GeonamesError` for a
    malformed file or when no place is selected.

    >>> import tempfile
    >>> row = "1\tSirte\tSirte\tSurt\t31.2\t16.6\tP\tPPLA\tLY\t\t76\t\t\t\t106705\t\t14\tAfrica/Tripoli\t2024"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     dump = Path(folder, "LY.txt")
    ...     _ = dump.write_text(row + "\n", encoding="utf-8")
    ...     'variants = ["Surt"]' in import_geonames(dump, "LY")
    True
    """
    path = Path(path)
    country = country.upper()
    places = list(
        select_places(read_geonames(path, country), min_population=min_population, feature_codes=feature_codes)
    )
    if not places:
        raise GeonamesError(path, 0, f"no places selected for country {country} (population >= {min_population})")
    note = f"{path.name}, country {country}, population >= {min_population}"
    if alternate_names is not None:
        alternate_names = Path(alternate_names)
        alts = read_alternate_names(alternate_names, {p.geonameid for p in places})
        places = [replace(p, alt_names=tuple(alts.get(p.geonameid, ()))) for p in places]
        note += f"; alternate names from {alternate_names.name}"
    return to_toml(places, region=region or country, source_note=note)
