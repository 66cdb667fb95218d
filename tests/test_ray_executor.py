"""The Ray Data executor (``ingest(..., executor="ray")``): same store as the local executor, resumable.

The Ray tests share one local Ray instance with 2 CPUs (started once for the module: a start costs
seconds); the first test runs before it exists, to check that ingest starts and stops its own instance.
The corpus is made of fictional sites and stories (``ingest_pages``) in page files, WARC archives (plain,
gzipped, truncated) and JSONL, with planted exact and near duplicates, a re-crawl and rejections.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_pages import (
    ASHCOMBE,
    BUDGET,
    FERRY_ISLANDERS,
    FERRY_VOTE,
    KESTREL,
    LIBRARY,
    LOWMOOR,
    WIND_FARM,
    WIRE_RAIL,
    WIRE_RAIL_UPDATED,
    gallery_page,
    http_response,
    news_page,
    request_record,
    story_url,
    warc_record,
    warc_response,
    warcinfo,
    write_warc,
)

from newsmill.executors import ray_data
from newsmill.executors.ray_data import FileTask, RayExecutorError, item_row, write_shard
from newsmill.ingest import ingest
from newsmill.ingest.pipeline import Progress, plan_items, run_record_stages
from newsmill.ingest.stages import WorkItem
from newsmill.readers.collections import find_input_files
from newsmill.store.schema import document_columns
from newsmill.store.store import Store
from newsmill.store.writer import StoreWriter

#: Columns that name the run or batch that wrote a row: they differ between two stores by design.
RUN_COLUMNS = {"run_id", "batch_id", "changed_batch"}


# --- the corpus --------------------------------------------------------------------------------------------
def _page_folder(root: Path) -> Path:
    folder = root / "harbour-sites"
    folder.mkdir()
    (folder / "kestrel-library.html").write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    (folder / "kestrel-pictures.html").write_text(gallery_page(KESTREL), encoding="utf-8")  # no article
    (folder / "lowmoor-budget.html.gz").write_bytes(gzip.compress(news_page(LOWMOOR, BUDGET).encode(), mtime=0))
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The inputs of one ingest, in order; the last one does not exist."""
    root = tmp_path_factory.mktemp("ray-corpus")
    folder = _page_folder(root)
    rail_url = story_url(KESTREL, WIRE_RAIL)
    crawl_a = write_warc(root / "crawl-00.warc.gz", [
        warcinfo(),
        request_record(rail_url),
        warc_response(rail_url, news_page(KESTREL, WIRE_RAIL)),
        warc_response(story_url(LOWMOOR, WIRE_RAIL), news_page(LOWMOOR, WIRE_RAIL)),  # the wire copy, re-wrapped
        warc_response("https://www.lowmoor-star.example/img/ferry.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        warc_record("https://www.lowmoor-star.example/gone/",
                    http_response(b"<html><body>Not found</body></html>", status="404 Not Found")),
        warc_response(story_url(LOWMOOR, FERRY_VOTE), news_page(LOWMOOR, FERRY_VOTE)),
    ])
    crawl_b = write_warc(root / "crawl-01.warc", [
        warc_response(story_url(ASHCOMBE, WIRE_RAIL_UPDATED), news_page(ASHCOMBE, WIRE_RAIL_UPDATED)),  # near copy
        warc_response(story_url(ASHCOMBE, FERRY_ISLANDERS), news_page(ASHCOMBE, FERRY_ISLANDERS)),  # same topic only
        warc_response(rail_url, news_page(KESTREL, WIRE_RAIL), date="2024-05-08T09:00:00Z"),  # a re-crawl
        warc_response(story_url(LOWMOOR, LIBRARY, query="utm_source=newsletter"), news_page(LOWMOOR, LIBRARY)),
    ])
    wind_url = story_url(KESTREL, WIND_FARM)
    whole = warc_response(wind_url, news_page(KESTREL, WIND_FARM))
    cut = warc_response(story_url(ASHCOMBE, BUDGET), news_page(ASHCOMBE, BUDGET))
    truncated = write_warc(root / "crawl-02.warc", [whole, cut[: len(cut) // 2]])
    records = root / "records.jsonl"
    records.write_text(
        "\n".join([
            json.dumps({"url": story_url(ASHCOMBE, WIND_FARM), "html": news_page(ASHCOMBE, WIND_FARM),
                        "fetched_at": "2024-02-13T08:00:00Z"}),
            '{"url": "https://ashcombe-courier.example/broken", "html": ',
            json.dumps({"url": "https://ashcombe-courier.example/empty", "text": ""}),
        ]) + "\n",
        encoding="utf-8",
    )
    return [folder, crawl_a, crawl_b, truncated, records, root / "missing.warc.gz"]


def _input_files(inputs: list[Path]) -> list[Path]:
    return [p for p in find_input_files(inputs) if isinstance(p, Path)]


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a store holds about its records, without the run and batch numbers."""
    doc_cols = ", ".join(name for name, _ in document_columns() if name not in RUN_COLUMNS)
    queries = {
        "pages": "SELECT record_key, source, locator, url, fetched_at, outcome, article_id FROM pages",
        "documents": f"SELECT {doc_cols} FROM documents",
        "duplicates": "SELECT article_id, canonical_id, reason, round(similarity, 9) FROM duplicates",
        "rejections": "SELECT record_key, source, locator, url, reason, detail FROM rejections",
        "lsh_buckets": "SELECT bucket, article_id FROM lsh_buckets",
        "source_files": "SELECT path, size, mtime, records FROM source_files",
        "source_problems": "SELECT source, message FROM source_problems",
    }
    with Store(db, read_only=True) as store:
        return {name: sorted(store.con.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def _run_counts(report: Any) -> dict[str, int]:
    return dict(report.run.__dict__)


@pytest.fixture(scope="module")
def local_result(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    db = tmp_path_factory.mktemp("local") / "news.duckdb"
    report = ingest(corpus, db=db, workers=1, search=False)
    return db, report


# --- without Ray ---------------------------------------------------------------------------------------------
def test_core_never_imports_ray() -> None:
    code = (
        "import sys, newsmill, newsmill.api, newsmill.cli, newsmill.ingest, newsmill.executors; "
        "print('ray' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_missing_ray_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` sees when it is not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    folder = _page_folder(tmp_path)
    with pytest.raises(RayExecutorError, match=r"pip install 'newsmill\[ray\]'"):
        ingest([folder], db=tmp_path / "news.duckdb", executor="ray", search=False)
    with Store(tmp_path / "news.duckdb", read_only=True) as store:
        assert store.runs()[-1]["status"] == "failed"
        assert store.counts().records == 0


def test_shard_rows_round_trip(tmp_path: Path) -> None:
    folder = _page_folder(tmp_path)
    with Store(tmp_path / "plan.duckdb") as store:
        items = [i for i in plan_items([folder], store, stats={"skipped_files": 0, "already_stored": 0})
                 if isinstance(i, WorkItem)]
    done = [run_record_stages(i, 10.0) for i in items]
    assert {i.rejection for i in done if isinstance(i, WorkItem)} == {None, "no-article"}
    for item in done:
        assert isinstance(item, WorkItem)
        assert ray_data._item_from_row(item_row(item)) == item


def test_shard_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    folder = _page_folder(tmp_path)
    page = folder / "kestrel-library.html"
    st = page.stat()
    shard = tmp_path / "s.parquet"
    write_shard(FileTask(0, str(page), st.st_size, st.st_mtime, [], str(shard)), 10.0)
    assert shard.exists() and not (tmp_path / "s.parquet.partial").exists()
    progress = Progress(total_bytes=st.st_size)
    rows = list(ray_data._load_shard(shard, stats := {"already_stored": 0}, progress))
    assert [type(r).__name__ for r in rows] == ["WorkItem", "SourceDone"]
    assert stats["already_stored"] == 0 and progress.done_bytes == st.st_size
    missing = FileTask(1, str(tmp_path / "gone.warc"), 1, 1.0, [], str(tmp_path / "t.parquet"))
    write_shard(missing, 10.0)  # an unreadable input is a problem row, not a failed task
    problems = [r for r in ray_data._load_shard(tmp_path / "t.parquet", stats, progress) if type(r).__name__ == "SourceProblem"]
    assert problems and "cannot read" in problems[0].message
    bad_dir = FileTask(2, str(page), st.st_size, st.st_mtime, [], str(tmp_path / "no-such-dir" / "u.parquet"))
    with pytest.raises(OSError):
        write_shard(bad_dir, 10.0)
    assert not list((tmp_path).glob("**/*.partial"))


# --- on Ray ----------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_starts_and_stops_its_own_local_instance(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        pytest.skip("a Ray session is already running in this process")
    folder = _page_folder(tmp_path)
    report = ingest([folder], db=tmp_path / "news.duckdb", executor="ray", workers=2, search=False)
    assert not ray.is_initialized()
    assert (report.run.records, report.run.articles, report.run.rejections) == (3, 2, 1)
    assert not list((tmp_path / "news.duckdb.shards").iterdir())


@pytest.mark.slow
def test_unreachable_cluster_is_a_clear_error(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        pytest.skip("a Ray session is already running in this process")
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(RayExecutorError, match="cannot reach the Ray cluster"):
            ingest([_page_folder(tmp_path)], db=tmp_path / "news.duckdb", executor="ray",
                   ray_address=f"ray://127.0.0.1:{port}", search=False)
    assert not ray.is_initialized()


@pytest.fixture(scope="module")
def ray_session() -> Any:
    ray = pytest.importorskip("ray")
    ray_data.import_ray()  # sets the offline, quiet environment before Ray starts
    ray.init(
        address="local", num_cpus=2, include_dashboard=False, object_store_memory=ray_data.LOCAL_OBJECT_STORE_BYTES,
        logging_level=logging.WARNING, log_to_driver=False,
    )
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_result(ray_session: Any, corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    db = tmp_path_factory.mktemp("ray") / "news.duckdb"
    states: list[Progress] = []
    report = ingest(corpus, db=db, executor="ray", workers=2, search=False, progress=states.append)
    # The progress bar's bytes (its ETA) reach the inputs' total once every file's shard is loaded.
    assert states and states[-1].done_bytes == states[-1].total_bytes == sum(p.stat().st_size for p in _input_files(corpus))
    return db, report


@pytest.mark.slow
def test_ray_store_is_the_local_store(local_result: tuple[Path, Any], ray_result: tuple[Path, Any]) -> None:
    (local_db, local), (ray_db, on_ray) = local_result, ray_result
    assert snapshot(ray_db) == snapshot(local_db)
    assert _run_counts(on_ray) == _run_counts(local)
    assert on_ray.totals == local.totals
    assert sorted(on_ray.problems) == sorted(local.problems)
    # The corpus exercises what matters: copies, a re-crawl, rejections, whole-input problems.
    assert local.totals.duplicates >= 2 and local.totals.same_document == 1
    assert {r for r, _ in Store(local_db, read_only=True).rejection_reasons()} >= {
        "no-article", "not-a-page", "http-status", "malformed-json", "no-payload",
    }
    assert any("missing.warc.gz" in p for p in on_ray.problems)
    assert on_ray.totals.records == on_ray.totals.articles + on_ray.totals.duplicates + on_ray.totals.rejections
    assert not list(Path(str(ray_db) + ".shards").iterdir())


@pytest.mark.slow
def test_ray_rerun_is_a_no_op(ray_result: tuple[Path, Any], corpus: list[Path]) -> None:
    db, _ = ray_result
    before = snapshot(db)
    again = ingest(corpus, db=db, executor="ray", workers=2, search=False)
    assert again.run.records == 0 and again.run.already_stored == 0
    assert again.skipped_files == len(_input_files(corpus))
    after = snapshot(db)
    # Each run logs the whole-input problems it met (the missing path, again); nothing else changes.
    assert after.pop("source_problems") == sorted(before.pop("source_problems") * 2, key=repr)
    assert after == before


@pytest.mark.slow
def test_ray_resumes_a_killed_run(ray_session: Any, corpus: list[Path], local_result: tuple[Path, Any],
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a run killed at various moments leaves: complete files, a half-stored file, a shard written
    but never loaded, a half-written shard, a shard whose input changed since."""
    folder, crawl_a, crawl_b, _, records, _ = corpus
    db = tmp_path / "news.duckdb"
    shards = Path(str(db) + ".shards")
    ingest([folder], db=db, workers=1, search=False)  # complete files
    with Store(db) as store:  # the first batch of crawl-00 committed, not its end-of-file marker
        run_id = store.begin_run([str(crawl_a)], "ray", 2)
        writer = StoreWriter(store, run_id)
        planned = [i for i in plan_items([crawl_a], store, stats={"skipped_files": 0, "already_stored": 0})
                   if isinstance(i, WorkItem)]
        for item in planned[:2]:
            writer.add(run_record_stages(item, 10.0))
        writer.flush()
        store.finish_run(run_id, "interrupted")
    shards.mkdir()
    st = crawl_b.stat()
    for tag in (0, 1):  # two killed runs in a row each left one
        write_shard(FileTask(0, str(crawl_b), st.st_size, st.st_mtime, [], str(shards / f"{tag:020d}-000000.parquet")),
                    10.0)
    (shards / f"{0:020d}-000001.parquet.partial").write_bytes(b"PAR1 half a shard")
    st = records.stat()
    write_shard(FileTask(2, str(records), st.st_size, st.st_mtime - 60, [], str(shards / f"{0:020d}-000002.parquet")), 10.0)
    (shards / f"{0:020d}-000003.parquet").write_bytes(b"PAR1 not a shard at all")
    other = folder / "kestrel-library.html"  # a shard of an input this run does not name
    st = other.stat()
    write_shard(FileTask(4, str(tmp_path / "elsewhere.html"), st.st_size, st.st_mtime, [],
                         str(shards / f"{0:020d}-000004.parquet")), 10.0)

    sent: list[FileTask] = []
    run_tasks = ray_data._run_tasks

    def spy(ray: Any, tasks: list[FileTask], *args: Any) -> Any:
        sent.extend(tasks)
        return run_tasks(ray, tasks, *args)

    monkeypatch.setattr(ray_data, "_run_tasks", spy)
    report = ingest(corpus, db=db, executor="ray", workers=2, search=False)

    # Only what was missing went to Ray: the rest of crawl-00 (its stored records skipped), the truncated
    # archive, and the JSONL file whose leftover shard was stale; crawl-01 came from its leftover shard.
    assert [(Path(t.path).name, len(t.known_keys)) for t in sent] == [
        ("crawl-00.warc.gz", 2), ("crawl-02.warc", 0), ("records.jsonl", 0),
    ]
    assert snapshot(db) == snapshot(local_result[0])
    assert report.run.already_stored == 2
    assert report.skipped_files == len(_input_files([folder]))
    assert not list(shards.iterdir())


@pytest.mark.slow
def test_cli_ingest_on_ray_with_the_database_inside_the_input_folder(
    ray_session: Any, run_cli: Any, tmp_path: Path
) -> None:
    folder = _page_folder(tmp_path)
    db = folder / "news.duckdb"
    shards = folder / "news.duckdb.shards"  # left by a killed run: loaded, and never read as a Parquet input
    shards.mkdir()
    page = folder / "kestrel-library.html"
    st = page.stat()
    write_shard(FileTask(0, str(page), st.st_size, st.st_mtime, [], str(shards / f"{0:020d}-000000.parquet")), 10.0)
    result = run_cli("ingest", folder, "--db", db, "--executor", "ray", "--workers", "2", "--no-search",
                     "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["store"]["records"] == 3 and report["run"]["rejections"] == 1
    assert not list(shards.iterdir())
    with Store(db, read_only=True) as store:
        assert store.runs()[-1]["executor"] == "ray"


def _dies_on_the_truncated_archive(row: dict[str, Any], *, time_limit: float | None) -> dict[str, Any]:
    """A Ray map function whose worker process dies (as in a C library crash) on one of the inputs."""
    if "crawl-02.warc" in row["task"]:
        os._exit(3)
    return ray_data.process_file_task(row, time_limit=time_limit)


@pytest.mark.slow
def test_a_file_whose_worker_dies_is_reported_and_redone(
    ray_session: Any, corpus: list[Path], local_result: tuple[Path, Any], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ray's processes cannot import this test module: ship the function itself.
    ray_session.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setattr(ray_data, "process_file_task", _dies_on_the_truncated_archive)
    monkeypatch.setattr(ray_data, "TASK_RETRIES", 0)  # each retry costs a new worker process: seconds
    db = tmp_path / "news.duckdb"
    try:
        crashed = ingest(corpus, db=db, executor="ray", workers=2, search=False)
    finally:
        ray_session.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert any("crawl-02.warc" in p and "running this file died (1 attempt;" in p for p in crashed.problems)
    with Store(db, read_only=True) as store:
        complete = {Path(r[0]).name for r in store.con.execute("SELECT path FROM source_files").fetchall()}
    assert "crawl-02.warc" not in complete and "crawl-01.warc" in complete

    monkeypatch.undo()
    again = ingest(corpus, db=db, executor="ray", workers=2, search=False)
    assert again.skipped_files == len(_input_files(corpus)) - 1
    mine, reference = snapshot(db), snapshot(local_result[0])
    mine.pop("source_problems"), reference.pop("source_problems")
    assert mine == reference
