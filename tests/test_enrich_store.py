"""Enrichments stored beside articles: tables derived from the models, migration from store schema 1,
resumable and idempotent ``enrich_store``, and the read methods (events, actors, dyads, entities).

One database of fictional pages (tests/enrich_pages.py) is ingested and enriched once per session; tests
that change it work on a copy. spaCy is loaded once for the whole session (the runner shares the
process-wide stage of ``newsmill.enrich`` when it runs inline).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import fictional_news
import pytest
from enrich_pages import GERMAN, GULF_DISPATCH, MISSILES, TALKS, ingest_pages, news_page, story_url

import newsmill
from newsmill.enrichment.models import TABLES, Enrichment
from newsmill.store import Store, StoreError
from newsmill.store import enrichments as enr
from newsmill.store.enrich_runner import EnrichReport, enrich_store
from newsmill.store.schema import STORE_SCHEMA_VERSION


@pytest.fixture(scope="session")
def ingested_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional stories ingested, not enriched (copy it before changing it)."""
    folder = tmp_path_factory.mktemp("enrich_store")
    return ingest_pages(folder / "pages", folder / "ingested.duckdb")


@pytest.fixture(scope="session")
def enriched(ingested_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EnrichReport]:
    db = tmp_path_factory.mktemp("enriched") / "news.duckdb"
    shutil.copy(ingested_db, db)
    report = enrich_store(db, workers=1)
    return db, report


def _copy(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copy(db, target)
    return target


def _article_id(db: Path, slug: str) -> str:
    with Store(db, read_only=True) as store:
        row = store.con.execute("SELECT id FROM documents WHERE source_path LIKE ?", [f"%/{slug}.html"]).fetchone()
    assert row, slug
    return str(row[0])


def _rows(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("enrichments", *TABLES)}


def _assert_entity_names_match_entities(con: duckdb.DuckDBPyConnection) -> None:
    """The maintained name counts equal a grouping of the entity rows (names without mentions may stay at 0)."""
    kept = con.execute(
        "SELECT canonical, actor_code, mentions, articles FROM entity_names WHERE mentions > 0 ORDER BY 1, 2"
    ).fetchall()
    grouped = con.execute(
        """SELECT canonical, coalesce(actor_code, ''), count(*), count(DISTINCT article_id) FROM entities
           WHERE canonical IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"""
    ).fetchall()
    assert kept == grouped and grouped
    assert con.execute("SELECT count(*) FROM entity_names WHERE mentions < 0 OR articles < 0").fetchone()[0] == 0


# --- tables ---------------------------------------------------------------------------------------------
def test_tables_are_derived_from_the_models(enriched) -> None:
    db, _ = enriched
    with Store(db, read_only=True) as store:
        for table, model in TABLES.items():
            cols = store.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table],
            ).fetchall()
            assert [c for c, _ in cols] == ["article_id", "ordinal", *model.model_fields]
        types = dict(store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events'"
        ).fetchall())
        assert (types["goldstein"], types["quad_class"], types["negated"]) == ("DOUBLE", "BIGINT", "BOOLEAN")
        entity_types = dict(store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'entities'"
        ).fetchall())
        assert entity_types["aliases"] == "VARCHAR[]"
        head = [r[0] for r in store.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'enrichments' ORDER BY ordinal_position"
        ).fetchall()]
        assert head == ["article_id", "stage", "schema_version", "language", "skipped_reason", "notes", "enriched_at"]
        assert store.schema_version() == STORE_SCHEMA_VERSION == 2


# --- enrich_store ------------------------------------------------------------------------------------------
def test_every_article_ends_kept_or_skipped_with_its_reason(enriched) -> None:
    db, report = enriched
    assert report.status == "complete"
    assert (report.planned, report.kept, report.failed) == (4, 3, 0)
    assert report.skipped == {"not English": 1}
    assert report.done == report.planned and report.events > 0
    german = Store(db, read_only=True).enrichment(_article_id(db, GERMAN.slug))
    assert german is not None and german.language == "de"
    assert german.skipped_reason and german.skipped_reason.startswith("not English")
    assert german.events == [] and german.entities == []
    counts = Store(db, read_only=True).enrichment_counts()
    assert counts["enriched"] == 4 and counts["pending"] == 0 and counts["skipped_reasons"] == {"not English": 1}


def test_stored_enrichment_reads_back_as_the_stage_made_it(enriched) -> None:
    db, _ = enriched
    article_id = _article_id(db, MISSILES.slug)
    with Store(db, read_only=True) as store:
        stored = store.enrichment(article_id)
        article = store.article(article_id)
    assert stored is not None and article is not None
    fresh = newsmill.enrich(article)
    assert stored.model_dump() == fresh.model_dump()
    assert Store(db, read_only=True).enrichment("no-such-article") is None


