"""Deterministic test material for bench/speed.py: a news-like corpus and synthetic gazetteers.

Everything comes from one seed, so two runs with the same options measure
the same bytes.  Nothing is downloaded: the names come from the shipped
gazetteer, the filler words from the bundled English word list.

    >>> names = synthetic_entities(40, seed=1, taken=set())
    >>> sum(len(e.spellings()) for e in names) >= 40
    True
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from normalize import Gazetteer
from normalize.text.words import english_word_list, english_words

# --------------------------------------------------------------------------
# Names taken from a gazetteer
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    """The capitalised things a corpus mentions besides ordinary words."""

    listed: tuple[str, ...]  # canonicals, variants and short forms of the gazetteer
    unlisted: tuple[str, ...]  # one-letter-off spellings nobody listed (key and fuzzy stages)
    lookalikes: tuple[str, ...]  # names from elsewhere that must stay (Surat, Tirana)
    demonyms: tuple[str, ...]  # Libyan, Misratans ...
    synthetic: tuple[str, ...]  # spellings from a synthetic gazetteer (unknown to the shipped one)


def gazetteer_spellings(gazetteer: Gazetteer) -> dict[str, str]:
    """Every listed spelling -> its canonical form (full names and short forms)."""
    spellings: dict[str, str] = {}
    for entity in gazetteer.entities:
        for form in entity.forms:
            for spelling in (form.canonical, *form.variants):
                spellings.setdefault(spelling.text, form.canonical.text)
    return spellings


def name_pool(gazetteer: Gazetteer, synthetic: Iterable[str] = (), seed: int = 0) -> NamePool:
    listed = sorted(gazetteer_spellings(gazetteer))
    known = set(listed)
    demonyms = sorted({k.text for e in gazetteer.entities for k in e.keep})
    lookalikes = sorted({k.text for k in gazetteer.keep})
    return NamePool(
        listed=tuple(listed),
        unlisted=tuple(_unlisted_spellings(listed, known, random.Random(seed))),
        lookalikes=tuple(lookalikes),
        demonyms=tuple(demonyms),
        synthetic=tuple(synthetic),
    )


def _unlisted_spellings(listed: list[str], known: set[str], rng: random.Random) -> list[str]:
    """One vowel changed in single-word names of 5+ letters (Hafter -> Haftor),
    the way translators misspell names.  A bounded pool, as on real news, where
    the same few misspellings come back again and again."""
    common = english_words()
    out = []
    for name in listed:
        if " " in name or "-" in name or len(name) < 5 or not name[1:].islower():
            continue
        spots = [i for i, c in enumerate(name) if i and c in "aeiou"]
        if not spots:
            continue
        i = rng.choice(spots)
        variant = name[:i] + rng.choice([v for v in "aeiou" if v != name[i]]) + name[i + 1 :]
        if variant not in known and variant.lower() not in common:
            out.append(variant)
    return out


# --------------------------------------------------------------------------
# Synthetic gazetteers: pronounceable made-up names in the project's schema
# --------------------------------------------------------------------------

_ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "r", "s", "t", "v", "z", "sh", "kh", "th", "dh", "gh")
_VOWELS = ("a", "e", "i", "o", "u", "aa", "ou", "ei")
_CODAS = ("", "", "", "n", "r", "l", "m", "s", "t")
# Spelling habits of romanised Arabic; each turns one name into a plausible variant.
_SWAPS = (("a", "e"), ("e", "i"), ("i", "ee"), ("o", "ou"), ("ou", "u"), ("u", "o"), ("kh", "h"), ("sh", "ch"))
_SWAPS += (("th", "t"), ("dh", "d"), ("gh", "g"), ("aa", "a"), ("ei", "ai"))


@dataclass(frozen=True)
class SyntheticEntity:
    id: str
    type: str  # "person" (given + family name, with a short form) or "place"
    canonical: str
    variants: tuple[str, ...]
    short_canonical: str | None = None
    short_variants: tuple[str, ...] = ()

    def spellings(self) -> list[str]:
        short = [self.short_canonical, *self.short_variants] if self.short_canonical else []
        return [self.canonical, *self.variants, *short]


class _NameMaker:
    """Unique capitalised made-up words: never an English word, never a name already used."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = taken  # lowercase words already spoken for (shared with the caller)
        self.common = english_words()

    def word(self) -> str:
        while True:
            syllables = self.rng.choice((2, 2, 3))
            word = "".join(
                self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS) for _ in range(syllables)
            )
            if self.claim(word):
                return word.capitalize()

    def claim(self, word: str) -> bool:
        low = word.lower()
        if low in self.taken or low in self.common:
            return False
        self.taken.add(low)
        return True

    def variants(self, word: str, count: int) -> list[str]:
        """Up to `count` respellings of `word`, each unused until now."""
        low = word.lower()
        options = sorted({low.replace(a, b, 1) for a, b in _SWAPS if a in low} - {low})
        options += [low + "h"] if low[-1] in "aeiou" else [low[:-1] + low[-1] * 2]
        out = []
        for option in self.rng.sample(options, len(options)):
            if len(out) == count:
                break
            if self.claim(option):
                out.append(option.capitalize())
        return out


