"""The ingest pipeline: every input record ends as exactly one article, duplicate or rejection."""

from __future__ import annotations

import gzip
import importlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_pages import (
    ASHCOMBE,
    BUDGET,
    KESTREL,
    LIBRARY,
    LOWMOOR,
    WIND_FARM,
    news_page,
    story_url,
    warc_response,
    write_mixed_crawl,
    write_warc,
)

import newsmill
from newsmill.errors import ExtractionTimeout
from newsmill.ingest import stages
from newsmill.ingest.stages import ExtractStage, FingerprintStage, RecordPipeline, check_stage_order
from newsmill.store import Store

DUMP = (
    "date 2024-03-02 Lowmoor Evening Star | Home | Local | Politics\n"
    "Council budget keeps weekly bin collections but raises parking fees\n"
    "By Gideon Marsh\n" + "\n".join(BUDGET.paragraphs) + "\nAbout us | Contact | Privacy\n"
)


def _every_kind_of_input(folder: Path) -> tuple[list[Path], int]:
    """Inputs of every format, good and bad; returns them and the number of records they hold."""
    files, expect = write_mixed_crawl(folder / "crawl")
    pages = folder / "pages"
    (pages / "2024").mkdir(parents=True)
    (pages / "library.html").write_text(news_page(LOWMOOR, LIBRARY), encoding="utf-8")
    (pages / "2024" / "wind.html.gz").write_bytes(gzip.compress(news_page(KESTREL, WIND_FARM).encode()))
    (pages / "2024" / "budget.txt").write_text(DUMP, encoding="utf-8")
    (pages / "empty.html").write_bytes(b"")
    (pages / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    parquet = folder / "records.parquet"
    pq.write_table(
        pa.table({"url": [story_url(ASHCOMBE, BUDGET), "https://ashcombe-courier.example/blank"],
                  "html": [news_page(ASHCOMBE, BUDGET), None]}),
        parquet,
    )
    records = write_warc(
        folder / "cut.warc",
        [warc_response(story_url(LOWMOOR, WIND_FARM), news_page(LOWMOOR, WIND_FARM)),
         warc_response("https://www.lowmoor-star.example/cut", news_page(LOWMOOR, LIBRARY))],
    )
    records.write_bytes(records.read_bytes()[:-900])  # the second record is cut short
    return [*files, pages, parquet, records, folder / "missing.jsonl"], len(expect) + 5 + 2 + 2


def test_every_record_ends_as_exactly_one_outcome(tmp_path: Path) -> None:
    inputs, n_records = _every_kind_of_input(tmp_path)
    db = tmp_path / "news.duckdb"
    report = newsmill.ingest(inputs, db=db, workers=1)

    assert report.run.records == n_records
    assert report.run.records == report.run.articles + report.run.same_document + report.run.rejections
    with Store(db, read_only=True) as store:
        counts = store.counts()
        reasons = dict(store.rejection_reasons())
        problems = store.con.execute("SELECT source, message FROM source_problems").fetchall()
        unlabelled = store.con.execute("SELECT count(*) FROM rejections WHERE reason IS NULL OR reason = ''").fetchone()
    assert counts.records == n_records == counts.articles + counts.duplicates + counts.rejections
    assert reasons == {
        "binary": 1, "empty": 1, "http-status": 1, "malformed-json": 1, "no-article": 1, "no-payload": 1,
        "not-a-page": 1, "truncated": 1,
    }
    assert unlabelled == (0,)
    assert [Path(source).name for source, _ in problems] == ["missing.jsonl"]
    assert report.problems == [f"{tmp_path / 'missing.jsonl'}: no such file or directory; check the path"]
    assert report.status == "complete"


def test_the_dump_and_the_gzipped_page_are_extracted(tmp_path: Path) -> None:
    inputs, _ = _every_kind_of_input(tmp_path)
    db = tmp_path / "news.duckdb"
    newsmill.ingest(inputs[2:3], db=db, workers=1, search=False)  # the pages folder
    with Store(db, read_only=True) as store:
        titles = {a.title for a in store.articles()}
    assert titles == {LIBRARY.headline, WIND_FARM.headline, BUDGET.headline}


def test_newsmill_ingest_stays_the_function_after_an_ingest(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    newsmill.ingest(page, db=tmp_path / "a.duckdb", workers=1, search=False)
    importlib.import_module("newsmill.ingest.pipeline")  # loading the subpackage must not replace the function

    assert callable(newsmill.ingest)
    assert newsmill.ingest(page, db=tmp_path / "a.duckdb", workers=1, search=False).skipped_files == 1


def test_extraction_timeouts_and_errors_are_rejections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_extract = stages.extract_page

    def flaky(page, time_limit=None):  # noqa: ANN001, ANN202
        if page.url and "slow" in page.url:
            raise ExtractionTimeout("the page took longer than the limit")
        if page.url and "bug" in page.url:
            raise ValueError("parser bug")
        return real_extract(page, time_limit=time_limit)

    monkeypatch.setattr(stages, "extract_page", flaky)
    path = write_warc(
        tmp_path / "c.warc.gz",
        [warc_response("https://a.example/slow", news_page(KESTREL, LIBRARY)),
         warc_response("https://a.example/bug", news_page(KESTREL, BUDGET)),
         warc_response(story_url(KESTREL, WIND_FARM), news_page(KESTREL, WIND_FARM))],
    )
    db = tmp_path / "news.duckdb"
    report = newsmill.ingest([path], db=db, workers=1, search=False)
    assert (report.run.articles, report.run.rejections) == (1, 2)
    with Store(db, read_only=True) as store:
        rows = dict(store.con.execute("SELECT url, reason || ': ' || detail FROM rejections").fetchall())
    assert rows["https://a.example/slow"].startswith("timeout: ")
    assert rows["https://a.example/bug"] == "extractor-error: ValueError: parser bug"


def _die_on_crash_url(page, time_limit=None):  # noqa: ANN001, ANN202
    if page.url and "crash" in page.url:
        os._exit(3)  # what a segfault in a C parser looks like to the pool
    return _REAL_EXTRACT(page, time_limit=time_limit)


_REAL_EXTRACT = stages.extract_page


@pytest.mark.slow
def test_a_worker_that_dies_costs_only_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages, "extract_page", _die_on_crash_url)  # inherited by the forked workers
    stories = [(KESTREL, LIBRARY), (LOWMOOR, BUDGET), (ASHCOMBE, WIND_FARM)]
    records = [warc_response(story_url(s, t), news_page(s, t)) for s, t in stories]
    records.insert(1, warc_response("https://a.example/crash", news_page(KESTREL, WIND_FARM)))
    path = write_warc(tmp_path / "c.warc.gz", records)
    db = tmp_path / "news.duckdb"
    report = newsmill.ingest([path], db=db, workers=2, search=False)
    assert (report.run.records, report.run.articles, report.run.rejections) == (4, 3, 1)
    with Store(db, read_only=True) as store:
        assert store.rejection_reasons() == [("worker-crash", 1)]


def test_stage_order_is_checked_when_a_pipeline_is_built() -> None:
    with pytest.raises(ValueError, match="requires \\['article'\\]"):
        check_stage_order([FingerprintStage(), ExtractStage()])
    RecordPipeline([ExtractStage(), FingerprintStage()])  # the right order builds


def test_imported_export_with_a_bad_article_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    good = {"schema_version": "1", "id": "x", "title": "A", "body": ["One paragraph of text."], "url": "https://a.example/1"}
    bad = {"schema_version": "1", "body": ["text"], "published": {"not": "a date"}}
    empty = {"schema_version": "1", "body": [], "url": "https://a.example/3"}
    path.write_text("\n".join(json.dumps(r) for r in (good, bad, empty)) + "\n", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    report = newsmill.ingest([path], db=db, workers=1, search=False)
    assert (report.run.articles, report.run.rejections) == (1, 2)
    with Store(db, read_only=True) as store:
        assert dict(store.rejection_reasons()) == {"bad-article": 1, "no-article": 1}


def test_http_charset_of_a_warc_record_is_honoured(tmp_path: Path) -> None:
    closing = (
        "The librarian said the \u2018reading caf\u00e9\u2019 \u2014 a na\u00efve idea at first \u2014 had become the "
        "busiest room in the building, with queues for its soup on Saturdays."
    )
    story = replace(LIBRARY, paragraphs=LIBRARY.paragraphs[:4] + (closing,))
    page = news_page(ASHCOMBE, story).replace('<meta charset="utf-8">', "")  # only the HTTP header says cp1252
    path = write_warc(
        tmp_path / "cp1252.warc.gz",
        [warc_response("https://ashcombe-courier.example/library", page.encode("cp1252"), "text/html; charset=windows-1252")],
    )
    db = tmp_path / "news.duckdb"
    newsmill.ingest([path], db=db, workers=1, search=False)
    with Store(db, read_only=True) as store:
        [article] = list(store.articles())
    assert article.body[-1] == closing
    assert article.encoding == "cp1252"
