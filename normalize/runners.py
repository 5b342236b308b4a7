"""Ways to spread `clean_file` over files: processes on this machine, or Dask.

Every runner yields outcomes in input order, so the logs and the summary do
not depend on the runner; each worker gets the cleaner once.

    >>> list(processes(2)(lambda cleaner, item: (cleaner, item), "C", []))
    []
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

_cleaner = None  # this worker process's cleaner, set once by the pool initializer


def _install(cleaner) -> None:
    global _cleaner
    _cleaner = cleaner


def _call(work: Callable, item):
    return work(_cleaner, item)


def processes(jobs: int) -> Callable:
    """A runner over `jobs` worker processes (one batch of files per task)."""

    def runner(work: Callable, cleaner, items: list) -> Iterator:
        if len(items) < 2:  # a pool is not worth starting for one file
            yield from (work(cleaner, item) for item in items)
            return
        from concurrent.futures import ProcessPoolExecutor  # only when a pool is used

        chunk = max(1, min(16, len(items) // (jobs * 4)))
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_install, initargs=(cleaner,))
        try:
            yield from pool.map(_call, [work] * len(items), items, chunksize=chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return runner


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
