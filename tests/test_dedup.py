"""Deduplication: URL canonicalization, body fingerprints and duplicate clusters in the store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from ingest_pages import (
    ASHCOMBE,
    FERRY_ISLANDERS,
    FERRY_VOTE,
    KESTREL,
    LIBRARY,
    LOWMOOR,
    WIRE_RAIL,
    WIRE_RAIL_UPDATED,
    Story,
    expected_outcomes,
    mixed_crawl_entries,
    news_page,
    record_outcomes,
    story_url,
    warc_response,
    write_mixed_crawl,
    write_warc,
)

import newsmill
from newsmill.dedup import canonical_url, fingerprint_article, rank_key
from newsmill.dedup.fingerprints import MIN_WORDS_FOR_MINHASH, NEAR_DUPLICATE_JACCARD, estimated_jaccard
from newsmill.models import Article


# --- URLs ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.kestrelbay-gazette.example/news/a/?utm_source=x&utm_medium=email&fbclid=1",
         "https://kestrelbay-gazette.example/news/a"),
        ("http://m.kestrelbay-gazette.example:80/news/a/amp/", "https://kestrelbay-gazette.example/news/a"),
        ("https://kestrelbay-gazette.example/news/a.amp.html", "https://kestrelbay-gazette.example/news/a.html"),
        ("https://kestrelbay-gazette.example/news/index.html#comments", "https://kestrelbay-gazette.example/news"),
        ("https://kestrelbay-gazette.example/story?id=12&b=2&a=1", "https://kestrelbay-gazette.example/story?a=1&b=2&id=12"),
        ("https://KestrelBay-Gazette.example:8443//news//a", "https://kestrelbay-gazette.example:8443/news/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", [None, "", "mailto:desk@kestrelbay-gazette.example", "not a url", "http://[::1"])
def test_canonical_url_of_non_web_addresses_is_none(url: str | None) -> None:
    assert canonical_url(url) is None


def test_meaningful_query_parameters_keep_urls_apart() -> None:
    assert canonical_url("https://a.example/story?id=12") != canonical_url("https://a.example/story?id=13")


# --- fingerprints ------------------------------------------------------------------------------------------
def _article(paragraphs: tuple[str, ...] | list[str], url: str | None = None) -> Article:
    return Article(body=list(paragraphs), url=url)


def test_exact_hash_ignores_case_punctuation_spacing_and_wire_dateline() -> None:
    a = _article(["KESTREL BAY (Reuters) - Trains will run again, the operator said.", "More  text here."])
    b = _article(["trains will run again \u2014 the operator said!", "More text here"])
    assert fingerprint_article(a).body_hash == fingerprint_article(b).body_hash


def test_short_bodies_get_no_minhash() -> None:
    short = fingerprint_article(_article(["word " * (MIN_WORDS_FOR_MINHASH - 1)]))
    assert short.minhash is None and short.lsh_buckets() == []


def test_near_copy_scores_above_and_same_topic_story_below_the_threshold() -> None:
    rail, updated, vote, islanders = (
        fingerprint_article(_article(s.paragraphs)).signature()
        for s in (WIRE_RAIL, WIRE_RAIL_UPDATED, FERRY_VOTE, FERRY_ISLANDERS)
    )
    assert estimated_jaccard(rail, updated) >= NEAR_DUPLICATE_JACCARD
    assert estimated_jaccard(vote, islanders) < NEAR_DUPLICATE_JACCARD / 2


def test_fingerprints_are_the_same_in_every_process_run() -> None:
    # The seed is fixed: a signature computed today must match one stored by an earlier run.
    fp = fingerprint_article(_article(LIBRARY.paragraphs))
    assert fp.minhash is not None and fp.lsh_buckets() == fingerprint_article(_article(LIBRARY.paragraphs)).lsh_buckets()


# --- clusters in the store ---------------------------------------------------------------------------------
def _clusters(db: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        docs = set(con.execute("SELECT id, cluster_id FROM documents").fetchall())
        dups = set(con.execute("SELECT article_id, canonical_id, reason FROM duplicates").fetchall())
    return docs, dups


def _members(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT cluster_id, id, url, published_utc, body_words, canonical_url FROM documents ORDER BY id"
        ).fetchall()
    clusters: dict[str, list[tuple]] = {}
    for row in rows:
        clusters.setdefault(row[0], []).append(row[1:])
    return clusters


def test_mixed_crawl_outcomes(tmp_path: Path) -> None:
    files, expect = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    newsmill.ingest(files, db=db, workers=1, search=False)
    assert record_outcomes(db) == expected_outcomes(expect)


def test_wire_copies_cluster_and_same_topic_stories_stay_apart(tmp_path: Path) -> None:
    files, _ = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    newsmill.ingest(files, db=db, workers=1, search=False)
    clusters = _members(db)
    by_url = {m[1]: cid for cid, members in clusters.items() for m in members}
    rail = {by_url[story_url(site, WIRE_RAIL)] for site in (KESTREL, LOWMOOR, ASHCOMBE)}
    assert len(rail) == 1 and len(clusters[rail.pop()]) == 3
    assert by_url[story_url(KESTREL, FERRY_VOTE)] != by_url[story_url(LOWMOOR, FERRY_ISLANDERS)]
    assert len(clusters[by_url[story_url(KESTREL, FERRY_VOTE)]]) == 1
    # Each cluster's canonical is the first member by the documented rule.
    for cluster_id, members in clusters.items():
        best = min(members, key=lambda m: rank_key(m[2], m[3], m[4], m[0]))
        assert best[0] == cluster_id


def test_duplicate_reasons_exact_and_near(tmp_path: Path) -> None:
    urls = [story_url(s, WIRE_RAIL) for s in (KESTREL, LOWMOOR)] + [story_url(ASHCOMBE, WIRE_RAIL_UPDATED)]
    path = write_warc(
        tmp_path / "wire.warc.gz",
        [warc_response(urls[0], news_page(KESTREL, WIRE_RAIL)), warc_response(urls[1], news_page(LOWMOOR, WIRE_RAIL))],
    )
    db = tmp_path / "news.duckdb"
    newsmill.ingest([path], db=db, workers=1, search=False)
    _, dups = _clusters(db)
    assert [reason for _, _, reason in dups] == ["exact"]  # same body, re-wrapped in another site's boilerplate

    updated = write_warc(tmp_path / "update.warc.gz", [warc_response(urls[2], news_page(ASHCOMBE, WIRE_RAIL_UPDATED))])
    newsmill.ingest([updated], db=db, workers=1, search=False)
    docs, dups = _clusters(db)
    # The updated copy is longer and as early, so by the rule it becomes the canonical of all three.
    canonical = {cid for _, cid in docs}
    assert len(canonical) == 1 and len(dups) == 2
    assert {reason for _, _, reason in dups} == {"near"}
    with newsmill.open_store(db) as store:
        counts = store.counts()
        clusters = store.duplicate_clusters()
    assert (counts.articles, counts.duplicates, counts.records) == (1, 2, 3)
    assert clusters[0]["size"] == 3 and clusters[0]["canonical"]["url"] == urls[2]


def test_same_url_with_tracking_parameters_is_the_same_document(tmp_path: Path) -> None:
    plain = story_url(KESTREL, LIBRARY)
    tracked = story_url(KESTREL, LIBRARY, query="utm_source=newsletter&utm_campaign=weekly&gclid=xyz")
    path = write_warc(
        tmp_path / "urls.warc.gz",
        [warc_response(plain, news_page(KESTREL, LIBRARY)), warc_response(tracked, news_page(KESTREL, LIBRARY, url=tracked))],
    )
    db = tmp_path / "news.duckdb"
    newsmill.ingest([path], db=db, workers=1, search=False)
    assert record_outcomes(db) == ["article", "same-document"]


def test_updated_version_at_the_same_url_is_linked_as_same_url(tmp_path: Path) -> None:
    url = story_url(KESTREL, FERRY_VOTE)
    rewritten = Story(
        FERRY_VOTE.slug, FERRY_VOTE.headline, FERRY_VOTE.standfirst, FERRY_VOTE.authors, "2024-05-06T15:00:00+00:00",
        FERRY_VOTE.tags,
        ("The strike on the Marram Sound ferries has been called off after the operator agreed to keep four-person "
         "crews on the late sailings while an independent review of staffing takes place this summer.",
         "Union members will be balloted on the offer next week, and the organiser said she would recommend it."),
    )
    path = write_warc(
        tmp_path / "versions.warc.gz",
        [warc_response(url, news_page(KESTREL, FERRY_VOTE)),
         warc_response(url + "?utm_source=app", news_page(KESTREL, rewritten), date="2024-05-06T16:00:00Z")],
    )
    db = tmp_path / "news.duckdb"
    newsmill.ingest([path], db=db, workers=1, search=False)
    docs, dups = _clusters(db)
    assert len(docs) == 2  # two versions: two documents, one cluster
    assert [reason for _, _, reason in dups] == ["same-url"]


def test_clusters_do_not_depend_on_input_order_or_worker_count(tmp_path: Path) -> None:
    forward_files, _ = write_mixed_crawl(tmp_path / "forward")
    n = len(mixed_crawl_entries())
    reverse_files, _ = write_mixed_crawl(tmp_path / "reverse", order=list(reversed(range(n))))
    newsmill.ingest(forward_files, db=tmp_path / "a.duckdb", workers=1, search=False)
    # Reversed input, two workers, and the JSONL file before the WARC.
    newsmill.ingest(list(reversed(reverse_files)), db=tmp_path / "b.duckdb", workers=2, search=False)
    assert _clusters(tmp_path / "a.duckdb") == _clusters(tmp_path / "b.duckdb")
    with newsmill.open_store(tmp_path / "a.duckdb") as a, newsmill.open_store(tmp_path / "b.duckdb") as b:
        assert a.counts() == b.counts()


def test_recrawls_with_different_publication_times_keep_the_same_version_in_any_order(tmp_path: Path) -> None:
    """A re-crawl of one URL and body is one document; which of its versions the store keeps (and so which
    copy of the story is canonical) must not depend on the order the crawls are ingested in."""
    url = story_url(KESTREL, LIBRARY)
    late = replace(LIBRARY, published="2024-03-12T11:00:00+00:00")  # the site later shows its update time
    early = replace(LIBRARY, published="2024-03-12T09:00:00+00:00")
    syndicated = replace(LIBRARY, published="2024-03-12T10:00:00+00:00")
    files = {
        "late": write_warc(tmp_path / "late.warc.gz", [warc_response(url, news_page(KESTREL, late))]),
        "early": write_warc(tmp_path / "early.warc.gz", [warc_response(url, news_page(KESTREL, early))]),
        "syndicated": write_warc(
            tmp_path / "syndicated.warc.gz", [warc_response(story_url(LOWMOOR, LIBRARY), news_page(LOWMOOR, syndicated))]
        ),
    }

    def state(db: Path) -> tuple[set[tuple], str]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            docs = set(con.execute("SELECT id, published, cluster_id, url FROM documents").fetchall())
            (canonical_url_,) = con.execute("SELECT url FROM articles").fetchone()
        finally:
            con.close()
        return docs, canonical_url_

    one_by_one = tmp_path / "one-by-one.duckdb"
    for name in ("late", "syndicated", "early"):  # three runs: the better version arrives last
        newsmill.ingest([files[name]], db=one_by_one, workers=1, search=False)
    together = tmp_path / "together.duckdb"
    newsmill.ingest([files["early"], files["syndicated"], files["late"]], db=together, workers=1, search=False)

    docs, canonical = state(one_by_one)
    assert (docs, canonical) == state(together)
    assert len(docs) == 2 and canonical == url
    assert {published for _, published, _, u in docs if u == url} == {"2024-03-12T09:00:00+00:00"}
    with newsmill.open_store(one_by_one) as store:
        counts = store.counts()
    assert (counts.records, counts.articles, counts.duplicates) == (3, 1, 2)  # the re-crawl and the copy
