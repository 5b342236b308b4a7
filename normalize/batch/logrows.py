"""The log rows of one file, kept small until they are written.

A file's change and review records travel from the worker that cleaned it
to the journal and to the run's logs.  Held as Python objects they took
ten times the size of a name-dense file; as JSON they still outweigh the
text.  Kept as compressed blocks of JSON Lines (one block per part of the
text), they cost a few percent of it, and are written out block by block::

    >>> rows = Rows(['{"after": "Haftar"}', '{"after": "Sirte"}'])
    >>> len(rows), list(rows)[1]
    (2, '{"after": "Sirte"}')
    >>> b"".join(rows.jsonl())
    b'{"after": "Haftar"}\\n{"after": "Sirte"}\\n'
    >>> Rows.from_json(rows.to_json(), len(rows)) == rows
    True
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable, Iterator


class Rows:
    """JSON rows (one per record, no newline inside: JSON escapes it), in compressed blocks."""

    __slots__ = ("_blocks", "_count")

    def __init__(self, rows: Iterable[str] = ()):
        self._blocks: list[bytes] = []
        self._count = 0
        self.extend(rows)

    def extend(self, rows: Iterable[str]) -> None:
        """Add rows as one block (call once per part of a text)."""
        rows = list(rows)
        if rows:
            self._blocks.append(zlib.compress("\n".join(rows).encode("utf-8"), 1))
            self._count += len(rows)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for block in self._blocks:
            yield from zlib.decompress(block).decode("utf-8").split("\n")

    def dicts(self) -> Iterator[dict]:
        """The rows as the records they encode."""
        return (json.loads(row) for row in self)

    def jsonl(self) -> Iterator[bytes]:
        """The rows as JSON Lines bytes, a block at a time."""
        for block in self._blocks:
            yield zlib.decompress(block) + b"\n"

    def to_json(self) -> list[str]:
        """The blocks as they are, in base64 (the journal keeps them so: small, and read back unexpanded)."""
        return [base64.b64encode(block).decode("ascii") for block in self._blocks]

    @classmethod
    def from_json(cls, blocks: list[str], count: int) -> Rows:
        """The inverse of `to_json`; `count` is the number of rows the blocks hold."""
        rows = cls()
        rows._blocks = [base64.b64decode(block, validate=True) for block in blocks]
        rows._count = count
        return rows

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"

    def __getstate__(self):
        return self._blocks, self._count

    def __setstate__(self, state) -> None:
        self._blocks, self._count = state
