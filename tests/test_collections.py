"""Collection readers: folders, JSONL and Parquet records, WARC archives, and every way they can be broken."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_pages import (
    ASHCOMBE,
    FERRY_VOTE,
    KESTREL,
    LIBRARY,
    LOWMOOR,
    SITES,
    STORIES,
    WIND_FARM,
    WIRE_RAIL,
    news_page,
    request_record,
    story_url,
    warc_record,
    warc_response,
    warcinfo,
    write_warc,
)

from newsmill.readers.collections import (
    InputRecord,
    SourceProblem,
    UnreadableRecord,
    collection_format,
    read_collection,
)

DUMP = "Home | News | Sport\nCouncil budget keeps weekly bin collections\nBy Gideon Marsh\n" + "\n".join(
    ["Weekly bin collections will continue for another year after councillors approved the budget."] * 4
)


def _split(items: list) -> tuple[list[InputRecord], list[UnreadableRecord], list[SourceProblem]]:
    return (
        [i for i in items if isinstance(i, InputRecord)],
        [i for i in items if isinstance(i, UnreadableRecord)],
        [i for i in items if isinstance(i, SourceProblem)],
    )


# --- folders ---------------------------------------------------------------------------------------------
def test_folder_is_walked_recursively_in_a_fixed_order_with_html_dumps_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "b-site" / "2024").mkdir(parents=True)
    (tmp_path / "a.html").write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    (tmp_path / "b-site" / "2024" / "ferry.html.gz").write_bytes(gzip.compress(news_page(LOWMOOR, FERRY_VOTE).encode()))
    (tmp_path / "b-site" / "dump.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "b-site" / ".hidden.html").write_text("<p>secret</p>")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.html").write_text("<p>cached</p>")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")  # not a collection file: ignored

    records, bad, problems = _split(list(read_collection([tmp_path])))

    assert not bad and not problems
    # A folder's own files (sorted) come before its subfolders (sorted): the same order on every run.
    assert [Path(r.key).relative_to(tmp_path).as_posix() for r in records] == [
        "a.html", "b-site/dump.txt", "b-site/2024/ferry.html.gz",
    ]
    assert records[2].content[:2] == b"\x1f\x8b"  # gunzipped later, by the extract stage (content sniffing)
    assert all(r.key == r.source and r.locator == "" for r in records)


def test_missing_path_empty_folder_and_unknown_type_are_source_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    items = list(read_collection([tmp_path / "nope", tmp_path / "empty", tmp_path / "slides.pdf"]))
    assert all(isinstance(i, SourceProblem) for i in items)
    messages = [p.message for p in items]  # type: ignore[union-attr]
    assert "no such file or directory" in messages[0]
    assert "no page, JSONL, Parquet or WARC files" in messages[1]
    assert "unknown file type" in messages[2]


def test_page_file_over_the_size_limit_is_an_unreadable_record(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_text("<p>" + "x" * 5000 + "</p>")
    items = list(read_collection([page], max_bytes=1000))
    assert len(items) == 1 and isinstance(items[0], UnreadableRecord) and items[0].reason == "too-large"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.HTML", "page"), ("a.warc.gz", "warc"), ("a.jsonl.gz", "jsonl"), ("a.parquet", "parquet"), ("a.tar.gz", None),
     ("a.csv", None)],
)
def test_collection_format_from_name(name: str, fmt: str | None) -> None:
    assert collection_format(Path(name)) == fmt


# --- JSONL and Parquet -------------------------------------------------------------------------------------
def _jsonl_rows() -> list[dict]:
    return [
        {"url": story_url(KESTREL, LIBRARY), "html": news_page(KESTREL, LIBRARY), "fetched_at": "2024-05-07T10:00:00Z"},
        {"url": "https://lowmoor-star.example/dump/1", "text": DUMP},
        {"url": "https://lowmoor-star.example/empty", "title": "no payload here"},
    ]


def test_jsonl_records_with_html_text_and_missing_payload(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(r) for r in _jsonl_rows()]
    lines.insert(1, "")  # blank lines are not records
    lines.append("{not json")
    lines.append("[1, 2]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    items = list(read_collection([path]))
    records, bad, problems = _split(items)

    assert not problems
    assert [(r.locator, r.url, r.kind) for r in records] == [
        ("line:1", story_url(KESTREL, LIBRARY), "html"),
        ("line:3", "https://lowmoor-star.example/dump/1", None),  # kind left to content detection
    ]
    assert records[0].fetched_at == "2024-05-07T10:00:00Z"
    assert records[1].content == DUMP
    assert [(b.locator, b.reason) for b in bad] == [
        ("line:4", "no-payload"), ("line:5", "malformed-json"), ("line:6", "bad-record"),
    ]
    assert len({i.key for i in items}) == len(items)  # every record has its own stable key


def test_gzipped_jsonl_cut_short_yields_the_complete_lines_and_a_problem(tmp_path: Path) -> None:
    rows = [{"url": story_url(site, story), "html": news_page(site, story)} for site in SITES for story in STORIES]
    data = gzip.compress(("\n".join(json.dumps(r) for r in rows) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) - 300])

    records, bad, problems = _split(list(read_collection([path])))

    assert 0 < len(records) < len(rows)
    assert [r.url for r in records] == [r["url"] for r in rows[: len(records)]]
    assert len(problems) == 1 and "later records are lost" in problems[0].message


def test_corrupt_gzip_jsonl_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00garbage-not-deflate" * 20)
    records, _bad, problems = _split(list(read_collection([path])))
    assert not records and len(problems) == 1


def test_parquet_records(tmp_path: Path) -> None:
    path = tmp_path / "records.parquet"
    rows = _jsonl_rows()
    columns = sorted({name for row in rows for name in row})
    pq.write_table(pa.table({name: [row.get(name) for row in rows] for name in columns}), path)
    records, bad, problems = _split(list(read_collection([path])))
    assert not problems
    assert [r.locator for r in records] == ["row:1", "row:2"]
    assert records[0].kind == "html" and records[0].fetched_at == "2024-05-07T10:00:00Z"
    assert [(b.locator, b.reason) for b in bad] == [("row:3", "no-payload")]


def test_file_named_parquet_that_is_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("url,html\n")
    items = list(read_collection([path]))
    assert len(items) == 1 and isinstance(items[0], SourceProblem) and "not a readable Parquet file" in items[0].message


# --- WARC --------------------------------------------------------------------------------------------------
def _crawl_records() -> list[bytes]:
    latin = news_page(ASHCOMBE, WIND_FARM).replace('<meta charset="utf-8">', "").replace("Sixty", "Sixty caf\u00e9")
    return [
        warcinfo(),
        request_record(story_url(KESTREL, WIRE_RAIL)),
        warc_response(story_url(KESTREL, WIRE_RAIL), news_page(KESTREL, WIRE_RAIL)),
        warc_response(story_url(ASHCOMBE, WIND_FARM), latin.encode("cp1252"), "text/html; charset=windows-1252"),
        warc_response("https://kestrelbay-gazette.example/img/ferry.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 600, "image/jpeg"),
        warc_response("https://kestrelbay-gazette.example/empty", b"", "text/html"),
        warc_record("https://kestrelbay-gazette.example/gone", b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>"),
        warc_response(story_url(LOWMOOR, FERRY_VOTE), news_page(LOWMOOR, FERRY_VOTE)),
    ]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_response_records_only_with_charset_and_non_pages_counted(tmp_path: Path, name: str) -> None:
    path = write_warc(tmp_path / name, _crawl_records())
    items = list(read_collection([path]))
    records, bad, problems = _split(items)

    assert not problems
    assert [r.url for r in records] == [
        story_url(KESTREL, WIRE_RAIL), story_url(ASHCOMBE, WIND_FARM), story_url(LOWMOOR, FERRY_VOTE),
    ]
    assert records[0].fetched_at == "2024-05-07T10:00:00Z"
    assert records[1].charset == "windows-1252"
    assert records[0].content.startswith(b"<!DOCTYPE html>")  # HTTP headers are stripped
    assert [b.reason for b in bad] == ["not-a-page", "no-payload", "http-status"]
    assert bad[0].detail == "image/jpeg"
    # warcinfo and request records are not input records at all; every response record is one.
    assert len(items) == 6
    assert len({i.key for i in items}) == 6 and all(i.locator.startswith("offset:") for i in records + bad)


def test_warc_keys_are_stable_across_reads(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", _crawl_records())
    first = [getattr(i, "key", None) for i in read_collection([path])]
    second = [getattr(i, "key", None) for i in read_collection([path])]
    assert first == second


def test_gigantic_warc_record_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = "<html><body>" + "<p>" + "word " * 40_000 + "</p></body></html>"
    path = write_warc(
        tmp_path / "big.warc.gz",
        [warc_response("https://a.example/big", big), warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))],
    )
    records, bad, problems = _split(list(read_collection([path], max_bytes=10_000)))
    assert [b.reason for b in bad] == ["too-large"] and bad[0].url == "https://a.example/big"
    assert [r.url for r in records] == [story_url(KESTREL, LIBRARY)]
    assert not problems


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_warc_yields_every_complete_record_and_reports_the_rest(tmp_path: Path, gzipped: bool) -> None:
    pages = [warc_response(f"https://kestrelbay-gazette.example/{i}", news_page(KESTREL, LIBRARY)) for i in range(4)]
    whole = write_warc(tmp_path / ("whole.warc.gz" if gzipped else "whole.warc"), pages)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    cut.write_bytes(data[: len(data) - 1500])  # the last record loses its end

    items = list(read_collection([cut]))
    records, bad, problems = _split(items)

    assert [r.url for r in records] == [f"https://kestrelbay-gazette.example/{i}" for i in range(3)]
    # The broken last record is accounted for: either as a truncated record or as a problem of the file.
    assert [b.reason for b in bad] in ([], ["truncated"])
    assert bad or problems
    for problem in problems:
        assert "truncated" in problem.message or "corrupt" in problem.message


@pytest.mark.parametrize("gzipped", [False, True])
def test_corrupt_stretch_in_the_middle_is_skipped_and_reported(tmp_path: Path, gzipped: bool) -> None:
    def member(record: bytes) -> bytes:
        return gzip.compress(record, mtime=0) if gzipped else record

    first = member(warc_response("https://kestrelbay-gazette.example/1", news_page(KESTREL, LIBRARY)))
    broken = member(warc_response("https://kestrelbay-gazette.example/2", news_page(KESTREL, FERRY_VOTE)))
    last = member(warc_response("https://kestrelbay-gazette.example/3", news_page(KESTREL, WIND_FARM)))
    mangled = broken[:30] + b"\x00\xffNOT A RECORD\x13" * 40 + broken[-200:]
    path = tmp_path / ("mid.warc.gz" if gzipped else "mid.warc")
    path.write_bytes(first + mangled + last)

    records, _bad, problems = _split(list(read_collection([path])))

    urls = [r.url for r in records]
    assert urls[0] == "https://kestrelbay-gazette.example/1"
    assert urls[-1] == "https://kestrelbay-gazette.example/3"
    assert "https://kestrelbay-gazette.example/2" not in urls
    assert len(problems) == 1 and problems[0].source == str(path)  # one corrupt stretch, one problem


def test_file_named_warc_that_is_not_one(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"just some text, no WARC records in here\n" * 50))
    records, bad, problems = _split(list(read_collection([path])))
    assert not records and not bad
    assert len(problems) <= 1  # an archive with no records at all: nothing to read, nothing lost


def test_corrupt_gzip_warc_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + b"\xde\xad\xbe\xef" * 100)
    records, _bad, problems = _split(list(read_collection([path])))
    assert not records and len(problems) == 1 and str(path) == problems[0].source


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text('{"url": "https://a.example", "html": "<p>x</p>"}\n')
    real_open = Path.open

    def open_(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a file without read permission (also as root)
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    items = list(read_collection([path]))
    assert len(items) == 1 and isinstance(items[0], SourceProblem)
    assert items[0].message == "cannot read (Permission denied); check the file and its permissions"


def test_damaged_parquet_row_group_costs_only_its_rows(tmp_path: Path) -> None:
    urls = [f"https://lowmoor-star.example/{n}" for n in range(40)]
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"url": urls, "html": [news_page(LOWMOOR, LIBRARY) + str(n) for n in range(40)]}), path,
                   row_group_size=10)
    data = bytearray(path.read_bytes())
    meta = pq.ParquetFile(path).metadata
    damaged = meta.row_group(1).column(1)
    start = damaged.data_page_offset
    data[start : start + 32] = b"\x00" * 32  # the first page header of the html column
    path.write_bytes(bytes(data))

    records, _bad, problems = _split(list(read_collection([path])))

    assert [r.url for r in records] == urls[:10] + urls[20:]
    assert [r.locator for r in records][10] == "row:21"  # row numbers do not shift past the damaged group
    assert len(problems) == 1 and "rows 11 to 20 are lost" in problems[0].message
    assert "\n" not in problems[0].message


def test_gigantic_jsonl_line_is_refused_and_the_next_line_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"url": "https://a.example/huge", "html": "<p>" + "word " * 50_000 + "</p>"})
    small = json.dumps({"url": story_url(KESTREL, LIBRARY), "html": news_page(KESTREL, LIBRARY)})
    path.write_text(huge + "\n" + small + "\n", encoding="utf-8")
    records, bad, problems = _split(list(read_collection([path], max_bytes=20_000)))
    assert [(b.locator, b.reason) for b in bad] == [("line:1", "too-large")]
    assert [(r.locator, r.url) for r in records] == [("line:2", story_url(KESTREL, LIBRARY))]
    assert not problems


def test_warc_response_with_no_block_at_all(tmp_path: Path) -> None:
    path = write_warc(
        tmp_path / "empty.warc.gz",
        [warc_record("https://a.example/nothing", b""), warc_response(story_url(KESTREL, LIBRARY), news_page(KESTREL, LIBRARY))],
    )
    records, bad, problems = _split(list(read_collection([path])))
    assert [(b.url, b.reason) for b in bad] == [("https://a.example/nothing", "no-payload")]
    assert len(records) == 1 and not problems


def test_chunked_http_body_is_decoded(tmp_path: Path) -> None:
    page = news_page(KESTREL, LIBRARY).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(page[i : i + 1000]), page[i : i + 1000]) for i in range(0, len(page), 1000))
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    path = write_warc(tmp_path / "chunked.warc.gz", [warc_record(story_url(KESTREL, LIBRARY), http)])
    [record] = list(read_collection([path]))
    assert isinstance(record, InputRecord) and record.content == page


def test_unlistable_subfolder_is_a_problem_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.html").write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.html").write_text(news_page(KESTREL, LIBRARY), encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 - what a folder without read permission gives (also as root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records, _bad, problems = _split(list(read_collection([tmp_path])))
    assert [Path(r.key).name for r in records] == ["a.html"]
    assert [(p.source, p.message) for p in problems] == [(str(locked), "cannot list this folder (Permission denied)")]
