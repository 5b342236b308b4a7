"""Ways to spread `clean_file` over files: processes on this machine, or Dask.

Every runner yields outcomes in the order it was given the files, so the
logs and the summary do not depend on the runner; each worker gets the
cleaner once.

    >>> list(processes(2)(lambda cleaner, item: (cleaner, item), "C", []))
    []

The local runner keeps its own worker processes, each with a pipe, rather
than a `concurrent.futures` pool: it owns no threads and no shared queues,
so stopping it (Ctrl-C, SIGTERM, an error) is killing the workers and
nothing can deadlock (CPython 3.11's pool could hang in `shutdown` after a
Ctrl-C).  Workers ignore Ctrl-C (the parent decides when they stop) and die
with the parent, even when it is killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


class WorkerDied(RuntimeError):
    """A worker process ended without being asked to (killed, out of memory)."""


def _die_with_parent(parent: int) -> None:
    """Make this process end when `parent` does, however the parent ends."""
    if sys.platform.startswith("linux"):
        import ctypes  # (here: a run on one process never needs it)

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        else:
            if os.getppid() != parent:  # it ended before the request took effect
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def remember(cleaner) -> None:
    """Let `cleaner` keep what it learnt about new words for the next run
    (see engine.learnt), if it can; a failure only costs that run the time."""
    with contextlib.suppress(Exception):
        getattr(cleaner, "remember", lambda: None)()


def _serve(conn: Connection, work: Callable, cleaner, batches: list[list], parent: int) -> None:
    """A worker: take the numbers of batches (of `batches`, which it has
    from the fork, so the files need not cross the pipe) from the pipe,
    send back their outcomes, and the words it learnt meanwhile; adopt
    those the other workers learnt (see `Normalizer.fresh_words`)."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    fresh = getattr(cleaner, "fresh_words", dict)
    fresh()  # from here on, what this worker learns is kept for the others
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            remember(cleaner)
            return
        number, learnt = task
        if learnt:
            cleaner.adopt_words(learnt)
        try:
            reply = (number, [_detached(work(cleaner, item)) for item in batches[number]], None, fresh())
        except Exception as exc:  # the parent re-raises it
            reply = (number, None, f"{type(exc).__name__}: {exc}", {})
        conn.send(reply)


def _detached(outcome):
    """An outcome as it crosses the pipe: without what the parent has already
    (`FileOutcome.detached`), if it can be."""
    detach = getattr(outcome, "detached", None)
    return outcome if detach is None else detach()


def _attached(outcome, item):
    attach = getattr(outcome, "attached", None)
    return outcome if attach is None else attach(item)


class _Worker:
    def __init__(self, context, work: Callable, cleaner, batches: list[list]):
        self.conn, child = context.Pipe()
        args = (child, work, cleaner, batches, os.getpid())
        self.process = context.Process(target=_serve, args=args, daemon=True)
        self.process.start()
        child.close()
        self.pending = 0  # tasks sent and not answered yet
        self.ending = False  # told that no task follows

    def send(self, task) -> None:
        self.conn.send(task)
        self.pending += 1

    def end(self) -> None:
        """Tell the worker no task follows: it keeps what it learnt and ends
        once its last task is answered (see `_serve`)."""
        if not self.ending:
            self.ending = True
            with contextlib.suppress(OSError):
                self.conn.send(None)

    def receive(self):
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(timeout=1)
            raise WorkerDied(f"a worker process ended unexpectedly (exit code {self.process.exitcode})") from None
        self.pending -= 1
        return reply

    def finish(self) -> None:
        self.end()
        self.process.join()
        self.conn.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


# The words handed to a worker with one task are cut at about this many
# bytes, so that a task stays far below the buffer of the pipe to the
# worker (64 KiB at least on Linux), two tasks together too.
_WORDS_PER_TASK = 16 << 10


def _some(inbox: dict[str, int]) -> dict[str, int]:
    """Words taken out of `inbox`, up to about `_WORDS_PER_TASK` bytes (the
    rest wait for the next task)."""
    taken: dict[str, int] = {}
    budget = _WORDS_PER_TASK
    while inbox and budget > 0:
        word, reach = inbox.popitem()
        taken[word] = reach
        budget -= 4 * len(word) + 16  # (pickled: the word's UTF-8, at most 4 bytes a character, and framing)
    return taken


