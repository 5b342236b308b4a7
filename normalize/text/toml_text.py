"""TOML files as text: the line numbers tomllib does not report, and values
written as TOML.  Gazetteer, ignore and configuration files are all checked
with ``file:line`` errors, so all of them find their lines here::

    >>> lines = TomlLines(chr(10).join(['[gazetteer]', 'region = "LY"', '', '[sirte]', 'variants = ["Sirt"]']))
    >>> lines.header("sirte"), lines.find("sirte", "Sirt", "variants")
    (4, 5)
    >>> print(toml_value(["Sirt", 'say "hi"']), toml_value(True))
    ["Sirt", "say \\"hi\\""] true
"""

from __future__ import annotations

import bisect
import re
import tomllib


def toml_value(value: object) -> str:
    """`value` written as TOML: a boolean, number or string as itself, a list
    or tuple item by item, anything else (a path) as its text."""
    import tomlkit  # (here: reading TOML, as every run does, never needs the writer)

    return tomlkit.item(_plain(value)).as_string()


def _plain(value: object) -> object:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def syntax_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """The line of a TOML syntax error and its message without the position:
    tomllib only writes the place into its message, as ``(at line 3,
    column 7)`` or, for a file that ends too soon, ``(at end of document)``,
    which is the file's last line.

    >>> syntax_error(tomllib.TOMLDecodeError("Invalid value (at end of document)"), "a = 1" + chr(10) + "b = [1,")
    (2, 'Invalid value')
    """
    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    if found:
        return int(found.group(1)), message.replace(found.group(0), "")
    end = re.search(r"\s*\(at end of document\)", message)
    if end:
        return max(1, len(text.splitlines())), message.replace(end.group(0), "")
    return 1, message


NESTED_TOO_DEEP = "arrays or inline tables nested too deeply to parse"
_NESTING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}\n]')


def deep_nesting_line(text: str) -> int:
    """The line where ``[`` and ``{`` (outside strings and comments) nest deepest,
    first reached: where a file too deeply nested for tomllib goes wrong.

    >>> deep_nesting_line('a = 1\\nb = [[1], "[[["]\\nc = [[[\\n[[\\n')
    4
    """
    depth = deepest = 0
    line = at = 1
    for m in _NESTING.finditer(text):
        token = m.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif token in "]}":
            depth = max(0, depth - 1)
    return at


class TomlLines:
    """Line numbers for tables and values; tomllib does not report them.

    Made in one pass over the file: headers by name, and every quoted string
    with the lines it is on, so each lookup is a dictionary access and a
    bisection, and a file of any number of entries loads in linear time.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _QUOTED = (re.compile(r'"([^"\n]*)"'), re.compile(r"'([^'\n]*)'"))

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: list[tuple[str, int]] = []
        self._named: dict[str, list[int]] = {}
        # "double" and 'literal' strings -> the lines that hold them, in order
        self._quoted: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for number, line in enumerate(self.lines, start=1):
            if m := self._HEADER.match(line):
                name = ".".join(part.strip().strip('"').strip("'") for part in m.group(2).split("."))
                self.headers.append((name, number))
                self._named.setdefault(name, []).append(number)
            for pattern, strings in zip(self._QUOTED, self._quoted, strict=True):
                if pattern.pattern[0] in line:
                    for m in pattern.finditer(line):
                        _add_line(strings, m.group(1), number)
                        if "\\" in m.group(1) and strings is self._quoted[0]:
                            _add_line(strings, _unescaped(m.group(1)), number)
        self._starts = [n for _, n in self.headers]
        self._entity_blocks: dict[str, tuple[int, int]] = {}
        self._key_lines: dict[tuple[tuple[int, int], str], int] = {}
        # Lines searched word by word for what no quoted string holds (a
        # missing key, a string split over lines): at most a few times the
        # file, then such a lookup gives the block's first line.
        self._scan_budget = 4 * len(self.lines) + 1000

    def has_header(self, name: str) -> bool:
        return name in self._named

    def header(self, name: str, occurrence: int = 0) -> int:
        found = self._named.get(name, ())
        return found[occurrence] if occurrence < len(found) else 1

    def block(self, name: str, occurrence: int = 0) -> tuple[int, int]:
        start = self.header(name, occurrence)
        later = bisect.bisect_right(self._starts, start)
        return start, (self._starts[later] if later < len(self._starts) else len(self.lines) + 1)

    def key_line(self, key: str, table: str | None = None) -> int | None:
        """The line where `key` is set in `table` (None: the top of the file,
        before any header), else anywhere it is written (a sub-table header
        ``[table.key]``, a dotted key); None if nowhere.

        >>> TomlLines(chr(10).join(["[tool.normalize]", "glob = '*.md'"])).key_line("glob", "tool.normalize")
        2
        """
        quoted = rf"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
        assignment = re.compile(rf"^\s*{quoted}\s*[=.]")
        if table is None:
            start, end = 1, self._starts[0] if self._starts else len(self.lines) + 1
        elif self.has_header(table):
            start, end = self.block(table)
            start += 1
        else:
            start = end = 1
        for number in range(start, end):
            if assignment.match(self.lines[number - 1]):
                return number
        anywhere = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
        return next((n for n, line in enumerate(self.lines, 1) if anywhere.search(line)), None)

    def headers_named(self, name: str) -> list[int]:
        """The line of every header of table `name` (``[[ignore]]`` ...), in order."""
        return list(self._named.get(name, ()))

    def find(self, table: str, text: str, key: str | None = None) -> int:
        """Line of `text` in `table` and its sub-tables, looking from its `key` on."""
        block = self._entity_blocks.get(table)
        if block is None:  # up to the next header that is not one of its own tables
            start, inner = self.header(table), table + "."
            later = bisect.bisect_right(self._starts, start)
            while later < len(self.headers) and self.headers[later][0].startswith(inner):
                later += 1
            end = self._starts[later] if later < len(self._starts) else len(self.lines) + 1
            block = self._entity_blocks[table] = (start, end)
        if key is not None:
            key_line = self._key_lines.get((block, key))
            if key_line is None:
                key_line = self._key_lines[block, key] = self.find_in(block, f"{key} =")
            block = (key_line, block[1])
        return self.find_in(block, text)

    def find_in(self, block: tuple[int, int], text: str) -> int:
        """First line of `block` that holds `text` (quoted, if possible)."""
        start, end = block
        end = min(end, len(self.lines) + 1)
        for strings in self._quoted:
            lines = strings.get(text)
            if lines:
                i = bisect.bisect_left(lines, start)
                if i < len(lines) and lines[i] < end:
                    return lines[i]
        if self._scan_budget > 0:
            self._scan_budget -= max(0, end - start)
            for number in range(start, end):
                if text in self.lines[number - 1]:
                    return number
        return start


def _add_line(strings: dict[str, list[int]], text: str, number: int) -> None:
    lines = strings.setdefault(text, [])
    if not lines or lines[-1] != number:
        lines.append(number)


def _unescaped(raw: str) -> str:
    """The value of a TOML basic string written as `raw` (escapes decoded), or `raw`."""
    try:
        return tomllib.loads(f'v = "{raw}"')["v"]
    except tomllib.TOMLDecodeError:
        return raw
