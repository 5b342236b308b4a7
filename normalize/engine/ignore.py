"""Spellings a run must leave alone: the ignore list.

Rules come from the configuration (``ignore = ["Tripoly", "re:Sirt[a-z]+"]``:
an exact spelling, or ``re:`` and a regular expression that must match the
whole spelling) and from an ignore file, which ``normalize review`` writes
when a candidate is rejected and people may edit::

    # normalize-ignore.toml
    [[ignore]]
    text = "Tripoly"                 # or: pattern = "Sirt[a-z]+"
    reason = "the Tripoly hotel, not the city"
    context = "Hotel"                # optional: only where this is within 80 characters
    files = ["hotels/*.txt"]         # optional: only in these files

A mention that a rule matches (as written, or without its article) is
neither changed nor sent to review::

    >>> rules = IgnoreList.from_entries(["Tripoly", "re:Sirt[a-z]+"])
    >>> rules.matches("Sirtawi", "Sirtawi", "a text", 0, 1, None), rules.matches("Sirt", "Sirt", "a text", 0, 1, None)
    (True, False)

Python's regular expressions backtrack, and a pattern such as ``(a+)+`` takes
time exponential in the length of the name it is tried on.  Such patterns are
refused when the rules are loaded (`IgnoreError`, naming the file and line or
the configuration): a part repeated by a quantifier that can repeat it
(``*``, ``+``, ``{n,}``, ``{n,m}`` with m > 1; greedy, lazy or possessive)
may not contain

- another quantifier that matches a varying number of times (``*``, ``+``,
  ``?``, ``{n,m}`` with n < m): ``(a+)+``, ``(a*)*``, ``(\\w+\\s?)+``,
  ``(?:Al-)?`` inside ``(...)+``;
- an alternation ``|``, unless its branches are single characters (Python
  makes those a character class, which cannot backtrack): ``(a|a)*``,
  ``(ab|a)+``; ``(a|b)+`` is accepted.

A fixed count inside a repeat (``(\\d{3})+``) and quantifiers side by side
(``[A-Z][a-z]+ [A-Z][a-z]+``) are accepted.  So every repeated part matches
text of one fixed length, and no repetition can split a name in more than one
way: the time is polynomial in the name's length, never exponential::

    >>> IgnoreList.from_entries(["re:H(a+)+$"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    normalize.engine.ignore.IgnoreError: configuration: pattern 'H(a+)+$' can take exponential time: ...
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from fnmatch import fnmatch
from pathlib import Path

from ..text.toml_text import NESTED_TOO_DEEP, TomlLines, deep_nesting_line, syntax_error

DEFAULT_IGNORE_FILE = "normalize-ignore.toml"
_CONTEXT_CHARS = 80
_KEYS = {"text", "pattern", "reason", "context", "files", "added"}


class IgnoreError(ValueError):
    """An ignore file that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class IgnoreRule:
    text: str | None = None
    pattern: str | None = None
    reason: str = ""
    context: str | None = None
    files: tuple[str, ...] = ()
    origin: str = ""  # where the rule is written (file:line, or "configuration")

    def matches(self, spans: tuple[str, str], document: str, start: int, end: int, name: str | None) -> bool:
        if self.text is not None and self.text not in spans:
            return False
        if self.pattern is not None and not any(_compiled(self.pattern).fullmatch(s) for s in spans):
            return False
        if self.files and not (name and any(fnmatch(name, glob) for glob in self.files)):
            return False
        if self.context:
            around = document[max(0, start - _CONTEXT_CHARS) : end + _CONTEXT_CHARS]
            return self.context in around
        return True


