"""Map a function over items in local worker processes, yielding results in input order.

The process pool is the hard isolation layer the extractors rely on (see ``extract/deadline.py``): a
worker that dies in C code (a parser crash, an out-of-memory kill) or runs past the hard time limit
costs the item it was working on, not the run. This module knows nothing about pages or articles; the
work function is passed in, must be picklable (a module-level function) and should return its failures
instead of raising them.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Items queued per worker ahead of the one being consumed: enough to keep every worker busy while the
#: results are consumed in order, few enough to keep memory flat on a million inputs.
PREFETCH_PER_WORKER = 4


@dataclass(frozen=True)
class WorkerCrash:
    """Stands in for the result of an item whose worker process died."""

    message: str = (
        "the worker process died on this input (a crash inside a C library, or out of memory); "
        "skip the file, or report it as a bug"
    )


@dataclass(frozen=True)
class WorkerTimeout:
    """Stands in for the result of an item that ran past the hard time limit (its worker was killed)."""

    seconds: float

    @property
    def message(self) -> str:
        return (
            f"still running after {self.seconds:g}s, so its worker process was stopped; "
            "the page is probably pathological (raise the time limit if it is not)"
        )


Failure = WorkerCrash | WorkerTimeout


def map_ordered(
    func: Callable[[T], R], items: Sequence[T], *, workers: int, timeout: float | None = None
) -> Iterator[R | Failure]:
    """Yield ``func(item)`` for every item, in order, using up to ``workers`` processes.

    One worker (or one item) runs inline, without a pool and without ``timeout``: the function's own
    limits are then the only ones. In a pool, an item still running ``timeout`` seconds after the items
    before it were done yields a ``WorkerTimeout``: results are consumed in order and workers take items
    in order, so it is that item, and not another, that has been running all that time.

    When a worker dies, the items not yet yielded are run again in a pool of one process, where a crash
    can only be the item at the head of the queue: that item yields a ``WorkerCrash``, the rest go on.
    """
    if workers <= 1 or len(items) <= 1:
        yield from map(func, items)
        return
    start, isolate = 0, False
    while start < len(items):
        try:
            for result in _run_pool(func, items, start, 1 if isolate else workers, timeout):
                start += 1
                yield result
        except BrokenProcessPool:
            if isolate:
                start += 1
                yield WorkerCrash()
            isolate = True


def _run_pool(
    func: Callable[[T], R], items: Sequence[T], start: int, workers: int, timeout: float | None
) -> Iterator[R | WorkerTimeout]:
    """Run ``items[start:]``; stops early (after yielding a WorkerTimeout) when an item hangs."""
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        indices = iter(range(start, len(items)))
        pending: collections.deque[Future[R]] = collections.deque()
        for i in indices:
            pending.append(pool.submit(func, items[i]))
            if len(pending) >= workers * PREFETCH_PER_WORKER:
                break
        while pending:
            try:
                result = pending.popleft().result(timeout=timeout)
            except TimeoutError:
                _kill_workers(pool)
                yield WorkerTimeout(timeout or 0.0)
                return  # the caller starts a fresh pool after this item
            following = next(indices, None)
            if following is not None:
                pending.append(pool.submit(func, items[following]))
            yield result
    finally:
        # Also runs when the consumer stops early: queued items are dropped, not computed.
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # No public way to stop a busy worker before Python 3.14 (ProcessPoolExecutor.kill_workers); code
    # stuck inside a C parser ignores everything but a signal.
    kill = getattr(pool, "kill_workers", None)
    if kill is not None:
        kill()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
