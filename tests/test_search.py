"""Full-text search: BM25 ranking, filters, incremental updates and catching up after a killed run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
    news_page,
    story_url,
    warc_response,
    write_mixed_crawl,
    write_warc,
)

import newsmill
from newsmill.store import SearchIndex, Store, StoreError, index_path_for


@pytest.fixture(scope="module")
def crawl_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    files, _ = write_mixed_crawl(folder / "in")
    db = folder / "news.duckdb"
    newsmill.ingest(files, db=db, workers=1)
    return db


def _titles(results: newsmill.store.SearchResults) -> list[str | None]:
    return [hit.title for hit in results.hits]


def test_bm25_ranks_the_story_about_the_query_first(crawl_db: Path) -> None:
    results = newsmill.search("ferry strike", db=crawl_db)
    assert results.total == 2
    assert _titles(results) == [FERRY_VOTE.headline, FERRY_ISLANDERS.headline]
    assert results.hits[0].score > results.hits[1].score
    assert "strike" in results.hits[0].snippet.lower()


def test_only_canonical_copies_are_found(crawl_db: Path) -> None:
    results = newsmill.search('"Gullstone cutting"', db=crawl_db)
    assert results.total == 1
    assert results.hits[0].url == story_url(ASHCOMBE, WIRE_RAIL_UPDATED)


def test_stemming_and_no_match(crawl_db: Path) -> None:
    assert _titles(newsmill.search("reopening libraries", db=crawl_db))[0] == LIBRARY.headline
    assert newsmill.search("zeppelin", db=crawl_db).total == 0


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"since": "2024-05-01"}, {WIRE_RAIL.headline, FERRY_VOTE.headline, FERRY_ISLANDERS.headline}),
        ({"until": date(2024, 2, 12)}, {LIBRARY.headline, WIND_FARM.headline}),  # a date `until` covers the whole day
        ({"since": "2024-02-13", "until": "2024-03-01"}, {BUDGET.headline}),
        ({"publisher": "lowmoor evening STAR"}, {FERRY_ISLANDERS.headline, BUDGET.headline}),
        ({"author": "Gideon Marsh"}, {WIND_FARM.headline, BUDGET.headline}),
        ({"tag": "ferries"}, {FERRY_VOTE.headline, FERRY_ISLANDERS.headline}),
        ({"language": "en-US"}, {WIND_FARM.headline, WIRE_RAIL.headline}),
        ({"publisher": "The Kestrel Bay Gazette", "tag": "Strikes"}, {FERRY_VOTE.headline}),
    ],
)
def test_filters(crawl_db: Path, filters: dict, titles: set[str]) -> None:
    results = newsmill.search("", db=crawl_db, limit=50, **filters)
    assert set(_titles(results)) == titles
    assert results.total == len(titles)


def test_filter_with_a_query_and_paging(crawl_db: Path) -> None:
    assert _titles(newsmill.search("ferry", db=crawl_db, publisher="Lowmoor Evening Star")) == [FERRY_ISLANDERS.headline]
    first = newsmill.search("the", db=crawl_db, limit=2)
    second = newsmill.search("the", db=crawl_db, limit=2, offset=2)
    assert first.total == second.total >= 4
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_unparsable_query_parts_become_warnings(crawl_db: Path) -> None:
    for query in ("nosuchfield:x ferry", "ferry)))"):
        results = newsmill.search(query, db=crawl_db)
        assert results.total == 2 and results.warnings, query  # the rest of the query still runs
    assert newsmill.search('ferry AND ( "unclosed', db=crawl_db).warnings  # never an exception


def test_bad_date_and_missing_database(crawl_db: Path, tmp_path: Path) -> None:
    with pytest.raises(newsmill.NewsmillError, match="ISO date"):
        newsmill.search("ferry", db=crawl_db, since="last tuesday")
    with pytest.raises(StoreError, match="no such database"):
        newsmill.search("ferry", db=tmp_path / "missing.duckdb")


def test_index_follows_each_batch_and_a_new_canonical(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    first = write_warc(tmp_path / "1.warc.gz", [warc_response(story_url(KESTREL, WIRE_RAIL), news_page(KESTREL, WIRE_RAIL))])
    newsmill.ingest([first], db=db, workers=1)
    hits = newsmill.search("cliff collapse", db=db).hits
    assert [h.publisher for h in hits] == [KESTREL.name]

    second = write_warc(
        tmp_path / "2.warc.gz",
        [warc_response(story_url(ASHCOMBE, WIRE_RAIL_UPDATED), news_page(ASHCOMBE, WIRE_RAIL_UPDATED)),
         warc_response(story_url(LOWMOOR, BUDGET), news_page(LOWMOOR, BUDGET))],
    )
    newsmill.ingest([second], db=db, workers=1)
    # The better copy replaced the first one in the index: still one hit, now the new canonical.
    assert [h.publisher for h in newsmill.search("cliff collapse", db=db).hits] == [ASHCOMBE.name]
    assert newsmill.search("bin collections", db=db).total == 1


def test_index_catches_up_after_a_run_killed_between_commit_and_index(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    first = write_warc(tmp_path / "1.warc.gz", [warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))])
    newsmill.ingest([first], db=db, workers=1)
    # Batches committed to the database, never indexed: what a kill right after the commit leaves.
    second = write_warc(tmp_path / "2.warc.gz", [warc_response(story_url(LOWMOOR, FERRY_VOTE), news_page(LOWMOOR, FERRY_VOTE))])
    newsmill.ingest([second], db=db, workers=1, search=False)
    assert newsmill.search("ferry crews", db=db).total == 0

    report = newsmill.ingest([first, second], db=db, workers=1)  # nothing new to store, but the index catches up
    assert report.run.records == 0
    assert _titles(newsmill.search("ferry crews", db=db)) == [FERRY_VOTE.headline]
    assert newsmill.search("library", db=db).total == 1  # replaying is harmless: nothing indexed twice


def test_damaged_index_state_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    path = write_warc(tmp_path / "1.warc.gz", [warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))])
    newsmill.ingest([path], db=db, workers=1)
    (index_path_for(db) / "newsmill-index.json").write_text("{not json")
    with Store(db) as store:
        index = SearchIndex(index_path_for(db))
        index.sync(store)
        index.close()
    assert newsmill.search("library", db=db).total == 1


def test_damaged_tantivy_index_is_reported_then_rebuilt_by_the_next_ingest(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    path = write_warc(tmp_path / "1.warc.gz", [warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))])
    newsmill.ingest([path], db=db, workers=1)
    (index_path_for(db) / "meta.json").write_text("{broken")
    with pytest.raises(StoreError, match="search index is damaged.*rebuilds") as raised:
        newsmill.search("library", db=db)
    assert "\n" not in str(raised.value)
    newsmill.ingest([path], db=db, workers=1)  # nothing new to store; the index is rebuilt from the database
    assert _titles(newsmill.search("library", db=db)) == [LIBRARY.headline]


def test_index_left_by_a_deleted_database_of_the_same_name_is_not_reused(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    old = write_warc(tmp_path / "old.warc.gz", [warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))])
    newsmill.ingest([old], db=db, workers=1)
    db.unlink()  # the user deletes the database file but not the search folder beside it
    new = write_warc(tmp_path / "new.warc.gz", [warc_response(story_url(LOWMOOR, BUDGET), news_page(LOWMOOR, BUDGET))])
    newsmill.ingest([new], db=db, workers=1)
    assert newsmill.search("library", db=db).total == 0  # nothing from the old database
    assert _titles(newsmill.search("bin collections", db=db)) == [BUDGET.headline]


def test_index_failure_after_a_commit_keeps_the_batch_and_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.duckdb"
    path = write_warc(tmp_path / "1.warc.gz", [warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))])
    real_sync = SearchIndex.sync
    calls = {"n": 0}

    def full_disk_on_second_sync(self: SearchIndex, store: Store) -> int:
        calls["n"] += 1  # the first sync is the catch-up at the start of the run
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_sync(self, store)

    monkeypatch.setattr(SearchIndex, "sync", full_disk_on_second_sync)
    with pytest.raises(StoreError, match="search index failed.*database is intact"):
        newsmill.ingest([path], db=db, workers=1)
    with Store(db, read_only=True) as store:
        assert store.counts().articles == 1  # committed before the index update failed
    monkeypatch.setattr(SearchIndex, "sync", real_sync)
    newsmill.ingest([path], db=db, workers=1)
    assert _titles(newsmill.search("library", db=db)) == [LIBRARY.headline]



def test_date_bounds_beyond_what_the_index_can_hold_exclude_nothing(crawl_db: Path) -> None:
    everything = newsmill.search("", db=crawl_db, limit=50, since="2000-01-01").total
    assert everything >= 5
    assert newsmill.search("", db=crawl_db, limit=50, since="0001-01-01", until="9999-12-31").total == everything
    assert newsmill.search("", db=crawl_db, since="9000-01-01").total == 0