@dataclass(frozen=True)
class IgnoreList:
    rules: tuple[IgnoreRule, ...] = ()
    # rules by exact text (one lookup per mention), and the pattern rules
    _by_text: dict[str, tuple[IgnoreRule, ...]] = field(default_factory=dict, compare=False, repr=False)
    _patterns: list[IgnoreRule] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        for rule in self.rules:
            if rule.text is not None:
                self._by_text[rule.text] = (*self._by_text.get(rule.text, ()), rule)
            else:
                self._patterns.append(rule)

    @classmethod
    def from_entries(cls, entries: list[str], origin: str = "configuration") -> IgnoreList:
        """Rules from plain entries: a spelling, or ``re:`` and a pattern."""
        rules = []
        for entry in entries:
            if entry.startswith("re:"):
                _check_pattern(entry[3:], origin)
                rules.append(IgnoreRule(pattern=entry[3:], origin=origin))
            else:
                rules.append(IgnoreRule(text=entry, origin=origin))
        return cls(tuple(rules))

    def __add__(self, other: IgnoreList) -> IgnoreList:
        return IgnoreList(self.rules + other.rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def matches(self, text: str, core: str, document: str, start: int, end: int, name: str | None) -> bool:
        """Whether a mention (`text` as written, `core` without its article,
        at start:end of `document`, in the file `name`) is to be left alone."""
        spans = (text, core)
        candidates = self._by_text.get(text, ()) + (self._by_text.get(core, ()) if core != text else ())
        if any(rule.matches(spans, document, start, end, name) for rule in candidates):
            return True
        return any(rule.matches(spans, document, start, end, name) for rule in self._patterns)

    def may_match(self, text: str, core: str) -> bool:
        """Whether some rule could leave this spelling alone somewhere (its
        file and context aside): where none can, a mention is decided
        without looking at the document around it."""
        if text in self._by_text or core in self._by_text:
            return True
        spans = (text, core)
        return any(_compiled(rule.pattern).fullmatch(s) for rule in self._patterns for s in spans)

    def fingerprint(self) -> str:
        """A hash of the rules (they decide the output, so they are part of a run's key)."""
        body = repr([(r.text, r.pattern, r.context, r.files) for r in self.rules])
        return hashlib.sha256(body.encode()).hexdigest()[:16]


def load_ignore_file(path: Path) -> IgnoreList:
    """The rules of an ignore file; a missing file has none."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return IgnoreList()
    except (OSError, UnicodeDecodeError) as exc:
        raise IgnoreError(f"{path}: cannot read: {exc}") from None
    return parse_ignore_text(raw, path)


def parse_ignore_text(raw: str, path: Path) -> IgnoreList:
    """The rules of the text of an ignore file (`path` names it in errors)."""
    import tomllib

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error(exc, raw)
        raise IgnoreError(f"{path}:{line}: not valid TOML: {message}") from None
    except RecursionError:
        raise IgnoreError(f"{path}:{deep_nesting_line(raw)}: not valid TOML: {NESTED_TOO_DEEP}") from None
    lines = TomlLines(raw).headers_named("ignore")
    tables = data.get("ignore", [])
    unknown = sorted(set(data) - {"ignore"})
    if unknown or not isinstance(tables, list):
        raise IgnoreError(f"{path}: only [[ignore]] tables belong here, not {', '.join(unknown) or 'ignore = ...'}")
    rules = []
    for n, table in enumerate(tables):
        where = f"{path}:{lines[n] if n < len(lines) else 0}"
        rules.append(_rule(table, where))
    return IgnoreList(tuple(rules))


def _rule(table: object, where: str) -> IgnoreRule:
    if not isinstance(table, dict):
        raise IgnoreError(f"{where}: an [[ignore]] entry must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        close = get_close_matches(unknown[0], sorted(_KEYS), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(_KEYS))}"
        raise IgnoreError(f"{where}: unknown key {unknown[0]!r} ({hint})")
    text, pattern = table.get("text"), table.get("pattern")
    if (text is None) == (pattern is None):
        raise IgnoreError(f"{where}: give exactly one of text or pattern")
    for key in ("text", "pattern", "reason", "context"):
        if key in table and not (isinstance(table[key], str) and table[key]):
            raise IgnoreError(f"{where}: {key} must be a non-empty string")
    files = table.get("files", [])
    if not (isinstance(files, list) and all(isinstance(f, str) and f for f in files)):
        raise IgnoreError(f"{where}: files must be a list of file name patterns")
    if pattern is not None:
        _check_pattern(pattern, where)
    return IgnoreRule(text, pattern, table.get("reason", ""), table.get("context"), tuple(files), where)


def _check_pattern(pattern: str, where: str) -> None:
    try:
        _compiled(pattern)
        reason = backtracking_problem(pattern)
    except re.error as exc:
        raise IgnoreError(f"{where}: not a valid regular expression {pattern!r}: {exc}") from None
    except RecursionError:
        raise IgnoreError(f"{where}: pattern {pattern[:60]!r}... is nested too deeply") from None
    if reason:
        raise IgnoreError(f"{where}: pattern {pattern!r} can take exponential time: {reason}")


# The stdlib's own parse of a pattern (sre_parse until Python 3.11).
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_NESTED = "a quantifier inside a repeated part; write it without one (e.g. 'a+' for '(a+)+')"
_ALTERNATION = "an alternation (|) inside a repeated part; use a character class or list the spellings"


def backtracking_problem(pattern: str) -> str | None:
    """Why a (valid) pattern could backtrack exponentially, or None (see the module's docstring).

    >>> backtracking_problem("Sirt[a-z]+"), backtracking_problem("(a|b)+"), backtracking_problem("(a|ab)+")
    (None, None, 'an alternation (|) inside a repeated part; use a character class or list the spellings')
    """
    from re import _parser

    return _backtracking(_parser.parse(pattern), repeated=False)


def _backtracking(items, repeated: bool) -> str | None:
    """The first exponential construct in parsed `items`; `repeated`: they are
    inside a part a quantifier repeats."""
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            low, high, body = av
            if repeated and low != high:
                return _NESTED
            found = _backtracking(body, repeated or high > 1)
        elif name == "BRANCH":  # what stays an alternation after Python's own simplification
            if repeated:
                return _ALTERNATION
            found = next((r for branch in av[1] if (r := _backtracking(branch, repeated))), None)
        elif name == "GROUPREF_EXISTS":  # (?(1)yes|no)
            found = next((r for part in av[1:] if part and (r := _backtracking(part, repeated))), None)
        elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
            found = _backtracking(av[-1], repeated)
        elif name == "ATOMIC_GROUP":
            found = _backtracking(av, repeated)
        else:
            found = None
        if found:
            return found
    return None


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled
