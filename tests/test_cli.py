"""The `newsmill` command line: subcommands, inputs, output formats, exit codes, parallel runs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO_FILES, DEMO_ORDER, PROJECT_ROOT

import newsmill
from newsmill.commands import load_commands
from newsmill.executors import WorkerCrash, WorkerTimeout, map_ordered
from newsmill.models import article_json_schema
from newsmill.writers.formats import TXT_SEPARATOR

NAV_ONLY_DUMP = "Home News Sport Business Weather\nSubscribe Log in\nAbout Us\nContact Us\nPrivacy Policy\n© 2024 Example Media\n"


def _body_text(article: dict) -> str:
    return "\n".join(article["body"])


def _assert_one_clean_line(err: str, label: str, *words: str) -> None:
    lines = [ln for ln in err.splitlines() if label in ln]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"newsmill: {label}: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in err


# --- the command itself --------------------------------------------------------------------------------
def test_version(run_cli):
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"newsmill {newsmill.__version__}"


def test_no_command_is_a_usage_error(run_cli):
    result = run_cli()
    assert result.code == 2
    assert "choose a command" in result.err


def test_unknown_option_is_a_usage_error(run_cli, dump_plain):
    assert run_cli("extract", dump_plain, "--colour").code == 2
    assert run_cli("extract", dump_plain, "--format", "csv").code == 2
    assert run_cli("extract", dump_plain, "--workers", "0").code == 2
    assert run_cli("extract", dump_plain, "--time-limit", "-1").code == 2


def test_help_lists_every_command(run_cli):
    result = run_cli("--help")
    assert result.code == 0
    for command in load_commands():
        assert command.name in result.out


def test_every_command_is_documented_in_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for command in load_commands():
        assert f"newsmill {command.name}" in readme, f"document `newsmill {command.name}` in README.md"


def test_python_dash_m_runs_the_cli(dump_plain):
    proc = subprocess.run(
        [sys.executable, "-m", "newsmill", "extract", str(dump_plain), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source_kind"] == "dump"


# --- schema ------------------------------------------------------------------------------------------
def test_schema_prints_the_article_json_schema(run_cli):
    result = run_cli("schema")
    assert result.code == 0
    assert result.json() == json.loads(json.dumps(article_json_schema()))
    assert {"title", "body", "authors", "empty_reason"} <= set(result.json()["properties"])


def test_schema_to_file(run_cli, tmp_path):
    target = tmp_path / "article.schema.json"
    assert run_cli("schema", "-o", target).code == 0
    assert json.loads(target.read_text())["title"] == "Article"


# --- extract: inputs ---------------------------------------------------------------------------------
def test_one_file_gives_one_json_object(run_cli, html_jsonld):
    result = run_cli("extract", html_jsonld)
    assert result.code == 0, result.err
    article = result.json()
    assert isinstance(article, dict)
    assert article["source_kind"] == "html"
    assert article["encoding"] == "utf-8"
    assert "Ferry crews serving the islands of Averill Sound" in _body_text(article)


def test_directory_gives_an_array_in_input_order(run_cli, demo_dir, demo_expected):
    result = run_cli("extract", demo_dir, "--workers", "1")
    assert result.code == 0, result.err
    articles = result.json()
    assert len(articles) == len(DEMO_ORDER)
    for name, article in zip(DEMO_ORDER, articles, strict=True):
        assert article["source_kind"] == demo_expected[name]["source_kind"], name
        assert demo_expected[name]["first_paragraph"] in _body_text(article), name


def test_directory_search_is_recursive_and_filters_suffixes(run_cli, tmp_path, dump_plain, html_gz):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.TXT").write_bytes(dump_plain.read_bytes())
    (tmp_path / "a" / "page.html.gz").write_bytes(html_gz.read_bytes())
    (tmp_path / "notes.md").write_text("# not a page\n")
    (tmp_path / ".hidden.html").write_text("<p>hidden</p>")
    result = run_cli("extract", tmp_path, "--format", "jsonl")
    assert result.code == 0, result.err
    assert [a["source_kind"] for a in result.jsonl()] == ["dump", "html"]  # a/b/deep.TXT < a/page.html.gz


def test_directory_without_pages_is_reported(run_cli, tmp_path):
    (tmp_path / "readme.md").write_text("nothing here")
    result = run_cli("extract", tmp_path)
    assert result.code == 1
    assert result.json() == []
    _assert_one_clean_line(result.err, str(tmp_path), "no .html")


def test_output_order_follows_arguments(run_cli, dump_plain, html_jsonld, dump_dated):
    result = run_cli("extract", dump_plain, html_jsonld, dump_dated, "--format", "jsonl", "--workers", "3")
    assert result.code == 0, result.err
    assert [a["source_kind"] for a in result.jsonl()] == ["dump", "html", "dump"]
    assert [a["crawl_date"] for a in result.jsonl()][2] == "2021-03-03"


def test_parallel_output_equals_serial_output(run_cli, demo_dir):
    serial = run_cli("extract", demo_dir, "--format", "jsonl", "--workers", "1")
    parallel = run_cli("extract", demo_dir, "--format", "jsonl", "--workers", "3")
    assert serial.code == parallel.code == 0
    assert parallel.out == serial.out


def test_stdin_dash(run_cli, dump_dated):
    result = run_cli("extract", "-", stdin=dump_dated.read_bytes())
    assert result.code == 0, result.err
    assert result.json()["crawl_date"] == "2021-03-03"


def test_stdin_is_read_without_paths_when_piped(run_cli, html_gz):
    result = run_cli("extract", "--format", "jsonl", stdin=html_gz.read_bytes())
    assert result.code == 0, result.err
    assert result.jsonl()[0]["source_kind"] == "html"


def test_no_input_on_a_terminal_is_a_usage_error(run_cli):
    result = run_cli("extract")
    assert result.code == 2
    assert "no input" in result.err


def test_stdin_named_twice_is_a_usage_error(run_cli):
    assert run_cli("extract", "-", "-", stdin=b"hello").code == 2


def test_url_is_recorded_and_sets_the_id(run_cli, html_jsonld):
    url = "https://www.harbourline-courier.example/news/transport/2024/03/14/ferry-crews-vote-to-strike/"
    article = run_cli("extract", html_jsonld, "--url", url).json()
    assert article["url"] == url
    assert article["id"] == hashlib.sha1(url.encode()).hexdigest()[:20]


def test_url_with_several_inputs_is_a_usage_error(run_cli, html_jsonld, dump_plain):
    result = run_cli("extract", html_jsonld, dump_plain, "--url", "https://x.example/")
    assert result.code == 2
    assert "--url" in result.err


def test_kind_can_be_forced(run_cli, html_jsonld):
    assert run_cli("extract", html_jsonld).json()["source_kind"] == "html"
    assert run_cli("extract", html_jsonld, "--kind", "dump").json()["source_kind"] == "dump"


# --- extract: formats and output -----------------------------------------------------------------------
def test_jsonl_format(run_cli, demo_dir):
    result = run_cli("extract", demo_dir, "--format", "jsonl")
    assert result.code == 0
    assert len(result.jsonl()) == len(DEMO_ORDER)


def test_md_format(run_cli, demo_dir, demo_expected):
    result = run_cli("extract", demo_dir, "--format", "md")
    assert result.code == 0
    parts = result.out.split("\n---\n\n")
    assert len(parts) == len(DEMO_ORDER)
    for name, part in zip(DEMO_ORDER, parts, strict=True):
        assert demo_expected[name]["first_paragraph"] in part


def test_md_of_one_article_is_article_to_markdown(run_cli, dump_dated):
    result = run_cli("extract", dump_dated, "--format", "md")
    assert result.out == newsmill.extract(dump_dated).to_markdown()


def test_txt_format_is_article_text(run_cli, dump_plain, html_jsonld):
    result = run_cli("extract", dump_plain, html_jsonld, "--format", "txt")
    assert result.code == 0
    parts = result.out.split(TXT_SEPARATOR)
    assert parts == [newsmill.extract(dump_plain).text() + "\n", newsmill.extract(html_jsonld).text() + "\n"]


def test_output_file_is_written_atomically(run_cli, tmp_path, demo_dir):
    target = tmp_path / "articles.jsonl"
    target.write_text("old content\n")
    result = run_cli("extract", demo_dir, "--format", "jsonl", "-o", target)
    assert result.code == 0
    assert result.out == ""
    assert len(target.read_text().splitlines()) == len(DEMO_ORDER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl"]  # no temp file left


def test_failed_run_keeps_the_previous_output_file(run_cli, tmp_path, dump_plain, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("previous run\n")

    def broken_write(self, article):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("newsmill.writers.formats.ArticleWriter.write", broken_write)
    result = run_cli("extract", dump_plain, "-o", target)
    assert result.code == 1
    assert target.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert "internal error" in result.err and "Traceback" not in result.err


def test_output_into_a_missing_directory_is_one_clean_error(run_cli, tmp_path, dump_plain):
    result = run_cli("extract", dump_plain, "-o", tmp_path / "no" / "such" / "dir" / "out.json")
    assert result.code == 1
    assert result.err.count("\n") == 1 and result.err.startswith("newsmill: ")


# --- extract: failures, warnings, progress ---------------------------------------------------------------
def test_a_failed_input_is_reported_and_the_run_goes_on(run_cli, tmp_path, dump_plain, dump_dated):
    missing = tmp_path / "missing.html"
    result = run_cli("extract", dump_plain, missing, dump_dated, "--format", "jsonl", "--workers", "2")
    assert result.code == 1
    assert len(result.jsonl()) == 2
    _assert_one_clean_line(result.err, str(missing), "no such file")


def test_page_without_article_is_a_warning_not_a_failure(run_cli, tmp_path):
    page = tmp_path / "nav.txt"
    page.write_text(NAV_ONLY_DUMP)
    result = run_cli("extract", page)
    assert result.code == 0
    assert result.json()["empty_reason"]
    assert result.json()["body"] == []
    _assert_one_clean_line(result.err, str(page), "warning", "no article")


def test_empty_article_is_written_with_a_warning_and_exit_0(run_cli, dump_plain, html_jsonld, monkeypatch):
    def no_article(source, **kwargs):
        if Path(source).name == dump_plain.name:
            return newsmill.Article(source_kind="dump", empty_reason="no block looks like article text")
        return newsmill.extract(source, **kwargs)

    monkeypatch.setattr("newsmill.commands.extract.extract", no_article)
    result = run_cli("extract", dump_plain, html_jsonld, "--format", "jsonl", "--workers", "1")
    assert result.code == 0
    empty, full = result.jsonl()
    assert empty["empty_reason"] == "no block looks like article text" and empty["body"] == []
    assert full["body"]
    _assert_one_clean_line(result.err, str(dump_plain), "warning: no article found", "no block looks like")
    assert "2 pages: 1 articles, 1 without article, 0 failed" in result.err
    md = run_cli("extract", dump_plain, "--format", "md")
    assert md.out == "<!-- no article: no block looks like article text -->\n"


def test_quiet_hides_warnings_not_errors(run_cli, tmp_path):
    page = tmp_path / "nav.txt"
    page.write_text(NAV_ONLY_DUMP)
    result = run_cli("extract", page, tmp_path / "missing.txt", "--quiet")
    assert result.code == 1
    assert "warning:" not in result.err
    assert "no such file" in result.err


def test_internal_error_in_an_extractor_is_one_line(run_cli, dump_plain, monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("newsmill.commands.extract.extract", explode)
    result = run_cli("extract", dump_plain)
    assert result.code == 1
    _assert_one_clean_line(result.err, str(dump_plain), "internal error", "ZeroDivisionError")


def test_progress_bar_shows_for_many_inputs(run_cli, tmp_path, dump_plain):
    for i in range(25):
        (tmp_path / f"page{i:02}.txt").write_bytes(dump_plain.read_bytes())
    shown = run_cli("extract", tmp_path, "--format", "jsonl", "--workers", "2")
    assert shown.code == 0
    assert "25/25" in shown.err
    assert "25 pages: 25 articles" in shown.err
    quiet = run_cli("extract", tmp_path, "--format", "jsonl", "--workers", "2", "--quiet")
    assert quiet.err == ""
    assert quiet.out == shown.out


def test_no_progress_bar_for_few_inputs_off_a_terminal(run_cli, dump_plain, dump_dated):
    result = run_cli("extract", dump_plain, dump_dated)
    assert "2/2" not in result.err


# --- the executor behind --workers ---------------------------------------------------------------------
def _die_on_three(n: int) -> int:
    if n == 3:
        os._exit(1)  # what a segfault in C code looks like to the pool
    return n * 10


def test_a_dying_worker_costs_only_its_own_input():
    results = list(map_ordered(_die_on_three, [1, 2, 3, 4, 5, 6], workers=2))
    assert results[:2] == [10, 20]
    assert isinstance(results[2], WorkerCrash)
    assert results[3:] == [40, 50, 60]


def _hang_on_three(n: int) -> int:
    if n == 3:
        time.sleep(60)  # what a parser stuck in C code looks like: no Python deadline can stop it
    return n * 10


def test_a_hanging_worker_is_stopped_at_the_hard_limit():
    start = time.monotonic()
    results = list(map_ordered(_hang_on_three, [1, 2, 3, 4, 5, 6], workers=2, timeout=0.5))
    assert time.monotonic() - start < 5
    assert results[:2] == [10, 20]
    assert isinstance(results[2], WorkerTimeout)
    assert "0.5s" in results[2].message
    assert results[3:] == [40, 50, 60]


def test_map_ordered_keeps_order_beyond_the_prefetch_window():
    items = list(range(200))
    assert list(map_ordered(abs, items, workers=3)) == items


# --- the demo corpus, end to end ------------------------------------------------------------------------
#: Where today's extractor still misses examples/demo/expected.json. Not strict: an XPASS in the summary
#: means a gap was closed and its entry can go.
KNOWN_GAPS = {
    "valley-ledger-library-reopens.html": "table-layout page: share row and footer kept in the body; publisher and time of day missed",
    "northfield-observer-wind-farm.html": "the newsletter box and tag links (a class-marked list) stay in the body; tags missed",
    "coastal-tribune-storm-delia.html.gz": "a teaser line is kept and inline tag links are read as one tag",
    "eastgate-herald-rail-tunnel.txt": "the publisher is not recognised",
}


@pytest.mark.parametrize("name", DEMO_ORDER)
def test_demo_page_extracts_as_expected(run_cli, demo_dir, demo_expected, name):
    article = run_cli("extract", demo_dir / name).json()
    want = demo_expected[name]
    body = _body_text(article)
    assert article["empty_reason"] is None
    assert article["source_kind"] == want["source_kind"]
    assert article["encoding"] == want["encoding"]
    assert article["crawl_date"] == want["crawl_date"]
    assert article["title"] == want["title"]
    assert article["authors"] == want["authors"]
    assert (article["published"] or "")[:10] == want["published"][:10]
    assert want["first_paragraph"] in body
    assert want["last_paragraph"] in body


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=False)) if n in KNOWN_GAPS else n
        for n in DEMO_ORDER
    ],
)
def test_demo_page_is_extracted_exactly(demo_dir, demo_expected, name):
    article = newsmill.extract(demo_dir / name)
    want = demo_expected[name]
    body = "\n".join(article.body)
    assert [snippet for snippet in want["must_not"] if snippet in body] == []
    assert len(article.body) == want["body_paragraphs"]
    assert article.dek == want["dek"]
    assert article.publisher == want["publisher"]
    assert (article.published or "")[:16] == want["published"]
    assert article.tags == want["tags"]
    if "image_caption" in want:
        assert len(article.images) == 1
        assert want["image_caption"] in (article.images[0].caption or "")
        assert article.images[0].credit == want["image_credit"]


def test_demo_fixtures_cover_every_demo_page(demo_dir, demo_expected):
    pages = sorted(p.name for p in demo_dir.iterdir() if p.name.endswith((".html", ".txt", ".gz")))
    assert pages == DEMO_ORDER == sorted(demo_expected)
    assert set(DEMO_FILES.values()) == set(pages)
