"""The Ray Data executor behind ``newsmill ingest --executor ray``: the same record stages, on a Ray cluster.

The writer process plans the work exactly as the local executor does (input files with a completion
marker are skipped, records already in ``pages`` are not redone) and turns every input file that still
needs work into one Ray Data row. The Ray Data job runs in a small actor on the cluster (``FileJob``; a
Ray Client process cannot run Ray Data's executor itself). A Ray task per file reads the file with the
same readers, runs the same per-record stages (``run_record_stages``: extract, fingerprint) and writes its
results (article JSON, fingerprint, rejection, whole-source problems, the end-of-file marker) into one
Parquet shard in ``shard_dir``. The writer process asks the job which files are done, loads their shards
in input order, and yields the same
``WorkItem`` / ``SourceDone`` / ``SourceProblem`` stream as the local executor, so the ``StoreWriter``
deduplicates, counts and marks files complete exactly as it does for a local run.

Shards are written under a temporary name and renamed once complete, so a shard name always means a
whole file's results; a shard is deleted as soon as its items have been handed to the writer. Shards
left by a killed run are loaded by the next run when their input file is unchanged and not yet complete
in the store (the writer drops any record that was stored after all), and deleted otherwise.

This module must never write the store (only the caller's single writer does) and is the only place that
imports ``ray``: it is an optional extra (``pip install 'newsmill[ray]'``), imported lazily.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsmill.dedup.fingerprints import Fingerprint
from newsmill.errors import NewsmillError
from newsmill.ingest.pipeline import Progress
from newsmill.ingest.stages import SourceDone, StreamItem, WorkItem
from newsmill.models import Article
from newsmill.readers.collections import InputRecord, SourceProblem, find_input_files, read_file_records

if TYPE_CHECKING:
    from types import ModuleType

    from newsmill.store.store import Store

SHARD_SUFFIX = ".parquet"
#: A shard still being written; never loaded, deleted at the next start.
PARTIAL_SUFFIX = ".partial"
#: Records per Parquet row group in a shard: a worker holds at most this many extracted articles in
#: memory, and the writer process reads a shard back one row group at a time (the StoreWriter's batch).
SHARD_ROW_GROUP = 256
#: Object store of a local Ray instance. Only file tasks and shard paths travel through it (the pages
#: themselves are read by the workers and the articles go through shard files), so a small one keeps
#: Ray from reserving a third of the memory of a small machine; 100 MiB is above Ray's 75 MiB minimum.
LOCAL_OBJECT_STORE_BYTES = 100 << 20
#: Times Ray re-runs a file whose worker process died (Ray Data's default is to retry forever, which a
#: page that crashes the parser every time would turn into a hang). After that the file is reported as a
#: problem, gets no completion marker, and the next run tries it again.
TASK_RETRIES = 2
#: Seconds between two questions to the Ray job for finished files when none was ready: short next to the
#: seconds a file takes, long next to the milliseconds a question costs.
POLL_SECONDS = 0.5
#: Seconds to wait for a TCP connection to a cluster address before saying it cannot be reached.
CONNECT_CHECK_SECONDS = 5.0
#: Set before Ray is imported, unless the user set them: no usage statistics sent (offline machines,
#: and nothing phones home from a newsmill run), and Ray Data's per-run INFO lines and its "progress bars
#: disabled" warning kept off the ingest output (our own progress line and report say what happened).
RAY_ENVIRONMENT = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_DATA_LOG_LEVEL": "ERROR",
}
#: Parquet key-value metadata naming the input file a shard belongs to (read without reading the rows).
_SOURCE_META = b"newsmill.source"

SHARD_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),  # "record", "problem" or "done", in the order the local stream yields them
        ("key", pa.string()),
        ("source", pa.string()),
        ("locator", pa.string()),
        ("url", pa.string()),
        ("fetched_at", pa.string()),
        ("article", pa.string()),  # Article JSON
        ("fp_canonical_url", pa.string()),
        ("fp_body_hash", pa.string()),
        ("fp_body_words", pa.int64()),
        ("fp_minhash", pa.binary()),
        ("rejection", pa.string()),
        ("detail", pa.string()),
        ("message", pa.string()),  # a SourceProblem's message
        ("size", pa.int64()),  # the SourceDone marker: file size and mtime when planned, records read
        ("mtime", pa.float64()),
        ("records", pa.int64()),
        ("already_stored", pa.int64()),  # records of the file skipped because the store has them
    ]
)


class RayExecutorError(NewsmillError):
    """Ray is missing, the cluster cannot be reached, or the Ray run failed."""


@dataclass
class FileTask:
    """One input file for a Ray task: where its shard goes, what it must skip, the marker it ends with."""

    index: int
    path: str
    size: int
    mtime: float
    known_keys: list[str]
    shard: str


def ray_item_stream(
    inputs: Sequence[str | Path],
    store: Store,
    *,
    stats: dict[str, int],
    time_limit: float | None,
    address: str | None,
    shard_dir: Path,
    workers: int,
    progress: Progress | None = None,
) -> Iterator[StreamItem]:
    """The ingest stream of ``inputs``, computed by Ray Data; see the module docstring.

    ``address`` None starts a local Ray instance with ``workers`` CPUs (shut down at the end); otherwise it
    is a cluster address (``auto``, ``ray://head:10001``) and the cluster's CPUs are used. Ray is only
    started when some input file needs work. Raises ``RayExecutorError`` at once when ray is not installed.
    ``progress.done_bytes`` grows by each input file's size once its results are handed over.
    """
    ray = import_ray()
    try:
        shard_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RayExecutorError(f"{shard_dir}: cannot create the shard directory ({exc.strerror or exc})") from None
    progress = progress or Progress(total_bytes=0)
    return _stream(ray, inputs, store, stats, time_limit, address, shard_dir, workers, progress)


def import_ray() -> ModuleType:
    for name, value in RAY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is a separate extra of ray
    except ImportError as exc:
        raise RayExecutorError(
            f"the Ray executor needs Ray Data ({exc.msg}); install it with: pip install 'newsmill[ray]'"
        ) from None
    return ray


def _stream(
    ray: ModuleType, inputs: Sequence[str | Path], store: Store, stats: dict[str, int], time_limit: float | None,
    address: str | None, shard_dir: Path, workers: int, progress: Progress,
) -> Iterator[StreamItem]:
    leftovers = _leftover_shards(shard_dir)
    resumed: list[Path] = []
    tasks: list[FileTask] = []
    tag = f"{time.time_ns():020d}"  # shard names sort by run, then by input order
    own_dir = shard_dir.resolve()
    for entry in find_input_files(inputs):
        if isinstance(entry, SourceProblem):
            yield entry
            continue
        if own_dir in entry.resolve().parents:
            continue  # our own shards, inside an input folder (a database kept beside its crawl)
        st = entry.stat()
        path = str(entry)
        leftover = leftovers.pop(path, None)
        if store.source_is_complete(path, st.st_size, st.st_mtime):
            stats["skipped_files"] += 1
            progress.done_bytes += st.st_size
            if leftover is not None:
                _remove(leftover[0])
            continue
        if leftover is not None and leftover[1:] == (st.st_size, st.st_mtime):
            resumed.append(leftover[0])
            continue
        if leftover is not None:
            _remove(leftover[0])  # the file changed since that shard was made
        shard = shard_dir / f"{tag}-{len(tasks):06d}{SHARD_SUFFIX}"
        tasks.append(FileTask(len(tasks), path, st.st_size, st.st_mtime, _stored_keys(store, path), str(shard)))
    for shard, _, _ in leftovers.values():  # inputs not named in this run
        _remove(shard)
    for shard in resumed:
        yield from _load_shard(shard, stats, progress)
        _remove(shard)
    if tasks:
        yield from _run_tasks(ray, tasks, stats, progress, time_limit, address, workers)


def _stored_keys(store: Store, path: str) -> list[str]:
    rows = store.con.execute("SELECT record_key FROM pages WHERE source = ?", [path]).fetchall()
    return [r[0] for r in rows]


def _leftover_shards(shard_dir: Path) -> dict[str, tuple[Path, int, float]]:
    """Complete shards of a killed run by input path (with the file's size and mtime then); partial ones
    and unreadable ones are deleted."""
    found: dict[str, tuple[Path, int, float]] = {}
    for path in sorted(shard_dir.iterdir()):
        if path.name.endswith(PARTIAL_SUFFIX):
            _remove(path)
            continue
        if not path.name.endswith(SHARD_SUFFIX):
            continue
        try:
            meta = json.loads(pq.read_schema(path).metadata[_SOURCE_META])
            source, size, mtime = str(meta["path"]), int(meta["size"]), float(meta["mtime"])
        except Exception:  # noqa: BLE001 - any shard we cannot read is redone from its input
            _remove(path)
            continue
        older = found.get(source)
        if older is not None:  # two killed runs left one each: the newer one (sorted last) is kept
            _remove(older[0])
        found[source] = (path, size, mtime)
    return found


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


# --- the writer process: run the tasks, load the shards -------------------------------------------------
def _run_tasks(
    ray: ModuleType, tasks: list[FileTask], stats: dict[str, int], progress: Progress, time_limit: float | None,
    address: str | None, workers: int,
) -> Iterator[StreamItem]:
    owned = _start_ray(ray, address, workers)
    runner = None
    done: set[int] = set()
    try:
        # Module globals read here, in the writer process, so that a caller can swap them (the tests do).
        runner = ray.remote(num_cpus=0, max_restarts=0)(FileJob).remote(
            [json.dumps(t.__dict__) for t in tasks], time_limit, process_file_task, TASK_RETRIES
        )
        finished, error = False, ""
        while not finished:
            rows, finished, error = ray.get(runner.take.remote())
            for index, task_error in rows:
                done.add(index)
                if task_error:
                    yield SourceProblem(
                        tasks[index].path, f"the Ray task for this file failed ({task_error}); run again to retry"
                    )
                    continue
                shard = Path(tasks[index].shard)
                if not shard.exists():
                    raise RayExecutorError(
                        f"{shard}: a Ray worker wrote this shard but this machine cannot see it; on a cluster the "
                        "shard directory (and the inputs) must be on a filesystem every node mounts at the same path"
                    )
                yield from _load_shard(shard, stats, progress)
                _remove(shard)
            if not rows and not finished:
                time.sleep(POLL_SECONDS)
        if error:
            raise RayExecutorError(
                f"the Ray run failed ({error}); what was loaded is stored, run the same command again to resume"
            )
    except NewsmillError:
        raise
    except Exception as exc:  # Ray's own errors: the cluster went away, the job's actor died...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RayExecutorError(
            f"the Ray run failed ({first}); what was loaded is stored, run the same command again to resume"
        ) from exc
    finally:
        if runner is not None:
            try:
                ray.kill(runner)  # also stops the files still queued when the writer stops early
            except Exception:  # noqa: BLE001 - the cluster may be what went away
                pass
        if owned:
            ray.shutdown()
    attempts = f"{TASK_RETRIES + 1} attempt{'s' if TASK_RETRIES else ''}"
    for task in tasks:
        if task.index not in done:
            yield SourceProblem(
                task.path,
                f"the Ray worker process running this file died ({attempts}; a crash inside a C library, or out "
                "of memory); it was not stored. Run it with --executor local to isolate the page",
            )


class FileJob:
    """The Ray Data job over the file tasks, run in a Ray actor, so on the cluster: Ray Data's executor
    cannot run inside a Ray Client (``ray://``) process, and its settings then stay out of the caller's
    process. The writer process polls ``take()`` for the files finished since the last call, in input order.
    """

    def __init__(
        self, tasks: list[str], time_limit: float | None, map_file: Callable[..., dict[str, Any]], retries: int
    ) -> None:
        self._lock = threading.Lock()
        self._finished: list[tuple[int, str]] = []
        self._done = False
        self._error = ""
        threading.Thread(target=self._run, args=(tasks, time_limit, map_file, retries), daemon=True).start()

    def take(self) -> tuple[list[tuple[int, str]], bool, str]:
        """(index, error) of the files finished since the last call; whether the job is over; its error."""
        with self._lock:
            rows, self._finished = self._finished, []
            return rows, self._done, self._error

    def _run(
        self, tasks: list[str], time_limit: float | None, map_file: Callable[..., dict[str, Any]], retries: int
    ) -> None:
        import ray.data
        from ray.data import DataContext

        context = DataContext.get_current()
        # In input order, so that which copy of a document is stored first (and so the store) is the same as
        # with the local executor. A file whose worker died on every try is dropped by Ray Data instead of
        # stopping the run; the writer process reports it.
        context.execution_options.preserve_order = True
        context.max_errored_blocks = -1
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.enable_auto_log_stats = False
        try:
            items = ray.data.from_items([{"task": t} for t in tasks], override_num_blocks=len(tasks))
            with warnings.catch_warnings():
                # Ray 2.60 has no named parameter for the retry cap; the generic remote args still work (and
                # the ray pin in pyproject.toml keeps it so), they only warn about a later Ray.
                warnings.simplefilter("ignore", DeprecationWarning)
                dataset = items.map(map_file, fn_kwargs={"time_limit": time_limit}, num_cpus=1, max_retries=retries)
            for row in dataset.iter_rows():
                with self._lock:
                    self._finished.append((int(row["index"]), str(row["error"])))
        except Exception as exc:  # noqa: BLE001 - handed to the writer process, which raises it
            text = str(exc).strip()
            with self._lock:
                self._error = text.splitlines()[0] if text else type(exc).__name__
        finally:
            with self._lock:
                self._done = True


def _start_ray(ray: ModuleType, address: str | None, workers: int) -> bool:
    """Connect to Ray; True when this call started the instance (and must shut it down)."""
    if ray.is_initialized():
        return False  # the caller's own session (a notebook, a test fixture): use it as it is
    options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    if address is not None:
        _check_reachable(address)
    try:
        if address is None:
            # "local": a new instance even when RAY_ADDRESS or a `ray start` on this machine would make a
            # bare ray.init() join that cluster (which also refuses num_cpus).
            ray.init(
                address="local", num_cpus=workers, include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES, **options,
            )
        else:
            ray.init(address=address, **options)
    except Exception as exc:  # ConnectionError, RuntimeError, ValueError depending on what is wrong
        where = "a local Ray instance" if address is None else f"the Ray cluster at {address!r}"
        hint = "" if address is None else "; start it with `ray start --head` and check the address"
        raise RayExecutorError(f"cannot start or reach {where} ({str(exc).strip().splitlines()[0]}){hint}") from None
    return True


def _check_reachable(address: str) -> None:
    """Fail fast on a cluster address nothing listens on (Ray itself retries for minutes)."""
    target = address.removeprefix("ray://")
    host, sep, port = target.rpartition(":")
    if "://" in target or not sep or not port.isdigit():
        return  # "auto", or an address form Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_CHECK_SECONDS).close()
    except OSError as exc:
        raise RayExecutorError(
            f"cannot reach the Ray cluster at {address!r} ({exc.strerror or exc}); start it with `ray start --head` "
            "and pass its address (ray://HEAD:10001 from another machine, auto on the head node)"
        ) from None


def _load_shard(path: Path, stats: dict[str, int], progress: Progress) -> Iterator[StreamItem]:
    shard = pq.ParquetFile(path)
    for group in range(shard.num_row_groups):
        for row in shard.read_row_group(group).to_pylist():
            if row["kind"] == "record":
                yield _item_from_row(row)
            elif row["kind"] == "problem":
                yield SourceProblem(row["source"], row["message"])
            else:
                stats["already_stored"] += row["already_stored"]
                progress.done_bytes += row["size"]
                yield SourceDone(row["source"], row["size"], row["mtime"], row["records"])


# --- the Ray task ------------------------------------------------------------------------------------------
def process_file_task(row: dict[str, Any], *, time_limit: float | None) -> dict[str, Any]:
    """Ray Data ``map`` function: one input file -> one shard. Runs in a Ray worker process.

    Python errors are returned (the file is then reported, not the run stopped); a dead worker is Ray's
    to retry.
    """
    task = FileTask(**json.loads(row["task"]))
    try:
        write_shard(task, time_limit)
    except Exception as exc:  # noqa: BLE001 - one file's failure is reported with that file
        return {"index": task.index, "error": f"{type(exc).__name__}: {exc}"[:500]}
    return {"index": task.index, "error": ""}


def write_shard(task: FileTask, time_limit: float | None) -> None:
    """Read the file, run the record stages, write the shard under a temporary name and rename it."""
    from newsmill.ingest.pipeline import run_record_stages

    final = Path(task.shard)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    meta = {_SOURCE_META: json.dumps({"path": task.path, "size": task.size, "mtime": task.mtime}).encode()}
    known = set(task.known_keys)
    records = already = 0
    rows: list[dict[str, Any]] = []
    try:
        with pq.ParquetWriter(partial, SHARD_SCHEMA.with_metadata(meta)) as writer:
            for read in read_file_records(Path(task.path)):
                if isinstance(read, SourceProblem):
                    rows.append({"kind": "problem", "source": read.source, "message": read.message})
                    continue
                records += 1
                if read.key in known:
                    already += 1
                    continue
                item = WorkItem.from_record(read) if isinstance(read, InputRecord) else WorkItem.from_unreadable(read)
                result = run_record_stages(item, time_limit)
                assert isinstance(result, WorkItem)
                rows.append(item_row(result))
                if len(rows) >= SHARD_ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(rows, schema=SHARD_SCHEMA))
                    rows = []
            rows.append(
                {"kind": "done", "source": task.path, "size": task.size, "mtime": task.mtime, "records": records,
                 "already_stored": already}
            )
            writer.write_table(pa.Table.from_pylist(rows, schema=SHARD_SCHEMA))
        os.replace(partial, final)
    except BaseException:
        _remove(partial)
        raise


def item_row(item: WorkItem) -> dict[str, Any]:
    """A finished work item as a shard row (its page bytes are not kept: the stages dropped them)."""
    fp = item.fingerprint
    return {
        "kind": "record", "key": item.key, "source": item.source, "locator": item.locator, "url": item.url,
        "fetched_at": item.fetched_at, "article": item.article.to_json() if item.article is not None else None,
        "fp_canonical_url": fp.canonical_url if fp else None, "fp_body_hash": fp.body_hash if fp else None,
        "fp_body_words": fp.body_words if fp else None, "fp_minhash": fp.minhash if fp else None,
        "rejection": item.rejection, "detail": item.detail,
    }


def _item_from_row(row: dict[str, Any]) -> WorkItem:
    fingerprint = None
    if row["fp_body_hash"] is not None:
        fingerprint = Fingerprint(
            canonical_url=row["fp_canonical_url"], body_hash=row["fp_body_hash"], body_words=row["fp_body_words"],
            minhash=row["fp_minhash"],
        )
    return WorkItem(
        key=row["key"], source=row["source"], locator=row["locator"], url=row["url"], fetched_at=row["fetched_at"],
        article=Article.model_validate_json(row["article"]) if row["article"] is not None else None,
        fingerprint=fingerprint, rejection=row["rejection"], detail=row["detail"] or "",
    )