def synthetic_entities(spellings: int, seed: int, taken: set[str]) -> list[SyntheticEntity]:
    """Made-up entities with `spellings` spellings in all (canonicals, variants,
    short forms).  `taken` (lowercase words) is never reused, so the result
    loads next to the shipped gazetteer without a clash; it is updated."""
    maker = _NameMaker(random.Random(seed), taken)
    given = [maker.word() for _ in range(300)]  # shared first names, as in real life
    entities: list[SyntheticEntity] = []
    total = 0
    while total < spellings:
        n = len(entities)
        if n % 3:  # two people for every place
            family = maker.word()
            family_variants = maker.variants(family, 4)
            first = maker.rng.choice(given)
            entity = SyntheticEntity(
                id=f"syn_{n:06d}",
                type="person",
                canonical=f"{first} {family}",
                variants=tuple(f"{first} {v}" for v in family_variants[:3]),
                short_canonical=family,
                short_variants=tuple(family_variants),
            )
        else:
            place = maker.word()
            entity = SyntheticEntity(f"syn_{n:06d}", "place", place, tuple(maker.variants(place, 4)))
        entities.append(entity)
        total += len(entity.spellings())
    return entities


def prefix_with_spellings(entities: list[SyntheticEntity], spellings: int) -> list[SyntheticEntity]:
    """The first entities that hold `spellings` spellings (so a 10k set is part of the 100k set)."""
    out, total = [], 0
    for entity in entities:
        if total >= spellings:
            break
        out.append(entity)
        total += len(entity.spellings())
    return out