def processes(jobs: int) -> Callable:
    """A runner over `jobs` worker processes (batches of up to 16 files per task)."""

    def runner(work: Callable, cleaner, items: list) -> Iterator:
        if len(items) < 2:  # processes are not worth starting for one file
            yield from (work(cleaner, item) for item in items)
            return
        size = max(1, min(16, len(items) // (jobs * 4)))
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        import multiprocessing  # (here: a run on one process, or a one-line command, never needs it)
        from multiprocessing.connection import wait

        # fork: the workers inherit the compiled gazetteer instead of unpickling it
        context = multiprocessing.get_context("fork")
        workers = [_Worker(context, work, cleaner, batches) for _ in range(min(jobs, len(batches)))]
        done: dict[int, list] = {}
        inbox: dict[_Worker, dict[str, int]] = {w: {} for w in workers}  # words the others learnt
        sent = wanted = 0
        finished = False
        try:
            while wanted < len(batches):
                # Two batches in flight per worker, so it never waits for the
                # next while its last outcomes cross the pipe.  A task is small
                # (a batch number, and words of about `_WORDS_PER_TASK` bytes at
                # most), so two fit in the pipe to a worker: sending never
                # blocks, whatever the worker is sending back.
                for worker in workers:
                    while worker.pending < 2 and sent < len(batches):
                        worker.send((sent, _some(inbox[worker])))
                        sent += 1
                if sent == len(batches):
                    # no task left: each keeps what it learnt (`remember`, the
                    # workers' files merged under a lock: `learnt._merging`)
                    # while the outcomes before its last are still written, not after
                    for worker in workers:
                        worker.end()
                while wanted in done:
                    # every batch back: the workers end in their own time (and keep what they learnt),
                    # even if the caller stops before it has taken the last outcome
                    finished = finished or wanted == len(batches) - 1
                    yield from done.pop(wanted)
                    wanted += 1
                if wanted == len(batches):
                    break
                busy = {w.conn: w for w in workers if w.pending}
                for conn in wait(list(busy)):
                    number, outcomes, error, learnt = busy[conn].receive()
                    if error is not None:
                        raise RuntimeError(f"a worker failed: {error}")
                    done[number] = [_attached(o, item) for o, item in zip(outcomes, batches[number], strict=True)]
                    for other in workers:
                        if other is not busy[conn]:
                            inbox[other].update(learnt)
            finished = True
        finally:
            for worker in workers:
                if finished:
                    worker.finish()
                else:
                    worker.kill()

    return runner


def unreachable(scheduler: str, timeout: float = 10.0) -> str | None:
    """Why the Dask scheduler at `scheduler` (``tcp://host:port`` or
    ``host:port``) cannot be reached, or None: one TCP connection, tried
    before any work, so that a wrong address fails at once and in one line.

    >>> unreachable("tcp://127.0.0.1:1", timeout=1.0)[:25]
    'cannot connect to 127.0.0'
    """
    import socket  # (here: only a Dask run asks)

    address = scheduler.split("://", 1)[-1]
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        return f"not a scheduler address (tcp://HOST:PORT): {scheduler!r}"
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return None
    except OSError as exc:
        return f"cannot connect to {host}:{port}: {exc.strerror or exc}"


def dask(scheduler: str) -> Callable:
    """A runner on a Dask distributed cluster; workers must see the same files.

    The cleaner is sent to every worker once (``scatter(broadcast=True)``).
    Needs ``pip install 'normalize[dask]'``.
    """

    def runner(work: Callable, cleaner, items: list) -> Iterator:
        try:
            from distributed import Client
        except ImportError as exc:  # the optional extra is not installed
            raise RuntimeError("the dask engine needs: pip install 'normalize[dask]'") from exc
        if not items:
            return
        with Client(scheduler) as client:
            shared = client.scatter(cleaner, broadcast=True)
            futures = client.map(work, [shared] * len(items), items, pure=False)
            try:
                for future in futures:
                    yield future.result()
            finally:
                client.cancel(futures)

    return runner
