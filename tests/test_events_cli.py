"""``newsmill enrich`` (over the database and over files) and ``newsmill events`` (table, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from enrich_pages import GERMAN, HARBOUR, MISSILES, TALKS, ingest_pages, news_page

from newsmill.commands.events import CSV_COLUMNS
from newsmill.store import Store


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional stories ingested and enriched through the CLI (module-wide; copy it to change it)."""
    from newsmill.cli import main

    folder = tmp_path_factory.mktemp("events_cli")
    db = ingest_pages(folder / "pages", folder / "news.duckdb")
    assert main(["enrich", "--db", str(db), "--workers", "1", "-q"]) == 0
    return db


def test_enrich_reports_then_rerun_is_a_no_op(cli_db: Path, tmp_path: Path, run_cli) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(cli_db, db)
    again = run_cli("enrich", "--db", db, "--workers", "1")
    assert again.code == 0 and "nothing to enrich (4 articles already enriched" in again.out
    forced = run_cli("enrich", "--db", db, "--workers", "1", "--force", "--format", "json")
    assert forced.code == 0
    report = forced.json()
    assert (report["planned"], report["kept"], report["failed"], report["skipped"]) == (4, 3, 0, {"not English": 1})
    limited = run_cli("enrich", "--db", db, "--workers", "1", "--force", "--limit", "1")
    assert limited.code == 0 and "1 of 1 articles enriched" in limited.out and "1 kept" in limited.out


def test_enrich_usage_errors(cli_db: Path, tmp_path: Path, run_cli) -> None:
    page = tmp_path / "p.html"
    page.write_text(news_page(HARBOUR), encoding="utf-8")
    assert run_cli("enrich", page, "--force").code == 2
    assert run_cli("enrich", "--db", cli_db, "--format", "jsonl").code == 2
    assert run_cli("enrich", "--db", cli_db, "--workers", "0").code == 2
    missing = run_cli("enrich", "--db", tmp_path / "none.duckdb")
    assert missing.code == 1 and "no such database" in missing.err


def test_events_table_filters_by_prefix_and_date(cli_db: Path, run_cli) -> None:
    result = run_cli("events", "--db", cli_db, "--actor", "IRN", "--target", "USA", "--since", "2020-03-01")
    assert result.code == 0
    lines = result.out.splitlines()
    total = int(lines[0].split()[0])
    with Store(cli_db, read_only=True) as store:
        expected = store.events(actor="IRN", target="USA", since="2020-03-01")
    assert total == len(expected) > 0
    rows = [line for line in lines[1:] if line.lstrip()[:1].isdigit()]
    assert len(rows) == total
    assert all(" IRN" in row and "-->  USA" in row for row in rows)
    assert any("--190 ASSAULT" in row and "IRNMIL Islamic Revolutionary Guard Corps" in row for row in rows)
    assert "fired missiles at a United States base" in result.out  # the source sentence under its row
    assert "[reported]" in result.out


def test_events_json_and_paging(cli_db: Path, run_cli) -> None:
    everything = run_cli("events", "--db", cli_db, "--format", "json", "--limit", "1000").json()
    assert everything["total"] == len(everything["events"]) > 4
    page = run_cli("events", "--db", cli_db, "--format", "json", "--limit", "2", "--offset", "2").json()
    assert page["total"] == everything["total"] and page["events"] == everything["events"][2:4]
    threats = run_cli("events", "--db", cli_db, "--format", "json", "--plover", "THREATEN").json()["events"]
    assert threats and {e["plover"] for e in threats} == {"THREATEN"}
    factual = run_cli("events", "--db", cli_db, "--format", "json", "--factual", "--limit", "1000").json()["events"]
    assert factual == [e for e in everything["events"] if not {"negated", "hypothetical", "historical"} & set(e["flags"])]
    assert len(factual) < len(everything["events"])  # "In 2011 the United States withdrew..." is historical


def test_events_csv_has_one_column_per_field(cli_db: Path, tmp_path: Path, run_cli) -> None:
    target = tmp_path / "events.csv"
    result = run_cli("events", "--db", cli_db, "--actor", "irn", "--format", "csv", "-o", target)
    assert result.code == 0 and result.out == ""
    reader = csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    with Store(cli_db, read_only=True) as store:
        expected = store.events(actor="IRN")
    assert [r["actor_code"] for r in rows] == [e["actor_code"] for e in expected]
    assert [r["flags"] for r in rows] == [";".join(e["flags"]) for e in expected]
    assert [float(r["goldstein"]) for r in rows] == [e["goldstein"] for e in expected]
    assert all(r["sentence_text"] and "\n" not in r["sentence_text"] for r in rows)
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(rows) + 1  # one line per event


