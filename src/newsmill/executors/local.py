"""Map a function over items in local worker processes, yielding results in input order.

The process pool is the hard isolation layer the extractors rely on (see ``extract/deadline.py``): a
worker that dies in C code (a parser crash, an out-of-memory kill) or runs past the hard time limit
costs the item it was working on, not the run. This module knows nothing about pages or articles; the
work function is passed in, must be picklable (a module-level function) and should return its failures
instead of raising them.
"""

from __future__ import annotations

import collections
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
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

# The extractor stops itself at its time limit (between blocks); a worker is killed only when it is still
# busy well after that, i.e. stuck inside C code. Twice the limit plus start-up slack never cuts a page
# that the extractor itself would have finished or stopped.
HARD_LIMIT_FACTOR = 2.0
HARD_LIMIT_GRACE = 5.0


def hard_time_limit(time_limit: float | None) -> float | None:
    """Seconds after which a worker still busy with one item is killed (None: never)."""
    return None if time_limit is None else time_limit * HARD_LIMIT_FACTOR + HARD_LIMIT_GRACE


def map_ordered(
    func: Callable[[T], R], items: Sequence[T], *, workers: int, timeout: float | None = None
) -> Iterator[R | Failure]:
    """``map_stream`` over a sequence; one item runs inline (no pool to start for a single page)."""
    if len(items) <= 1:
        workers = 1
    return map_stream(func, items, workers=workers, timeout=timeout)


def map_stream(
    func: Callable[[T], R], items: Iterable[T], *, workers: int, timeout: float | None = None
) -> Iterator[R | Failure]:
    """Yield ``func(item)`` for every item, in order, using up to ``workers`` processes.

    ``items`` may be an endless generator: at most ``workers * PREFETCH_PER_WORKER`` items are in flight,
    so memory stays flat. One worker runs inline, without a pool and without ``timeout``: the function's
    own limits are then the only ones. In a pool, an item still running ``timeout`` seconds after the
    items before it were done yields a ``WorkerTimeout``: results are consumed in order and workers take
    items in order, so it is that item, and not another, that has been running all that time.

    When a worker dies, the items in flight are run again one at a time in a pool of one process, where a
    crash can only be the item being run: that item yields a ``WorkerCrash``, the others their results.
    """
    if workers <= 1:
        yield from map(func, items)
        return
    source = iter(items)
    redo: collections.deque[T] = collections.deque()  # in-flight items of a pool that had to be stopped
    isolate = False
    while True:
        if isolate and not redo:
            isolate = False
        feed = _take(redo) if isolate else itertools.chain(_take(redo), source)
        pool = ProcessPoolExecutor(
            max_workers=1 if isolate else workers, initializer=_exit_with_parent, initargs=(os.getpid(),)
        )
        pending: collections.deque[tuple[T, Future[R]]] = collections.deque()
        try:
            for item in feed:
                pending.append((item, pool.submit(func, item)))
                if len(pending) >= (1 if isolate else workers * PREFETCH_PER_WORKER):
                    break
            if not pending:
                return
            while pending:
                item, future = pending[0]
                try:
                    result = future.result(timeout=timeout)
                except TimeoutError:
                    _kill_workers(pool)
                    pending.popleft()
                    redo.extendleft(reversed([i for i, _ in pending]))
                    pending.clear()
                    yield WorkerTimeout(timeout or 0.0)
                    break
                except BrokenProcessPool:
                    if isolate:  # one worker, one item in flight: this item killed it
                        pending.popleft()
                        yield WorkerCrash()
                    redo.extendleft(reversed([i for i, _ in pending]))
                    pending.clear()
                    isolate = True
                    break
                pending.popleft()
                following = next(feed, None) if not isolate or redo else None
                if following is not None:
                    pending.append((following, pool.submit(func, following)))
                yield result
            else:
                if isolate and not redo:
                    continue  # the suspects are done: back to a full pool for the rest
                return
        finally:
            # Also runs when the consumer stops early: queued items are dropped, not computed.
            pool.shutdown(wait=True, cancel_futures=True)


#: How often a worker checks that the process that started it is still alive.
PARENT_POLL_SECONDS = 1.0


def _exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: leave when the parent dies.

    A parent killed with SIGKILL (the resumable ingest is meant to survive ``kill -9``) cannot stop its
    pool, and its workers would wait forever for work: each forked worker holds the write end of the
    pool's call queue, so none of them ever sees it close.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="newsmill-parent-watch", daemon=True).start()


def _take(queue: collections.deque[T]) -> Iterator[T]:
    while queue:
        yield queue.popleft()


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # No public way to stop a busy worker before Python 3.14 (ProcessPoolExecutor.kill_workers); code
    # stuck inside a C parser ignores everything but a signal.
    kill = getattr(pool, "kill_workers", None)
    if kill is not None:
        kill()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