def test_rerun_is_a_no_op(enriched, tmp_path: Path) -> None:
    db = _copy(enriched[0], tmp_path)
    before = _rows(db)
    with Store(db, read_only=True) as store:
        stamps = store.con.execute("SELECT article_id, enriched_at FROM enrichments ORDER BY 1").fetchall()
    report = enrich_store(db, workers=1)
    assert (report.planned, report.done, report.already_enriched) == (0, 0, 4)
    assert _rows(db) == before
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT article_id, enriched_at FROM enrichments ORDER BY 1").fetchall() == stamps


def test_force_replaces_rows_instead_of_adding_them(enriched, tmp_path: Path) -> None:
    db = _copy(enriched[0], tmp_path)
    before = _rows(db)
    with Store(db, read_only=True) as store:
        old = store.con.execute("SELECT max(enriched_at) FROM enrichments").fetchone()[0]
    report = enrich_store(db, workers=1, force=True)
    assert report.planned == 4 and report.kept == 3
    assert _rows(db) == before
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT min(enriched_at) FROM enrichments").fetchone()[0] > old
        assert store.con.execute(
            "SELECT count(*) FROM (SELECT article_id, ordinal FROM events GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0] == 0
        _assert_entity_names_match_entities(store.con)


def test_limit_and_resume_after_an_interruption(ingested_db: Path, enriched, tmp_path: Path) -> None:
    db = _copy(ingested_db, tmp_path)
    first = enrich_store(db, workers=1, limit=1)
    assert (first.planned, first.done) == (1, 1)

    def stop_after_one(report) -> None:  # a Ctrl-C in the middle of the run
        if report.done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        enrich_store(db, workers=1, write_batch=1, progress=stop_after_one)
    with Store(db, read_only=True) as store:
        assert store.enrichment_counts()["enriched"] == 3  # 1 + the 2 finished before the interruption
    last = enrich_store(db, workers=1)
    assert (last.planned, last.already_enriched) == (1, 3)
    assert _rows(db) == _rows(enriched[0])


def test_a_crashed_worker_costs_one_article_marked_failed(
    ingested_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsmill.executors.local import WorkerCrash, map_stream
    from newsmill.store import enrich_runner

    def crash_on_second(func, items, **options):  # the executor's answer when a worker dies on an item
        for number, result in enumerate(map_stream(func, items, **options)):
            yield WorkerCrash() if number == 1 else result

    db = _copy(ingested_db, tmp_path)
    monkeypatch.setattr(enrich_runner, "map_stream", crash_on_second)
    report = enrich_store(db, workers=1)
    assert (report.planned, report.failed, report.kept + sum(report.skipped.values())) == (4, 1, 3)
    assert len(report.failures) == 1 and "worker process died" in report.failures[0]
    failed_id = report.failures[0].split(":")[0]
    with Store(db, read_only=True) as store:
        failed = store.enrichment(failed_id)
    assert failed is not None and failed.skipped_reason.startswith("failed: ") and failed.entities == []
    monkeypatch.undo()
    assert enrich_store(db, workers=1).planned == 0  # stored as failed: a re-run does not loop on it
    retried = enrich_store(db, workers=1, force=True)
    assert retried.failed == 0 and retried.planned == 4


def test_articles_that_became_duplicates_lose_their_enrichment(enriched, tmp_path: Path) -> None:
    db = _copy(enriched[0], tmp_path)
    missiles, talks = _article_id(db, MISSILES.slug), _article_id(db, TALKS.slug)
    with Store(db) as store:  # what a later ingest does when it finds a better canonical copy of a story
        store.con.execute("INSERT INTO duplicates VALUES (?, ?, 'near-duplicate', 0.9, 99)", [missiles, talks])
        assert store.events(article_id=missiles)
    report = enrich_store(db, workers=1)
    assert (report.removed_duplicates, report.planned) == (1, 0)
    with Store(db, read_only=True) as store:
        assert store.enrichment(missiles) is None and store.events(article_id=missiles) == []
        assert store.enrichment(talks) is not None
        _assert_entity_names_match_entities(store.con)
        assert store.find_entities("revolutionary guard") == []  # only the demoted article named them


def test_a_revised_version_is_enriched_again_from_its_own_publication_time(enriched, tmp_path: Path) -> None:
    """A re-crawl whose earlier publication time replaces the stored version makes the old enrichment
    stale ("on Sunday" and office holders are read against the publication time): it is dropped and redone."""
    db = _copy(enriched[0], tmp_path)
    missiles = _article_id(db, MISSILES.slug)
    with Store(db, read_only=True) as store:
        assert {e["date"] for e in store.events(article_id=missiles) if e["date"]} >= {"2020-03-08"}
    earlier = replace(MISSILES, published="2020-03-05T07:30:00+00:00")  # a Thursday: "on Sunday" is March 1
    page = tmp_path / "recrawl" / f"{MISSILES.slug}.html"  # same URL and body, as a re-crawl finds them
    page.parent.mkdir()
    page.write_text(fictional_news.news_page(GULF_DISPATCH, earlier, url=story_url(MISSILES)), encoding="utf-8")
    report = newsmill.ingest([page], db=db, workers=1, search=False)
    assert (report.run.articles, report.run.same_document) == (0, 1)
    with Store(db, read_only=True) as store:
        assert store.enrichment(missiles) is None and store.events(article_id=missiles) == []
        _assert_entity_names_match_entities(store.con)
    assert enrich_store(db, workers=1).planned == 1
    with Store(db, read_only=True) as store:
        dates = {e["date"] for e in store.events(article_id=missiles) if e["date"]}
    assert "2020-03-01" in dates and "2020-03-08" not in dates


def test_missing_database_and_bad_arguments_are_clear_errors(tmp_path: Path, enriched) -> None:
    with pytest.raises(StoreError, match="no such database"):
        enrich_store(tmp_path / "missing.duckdb")
    with pytest.raises(StoreError, match="no such actor file"):
        enrich_store(enriched[0], actor_files=[tmp_path / "nope.txt"])
    con = duckdb.connect()
    enr.create_enrichment_tables(con)
    with pytest.raises(ValueError, match="article_id"):
        enr.write_enrichments(con, [Enrichment()], stage="enrich_v1")


def test_rewriting_an_article_replaces_its_rows_and_keeps_others() -> None:
    from newsmill.enrichment.models import Entity, Event

    def entity(name: str, code: str | None) -> Entity:
        return Entity(text=name, start=0, end=len(name), label="ORG", canonical=name, actor_code=code)

    def event(n: int) -> Event:
        return Event(sentence=n, sentence_text="s", start=0, end=1, trigger="hit", cameo="190", plover="ASSAULT",
                     goldstein=-10.0, quad_class=4, actor_code="AAA", date="2020-01-0" + str(n + 1))

    con = duckdb.connect()
    enr.create_enrichment_tables(con)
    guards, ministry = entity("Guards", "IRNMIL"), entity("Ministry", None)
    enr.write_enrichments(con, [Enrichment(article_id="a", events=[event(0), event(1)], entities=[guards, guards]),
                                Enrichment(article_id="b", events=[event(2)], entities=[guards])], stage="enrich_v1")
    enr.write_enrichments(con, [Enrichment(article_id="a", events=[event(3)], notes=["second run"],
                                           entities=[ministry])], stage="enrich_v2")
    rows = con.execute("SELECT article_id, ordinal, \"date\" FROM events ORDER BY 1, 2").fetchall()
    assert rows == [("a", 0, "2020-01-04"), ("b", 0, "2020-01-03")]
    heads = con.execute("SELECT article_id, stage, notes FROM enrichments ORDER BY 1").fetchall()
    assert heads == [("a", "enrich_v2", ["second run"]), ("b", "enrich_v1", [])]
    _assert_entity_names_match_entities(con)
    assert [(e["canonical"], e["actor_code"], e["mentions"], e["articles"]) for e in enr.find_entities(con, "i")] == [
        ("Guards", "IRNMIL", 1, 1), ("Ministry", None, 1, 1)
    ]


@pytest.mark.slow
def test_worker_processes_store_what_inline_enrichment_stores(enriched, ingested_db: Path, tmp_path: Path) -> None:
    db = _copy(ingested_db, tmp_path)
    report = enrich_store(db, workers=2)
    assert (report.workers, report.kept, report.failed) == (2, 3, 0)
    fields = "article_id, ordinal, actor_code, plover, cameo, target_code, \"date\""
    with Store(db, read_only=True) as a, Store(enriched[0], read_only=True) as b:
        sql = f"SELECT {fields} FROM events ORDER BY article_id, ordinal"
        assert a.con.execute(sql).fetchall() == b.con.execute(sql).fetchall()


# --- migration from store schema 1 ----------------------------------------------------------------------------
def _as_schema_1(db: Path) -> None:
    """Turn a database into what store schema 1 wrote: the same tables minus the enrichment ones."""
    con = duckdb.connect(str(db))
    for table in enr.SCHEMA_2_TABLES:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_schema_1_database_is_migrated_and_keeps_its_articles(ingested_db: Path, tmp_path: Path) -> None:
    db = _copy(ingested_db, tmp_path)
    _as_schema_1(db)
    with pytest.raises(StoreError, match="needs a migration"):
        Store(db, read_only=True)
    with Store(db) as store:
        assert store.schema_version() == 2
        assert store.counts().articles == 4
        assert store.enrichment_counts() == {
            "enriched": 0, "skipped": 0, "pending": 4, "skipped_reasons": {},
            "rows": {"entities": 0, "quotes": 0, "places": 0, "events": 0},
        }
    report = enrich_store(db, workers=1)
    assert report.kept == 3


def test_failed_migration_leaves_schema_1_untouched(ingested_db: Path, tmp_path: Path) -> None:
    db = _copy(ingested_db, tmp_path)
    _as_schema_1(db)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE events (x INTEGER)")  # a clash: the migration cannot create its table
    con.close()
    with pytest.raises(duckdb.Error):
        Store(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables & set(enr.SCHEMA_2_TABLES) == {"events"}  # only the clashing table, as it was
    assert con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'events'").fetchall() == [("x",)]
    con.close()


# --- reads -----------------------------------------------------------------------------------------------
def test_events_filter_codes_by_prefix_case_insensitively(enriched) -> None:
    with Store(enriched[0], read_only=True) as store:
        everything = store.events(limit=1000)
        iran = store.events(actor="irn", limit=1000)
        dyad = store.events(actor="IRN", target="USA", limit=1000)
    assert {e["actor_code"] for e in iran} >= {"IRNMIL", "IRNGOV"}
    assert iran == [e for e in everything if (e["actor_code"] or "").startswith("IRN")]
    assert dyad and all(e["target_code"].startswith("USA") for e in dyad)
    assert any(e["plover"] == "ASSAULT" and e["actor_code"] == "IRNMIL" for e in dyad)
    row = dyad[0]
    assert set(Enrichment.model_fields["events"].annotation.__args__[0].model_fields) <= set(row)  # type: ignore[union-attr]
    assert row["article_id"] == _article_id(enriched[0], MISSILES.slug) and row["title"] == MISSILES.headline
    assert row["flags"] == [f for f in enr.EVENT_FLAGS if row[f]]


def test_events_filter_dates_type_and_factual(enriched) -> None:
    with Store(enriched[0], read_only=True) as store:
        everything = store.events(limit=1000)
        march = store.events(since="2020-03-01", limit=1000)
        february = store.events(since="2020-02-01", until="2020-02-29", limit=1000)
        threats = store.events(plover="threaten", limit=1000)
        factual = store.events(factual=True, limit=1000)
    days = [e["date"] for e in everything]
    assert "2011" in days  # "In 2011 the United States withdrew..."
    assert march and all(e["date"] >= "2020-03-01" and len(e["date"]) == 10 for e in march)
    assert "2011" not in [e["date"] for e in march + february]
    assert february and all("2020-02-01" <= e["date"] <= "2020-02-29" for e in february)
    assert {e["article_id"] for e in february} == {_article_id(enriched[0], TALKS.slug)}
    assert threats and {e["plover"] for e in threats} == {"THREATEN"}
    assert any(e["historical"] for e in everything)
    assert factual == [e for e in everything if not (e["negated"] or e["hypothetical"] or e["historical"])]
    with pytest.raises(ValueError, match="since"):
        enr.events(duckdb.connect(str(enriched[0]), read_only=True), since="March")


def test_event_paging_and_order(enriched) -> None:
    with Store(enriched[0], read_only=True) as store:
        total = store.event_count()
        everything = store.events(limit=1000)
        pages = [store.events(limit=2, offset=o) for o in range(0, total, 2)]
        newest = store.events(newest_first=True, limit=1000)
        assert store.event_count(actor="IRN", target="USA") == len(store.events(actor="IRN", target="USA"))
    assert total == len(everything) > 4
    assert [e for page in pages for e in page] == everything
    dated = [e["date"] for e in everything if e["date"]]
    assert dated == sorted(dated)
    assert [e["date"] for e in newest if e["date"]] == sorted(dated, reverse=True)


def test_actors_count_both_sides(enriched) -> None:
    with Store(enriched[0], read_only=True) as store:
        actors = {a["code"]: a for a in store.actors()}
        everything = store.events(limit=1000)
        iran_only = store.actors(prefix="IRN")
    for code, row in actors.items():
        assert row["as_actor"] == sum(e["actor_code"] == code for e in everything)
        assert row["as_target"] == sum(e["target_code"] == code for e in everything)
        assert row["events"] == row["as_actor"] + row["as_target"]
    assert actors["IRNMIL"]["name"] == "Islamic Revolutionary Guard Corps"
    assert iran_only and all(a["code"].startswith("IRN") for a in iran_only)


def test_dyad_timeline_counts_by_period_and_plover(enriched) -> None:
    with Store(enriched[0], read_only=True) as store:
        days = store.dyad_timeline("IRN", "USA", interval="day")
        weeks = store.dyad_timeline("IRN", "USA", interval="week")
        both = store.dyad_timeline("USA", "IRN", interval="month", both_directions=True)
        events = store.events(actor="IRN", target="USA", limit=1000)
        back = store.events(actor="USA", target="IRN", limit=1000)
        with pytest.raises(ValueError, match="interval"):
            store.dyad_timeline("IRN", "USA", interval="fortnight")  # type: ignore[arg-type]
    assert [d["period"] for d in days] == sorted({e["date"] for e in events})
    for day in days:
        same = [e for e in events if e["date"] == day["period"]]
        assert day["events"] == len(same) == sum(day["by_plover"].values()) == sum(day["by_quad_class"].values())
        assert day["goldstein_mean"] == pytest.approx(sum(e["goldstein"] for e in same) / len(same), abs=1e-3)
    assert sum(w["events"] for w in weeks) == len(events)
    assert all(w["period"] in ("2020-03-02", "2020-03-09") for w in weeks)  # Mondays
    dated_back = [e for e in back if len(e["date"] or "") == 10]
    assert sum(m["events"] for m in both) == len(events) + len(dated_back)


def test_entity_search_and_articles(enriched) -> None:
    db = enriched[0]
    with Store(db, read_only=True) as store:
        guards = store.find_entities("revolutionary guard")
        by_code = store.find_entities("IRN")
        nothing = store.find_entities("  ")
        articles = store.entity_articles(actor_code="IRN")
        named = store.entity_articles(canonical="islamic revolutionary guard corps")
        with pytest.raises(ValueError):
            store.entity_articles()
    assert guards[0]["canonical"] == "Islamic Revolutionary Guard Corps" and guards[0]["actor_code"] == "IRNMIL"
    assert guards[0]["mentions"] >= 2 and "IRGC" in guards[0]["aliases"]
    assert by_code and all(e["actor_code"].startswith("IRN") for e in by_code)
    assert nothing == []
    ids = [a["article_id"] for a in articles]
    assert set(ids) == {_article_id(db, MISSILES.slug), _article_id(db, TALKS.slug)}
    assert ids[0] == _article_id(db, MISSILES.slug)  # newest first
    assert [a["article_id"] for a in named] == [_article_id(db, MISSILES.slug)]


def test_web_style_read_only_cursor_reads_the_same(enriched) -> None:
    con = duckdb.connect(str(enriched[0]), read_only=True)
    with Store(enriched[0], read_only=True) as store:
        expected = store.events(actor="IRN")
    assert enr.events(con.cursor(), actor="IRN") == expected
    con.close()


# --- the Python API ---------------------------------------------------------------------------------------------
def test_api_enrich_takes_articles_pages_and_text(tmp_path: Path) -> None:
    page = tmp_path / "missiles.html"
    page.write_text(news_page(MISSILES), encoding="utf-8")
    from_page = newsmill.enrich(page)
    from_html = newsmill.enrich(news_page(MISSILES))
    assert from_page.events and from_page.model_dump() == from_html.model_dump()
    text = newsmill.enrich("\n\n".join(MISSILES.paragraphs), published=MISSILES.published)
    assert text.article_id and text.published == MISSILES.published
    assert {(e.actor_code, e.plover) for e in text.events} >= {("IRNMIL", "ASSAULT")}
    assert any(e.date == "2020-03-08" for e in text.events)  # "on Sunday" before Tuesday 10 March
    empty = newsmill.enrich("")
    assert empty.skipped_reason and empty.skipped_reason.startswith("empty article")
    german = newsmill.enrich("\n\n".join(GERMAN.paragraphs))
    assert german.skipped_reason and "not English" in german.skipped_reason and german.events == []
    with pytest.raises(newsmill.NewsmillError):
        newsmill.enrich(tmp_path / "missing.html")


def test_api_events_match_the_store(enriched) -> None:
    db = enriched[0]
    got = newsmill.events(db=db, actor="IRN", target="USA", since="2020-03-01")
    with Store(db, read_only=True) as store:
        assert got == store.events(actor="IRN", target="USA", since="2020-03-01")
    with pytest.raises(newsmill.NewsmillError):
        newsmill.events(db=db, since="yesterday")
