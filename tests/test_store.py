"""The DuckDB store: opening and refusing files, counts that add up, a full disk, export and re-import."""

from __future__ import annotations

import errno
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from ingest_pages import (
    KESTREL,
    LIBRARY,
    LOWMOOR,
    SITES,
    STORIES,
    news_page,
    story_url,
    warc_response,
    write_mixed_crawl,
    write_warc,
)

import newsmill
from newsmill.store import Store, StoreError
from newsmill.store import writer as writer_module
from newsmill.store.schema import STORE_SCHEMA_VERSION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_has_the_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "new.duckdb") as store:
        assert store.schema_version() == STORE_SCHEMA_VERSION
        counts = store.counts()
    assert (counts.records, counts.articles, counts.duplicates, counts.rejections) == (0, 0, 0, 0)


def test_database_from_a_newer_schema_is_refused_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(STORE_SCHEMA_VERSION + 1)])
        store.con.execute("CHECKPOINT")
    before = _digest(db)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="newer newsmill.*not changed"):
            Store(db, read_only=read_only)
    page = tmp_path / "a.html"
    page.write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    with pytest.raises(StoreError, match="newer"):
        newsmill.ingest([page], db=db, workers=1)
    assert _digest(db) == before


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_bytes(b"this is not a database at all\n" * 100), "not a newsmill database, or it is damaged"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: duckdb.connect(str(p)).execute("CREATE TABLE other (x INT)").close(), "not a newsmill database"),
    ],
)
def test_files_that_are_not_newsmill_databases(tmp_path: Path, setup, message: str) -> None:  # noqa: ANN001
    db = tmp_path / "x.duckdb"
    setup(db)
    with pytest.raises(StoreError, match=message):
        Store(db)


def test_read_only_open_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_database_held_by_another_process_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        for read_only in (False, True):
            with pytest.raises(StoreError, match="in use by another process") as raised:
                Store(db, read_only=read_only)
            assert "\n" not in str(raised.value)
    finally:
        holder.communicate("")


def test_counts_add_up_and_every_record_has_one_page_row(tmp_path: Path) -> None:
    files, expect = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    report = newsmill.ingest(files, db=db, workers=1, search=False)
    with Store(db, read_only=True) as store:
        counts = store.counts()
        keys = store.con.execute("SELECT record_key FROM pages").fetchall()
        dangling = store.con.execute(
            "SELECT count(*) FROM duplicates x ANTI JOIN articles a ON a.id = x.canonical_id"
        ).fetchone()
        runs = store.runs()
    assert counts.records == len(expect) == report.run.records == len(set(keys))
    assert counts.records == counts.articles + counts.duplicates + counts.rejections
    assert dangling == (0,)  # every duplicate points at a canonical article
    assert runs[-1]["status"] == "complete" and runs[-1]["records"] == len(expect)
    assert runs[-1]["articles_total"] == counts.articles


def test_disk_full_mid_batch_keeps_earlier_batches_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [
        warc_response(story_url(site, story) + f"?p={i}", news_page(site, story))
        for i, (site, story) in enumerate((s, t) for s in SITES for t in STORIES)
    ]
    path = write_warc(tmp_path / "many.warc.gz", pages)
    db = tmp_path / "news.duckdb"
    monkeypatch.setattr(writer_module, "BATCH_RECORDS", 5)
    original = writer_module.StoreWriter._write
    calls = {"n": 0}

    def fill_up(self, con):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            original(self, con)  # the batch is written, not committed, when the disk fills up
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, con)

    monkeypatch.setattr(writer_module.StoreWriter, "_write", fill_up)
    with pytest.raises(StoreError, match="disk is full.*rolled back.*intact") as raised:
        newsmill.ingest([path], db=db, workers=1, search=False)
    assert "\n" not in str(raised.value)

    with Store(db, read_only=True) as store:
        counts = store.counts()
        runs = store.runs()
    assert counts.records == 10  # two complete batches, nothing of the third
    assert runs[-1]["status"] == "failed" and "disk is full" in runs[-1]["message"]

    monkeypatch.setattr(writer_module.StoreWriter, "_write", original)
    report = newsmill.ingest([path], db=db, workers=1, search=False)  # space freed: the same command resumes
    assert (report.run.already_stored, report.run.records) == (10, len(pages) - 10)
    with Store(db, read_only=True) as store:
        assert store.counts().records == len(pages)


def test_export_parquet_and_jsonl_and_import_round_trip(tmp_path: Path) -> None:
    files, _ = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    newsmill.ingest(files, db=db, workers=1, search=False)
    with Store(db, read_only=True) as store:
        originals = {a.id: a for a in store.articles()}
        n_parquet = store.export(tmp_path / "out.parquet")
        n_jsonl = store.export(tmp_path / "out.jsonl")
        n_all = store.export(tmp_path / "all.jsonl", include_duplicates=True)
    assert n_parquet == n_jsonl == len(originals) and n_all > n_jsonl
    assert not list(tmp_path.glob("*.partial"))

    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == len(originals)
    assert table.schema.field("authors").type.value_type == "string"  # lists stay lists

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["id"] for line in lines} == set(originals)

    for name in ("out.jsonl", "out.parquet"):
        copy = tmp_path / f"copy-{name}.duckdb"
        report = newsmill.ingest([tmp_path / name], db=copy, workers=1, search=False)
        assert report.run.rejections == 0
        with Store(copy, read_only=True) as store:
            imported = {a.id: a for a in store.articles()}
            counts = store.counts()
        assert counts.articles == len(originals) and counts.duplicates == 0
        for article_id, original in originals.items():
            again = imported[article_id]
            assert (again.title, again.body, again.authors, again.tags, again.published, again.publisher) == (
                original.title, original.body, original.authors, original.tags, original.published, original.publisher,
            )


def test_export_to_an_unknown_format_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    page = tmp_path / "a.html"
    page.write_text(news_page(LOWMOOR, LIBRARY), encoding="utf-8")
    newsmill.ingest([page], db=db, workers=1, search=False)
    with Store(db, read_only=True) as store, pytest.raises(StoreError, match="unknown export format"):
        store.export(tmp_path / "out.csv", fmt="csv")
    assert not (tmp_path / "out.csv").exists()


def test_export_to_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    page = tmp_path / "a.html"
    page.write_text(news_page(LOWMOOR, LIBRARY), encoding="utf-8")
    newsmill.ingest([page], db=db, workers=1, search=False)
    with Store(db, read_only=True) as store:
        with pytest.raises(StoreError, match="is a directory"):
            store.export(tmp_path)
        for name in ("x.parquet", "x.jsonl"):
            with pytest.raises(StoreError, match="no such directory"):
                store.export(tmp_path / "missing" / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "news.duckdb"]
