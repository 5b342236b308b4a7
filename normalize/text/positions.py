"""Where an offset is: line, column and UTF-8 byte offset.

Offsets are asked for in rising order (changes come sorted), so each answer
continues from the last one: the cost follows the text once, whatever the
number of changes, and a text with no change costs nothing::

    >>> p = Positions("ab\\r\\ncd")
    >>> p.line_column(4), p.byte_offset(4)
    ((2, 1), 4)
"""

from __future__ import annotations

import re

SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate (a byte kept from input that is not
    quite UTF-8) as U+FFFD, one for one, so every offset stays where it was.

    >>> without_surrogates("Sirt\\udcff") == "Sirt\\ufffd"
    True
    """
    return SURROGATE.sub("\ufffd", text)


def count_lines(text: str) -> int:
    """Line breaks in `text` (``\\r\\n`` is one).

    >>> count_lines("a\\r\\nb\\rc\\nd")
    3
    """
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks


def utf8_length(text: str) -> int:
    """Bytes of `text` in its UTF-8 file.

    A byte that was not UTF-8 in the file is kept in the text as one lone
    surrogate, U+DC80 to U+DCFF (``surrogateescape``, see
    `decoding.Decoded.bad_bytes`): it counts as that one byte.  Any other
    lone surrogate counts as the three bytes ``surrogatepass`` gives it.

    >>> utf8_length("Sirte é"), utf8_length("\\udcffSirte"), utf8_length("\\ud800")
    (8, 6, 3)
    """
    data = text.encode("utf-8", "surrogatepass")
    if b"\xed" not in data:
        return len(data)
    # U+DC80-U+DCFF encode as ED B2 xx and ED B3 xx, and only they do (ED is
    # never a continuation byte): each is 3 bytes standing for 1.
    return len(data) - 2 * (data.count(b"\xed\xb2") + data.count(b"\xed\xb3"))


class Positions:
    def __init__(self, text: str):
        self.text = text
        self._ascii = text.isascii()
        self._cr = "\r" in text
        self._line_at = (0, 1, 0)  # last (char offset, its line, that line's start)
        self._byte_at = (0, 0)  # last (char offset, byte offset)

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        char, line, line_start = self._line_at
        if offset < char:
            char, line, line_start = 0, 1, 0
        text = self.text
        # Line breaks ending in (char, offset]: every "\n", and every "\r" not followed by "\n".
        breaks = text.count("\n", char, offset)
        if self._cr:
            breaks += text.count("\r", char, offset) - text.count("\r\n", char, offset + 1)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", char, offset) + 1
            if self._cr:
                r = text.rfind("\r", char, offset)
                if r + 1 == offset and text[offset : offset + 1] == "\n":  # a "\r\n" not over yet
                    r = text.rfind("\r", char, r)
                line_start = max(line_start, r + 1)
        self._line_at = (offset, line, line_start)
        return line, offset - line_start + 1

    def byte_offset(self, offset: int) -> int:
        """UTF-8 byte offset of a character offset (see `utf8_length`)."""
        if self._ascii:
            return offset
        char, byte = self._byte_at
        if offset < char:
            char, byte = 0, 0
        byte += utf8_length(self.text[char:offset])
        self._byte_at = (offset, byte)
        return byte

    def place(self, file: str | None, start: int, end: int) -> tuple[str | None, int, int, int, int, int, int]:
        """The location fields shared by change and review records, in the
        order of `records.Located`: file, line, column, start, end, byte_start, byte_end."""
        line, column = self.line_column(start)
        return file, line, column, start, end, self.byte_offset(start), self.byte_offset(end)
