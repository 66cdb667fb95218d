"""Map a function over items in local worker processes, yielding results in input order.

The process pool is the hard isolation layer the extractors rely on (see ``extract/deadline.py``): a
worker that dies in C code (a parser crash, an out-of-memory kill) costs the item it was working on,
not the run. This module knows nothing about pages or articles; the work function is passed in, must be
picklable (a module-level function) and should return its failures instead of raising them.
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


def map_ordered(func: Callable[[T], R], items: Sequence[T], *, workers: int) -> Iterator[R | WorkerCrash]:
    """Yield ``func(item)`` for every item, in order, using up to ``workers`` processes.

    One worker (or one item) runs inline, without a pool. When a worker dies, the items not yet yielded
    are run again in a pool of one process, where a crash can only be the item at the head of the
    queue: that item yields a ``WorkerCrash`` and the rest carry on.
    """
    if workers <= 1 or len(items) <= 1:
        yield from map(func, items)
        return
    start, isolate = 0, False
    while start < len(items):
        try:
            for result in _run_pool(func, items, start, 1 if isolate else workers):
                start += 1
                yield result
        except BrokenProcessPool:
            if isolate:
                start += 1
                yield WorkerCrash()
            isolate = True


def _run_pool(func: Callable[[T], R], items: Sequence[T], start: int, workers: int) -> Iterator[R]:
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        indices = iter(range(start, len(items)))
        pending: collections.deque[Future[R]] = collections.deque()
        for i in indices:
            pending.append(pool.submit(func, items[i]))
            if len(pending) >= workers * PREFETCH_PER_WORKER:
                break
        while pending:
            result = pending.popleft().result()
            following = next(indices, None)
            if following is not None:
                pending.append(pool.submit(func, items[following]))
            yield result
    finally:
        # Also runs when the consumer stops early: queued items are dropped, not computed.
        pool.shutdown(wait=True, cancel_futures=True)