def write_gazetteer(folder: Path, entities: list[SyntheticEntity], per_file: int = 500) -> list[Path]:
    """TOML files in the schema of gazetteers/README.md.  Many small files rather
    than one big one: the loader locates lines per file, and real gazetteers
    are split by kind too."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for part, start in enumerate(range(0, len(entities), per_file)):
        path = folder / f"synthetic-{part:03d}.toml"
        path.write_text(_toml(entities[start : start + per_file]), encoding="utf-8")
        paths.append(path)
    return paths


def _toml(entities: list[SyntheticEntity]) -> str:
    q = json.dumps  # ASCII names: a JSON string is a valid TOML basic string
    lines = [
        "# Synthetic gazetteer written by bench/corpus.py (made-up names).",
        "",
        "[gazetteer]",
        'region = "XS"',
        "",
    ]
    for e in entities:
        lines += [f"[{e.id}]", f"type = {q(e.type)}", f"canonical = {q(e.canonical)}"]
        lines += [f"variants = [{', '.join(q(v) for v in e.variants)}]", ""]
        if e.short_canonical:
            lines += [f"[[{e.id}.short]]", f"canonical = {q(e.short_canonical)}"]
            lines += [f"variants = [{', '.join(q(v) for v in e.short_variants)}]", ""]
    return "\n".join(lines)


def words_in(gazetteer: Gazetteer) -> set[str]:
    """Every word of every spelling and keep-word, lowercase (what synthetic names must avoid)."""
    words = {w.lower() for s in gazetteer_spellings(gazetteer) for w in s.replace("-", " ").split()}
    words |= {w.lower() for k in gazetteer.keep for w in k.text.replace("-", " ").split()}
    return words | {k.text.lower() for e in gazetteer.entities for k in e.keep}


# --------------------------------------------------------------------------
# The news-like corpus
# --------------------------------------------------------------------------

# Frequent function words, and words a reporter capitalises inside a
# sentence (the key and fuzzy stages must skip those cheaply).
_FUNCTION_TEXT = """
the of and to in a that for on with as by at from was is said were has have had be it its their which after
over this an but not he they who also been would will more than two into about against during between under
while people forces city government
"""
_CAPITALISED_TEXT = """
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Government Minister Ministry President Council Army Parliament National
Security Interior Defence Foreign Prime Central Bank United Nations European Union Mission Committee General
Commander Spokesman Agency Reuters Office Court Assembly Presidential Oil Corporation Coast Guard Brigade
Operations Room East West South North Mediterranean Sea Airport Port
"""
_FUNCTION_WORDS = tuple(_FUNCTION_TEXT.split())
_CAPITALISED = tuple(_CAPITALISED_TEXT.split())

NAME_EVERY = 40  # one name per 40 words
DEMONYM_EVERY = 150
CAPITALISED_EVERY = 25
COMMA_EVERY = 12
_NAME, _DEMONYM, _CAPITAL, _COMMA = "\0name", "\0demonym", "\0cap", "\0comma"


class NewsWriter:
    """Articles of news-like English: an ALL-CAPS headline, paragraphs of
    sentences with a capital first word, names at about one per 40 words."""

    def __init__(self, pool: NamePool, seed: int):
        self.rng = random.Random(seed)
        self.pool = pool
        content = sorted(w for w in english_word_list() if w.isalpha() and 3 <= len(w) <= 10)
        content = self.rng.sample(content, min(4000, len(content)))
        # Function words make almost half of running text; content words follow
        # Zipf's law (weight 1/rank), so some recur often and most are rare.
        weights = [1 / NAME_EVERY, 1 / DEMONYM_EVERY, 1 / CAPITALISED_EVERY, 1 / COMMA_EVERY]
        population = [_NAME, _DEMONYM, _CAPITAL, _COMMA, *_FUNCTION_WORDS, *content]
        rest = 1 - sum(weights)
        weights += [0.45 * rest / len(_FUNCTION_WORDS)] * len(_FUNCTION_WORDS)
        zipf = [1 / (rank + 10) for rank in range(len(content))]
        weights += [0.55 * rest * z / sum(zipf) for z in zipf]
        self.population = population
        self.cum_weights = _cumulative(weights)
        self.pick: dict[str, Callable[[], str]] = {
            _NAME: self.name,
            _DEMONYM: lambda: self.rng.choice(pool.demonyms),
            _CAPITAL: self.capitalised,
            _COMMA: lambda: ",",
        }
        self.content = content

    def name(self) -> str:
        """Mostly listed spellings; some unlisted, foreign look-alikes, synthetic names."""
        r = self.rng.random()
        pool = self.pool
        if r < 0.75 or not (pool.unlisted and pool.synthetic):
            source = pool.listed
        elif r < 0.85:
            source = pool.unlisted
        elif r < 0.93:
            source = pool.synthetic
        else:
            source = pool.lookalikes
        name = self.rng.choice(source)
        return name + "’s" if self.rng.random() < 0.1 else name

    def capitalised(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(_CAPITALISED)
        return self.rng.choice(self.content).capitalize()

    def sentence(self) -> str:
        tokens = self.rng.choices(self.population, cum_weights=self.cum_weights, k=self.rng.randint(8, 28))
        words = [self.pick[t]() if t in self.pick else t for t in tokens]
        while words and words[0] == ",":
            words.pop(0)
        if not words:
            words = ["the"]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words).replace(" ,", ",").rstrip(",") + "."

    def headline(self) -> str:
        words = self.rng.sample(self.content, self.rng.randint(5, 9))
        words.insert(self.rng.randrange(len(words)), self.rng.choice(self.pool.listed))
        return " ".join(words).upper()

    def article(self, target_chars: int) -> str:
        parts = [self.headline(), ""]
        size = 0
        while size < target_chars:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))
            parts += [paragraph, ""]
            size += len(paragraph) + 2
        return "\n".join(parts)


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: tuple[Path, ...]
    large: Path  # the one large file
    bytes: int


def write_corpus(root: Path, size_bytes: int, pool: NamePool, seed: int, large_share: float = 0.1) -> Corpus:
    """Many article files (2-12 kB, 200 per folder) and one large file of about
    `large_share` of the total, under `root`."""
    writer = NewsWriter(pool, seed)
    files: list[Path] = []
    written = 0
    large_target = int(size_bytes * large_share)
    while written < size_bytes - large_target:
        n = len(files)
        path = root / f"d{n // 200:03d}" / f"article-{n:06d}.txt"
        written += _write(path, writer.article(writer.rng.randint(2_000, 12_000)))
        files.append(path)
    large = root / "large" / "large-file.txt"
    articles = []
    size = 0
    while size < max(large_target, 1):
        articles.append(writer.article(writer.rng.randint(2_000, 12_000)))
        size += len(articles[-1]) + 1
    written += _write(large, "\n".join(articles))
    return Corpus(root, (*files, large), large, written)


def _write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)
