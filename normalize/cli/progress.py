"""Progress of a run on the terminal: a bar on a TTY, periodic lines otherwise.

>>> line = Plain(every=0).line(3, 10, 2_500_000, 5_000_000, 12, 2.0)
>>> line
'normalize: 3/10 files, 2.5/5.0 MB, 1.2 MB/s, 12 changes, about 2s left'
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from ..batch.pipeline import FileOutcome


class Bar:
    """A rich progress bar measured in bytes: files, MB, rate, ETA, changes so far."""

    def __init__(self, console: Console):
        self.progress = Progress(
            TextColumn("{task.fields[files]} files"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[changes]} changes"),
            console=console,
            transient=True,
        )
        self.done = self.changes = 0
        self.total_files = 0

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def start(self, files: int, size: int) -> None:
        self.total_files = files
        self.task = self.progress.add_task("", total=size or 1, files=f"0/{files}", changes=0)

    def advance(self, outcome: FileOutcome) -> None:
        self.done += 1
        self.changes += len(outcome.record.changes)
        self.progress.update(
            self.task, advance=outcome.size, files=f"{self.done}/{self.total_files}", changes=self.changes
        )

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


class Plain:
    """A line every `every` seconds, for logs and pipes (no terminal)."""

    def __init__(self, console: Console | None = None, every: float = 10.0):
        self.console = console
        self.every = every
        self.files = self.size = self.done = self.bytes = self.changes = 0
        self.began = self.last = time.monotonic()

    def __enter__(self) -> Plain:
        return self

    def start(self, files: int, size: int) -> None:
        self.files, self.size = files, size

    def advance(self, outcome: FileOutcome) -> None:
        self.done += 1
        self.bytes += outcome.size
        self.changes += len(outcome.record.changes)
        now = time.monotonic()
        if now - self.last >= self.every and self.console is not None:
            self.last = now
            self.console.print(
                self.line(self.done, self.files, self.bytes, self.size, self.changes, now - self.began), markup=False
            )

    @staticmethod
    def line(done: int, files: int, seen: int, size: int, changes: int, elapsed: float) -> str:
        rate = seen / elapsed if elapsed > 0 else 0.0
        left = f", about {(size - seen) / rate:.0f}s left" if rate else ""
        return (
            f"normalize: {done}/{files} files, {seen / 1e6:.1f}/{size / 1e6:.1f} MB, "
            f"{rate / 1e6:.1f} MB/s, {changes} changes{left}"
        )

    def __exit__(self, *exc: object) -> None:
        pass
