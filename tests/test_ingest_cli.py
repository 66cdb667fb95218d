"""The database commands: ``newsmill ingest``, ``stats``, ``search``, ``duplicates`` and ``export``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import CliResult
from ingest_pages import FERRY_ISLANDERS, FERRY_VOTE, KESTREL, LIBRARY, news_page, write_mixed_crawl

from newsmill.store import Store
from newsmill.store.schema import STORE_SCHEMA_VERSION

Run = Callable[..., CliResult]


@pytest.fixture
def crawl(tmp_path: Path) -> tuple[list[Path], list[str], Path]:
    files, expect = write_mixed_crawl(tmp_path / "in")
    return files, expect, tmp_path / "news.duckdb"


def _one_line_errors(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(line.startswith("newsmill: ") for line in lines), err
    assert "Traceback" not in err
    return lines


def test_ingest_table_report_then_json_report_of_a_repeat(run_cli: Run, crawl: tuple) -> None:
    files, expect, db = crawl
    first = run_cli("ingest", *files, "--db", db, "--workers", "1")
    assert first.code == 0, first.err
    assert f"{len(expect)} records read" in first.out
    assert f"{len(expect)} records = 6 articles + 4 duplicates + 4 rejections" in first.out

    again = run_cli("ingest", *files, "--db", db, "--workers", "1", "--format", "json")
    assert again.code == 0
    report = again.json()
    assert report["status"] == "complete" and report["run"]["records"] == 0
    assert report["skipped_complete_files"] == len(files)
    assert report["store"]["records"] == len(expect)


def test_ingest_reports_problems_on_stderr_and_exits_1(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + b"\xde\xad\xbe\xef" * 50)
    result = run_cli("ingest", page, tmp_path / "missing-folder", broken, "--db", tmp_path / "n.duckdb", "--workers", "1")
    assert result.code == 1
    errors = _one_line_errors(result.err)
    assert any("missing-folder" in e and "no such file or directory" in e for e in errors)
    assert any("broken.warc.gz" in e and "corrupt or truncated" in e for e in errors)
    assert "1 new documents" in result.out  # the readable input is stored all the same


def test_ingest_usage_errors_exit_2(run_cli: Run, tmp_path: Path) -> None:
    assert run_cli("ingest").code == 2
    assert run_cli("ingest", tmp_path, "--workers", "0").code == 2
    assert run_cli("ingest", tmp_path, "--executor", "spark").code == 2


def test_ingest_into_a_newer_database_fails_with_one_line(run_cli: Run, tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(STORE_SCHEMA_VERSION + 1)])
    page = tmp_path / "story.html"
    page.write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    result = run_cli("ingest", page, "--db", db)
    assert result.code == 1
    [line] = _one_line_errors(result.err)
    assert "newer newsmill" in line and "upgrade newsmill" in line


def test_stats_table_and_json(run_cli: Run, crawl: tuple) -> None:
    files, expect, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    table = run_cli("stats", "--db", db)
    assert table.code == 0
    assert f"{len(expect)} records" in table.out and "not-a-page" in table.out and "#1 complete" in table.out
    data = run_cli("stats", "--db", db, "--format", "json").json()
    counts = data["counts"]
    assert counts["records"] == counts["articles"] + counts["duplicates"] + counts["rejections"] == len(expect)
    assert data["rejections"] == {"http-status": 1, "malformed-json": 1, "no-article": 1, "not-a-page": 1}
    assert data["runs"][0]["status"] == "complete"


def test_search_table_and_json(run_cli: Run, crawl: tuple) -> None:
    files, _, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    table = run_cli("search", "ferry strike", "--db", db)
    assert table.code == 0
    assert table.out.splitlines()[0] == "2 articles match 'ferry strike'"
    assert FERRY_VOTE.headline in table.out.splitlines()[1]
    data = run_cli("search", "ferry", "--db", db, "--since", "2024-05-07", "--format", "json").json()
    assert [hit["title"] for hit in data["hits"]] == [FERRY_ISLANDERS.headline]
    assert data["total"] == 1


def test_search_errors(run_cli: Run, crawl: tuple, tmp_path: Path) -> None:
    files, _, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    assert run_cli("search", "ferry", "--db", db, "--since", "May 2024").code == 2
    missing = run_cli("search", "ferry", "--db", tmp_path / "nope.duckdb")
    assert missing.code == 1 and "no such database" in _one_line_errors(missing.err)[0]


def test_duplicates_table_and_json(run_cli: Run, crawl: tuple) -> None:
    files, _, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    table = run_cli("duplicates", "--db", db)
    assert table.code == 0 and table.out.startswith("3 copies of 'Coastal rail line reopens")
    clusters = run_cli("duplicates", "--db", db, "--format", "json").json()
    assert len(clusters) == 1 and clusters[0]["size"] == 3
    assert {d["reason"] for d in clusters[0]["duplicates"]} == {"near"}


def test_export_and_reimport(run_cli: Run, crawl: tuple, tmp_path: Path) -> None:
    files, _, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    out = tmp_path / "articles.jsonl"
    result = run_cli("export", out, "--db", db)
    assert result.code == 0 and "wrote 6 articles" in result.err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6
    parquet = run_cli("export", tmp_path / "articles.parquet", "--db", db, "--with-duplicates", "-q")
    assert parquet.code == 0 and parquet.err == ""

    other = tmp_path / "other.duckdb"
    imported = run_cli("ingest", out, "--db", other, "--format", "json", "--workers", "1").json()
    assert imported["store"]["articles"] == 6 and imported["store"]["rejections"] == 0


@pytest.mark.parametrize("command", ["stats", "duplicates", "export"])
def test_commands_on_a_missing_database(run_cli: Run, tmp_path: Path, command: str) -> None:
    args = [command, "--db", tmp_path / "nope.duckdb"] + ([tmp_path / "out.jsonl"] if command == "export" else [])
    result = run_cli(*args)
    assert result.code == 1
    assert "no such database" in _one_line_errors(result.err)[0]
    assert not (tmp_path / "nope.duckdb").exists()


def test_json_output_is_valid_json_for_every_command(run_cli: Run, crawl: tuple) -> None:
    files, _, db = crawl
    outputs = [run_cli("ingest", *files, "--db", db, "--workers", "1", "--format", "json").out]
    outputs += [run_cli(c, *a, "--db", db, "--format", "json").out for c, a in
                [("stats", []), ("search", ["library"]), ("duplicates", [])]]
    for out in outputs:
        json.loads(out)


def test_stats_migrate_on_a_current_and_a_missing_database(run_cli: Run, crawl: tuple, tmp_path: Path) -> None:
    files, expect, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    migrated = run_cli("stats", "--db", db, "--migrate", "--format", "json")
    assert migrated.code == 0 and migrated.json()["counts"]["records"] == len(expect)
    missing = run_cli("stats", "--db", tmp_path / "nope.duckdb", "--migrate")
    assert missing.code == 1 and "no such database" in missing.err
    assert not (tmp_path / "nope.duckdb").exists()


def test_stats_migrate_upgrades_a_schema_1_database(run_cli: Run, crawl: tuple) -> None:
    from newsmill.store import enrichments

    files, expect, db = crawl
    run_cli("ingest", *files, "--db", db, "--workers", "1", "-q")
    con = duckdb.connect(str(db))  # what store schema 1 wrote: the same tables minus the enrichment ones
    for table in enrichments.SCHEMA_2_TABLES:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()

    refused = run_cli("stats", "--db", db)
    assert refused.code == 1 and "needs a migration" in refused.err
    migrated = run_cli("stats", "--db", db, "--migrate", "--format", "json")
    assert migrated.code == 0 and migrated.json()["counts"]["records"] == len(expect)
    with Store(db, read_only=True) as store:
        assert store.schema_version() == STORE_SCHEMA_VERSION


def test_no_search_then_search_says_how_to_build_the_index(run_cli: Run, crawl: tuple) -> None:
    files, _, db = crawl
    assert run_cli("ingest", *files, "--db", db, "--workers", "1", "--no-search", "-q").code == 0
    result = run_cli("search", "ferry", "--db", db)
    assert result.code == 1 and "no search index" in _one_line_errors(result.err)[0]
    assert run_cli("ingest", *files, "--db", db, "--workers", "1", "-q").code == 0  # builds it, stores nothing
    assert run_cli("search", "ferry", "--db", db, "--format", "json").json()["total"] == 2
