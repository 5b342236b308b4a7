"""The log records of one file, kept small until they are written.

A file's change and review records travel from the worker that cleaned it
to the journal and to the run's logs.  Held as Python objects they took
ten times the size of a name-dense file; as JSON they still outweigh the
text.  Encoded once and kept as compressed blocks of JSON Lines (one block
per part of the text), they cost a few percent of it, are written out
block by block, and go into the journal as they are (msgspec writes bytes
as base64)::

    >>> rows = Rows.of([{"after": "Haftar"}, {"after": "Sirte"}])
    >>> len(rows), list(rows)[1]
    (2, b'{"after":"Sirte"}')
    >>> b"".join(rows.jsonl())
    b'{"after":"Haftar"}\\n{"after":"Sirte"}\\n'
    >>> [row["after"] for row in rows.decode(dict)]
    ['Haftar', 'Sirte']
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import TypeVar

import msgspec

from ..engine.records import encode_lines

T = TypeVar("T")


class Rows(msgspec.Struct):
    """Records as JSON Lines, in compressed blocks: `count` records in all."""

    count: int = 0
    blocks: list[bytes] = msgspec.field(default_factory=list)

    @classmethod
    def of(cls, records: Iterable[object]) -> Rows:
        """Rows holding `records`, in one block."""
        rows = cls()
        rows.extend(records)
        return rows

    def extend(self, records: Iterable[object]) -> None:
        """Add records (structs, or dicts) as one block (call once per part of a text)."""
        records = list(records)
        if records:
            self.blocks.append(zlib.compress(encode_lines(records), 1))
            self.count += len(records)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[bytes]:
        """Each record's JSON line, without its newline."""
        for block in self.blocks:
            yield from zlib.decompress(block).splitlines()

    def decode(self, kind: type[T]) -> Iterator[T]:
        """The records as values of `kind` (a `Change`, a `ReviewItem`, dict...)."""
        decoder = msgspec.json.Decoder(kind)
        for block in self.blocks:
            yield from decoder.decode_lines(zlib.decompress(block))

    def jsonl(self) -> Iterator[bytes]:
        """The records as JSON Lines bytes, a block at a time."""
        for block in self.blocks:
            yield zlib.decompress(block)

    def __eq__(self, other: object) -> bool:
        # the same records, however they were cut into blocks
        if isinstance(other, Rows):
            return list(self) == list(other)
        return NotImplemented
