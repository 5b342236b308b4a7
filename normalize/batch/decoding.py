"""Decode article bytes whose encoding nobody recorded, without losing a byte.

Scraped news arrives as UTF-8, UTF-16 or one of the legacy single-byte code
pages used for Arabic (windows-1256, iso-8859-6) and Western European text
(windows-1252, latin-1).  `decode_bytes` picks one and says how sure it is;
whatever it returns, ``encode_text(decoded.text, decoded.encoding)`` gives
back exactly the input bytes, so the output can stay byte-identical outside
the spans the normalizer changes.

UTF-8 with a few damaged bytes (a stray byte, a sequence cut short) is still
UTF-8: the bad bytes are kept in the text as lone surrogates (Python's
``surrogateescape``, one character per byte, U+DC80-U+DCFF), written back as
they were, and listed in `Decoded.bad_bytes`.

>>> decoded = decode_bytes("قوات حفتر تتقدم نحو سرت".encode("cp1256"))
>>> decoded.encoding, decoded.confident
('windows-1256', True)
"""

from __future__ import annotations

import codecs
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Decoded", "DecodingError", "decode_bytes", "encode_text", "looks_binary"]

# Scoring looks at this much; the chosen codec then decodes everything.  64 KiB
# is several articles' worth of text, and keeps detection time independent of
# the file size.
SAMPLE_BYTES = 64 * 1024

# The candidates in order of preference, which breaks ties.  UTF-8 and
# UTF-16 are not scored; they are recognised by validity and by their BOM.
DEFAULT_ENCODINGS: tuple[str, ...] = ("utf-8", "utf-16", "windows-1256", "iso-8859-6", "windows-1252", "latin-1")

# Below this score (points per character, at most about 1) the best reading is
# still mostly noise, so the caller should skip the file rather than guess.
MIN_SCORE = 0.5
# A control byte is this bad: real text has none, binary data many.
CONTROL_WEIGHT = 2.0
# Share of control bytes above which data is called binary outright.
BINARY_CONTROL_SHARE = 0.10
# UTF-8 with bytes that are not UTF-8 is read as UTF-8 with those bytes kept
# as they are ("nearly UTF-8") when either
#  - the valid multi-byte sequences hold at least as many bytes as the invalid
#    ones: text in a single-byte code page almost never forms them (its
#    accented or Arabic letters follow each other or ASCII, not the 0x80-0xBF
#    continuation bytes), so they are evidence of UTF-8 that no code page's
#    reading can outweigh (that reading would be mojibake: "â€™", "ظ‚ظˆ");
#  - or no code page reads the bytes as text with confidence and they are
#    rare: at most this share of the file (one in twenty bytes).  Keeping
#    them verbatim then loses nothing, whatever they were meant to be.
# Anything else (a real code page, or noise) goes to the code-page scoring.
MAX_STRAY_SHARE = 0.05
# Bad-byte offsets named in a warning; the rest are counted.
WARN_OFFSETS = 10

_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}

# Python's names (codecs.lookup(...).name) to the labels we report; the labels
# are the WHATWG/IANA spellings analysts know, and Python accepts them back.
_LABELS = {
    "utf-8": "utf-8",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "cp1256": "windows-1256",
    "iso8859-6": "iso-8859-6",
    "cp1252": "windows-1252",
    "iso8859-1": "latin-1",
}
_ARABIC_CODECS = frozenset({"windows-1256", "iso-8859-6"})

# C0 controls except tab, line feed, form feed and carriage return, plus DEL and
# the C1 controls (which latin-1 and iso-8859-6 produce for bytes 0x80-0x9F).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_CONTROLS = frozenset(chr(c) for c in [*_CONTROL_BYTES, *range(0x80, 0xA0)])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_HIGH_BYTES = bytes(range(0x80, 0x100))
# What `surrogateescape` makes of bytes that are not UTF-8: one character each.
_ESCAPED_RE = re.compile("[\udc80-\udcff]+")

