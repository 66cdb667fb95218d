"""``newsmill.ingest``: inputs -> records -> (extract, fingerprint in parallel) -> single writer -> store.

The plan (which records still need work) is made from the store itself, so a run that was killed, or the
same command run twice, only does what is missing: input files with a completion marker are not even
read, records already in ``pages`` are dropped before extraction, and the writer drops them again inside
its transaction in case two runs overlap. Every record read ends as exactly one ``pages`` row.
"""

from __future__ import annotations

import collections
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsmill.executors.local import Failure, WorkerCrash, WorkerTimeout, hard_time_limit, map_stream
from newsmill.extraction import DEFAULT_TIME_LIMIT
from newsmill.ingest.stages import RecordPipeline, SourceDone, StreamItem, WorkItem, default_record_stages
from newsmill.readers.collections import (
    InputRecord,
    SourceProblem,
    UnreadableRecord,
    find_input_files,
    read_file_records,
)
from newsmill.store.search import SearchIndex, index_path_for
from newsmill.store.store import DEFAULT_DB, Store, StoreCounts
from newsmill.store.writer import RunCounts, StoreWriter

ExecutorName = Literal["local", "ray"]
#: Records looked up in the store at once when planning.
PLAN_CHUNK = 256


@dataclass
class IngestReport:
    db: str
    run_id: int
    status: str
    seconds: float
    run: RunCounts
    totals: StoreCounts
    skipped_files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.run.records / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Progress:
    """What a progress display needs; ``update`` is called after every record."""

    total_bytes: int
    done_bytes: int = 0
    records: int = 0
    counts: RunCounts | None = None


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


_WORKER_PIPELINE: dict[float | None, RecordPipeline] = {}


def run_record_stages(item: StreamItem, time_limit: float | None) -> StreamItem:
    """The per-record stages, in a worker process (or inline); built once per process."""
    pipeline = _WORKER_PIPELINE.get(time_limit)
    if pipeline is None:
        pipeline = _WORKER_PIPELINE[time_limit] = RecordPipeline(default_record_stages(time_limit))
    return pipeline.run(item)


def plan_items(
    inputs: Sequence[str | Path], store: Store, *, stats: dict[str, int], on_bytes: Callable[[int], None] | None = None
) -> Iterator[StreamItem]:
    """The stream of work: records not yet stored, end-of-file markers, and whole-input problems."""
    for entry in find_input_files(inputs):
        if isinstance(entry, SourceProblem):
            yield entry
            continue
        st = entry.stat()
        if store.source_is_complete(str(entry), st.st_size, st.st_mtime):
            stats["skipped_files"] += 1
            if on_bytes:
                on_bytes(st.st_size)
            continue
        records = 0
        chunk: list[InputRecord | UnreadableRecord] = []
        for read in read_file_records(entry):
            if isinstance(read, SourceProblem):
                yield from _fresh(chunk, store, stats)
                chunk = []
                yield read
                continue
            records += 1
            chunk.append(read)
            if len(chunk) >= PLAN_CHUNK:
                yield from _fresh(chunk, store, stats)
                chunk = []
        yield from _fresh(chunk, store, stats)
        if on_bytes:
            on_bytes(st.st_size)
        yield SourceDone(str(entry), st.st_size, st.st_mtime, records)


def _fresh(chunk: list[InputRecord | UnreadableRecord], store: Store, stats: dict[str, int]) -> Iterator[WorkItem]:
    known = store.known_record_keys([r.key for r in chunk])
    for read in chunk:
        if read.key in known:
            stats["already_stored"] += 1
            continue
        yield WorkItem.from_record(read) if isinstance(read, InputRecord) else WorkItem.from_unreadable(read)


def ingest(
    inputs: Sequence[str | Path],
    *,
    db: str | Path = DEFAULT_DB,
    workers: int | None = None,
    executor: ExecutorName = "local",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    ray_address: str | None = None,
    shard_dir: str | Path | None = None,
    search: bool = True,
    progress: Callable[[Progress], None] | None = None,
) -> IngestReport:
    """Ingest pages from files, folders, JSONL/Parquet records and WARC archives into the store at ``db``.

    Returns the run's report. Safe to interrupt at any point and to run again (it resumes); running it
    twice on the same inputs stores nothing new. Raises ``StoreError`` when the database cannot be
    opened or written.
    """
    workers = workers or default_workers()
    started = time.monotonic()
    with Store(db) as store:
        index = SearchIndex(index_path_for(db)) if search else None
        if index is not None:
            index.sync(store)  # catch up with batches a killed run committed but did not index
        run_id = store.begin_run([str(i) for i in inputs], executor, workers)
        writer = StoreWriter(store, run_id, search=index)
        stats = {"skipped_files": 0, "already_stored": 0}
        problems: list[str] = []
        total = sum(p.stat().st_size for p in find_input_files(inputs) if isinstance(p, Path))
        state = Progress(total_bytes=total, counts=writer.counts)
        status, message = "complete", None
        try:
            if executor == "ray":
                from newsmill.executors.ray_data import ray_item_stream

                stream: Iterable[StreamItem] = ray_item_stream(
                    inputs, store, stats=stats, time_limit=time_limit, address=ray_address,
                    shard_dir=Path(shard_dir) if shard_dir else Path(str(db) + ".shards"), workers=workers,
                    progress=state,
                )
            else:
                stream = _local_stream(inputs, store, stats, workers, time_limit, state)
            for item in stream:
                if isinstance(item, SourceProblem):
                    problems.append(f"{item.source}: {item.message}")
                elif isinstance(item, WorkItem):
                    state.records += 1
                writer.add(item)
                if progress is not None:
                    progress(state)
            writer.flush()
        except KeyboardInterrupt:
            status, message = "interrupted", "stopped by the user; run the same command again to resume"
            raise
        except BaseException as exc:
            status, message = "failed", str(exc)
            raise
        finally:
            try:
                writer.counts.already_stored += stats["already_stored"]
                store.finish_run(run_id, status, message, skipped_records=stats["already_stored"])
            except Exception:  # noqa: BLE001 - the store may be what failed; the original error matters more
                pass
            if index is not None:
                index.close()
        return IngestReport(
            db=str(db), run_id=run_id, status=status, seconds=time.monotonic() - started, run=writer.counts,
            totals=store.counts(), skipped_files=stats["skipped_files"], problems=problems,
        )


def _local_stream(
    inputs: Sequence[str | Path], store: Store, stats: dict[str, int], workers: int, time_limit: float | None,
    state: Progress,
) -> Iterator[StreamItem]:
    """Run the record stages in the local process pool; failures become rejections of their record."""
    in_flight: collections.deque[StreamItem] = collections.deque()

    def on_bytes(n: int) -> None:
        state.done_bytes += n

    def planned() -> Iterator[StreamItem]:
        for item in plan_items(inputs, store, stats=stats, on_bytes=on_bytes):
            in_flight.append(item)
            yield item

    work = functools.partial(run_record_stages, time_limit=time_limit)
    for result in map_stream(work, planned(), workers=workers, timeout=hard_time_limit(time_limit)):
        original = in_flight.popleft()
        if isinstance(result, WorkerTimeout | WorkerCrash):
            yield _failed(original, result)
        else:
            yield result


def _failed(original: StreamItem, failure: Failure) -> StreamItem:
    if not isinstance(original, WorkItem):
        return original  # markers cannot fail
    original.reject("timeout" if isinstance(failure, WorkerTimeout) else "worker-crash", failure.message)
    return original
