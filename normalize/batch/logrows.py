"""The log records of one file, kept small until they are written.

A file's change and review records travel from the worker that cleaned it
to the run's logs.  Held as Python objects they took ten times the size of a
name-dense file; they are encoded once, as blocks of JSON Lines (one block
per part of the text).  Large rows that leave their process (a worker hands
them to the parent, which may hold them until their file's turn) go
compressed, where they cost a few percent of the text; rows written by the
process that made them are never compressed::

    >>> import pickle
    >>> rows = Rows.of([{"after": "Haftar"}, {"after": "Sirte"}])
    >>> len(rows), list(rows)[1]
    (2, b'{"after":"Sirte"}')
    >>> b"".join(pickle.loads(pickle.dumps(rows)).jsonl())
    b'{"after":"Haftar"}\\n{"after":"Sirte"}\\n'
    >>> [row["after"] for row in rows.decode(dict)]
    ['Haftar', 'Sirte']
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

import msgspec

from ..engine.records import encode_lines

T = TypeVar("T")


class Sink(Protocol):
    """Where rows are written: a log (`corpus.AtomicFile`) or any binary file."""

    def write(self, data: bytes, /) -> object: ...


# Rows of more than this many bytes leave their process compressed.
PACK_BYTES = 64 << 10


class Rows:
    """Records as JSON Lines, in blocks: `count` records in all."""

    __slots__ = ("blocks", "count", "packed")

    def __init__(self, count: int = 0, blocks: list[bytes] | None = None, packed: bool = False):
        self.count = count
        self.blocks = [] if blocks is None else blocks
        self.packed = packed  # the blocks are compressed

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
            block = encode_lines(records)
            self.blocks.append(zlib.compress(block, 1) if self.packed else block)
            self.count += len(records)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[bytes]:
        """Each record's JSON line, without its newline."""
        for block in self.jsonl():
            yield from block.splitlines()

    def decode(self, kind: type[T]) -> Iterator[T]:
        """The records as values of `kind` (a `Change`, a `ReviewItem`, dict...)."""
        decoder = msgspec.json.Decoder(kind)
        for block in self.jsonl():
            yield from decoder.decode_lines(block)

    def jsonl(self) -> Iterator[bytes]:
        """The records as JSON Lines bytes, a block at a time."""
        for block in self.blocks:
            yield zlib.decompress(block) if self.packed else block

    def write_to(self, out: Sink) -> tuple[int, str]:
        """Write the records' JSON Lines to `out`; their length in bytes and sha256."""
        digest, length = hashlib.sha256(), 0
        for block in self.jsonl():
            out.write(block)
            digest.update(block)
            length += len(block)
        return length, digest.hexdigest()

    def __reduce__(self):
        # Small rows go as they are: compressing them costs the worker, and
        # unpacking them the parent, more than the pipe saves.
        if self.packed or sum(map(len, self.blocks)) < PACK_BYTES:
            return Rows, (self.count, self.blocks, self.packed)
        return Rows, (self.count, [zlib.compress(b, 1) for b in self.blocks], True)

    def __eq__(self, other: object) -> bool:
        # the same records, however they were cut into blocks or stored
        if isinstance(other, Rows):
            return list(self) == list(other)
        return NotImplemented
