"""Stopping a run by signal: SIGTERM is handled as Ctrl-C is.

A batch run that is asked to stop (Ctrl-C, or SIGTERM from a scheduler or
``timeout``) writes the logs of what it finished and exits 130 or 143; a
second signal while it writes them is ignored, so the logs are never torn::

    >>> with stop_on_signals():
    ...     pass
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would raise KeyboardInterrupt."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the body, SIGTERM raises `Terminated` (Ctrl-C raises KeyboardInterrupt as always)."""
    if not _main_thread():  # signal handlers belong to the main thread
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _handled_by(handler) -> Iterator[None]:
    """Within the body, Ctrl-C and SIGTERM go to `handler` (in the main
    thread: signal handlers belong to it; elsewhere nothing changes)."""
    if not _main_thread():
        yield
        return
    previous = [signal.signal(s, handler) for s in _SIGNALS]
    try:
        yield
    finally:
        for s, old in zip(_SIGNALS, previous, strict=True):
            signal.signal(s, old)


@contextmanager
def shielded() -> Iterator[None]:
    """Within the body, Ctrl-C and SIGTERM are ignored (the logs are being written)."""
    with _handled_by(signal.SIG_IGN):
        yield


@contextmanager
def deferred() -> Iterator[None]:
    """Within the body, Ctrl-C and SIGTERM wait: each is noted, and the first
    is raised again once the body ends (a block of log rows is then written
    whole or not at all).  Unlike blocking the signals, this holds whichever
    thread the system hands them to: Python runs its handlers in this one."""
    caught: list[int] = []
    try:
        with _handled_by(lambda signum, frame: caught.append(signum)):
            yield
    finally:
        if caught:
            signal.raise_signal(caught[0])


def exit_status(exc: BaseException) -> int:
    """The exit code for a run stopped by `exc`: 143 for SIGTERM, 130 for Ctrl-C.

    >>> exit_status(Terminated()), exit_status(KeyboardInterrupt())
    (143, 130)
    """
    return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)