def test_events_bad_input(cli_db: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("events", "--db", cli_db, "--since", "March").code == 2
    assert run_cli("events", "--db", cli_db, "--format", "xml").code == 2
    missing = run_cli("events", "--db", tmp_path / "none.duckdb")
    assert missing.code == 1 and "no such database" in missing.err
    nothing = run_cli("events", "--db", cli_db, "--actor", "ZZZ")
    assert nothing.code == 0 and nothing.out.startswith("0 events match")


def test_events_on_a_database_never_enriched_says_what_to_do(tmp_path: Path, run_cli) -> None:
    db = ingest_pages(tmp_path / "pages", tmp_path / "plain.duckdb")
    result = run_cli("events", "--db", db)
    assert result.code == 0 and "0 events match" in result.out and "newsmill enrich --db" in result.out


def test_ingest_enrich_runs_both(tmp_path: Path, run_cli) -> None:
    from enrich_pages import write_pages

    pages = write_pages(tmp_path / "pages")
    db = tmp_path / "news.duckdb"
    result = run_cli("ingest", *pages, "--db", db, "--workers", "1", "--no-search", "--enrich", "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["run"]["articles"] == 4
    assert (report["enrichment"]["planned"], report["enrichment"]["kept"]) == (4, 3)
    again = run_cli("ingest", *pages, "--db", db, "--workers", "1", "--no-search", "--enrich")
    assert again.code == 0 and "nothing to enrich (4 articles already enriched" in again.out


# --- files, no database ---------------------------------------------------------------------------------
def test_enrich_one_page_prints_one_object(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "missiles.html"
    page.write_text(news_page(MISSILES), encoding="utf-8")
    result = run_cli("enrich", page, "--workers", "1")
    assert result.code == 0, result.err
    record = result.json()
    assert isinstance(record, dict) and record["language"] == "en" and record["skipped_reason"] is None
    assert any(e["actor_code"] == "IRNMIL" and e["plover"] == "ASSAULT" for e in record["events"])
    assert record["published"] == MISSILES.published
    assert not (tmp_path / "newsmill.duckdb").exists()


def test_enrich_article_jsonl_with_bad_lines_and_skips(tmp_path: Path, run_cli) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for story in (MISSILES, GERMAN):
        (pages / f"{story.slug}.html").write_text(news_page(story), encoding="utf-8")
    extracted = run_cli("extract", pages, "--format", "jsonl")
    assert extracted.code == 0
    lines = extracted.out.splitlines()
    empty = json.dumps({"title": None, "body": []})
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join([lines[0], "{not json", empty, lines[1], '["a list"]']) + "\n", encoding="utf-8")
    result = run_cli("enrich", source, "--format", "jsonl", "--workers", "1")
    assert result.code == 1  # the bad lines failed, each reported, the run went on
    records = result.jsonl()
    assert len(records) == 3
    reasons = [r["skipped_reason"] for r in records]
    assert reasons.count(None) == 1
    assert sum(bool(r and r.startswith("not English")) for r in reasons) == 1
    assert sum(bool(r and r.startswith("empty article")) for r in reasons) == 1
    assert f"{source}:2: not valid JSON" in result.err
    assert f"{source}:5: not an Article object" in result.err
    assert "warning: skipped: not English" in result.err


def test_enrich_files_output_to_a_file_and_missing_inputs(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "harbour.html"
    page.write_text(news_page(HARBOUR), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli("enrich", page, tmp_path / "missing.html", "-o", out, "--workers", "1")
    assert result.code == 1 and "missing.html" in result.err
    records = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(records, list) and len(records) == 1 and records[0]["skipped_reason"] is None


def test_enrich_article_json_object_or_array(tmp_path: Path, run_cli) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for story in (TALKS, HARBOUR):
        (pages / f"{story.slug}.html").write_text(news_page(story), encoding="utf-8")
    array = tmp_path / "all.json"
    assert run_cli("extract", pages, "--format", "json", "-o", array).code == 0
    single = tmp_path / "one.json"
    assert run_cli("extract", pages / f"{TALKS.slug}.html", "-o", single).code == 0
    both = run_cli("enrich", array, "--workers", "1")
    assert both.code == 0 and isinstance(both.json(), list) and len(both.json()) == 2
    one = run_cli("enrich", single, "--workers", "1").json()
    assert isinstance(one, dict) and any(e["actor_code"] == "IRQ" for e in one["events"])

