"""Where an offset is: line, column and UTF-8 byte offset.

>>> p = Positions("ab\\r\\ncd")
>>> p.line_column(4), p.byte_offset(4)
((2, 1), 4)
"""

from __future__ import annotations

import re
from bisect import bisect_right

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Positions:
    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        self._byte_at = (0, 0)  # last (char offset, byte offset) computed

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def byte_offset(self, offset: int) -> int:
        """UTF-8 byte offset of a character offset; cheap for rising offsets."""
        char, byte = self._byte_at
        if offset < char:
            char, byte = 0, 0
        byte += len(self.text[char:offset].encode("utf-8", "surrogatepass"))
        self._byte_at = (offset, byte)
        return byte

    def place(self, file: str | None, start: int, end: int) -> dict:
        """The location fields shared by change and review records."""
        line, column = self.line_column(start)
        return {
            "file": file,
            "line": line,
            "column": column,
            "start": start,
            "end": end,
            "byte_start": self.byte_offset(start),
            "byte_end": self.byte_offset(end),
        }