_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# A word is a run of letters and Arabic marks; the marks are included so a mark
# decoded into the middle of a Latin word makes that word mixed-script.
# Superscripts and fractions pass `\w` but are not letters.
_WORD_RE = re.compile(rf"(?:[^\W\d_\u00b2\u00b3\u00b9\u00bc-\u00be]|[{_ARABIC_MARKS}])+")
_ARABIC_WORD_RE = re.compile(f"[{_ARABIC}]+")
_LATIN_WORD_RE = re.compile(f"[{_LATIN}\u00aa\u00b5\u00ba\u02c6]+")
# Accented letters that are words on their own (French and Portuguese "à",
# Italian "è", Portuguese "é", Swedish "å", "ö", Danish "ø", ...); ASCII
# letters ("a", "I") are counted as ASCII.
_LONE_LATIN_WORDS = frozenset("àÀèÈéÉóÓòôùåÅöÖøØ")
_ARABIC_CHAR_RE = re.compile(f"[{_ARABIC}]")
_LATIN_CHAR_RE = re.compile(f"[{_LATIN}]")
_MARK_RE = re.compile(f"[{_ARABIC_MARKS}]")
_MARKS = "".join(chr(c) for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)])
_TANWEEN = "\u064b\u064c\u064d"
_TANWEEN_CARRIERS = "\u0627\u0649"  # alef, alef maksura: "شكرًا", "هدىً"
_TATWEEL = "\u0640"
# Characters every reading of real text is full of: whitespace, digits (Western
# and Arabic-Indic) and common punctuation in both scripts.
_ASCII_PLAIN = frozenset(" \t\n\r\x0c" + "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalpha()))
_PLAIN = _ASCII_PLAIN | frozenset(
    "\xa0«»–—‘’‚‛“”„•…€"
    "\u060c\u061b\u061f\u066a\u066b\u066c\u06d4"  # Arabic comma, semicolon, question mark, ...
    + "".join(chr(c) for c in [*range(0x0660, 0x066A), *range(0x06F0, 0x06FA)])  # Arabic-Indic digits
)
# The definite article, alone or after a one-letter prefix (wa-, fa-, bi-, ka-,
# li-): about a quarter of the words in Arabic news.  A wrong Arabic code page
# turns its lam into another letter, so it is good evidence between the two.
_ARTICLE_RE = re.compile("[\u0648\u0641\u0628\u0643\u0644]?\u0627\u0644.")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the encoding that writes it back.

    `confident` is False when the guess is weak; `reason` then says why
    (otherwise what was detected).

    >>> Decoded("Sirte", "utf-8", True).text
    'Sirte'
    """

    text: str
    encoding: str
    confident: bool
    reason: str = ""
    # Byte offsets in the input of the bytes that are not valid UTF-8 in a
    # file read as UTF-8 anyway; each is one lone surrogate (U+DC80+byte) in
    # `text`, and `encode_text` writes it back as that byte.
    bad_bytes: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        """What a user should hear about the decoding ('' if nothing).

        >>> decode_bytes(b"Hafter met envoys in Sirt.\\nstray \\xff byte\\n").warning
        '1 byte that is not UTF-8 kept as it is, at byte offset 33'
        """
        return _bad_bytes_warning(self.bad_bytes)


class DecodingError(ValueError):
    """The bytes are not text in any encoding tried (binary data, say).

    >>> str(DecodingError("looks binary: NUL byte at offset 3"))
    'looks binary: NUL byte at offset 3'
    """


@dataclass(slots=True)
class _Reading:
    """One candidate's decoding of the sample and how text-like it is."""

    label: str
    codec: str
    text: str
    points: float
    controls: int
    arabic: int  # letters in Arabic words
    latin: int  # letters in Latin words
    evidence: float  # the points earned by non-ASCII characters

    @property
    def score(self) -> float:
        return self.points / max(1, len(self.text))


def encode_text(text: str, encoding: str) -> bytes:
    """Encode `text` in `encoding`: the inverse of `decode_bytes`.

    A byte-order mark is part of the text (U+FEFF), so none is added here.
    In UTF-8, a byte kept from a damaged input (U+DC80-U+DCFF, see
    `Decoded.bad_bytes`) is written back as that byte.
    Raises `DecodingError` if a character has no byte form in `encoding`
    (a rewrite inserted a letter the code page lacks).

    >>> encode_text("\\ufeffSirte", "utf-8")
    b'\\xef\\xbb\\xbfSirte'
    >>> encode_text("Sirte \\udcff", "utf-8")
    b'Sirte \\xff'
    """
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        if _is_utf8(encoding) and _ESCAPED_RE.fullmatch(exc.object, exc.start, exc.end):
            try:
                return text.encode(encoding, "surrogateescape")
            except UnicodeEncodeError as again:  # a lone surrogate that is no kept byte
                exc = again
        bad = exc.object[exc.start : exc.end]
        if _ESCAPED_RE.match(bad):
            kept = ord(bad[0]) - 0xDC00
            raise DecodingError(
                f"cannot write byte 0x{kept:02x}, kept as it was from input that is not UTF-8"
                f" (character {exc.start}), in {encoding}"
            ) from exc
        raise DecodingError(f"cannot write {bad!r} (character {exc.start}) in {encoding}") from exc
    except LookupError as exc:
        raise DecodingError(f"unknown encoding: {encoding!r}") from exc


def looks_binary(data: bytes) -> str | None:
    """Why `data` looks binary rather than text, or None if it does not.

    NUL bytes mean binary unless the data starts with a UTF-16 byte-order mark
    (UTF-16 text is full of them); so does a high share of control characters.

    >>> looks_binary(b"GIF89a\\x01\\x00\\x01\\x00")
    'looks binary: NUL byte at offset 7'
    >>> looks_binary("Sirte".encode("utf-16"))
    """
    codec = _BOMS.get(data[:2])
    if codec is not None:
        text = _decode_prefix(data, codec)
        if text is not None:
            controls = len(_CONTROL_RE.findall(text))
            if controls > BINARY_CONTROL_SHARE * len(text):
                return f"looks binary: mostly control characters ({controls} of {len(text)}, read as {codec})"
            return None
        # Not valid UTF-16 after all: judge the raw bytes.
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"looks binary: NUL byte at offset {nul}"
    sample = data[:SAMPLE_BYTES]
    # translate(None, delete) drops the harmless bytes in C, leaving the controls.
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
    if controls > BINARY_CONTROL_SHARE * len(sample):
        return f"looks binary: mostly control characters ({controls} of the first {len(sample)} bytes)"
    return None


def decode_bytes(data: bytes, *, encodings: Sequence[str] | None = None) -> Decoded:
    """Decode `data`, guessing its encoding; the result always round-trips.

    Valid UTF-8 wins; a UTF-16 byte-order mark means UTF-16; otherwise each
    legacy candidate decodes a sample and the most text-like reading wins,
    unless the data is nearly UTF-8 (see `MAX_STRAY_SHARE`): then it is
    UTF-8 with its bad bytes kept (`Decoded.bad_bytes`).  Byte-order marks
    are kept in the text as U+FEFF.  `encodings` restricts the candidates; a
    single one is forced (decoded strictly, confident; forced UTF-8 keeps
    the bad bytes of nearly-UTF-8 data).  Raises `DecodingError` for binary
    data or when no candidate decodes it.

    >>> decode_bytes("Les forces du maréchal Haftar à Syrte".encode("cp1252")).encoding
    'windows-1252'
    >>> decode_bytes("Haftar’s forces".encode() + b" \\xff").bad_bytes
    (18,)
    """
    if isinstance(encodings, str):
        encodings = [encodings]  # a lone name is a Sequence[str] too, of letters
    if encodings and len(encodings) == 1:
        return _forced(data, encodings[0])
    # An empty list is "no --encoding given", like None.
    families = _families(tuple(encodings or DEFAULT_ENCODINGS))
    if not data:
        return Decoded("", "utf-8", True, "empty input")
    # UTF-8 and UTF-16 are recognised by validity and BOM; the rest are scored.
    legacy = [
        (_LABELS.get(c, c), c) for c in families if c not in ("utf-8", "utf-8-sig") and not c.startswith("utf-16")
    ]

    notes: list[str] = []
    bom_codec = _BOMS.get(data[:2])
    if bom_codec is not None and ("utf-16" in families or bom_codec in families):
        decoded = _utf16(data, bom_codec)
        if decoded is not None:
            return decoded
        notes.append(f"{bom_codec} byte-order mark, but not valid {bom_codec}")

    reason = looks_binary(data)
    if reason is not None:
        raise DecodingError(_join(reason, *notes))

    stray = None
    if "utf-8" in families or "utf-8-sig" in families:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            notes.insert(0, f"not valid UTF-8 (line {line}, byte offset {exc.start})")
            # Judged on the sample first (as the code pages are), so files in
            # a code page pay little; a verdict for UTF-8 holds for the whole.
            stray = _Stray.read(data[:SAMPLE_BYTES])
            if stray.mostly_valid and (stray := stray.whole(data)).mostly_valid:
                return stray.decoded("its valid multi-byte characters outweigh them")
        else:
            bom = " with a byte-order mark (kept as U+FEFF)" if data.startswith(codecs.BOM_UTF8) else ""
            return Decoded(text, "utf-8", True, f"valid UTF-8{bom}")

    try:
        decoded = _best_legacy(data, legacy, notes)
    except DecodingError as exc:
        if stray is None or not stray.rare or not (stray := stray.whole(data)).rare:
            raise
        return stray.decoded(f"too few to be another encoding, and no code page reads them ({exc})")
    if decoded.confident or stray is None or not stray.rare or not (stray := stray.whole(data)).rare:
        return decoded
    # No code page is sure of the bytes, and they are rare: keep them as they are.
    return stray.decoded(f"too few to be another encoding, and no code page reads them ({decoded.reason})")


def _forced(data: bytes, name: str) -> Decoded:
    """Decode strictly with the one encoding the caller chose."""
    codec = _codec(name)
    if codec == "utf-8-sig":
        # The BOM stays in the text, so plain UTF-8 reads (and writes) it.
        codec = "utf-8"
    elif codec == "utf-16":
        # Python's utf-16 codec drops the BOM on reading and writes its own
        # order, so pick the explicit byte order: the BOM's, else little-endian.
        codec = _BOMS.get(data[:2], "utf-16-le")
    if not codec.startswith(("utf-16", "utf-32")):
        # NUL is an ordinary code unit byte in UTF-16/32, and binary elsewhere.
        reason = looks_binary(data)
        if reason is not None:
            raise DecodingError(reason)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-8":
            stray = _Stray.read(data)
            if stray.mostly_valid or stray.rare:
                return stray.decoded(f"{name} chosen by the caller")
        raise DecodingError(f"not valid {name} (byte offset {exc.start}: {exc.reason})") from exc
    if text.encode(codec) != data:
        # Stateful or normalising codecs (utf-32's BOM, iso-2022-*) could lose bytes.
        raise DecodingError(f"decoding with {name} would not give back the same bytes")
    return Decoded(text, _LABELS.get(codec, codec), True, f"{name} chosen by the caller")


@dataclass(frozen=True, slots=True)
class _Stray:
    """UTF-8 data with bytes that are not UTF-8, read with those bytes kept."""

    text: str  # each bad byte as one lone surrogate (surrogateescape)
    bad: int  # bytes that are not UTF-8
    size: int  # bytes in all
    multibyte: int  # bytes in valid multi-byte sequences

    @classmethod
    def read(cls, data: bytes) -> _Stray:
        # Counted in C: every file in a code page comes this way.
        text = data.decode("utf-8", "surrogateescape")
        bad = len(data) - len(text.encode("utf-8", "ignore"))  # a kept byte is one byte
        high = len(data) - len(data.translate(None, _HIGH_BYTES))
        return cls(text, bad, len(data), high - bad)

    def whole(self, data: bytes) -> _Stray:
        """The same reading of all of `data` (this one read a sample of it)."""
        return self if self.size == len(data) else _Stray.read(data)

    @property
    def mostly_valid(self) -> bool:
        """Valid multi-byte sequences hold at least as many bytes as the bad ones."""
        return self.multibyte >= self.bad

    @property
    def rare(self) -> bool:
        """The bad bytes are at most `MAX_STRAY_SHARE` of the data."""
        return self.bad <= MAX_STRAY_SHARE * self.size

    def decoded(self, why: str) -> Decoded:
        n = self.bad
        kept = f"UTF-8 with {n} bad byte{'s kept as they are' if n > 1 else ' kept as it is'}"
        return Decoded(self.text, "utf-8", True, _join(kept, why), _kept_offsets(self.text))


def _kept_offsets(text: str) -> tuple[int, ...]:
    """Byte offsets, in the data `text` was read from, of its kept bytes."""
    offsets: list[int] = []
    char = byte = 0
    for run in _ESCAPED_RE.finditer(text):
        # Between two runs the text is valid UTF-8: its length in bytes is
        # that of its strict encoding; a kept byte is one byte.
        byte += len(text[char : run.start()].encode("utf-8"))
        offsets.extend(range(byte, byte + len(run[0])))
        byte += len(run[0])
        char = run.end()
    return tuple(offsets)


def _bad_bytes_warning(offsets: Sequence[int]) -> str:
    """A warning naming (the first of) the offsets of bytes kept as they are.

    >>> _bad_bytes_warning(range(12))
    '12 bytes that are not UTF-8 kept as they are, at byte offsets 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more'
    """
    if not offsets:
        return ""
    n = len(offsets)
    shown = ", ".join(str(o) for o in offsets[:WARN_OFFSETS])
    more = f" and {n - WARN_OFFSETS} more" if n > WARN_OFFSETS else ""
    if n == 1:
        return f"1 byte that is not UTF-8 kept as it is, at byte offset {shown}"
    return f"{n} bytes that are not UTF-8 kept as they are, at byte offsets {shown}{more}"


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _utf16(data: bytes, codec: str) -> Decoded | None:
    """Decode UTF-16 with a BOM (kept in the text); None if it is not valid."""
    text = _lossless(data, codec)
    if text is None:
        return None
    sample = text[: SAMPLE_BYTES // 2]
    noise = len(_CONTROL_RE.findall(sample)) + sum(1 for ch in sample if unicodedata.category(ch) in ("Cn", "Co"))
    order = "little" if codec.endswith("le") else "big"
    if noise > BINARY_CONTROL_SHARE * len(sample):
        return Decoded(text, codec, False, f"{order}-endian UTF-16 byte-order mark, but mostly control characters")
    return Decoded(text, codec, True, f"UTF-16 with a {order}-endian byte-order mark (kept as U+FEFF)")


def _best_legacy(data: bytes, candidates: list[tuple[str, str]], notes: list[str]) -> Decoded:
    """Score each legacy candidate on a sample; decode everything with the best."""
    sample = data[:SAMPLE_BYTES]
    readings: list[_Reading] = []
    for label, codec in candidates:
        text = _decode_prefix(sample, codec) if len(data) > SAMPLE_BYTES else _lossless(sample, codec)
        if text is None:
            # iso-8859-6 and windows-1252 leave bytes undefined: a strong "no".
            notes.append(f"not {label} (undefined bytes)")
            continue
        readings.append(_Reading(label, codec, text, *_points(text)))

    while readings:
        ranked = _rank(readings)
        best = ranked[0]
        text = best.text if len(data) <= SAMPLE_BYTES else _lossless(data, best.codec)
        if text is None:
            # Fine in the sample, undefined further on: rank the others again.
            notes.append(f"not {best.label} (undefined bytes after the first {SAMPLE_BYTES})")
            readings.remove(best)
            continue
        confident, verdict = _verdict(best, ranked)
        return Decoded(text, best.label, confident, _join(verdict, *notes))
    raise DecodingError(_join("not decodable in any candidate encoding", *notes))


def _rank(readings: list[_Reading]) -> list[_Reading]:
    """Best first, one reading per distinct text.

    Identical readings are equally right (each re-encodes to the input), so
    the label goes to the code page of the text's script: French without
    capital accents reads the same in windows-1256 but is windows-1252.
    """
    order = {reading.label: i for i, reading in enumerate(readings)}
    by_text: dict[str, _Reading] = {}
    for reading in readings:
        kept = by_text.get(reading.text)
        if kept is None or (_native(reading) and not _native(kept)):
            by_text[reading.text] = reading
    return sorted(by_text.values(), key=lambda r: (-r.points, order[r.label]))


def _native(reading: _Reading) -> bool:
    """Is the code page one made for the script the text is mostly in?"""
    return (reading.label in _ARABIC_CODECS) == (reading.arabic > reading.latin)


def _verdict(best: _Reading, ranked: list[_Reading]) -> tuple[bool, str]:
    """(confident, reason) for the winning reading."""
    summary = f"{best.label} (score {best.score:.2f})"
    if best.score < MIN_SCORE:
        if best.controls * CONTROL_WEIGHT > (1 - MIN_SCORE) * len(best.text):
            return False, f"mostly control characters; best guess {summary}"
        return False, f"looks garbled in every candidate encoding; best guess {summary}"
    if best.evidence <= 0:
        # ASCII reads the same in every candidate, so only the other bytes
        # can tell; if they make no sense even in the best reading (a stray
        # "\xff\xfe" in English), that reading is no more than a guess.
        return False, f"too little non-ASCII text to tell the encoding; best guess {summary}"
    if len(ranked) > 1:
        second = ranked[1]
        # Judge the lead by the characters the two readings disagree on, not
        # the whole sample (one "É" decides French, however long the text).
        # A character that is text in one reading and noise in the other is
        # worth 2 points; demand a fifth of that over the disagreement.
        if best.points - second.points < max(2.0, 0.4 * _differing(best.text, second.text)):
            return False, (
                f"ambiguous between {best.label} and {second.label} (scores {best.score:.2f} and {second.score:.2f})"
            )
        summary += f"; next {second.label} ({second.score:.2f})"
    return True, summary


def _points(text: str) -> tuple[float, int, int, int, float]:
    """How text-like a reading is, in points (about +1 per character of real text).

    Returns (points, control characters, letters in Arabic words, letters in
    Latin words, points earned by the non-ASCII characters).
    """
    # Counting first keeps the Python loops short (a single-byte code page
    # yields at most 256 distinct characters, news repeats its words), so
    # scoring 64 KiB four times stays cheap next to reading the file.
    points = ascii_points = 0.0
    controls = 0
    for ch, n in Counter(text).items():
        if ch in _PLAIN:
            points += n
            ascii_points += n if ch in _ASCII_PLAIN else 0
        elif ch in _CONTROLS:
            controls += n
            points -= CONTROL_WEIGHT * n
            ascii_points -= CONTROL_WEIGHT * n if ch < "\x80" else 0
    arabic = latin = 0
    for word, n in Counter(_WORD_RE.findall(text)).items():
        size = len(word) * n
        if word.isascii():
            latin += size
            points += size
            ascii_points += size
        elif _ARABIC_WORD_RE.fullmatch(word):
            arabic += size
            if not _plausible_arabic(word):
                points -= size
            elif len(word) > 1:
                points += size + (n if _ARTICLE_RE.match(word) else 0)
            # A lone Arabic letter is not evidence: any stray byte above 0xC0
            # is one in windows-1256.
        elif _LATIN_WORD_RE.fullmatch(word):
            latin += size
            if len(word) == 1 and word not in _LONE_LATIN_WORDS:
                # A lone "ÿ" or "þ" is no word in any language: a stray byte,
                # no evidence for a Latin code page (as a lone Arabic letter).
                continue
            # Latin-1 readings of Arabic are runs of accented letters ("ÞæÇÊ
            # ÍÝÊÑ"); real European words have a few accents among plain ones.
            accented = len(word) - len(word.encode("ascii", "ignore"))
            points += -size if accented >= 2 and accented > 0.7 * len(word) else size
        elif _ARABIC_CHAR_RE.search(word) and _LATIN_CHAR_RE.search(word):
            # Arabic bytes read in a Latin code page or the reverse: "maرchal", "âèات".
            points -= size
        # Otherwise another script (say a lone "ˆ"): no evidence either way.
    return points, controls, arabic, latin, points - ascii_points


def _plausible_arabic(word: str) -> bool:
    """Is the Arabic word well formed, with vowel marks only where they go?

    A wrong Arabic code page turns letters into marks (windows-1256's yeh is
    iso-8859-6's kasratan): the marks then start words, pile up, or sit
    mid-word as tanween, which only ends a word (before a final alef at most).
    """
    if not word.strip(_TATWEEL):
        return False  # tatweel only stretches letters; alone it is noise
    if _MARK_RE.search(word) is None:
        return True
    if word[0] in _MARKS:
        return False
    run = 0
    for i, ch in enumerate(word):
        run = run + 1 if ch in _MARKS else 0
        if run > 2:
            return False
        if ch in _TANWEEN:
            rest = word[i + 1 :].lstrip(_MARKS)
            if len(rest) > 1 or (rest and rest not in _TANWEEN_CARRIERS):
                return False
    return True


def _differing(a: str, b: str) -> int:
    """Number of positions where two readings differ (all of it if lengths do)."""
    if len(a) != len(b):
        return max(len(a), len(b))
    return sum(map(operator.ne, a, b))


def _lossless(data: bytes, codec: str) -> str | None:
    """`data` decoded strictly, or None if it fails or would not round-trip."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    # Cheap insurance: a codec that decodes but normalises (a BOM-eating or
    # stateful one) must not be used, as writing back would change bytes.
    return text if text.encode(codec) == data else None


def _decode_prefix(data: bytes, codec: str) -> str | None:
    """Strictly decode the start of `data`, stopping on a character boundary."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        # final=False holds back a character cut off at the end of the sample.
        return decoder.decode(data[:SAMPLE_BYTES], final=False)
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=64)
def _families(encodings: tuple[str, ...]) -> tuple[str, ...]:
    """The codecs of `encodings`, each once, in order (worked out once per
    list: a run decodes thousands of files with the same one)."""
    return tuple(dict.fromkeys(_codec(name) for name in encodings))


def _codec(name: str) -> str:
    """Python's canonical codec name; DecodingError for unknown names."""
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise DecodingError(f"unknown encoding: {name!r}") from exc


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)
